/**
 * Active resources after each iteration (docs/leaks.md), on real timers and listeners, each run
 * in a process of its own: a test that leaves an interval (ref'd or `unref()`ed) or a `process`
 * listener behind on every run fails `--fail-on-leak` with the resource named and a hint, and
 * leakrun still exits by itself; a test that clears what it starts passes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { leakrun, repo } from '../helpers/cli.ts';

const fixtures = ['--path', 'test/fixtures/resources', '--fail-on-leak'];
const scratch = mkdtempSync(join(tmpdir(), 'leakrun-resources-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture with `which` leaking; a leaked ref'd interval must not keep leakrun from exiting. */
function run(which: string, extra: readonly string[] = []) {
  return leakrun([...fixtures, ...extra], { env: { LEAKRUN_RESOURCES: which }, timeout: 90_000 });
}

const TIMER_LINE =
  /\n {2}leakrun\.UnitTests leaked 1 Timeout per iteration: a timer started in these tests is never cleared \(clearInterval \/ clearTimeout\)\n/;

test("a ref'd interval left on every run: Timeout named with the fix, the test found, exit 1, and leakrun exits by itself", () => {
  const { status, stdout, stderr } = run('interval', ['-v']);
  assert.equal(stderr, '');
  assert.equal(status, 1, stdout);
  assert.match(stdout, TIMER_LINE);
  assert.match(stdout, /\n {2}Active resources changed: Timeout \+1 \(\d+\)\n/);
  assert.match(stdout, /\n {2}leaking test: test_interval \(timers\.test\) \+\d+ refs per run\n/);
  assert.match(stdout, /\nTests with errors:\n {3}Leak: leakrun\.UnitTests\n/);
});

test("an unref()ed interval is counted too, and leakrun's own watch of it is not counted as growth", () => {
  const { status, stdout } = run('unref', ['-v']);
  assert.equal(status, 1, stdout);
  assert.match(stdout, TIMER_LINE);
  assert.match(stdout, /\n {2}leaking test: test_unref \(timers\.test\)/);
  assert.doesNotMatch(stdout, /^ {4}WeakRef /m);
});

test("a process.on('exit') listener added on every run is named as a listener leak", () => {
  const { status, stdout } = run('listener');
  assert.equal(status, 1, stdout);
  assert.match(
    stdout,
    /\n {2}leakrun\.UnitTests leaked 1 process\.on\('exit'\) listener per iteration: a listener added to process in these tests is never removed \(process\.off \/ process\.once\)\n/,
  );
  assert.match(stdout, /\n {2}leaking test: test_listener \(timers\.test\)/);
});

test('timers that are cleared leave nothing: exit 0, no resource line, and the JSON report holds the counts', () => {
  const file = join(scratch, 'clean.json');
  const { status, stdout } = run('none', ['-v', '--json', file]);
  assert.equal(status, 0, stdout);
  assert.doesNotMatch(stdout, /Active resources changed|leaked \d+ /);
  assert.match(stdout, /: no leak, as many live objects after iteration 5 as after iteration 2 \(screened, no heap snapshot\)\n/);
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    layers: {
      iterations: { resources?: Record<string, number>; screen?: number }[];
      verdict: { resources: unknown[]; referencesLeaked: boolean; screened?: boolean };
    }[];
  };
  const [layer] = report.layers;
  assert.ok(layer);
  // Counted at the end of the warm-up and after the last iteration, alike.
  const screens = layer.iterations.map((iteration) => iteration.screen);
  assert.deepEqual(
    screens.map((count) => count !== undefined),
    [false, true, false, false, true],
  );
  assert.equal(screens[1], screens[4]);
  assert.equal(layer.verdict.screened, true);
  const counts = layer.iterations.map((iteration) => iteration.resources);
  assert.equal(counts.length, 5);
  for (const count of counts) assert.deepEqual(count, counts[0]);
  assert.deepEqual([layer.verdict.resources, layer.verdict.referencesLeaked], [[], false]);
});

test('--trace-leaks: a leaked type shows where its live resources were created, in the test file', () => {
  const { status, stdout } = run('interval', ['--trace-leaks']);
  assert.equal(status, 1, stdout);
  assert.match(
    stdout,
    new RegExp(`${TIMER_LINE.source} {4}\\d+ created at .*\\(test/fixtures/resources/timers\\.test\\.ts:\\d+:\\d+\\)\\n`),
  );
});

test("--trace-leaks through run() with components.cwd: creation sites are relative to that folder, not the process's", () => {
  // The library never exits the process; the script does, once run() has resolved (the leaked
  // interval would keep it alive).
  const script = [
    `import { run } from ${JSON.stringify(pathToFileURL(join(repo, 'src/index.ts')).href)};`,
    `const result = await run({}, ['--path', '.', '--fail-on-leak', '--trace-leaks'], { cwd: ${JSON.stringify(join(repo, 'test/fixtures/resources'))} });`,
    'process.exit(result.exitCode);',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', LEAKRUN_RESOURCES: 'interval' },
  });
  assert.equal(child.status, 1, child.stdout + child.stderr);
  assert.match(child.stdout, new RegExp(`${TIMER_LINE.source} {4}\\d+ created at .*\\(timers\\.test\\.ts:\\d+:\\d+\\)\\n`));
});
