/**
 * Interrupting a run (docs/options.md): Ctrl-C or SIGTERM for the `leakrun` command,
 * `components.signal` for `run()`. The run says what was running, stops waiting for it, tears
 * down what is set up (every hook within 5 s of the interrupt), prints the summary so far and
 * exits 130 (143 for SIGTERM). The fixture's second test never settles while an interval keeps the
 * event loop alive, so nothing but the interrupt ends it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/index.ts';
import { repo } from '../helpers/cli.ts';

const hanging = 'test_2_never_settles (hang.test.Hangs)';
const args = ['--path', 'test/fixtures/interrupt', '-vv'];

interface Interrupted {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts the CLI on a pipe, waits until the hanging test's name is on its stdout (while the test
 * runs, since it never ends), then sends `signal`.
 */
function interruptCli(signal: NodeJS.Signals, env: Record<string, string> = {}, extra: readonly string[] = []): Promise<Interrupted> {
  const child = spawn(process.execPath, [resolve(repo, 'bin/leakrun.js'), ...args, ...extra], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!sent && stdout.includes(hanging)) {
      sent = true;
      child.kill(signal);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  // Only if the name never shows: a failure below, not a hang.
  const giveUp = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(giveUp);
      done({ code, stdout, stderr });
    }),
  );
}

test('Ctrl-C: the running test is named, the layer torn down, the summary printed, exit 130', async () => {
  const { code, stdout, stderr } = await interruptCli('SIGINT');
  assert.equal(stderr, '');
  assert.equal(code, 130, stdout);
  assert.match(
    stdout,
    new RegExp(
      `\n ${hanging.replace(/[()]/g, '\\$&')}\nInterrupted by SIGINT while running ${hanging.replace(/[()]/g, '\\$&')} in interrupt\\.Ticking: tearing down, then stopping\\.\n`,
    ),
  );
  // The test that finished is counted; the interrupted one and the one after it are not.
  assert.match(stdout, /\n {2}Ran 1 tests with 0 failures and 0 errors in \d+\.\d{3} seconds\.\n/);
  assert.match(stdout, /\nTearing down left over layers:\n {2}Tear down interrupt\.Ticking in \d+\.\d{3} seconds\.\n$/);
  assert.doesNotMatch(stdout, /test_3_never_reached/);
});

test('Ctrl-C while the layer runs in a child process (-j 2): the child names the running test and tears down, exit 130', async () => {
  const { code, stdout, stderr } = await interruptCli('SIGINT', {}, ['-j', '2']);
  assert.equal(stderr, '');
  assert.equal(code, 130, stdout);
  assert.match(stdout, /^Running tests at level 1\nRunning interrupt\.Ticking tests:\n {2}Running in a subprocess\.\n/);
  // Said once, by the child, which knows what was running.
  assert.equal(stdout.match(/Interrupted by/g)?.length, 1, stdout);
  assert.match(stdout, new RegExp(`Interrupted by SIGINT while running ${hanging.replace(/[()]/g, '\\$&')} in interrupt\\.Ticking`));
  assert.match(
    stdout,
    /\n {2}Ran 1 tests with 0 failures and 0 errors in \d+\.\d{3} seconds\.\n {2}Tear down interrupt\.Ticking in \d+\.\d{3} seconds\.\n$/,
  );
});

test('Ctrl-C before a later layer: it never starts, and its tests are not run, in the summary, the JSON report and the JUnit files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-interrupt-'));
  const json = join(dir, 'report.json');
  const { code, stdout, stderr } = await interruptCli('SIGINT', {}, [
    '--path',
    'test/fixtures/interrupt-next',
    '--json',
    json,
    '--xml',
    dir,
  ]);
  assert.equal(stderr, '');
  assert.equal(code, 130, stdout);
  assert.doesNotMatch(stdout, /interrupt\.Waiting/);
  assert.match(
    stdout,
    /\n {2}Tear down interrupt\.Ticking in \d+\.\d{3} seconds\.\n\nDid not run 2 tests: the run was interrupted before their layers started\.\n$/,
  );
  const report = JSON.parse(readFileSync(json, 'utf8')) as { notRun: unknown };
  assert.deepEqual(report.notRun, [
    { layer: 'interrupt.Waiting', tests: ['test_after_1 (next.test.Waits)', 'test_after_2 (next.test.Waits)'] },
  ]);
  const xml = readFileSync(join(dir, 'TEST-interrupt.Waiting.xml'), 'utf8');
  assert.equal(xml.match(/<skipped>not run: interrupt\.Waiting the run was interrupted before it started<\/skipped>/g)?.length, 2, xml);
});

test('SIGTERM with a tear-down that hangs: the hook is given up 5 s after the signal, exit 143', async () => {
  const { code, stdout } = await interruptCli('SIGTERM', { LEAKRUN_HANG_TEARDOWN: '1' });
  assert.equal(code, 143, stdout);
  assert.match(stdout, /Interrupted by SIGTERM while running test_2/);
  assert.match(
    stdout,
    /Tear down interrupt\.Ticking failed:\nInterrupted: interrupt\.Ticking\.tearDown did not finish within 5 s of SIGTERM\n/,
  );
  assert.match(stdout, /Tests with errors:\n {3}Layer: interrupt\.Ticking\.tearDown\n/);
});

test('run() with an AbortSignal: the result says where it was interrupted; layers are torn down', async () => {
  const controller = new AbortController();
  let text = '';
  const output = (chunk: string): void => {
    text += chunk;
    // As a signal would, once the test is waiting.
    if (text.includes(hanging)) setImmediate(() => controller.abort('SIGINT'));
  };
  const result = await run(args, ['--path', 'test/fixtures/interrupt-next'], { output, cwd: repo, signal: controller.signal });
  assert.deepEqual(result.interrupted, { signal: 'SIGINT', layer: 'interrupt.Ticking', test: hanging });
  assert.deepEqual(result.notRun, [
    { layer: 'interrupt.Waiting', tests: ['test_after_1 (next.test.Waits)', 'test_after_2 (next.test.Waits)'] },
  ]);
  assert.equal(result.exitCode, 130);
  assert.equal(result.failed, true);
  assert.equal(result.tests, 1);
  assert.equal(result.errors, 0);
  assert.match(text, /Tear down interrupt\.Ticking in/);
});

test('run() with a signal aborted before it starts runs nothing; a reason that is not a signal name is "abort"', async () => {
  let text = '';
  const result = await run(args, [], {
    output: (chunk) => void (text += chunk),
    cwd: repo,
    signal: AbortSignal.abort(new Error('shutting down')),
  });
  assert.deepEqual(result.interrupted, { signal: 'abort', layer: undefined, test: undefined });
  assert.equal(result.exitCode, 130);
  assert.equal(result.tests, 0);
  assert.deepEqual(result.notRun, [
    {
      layer: 'interrupt.Ticking',
      tests: [hanging.replace('2_never_settles', '1_passes'), hanging, 'test_3_never_reached (hang.test.Hangs)'],
    },
  ]);
  assert.equal(
    text,
    'Running tests at level 1\nInterrupted by abort: tearing down, then stopping.\n\n' +
      'Did not run 3 tests: the run was interrupted before their layers started.\nTotal: 0 tests, 0 failures, 0 errors\n',
  );
});
