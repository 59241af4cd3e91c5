/**
 * Layers in child processes (docs/processes.md): zope's layers that cannot be torn down, `-j N`,
 * crash containment, and the parent/child protocol. Everything here runs real child processes of
 * the built CLI.
 */
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { decodeEvent, encodeEvent, PROTOCOL_VERSION, type ChildMessage } from '../../src/processes/wire.ts';
import type { RunEvent } from '../../src/types/index.ts';
import { assertExpected, leakrun, normalise, repo } from '../helpers/cli.ts';

test("three layers that cannot be torn down: zope's sampletests_ntd, each after the first in a fresh child, failures merged", () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-ntd-'));
  try {
    const json = join(dir, 'report.json');
    const { status, stdout, stderr } = leakrun(['--path', 'test/fixtures/ntd', '-v', '--json', json]);
    assert.equal(status, 1, stdout);
    // What a test in a child writes to stderr reaches the parent's stderr.
    assert.equal(stderr, 'a line on stderr from a child\n');
    assertExpected('subprocess-ntd', normalise(stdout));
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      totals: { tests: number; failures: number; errors: number };
      problems: { test: string; layer: string; kind: string }[];
    };
    assert.deepEqual(report.totals, { tests: 8, failures: 2, errors: 2, skipped: 0 });
    assert.deepEqual(
      report.problems.map((problem) => `${problem.kind} ${problem.layer} ${problem.test}`),
      [
        'error sample3.ntd.Layer test_error1 (sample3.ntd.test.TestSomething)',
        'error sample3.ntd.Layer test_error2 (sample3.ntd.test.TestSomething)',
        'failure sample3.ntd.Layer test_fail1 (sample3.ntd.test.TestSomething)',
        'failure sample3.ntd.Layer test_fail2 (sample3.ntd.test.TestSomething)',
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The lines that say which layer runs and how its iterations went, times left out. */
function layerLines(stdout: string): string[] {
  return normalise(stdout)
    .split('\n')
    .filter((line) => /^Running .* tests:$|^ {2}Ran \d+ tests|^Iteration \d|^ {2}sys refcount|^Total:|Did not run/.test(line))
    .map((line) => line.replace(/sys refcount=\d+/, 'sys refcount=N'));
}

test('-j 2 on the sample tree: the same layers in the same order, the same counts, Total and exit code as a serial run', () => {
  for (const extra of [[], ['--layer', 'Layer11$', '-N', '3', '-r']]) {
    const serial = leakrun(['--path', 'examples/sample', ...extra]);
    const parallel = leakrun(['--path', 'examples/sample', '-j', '2', ...extra]);
    assert.equal(parallel.stderr, serial.stderr);
    assert.equal(parallel.status, serial.status);
    assert.ok(layerLines(serial.stdout).length > 5, serial.stdout);
    assert.deepEqual(layerLines(parallel.stdout), layerLines(serial.stdout));
    // Every layer says where it ran.
    const layers = serial.stdout.match(/^Running .* tests:$/gm)?.length;
    assert.equal(parallel.stdout.match(/^ {2}Running in a subprocess\.$/gm)?.length, layers, parallel.stdout);
  }
});

test('a child that exits, runs out of memory, crashes, hangs or dies in its set-up: an error naming the layer and test; every other result kept; exit 1', () => {
  // The heap limit reaches the children through the environment, as a user's NODE_OPTIONS would.
  const { status, stdout, stderr } = leakrun(['--path', 'test/fixtures/crash', '-j', '2', '--timeout', '500', '-v'], {
    env: { NODE_OPTIONS: '--max-old-space-size=64' },
  });
  assert.equal(status, 1, stdout);
  const error = (layer: string, why: string): RegExp =>
    new RegExp(`\\nError in test subprocess for crash\\.${layer}\\nSubprocessError: the child process running crash\\.${layer} ${why}`);
  // process.exit in a child is contained there, as in process.
  assert.match(stdout, /\nError in test test_exit_zero \(crash\.test\.TestExits\)\nProcessExitCalled: process\.exit\(0\) called/);
  assert.match(stdout, /\nError in test test_exit_three \(crash\.test\.TestExits\)\nProcessExitCalled: process\.exit\(3\) called/);
  assert.match(
    stdout,
    error('OutOfMemory', 'ran out of memory during test_out_of_memory \\(crash\\.test\\.TestOutOfMemory\\)\\nIts last lines on stderr:\\n'),
  );
  assert.match(stdout, /\n {2}FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n/);
  assert.match(
    stdout,
    error(
      'Segfault',
      'was killed by SIGSEGV during test_segfault \\(crash\\.test\\.TestSegfault\\)\\nIts last lines on stderr:\\n {2}about to crash\\n',
    ),
  );
  assert.match(
    stdout,
    error('Hang', 'stopped answering during test_spins \\(crash\\.test\\.TestHang\\): silent for 2000 ms under --timeout 500'),
  );
  assert.match(stdout, error('DiesInSetUp', 'was killed by SIGKILL during crash\\.DiesInSetUp\\.setUp\\n'));
  // The test before the crash counts; the one that crashed is the iteration's error.
  assert.match(stdout, /Running crash\.OutOfMemory tests:[^]*?\n {2}Ran 2 tests with 0 failures and 1 errors in /);
  assert.match(
    stdout,
    /Running crash\.Survivor tests:\n {2}Running in a subprocess\.\n[^]*?\n {2}Ran 1 tests with 0 failures and 0 errors in /,
  );
  assert.match(
    stdout,
    /\nTests with errors:\n {3}subprocess for crash\.DiesInSetUp\n {3}test_exit_three \(crash\.test\.TestExits\)\n {3}test_exit_zero \(crash\.test\.TestExits\)\n {3}subprocess for crash\.Hang\n {3}subprocess for crash\.OutOfMemory\n {3}subprocess for crash\.Segfault\n/,
  );
  assert.match(stdout, /\nDid not run 1 tests: their layers could not be set up\.\nTotal: 8 tests, 0 failures, 6 errors\n$/);
  // What the children wrote to stderr on their way out reaches stderr.
  assert.match(stderr, /about to crash/);
  assert.match(stderr, /JavaScript heap out of memory/);
});

test('events cross the channel whole: error names, own properties and causes, getters, maps; functions are left out', () => {
  class Sample {
    readonly total = 3;
    get paths(): string[] {
      return ['leak (module) .leaked'];
    }
  }
  const assertion = Object.assign(new Error('1 !== 2'), { name: 'AssertionError', actual: 1, expected: 2, code: 'ERR_ASSERTION' });
  const cause = new TypeError('underneath');
  const wrapped = new Error('on top', { cause });
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const events = [
    { type: 'test:fail', test: 't', seconds: 0, error: assertion, phase: 'test' },
    { type: 'run:problem', problem: { kind: 'error', phase: 'unhandled', test: 'x', error: wrapped, extra: () => 1, cyclic } },
    { type: 'heap:sample', layer: 'L', iteration: 2, sample: new Sample(), diff: { byType: new Map([['a', { insts: 1, refs: 2 }]]) } },
  ] as unknown as RunEvent[];
  // As the channel does it: v8's structured clone.
  const [fail, problem, sample] = events.map((event) => decodeEvent(structuredClone(encodeEvent(event))));
  assert.ok(fail?.type === 'test:fail' && problem?.type === 'run:problem' && sample?.type === 'heap:sample');
  const error = fail.error as Error & { actual?: unknown; expected?: unknown; code?: unknown };
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'AssertionError');
  assert.equal(error.stack, assertion.stack);
  assert.deepEqual([error.actual, error.expected, error.code], [1, 2, 'ERR_ASSERTION']);
  const decodedCause = problem.problem.error.cause as Error;
  assert.equal(decodedCause.name, 'TypeError');
  assert.equal(decodedCause.message, 'underneath');
  const rest = problem.problem as unknown as { extra?: unknown; cyclic: { self?: unknown } };
  assert.equal(rest.extra, undefined);
  assert.equal(rest.cyclic.self, undefined);
  assert.deepEqual(sample.sample, { total: 3, paths: ['leak (module) .leaked'] });
  assert.deepEqual((sample.diff as unknown as { byType: unknown }).byType, new Map([['a', { insts: 1, refs: 2 }]]));
});

/** Starts the built child entry, as the parent does, and collects what it sends. */
function startChild(): { messages: ChildMessage[]; child: ReturnType<typeof fork>; exited: Promise<number | null> } {
  const child = fork(resolve(repo, 'dist/child.js'), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
  const messages: ChildMessage[] = [];
  child.on('message', (message: ChildMessage) => messages.push(message));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { messages, child, exited };
}

test('the protocol is versioned: a child sent a message of another version refuses it and exits 2', async () => {
  const { messages, child, exited } = startChild();
  await new Promise<void>((ready) => child.once('message', () => ready()));
  child.send({ leakrun: PROTOCOL_VERSION + 1, type: 'run' });
  assert.equal(await exited, 2);
  assert.deepEqual(
    messages.map((message) => message.type),
    ['ready', 'refused'],
  );
  const refused = messages[1] as Extract<ChildMessage, { type: 'refused' }>;
  assert.match(
    refused.reason,
    new RegExp(`speaks version ${PROTOCOL_VERSION} of the child protocol and was sent a "run" message of version ${PROTOCOL_VERSION + 1}`),
  );
});

test('the child entry started by hand says what it is, exit 2', () => {
  const result = spawnSync(process.execPath, [resolve(repo, 'dist/child.js')], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.equal(result.stderr, 'leakrun: error: this is the entry of the child processes leakrun starts itself; run "leakrun" instead\n');
});
