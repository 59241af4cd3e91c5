/**
 * Where problems happen and what they cost (docs/layers.md, docs/api.md): each problem says its
 * phase; a layer that cannot be set up, because its set-up throws or its bases are broken, costs
 * only its own tests, which are counted and named as not run; `--require-unique` ends as any run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { run } from '../../src/index.ts';
import type { FormatterFactory, RunEventType, RunResult } from '../../src/index.ts';
import { repo } from '../helpers/cli.ts';

async function quiet(defaults: string[], argv: string[]): Promise<{ result: RunResult; text: string; errors: string }> {
  let text = '';
  let errors = '';
  const result = await run(defaults, argv, {
    output: (chunk) => void (text += chunk),
    errorOutput: (chunk) => void (errors += chunk),
    cwd: repo,
  });
  return { result, text, errors };
}

const phases = ['--path', 'test/fixtures/phases'];

test("a problem in a per-test hook says which hook; when the test fails too, the first problem, the test's, is reported", async () => {
  const { result } = await quiet(phases, ['-m', 'hooks']);
  assert.deepEqual(
    result.problems.map(({ kind, phase, test, error }) => [kind, phase, test, error.message]),
    [
      ['error', 'testSetUp', 'test_would_pass (hooks.test.InSetUpFails)', 'no connection for the test'],
      ['error', 'testTearDown', 'test_1_passes (hooks.test.InTearDownFails)', 'could not roll back'],
      ['failure', 'test', 'test_2_fails (hooks.test.InTearDownFails)', 'the test itself failed'],
    ],
  );
});

test('layer hooks, the runner and unhandled rejections have phases of their own', async () => {
  const problems = ['--path', 'test/fixtures/problems'];
  const layered = await quiet(problems, ['-m', 'layered']);
  assert.deepEqual(
    layered.result.problems.map(({ phase, test }) => [phase, test]),
    [
      ['layerSetUp', 'Layer: problems.Broken.setUp'],
      ['layerTearDown', 'Layer: problems.Grumpy.tearDown'],
    ],
  );
  // The rejection comes while the next test waits, until --timeout gives up on it. In a process
  // of its own: node:test would take the unhandled rejection as this test's.
  const script = `import { run } from './src/index.ts';
    const result = await run(['--path', 'test/fixtures/problems'], ['-m', 'outcomes', '-t', 'rejects_after_finishing|never_settles', '--timeout', '100'], { output: () => {} });
    console.log(JSON.stringify(result.problems.map(({ phase, error }) => [phase, error.name])));`;
  const late = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
  assert.equal(late.stderr, '');
  assert.deepEqual(JSON.parse(late.stdout), [
    ['unhandled', 'Error'],
    ['test', 'TestTimeout'],
  ]);
});

test('bases that form a cycle, or a base that is undefined: that layer fails naming why, its tests do not run, the others do', async () => {
  const { result, text } = await quiet(phases, ['-m', 'graph', '-v']);
  assert.equal(result.exitCode, 1);
  assert.deepEqual(
    result.problems.map(({ phase, test, error }) => [phase, test, error.message.split('.')[0]]),
    [
      ['layerSetUp', 'Layer: graph.CycleB.setUp', 'Layer bases form a cycle: graph'],
      ['layerSetUp', 'Layer: graph.HalfLoaded.setUp', 'Layer graph'],
    ],
  );
  assert.match(result.problems[0]!.error.message, /cycle: graph\.CycleB -> graph\.CycleA -> graph\.CycleB\./);
  assert.match(result.problems[1]!.error.message, /bases\[0\] is undefined, not a layer/);
  assert.deepEqual(result.notRun, [
    { layer: 'graph.CycleB', tests: ['test_1 (graph.test.InCycle)', 'test_2 (graph.test.InCycle)'] },
    { layer: 'graph.HalfLoaded', tests: ['test_1 (graph.test.InHalfLoaded)'] },
  ]);
  assert.equal(result.tests, 1);
  assert.deepEqual(
    result.layers.map((layer) => [layer.name, layer.iterations.length]),
    [
      ['graph.CycleB', 0],
      ['graph.HalfLoaded', 0],
      ['graph.Fine', 1],
    ],
  );
  // The message is the whole story: no stack of leakrun's own frames.
  assert.match(
    text,
    /\n {2}Set up graph\.CycleB failed:\nError: Layer bases form a cycle: [^\n]+\n\n {2}Did not run 2 tests: graph\.CycleB could not be set up:\n/,
  );
  assert.match(text, /\nDid not run 3 tests: their layers could not be set up\.\nTotal: 1 tests, 0 failures, 2 errors\n$/);
});

test("--list-tests with a broken layer lists the others and fails with that layer's error", async () => {
  const { result, text } = await quiet(phases, ['-m', 'graph', '--list-tests']);
  assert.equal(result.exitCode, 1);
  assert.deepEqual(
    result.problems.map(({ test }) => test),
    ['Layer: graph.CycleB.setUp', 'Layer: graph.HalfLoaded.setUp'],
  );
  assert.match(text, /Listing graph\.Fine tests:\n {2}test_runs \(graph\.test\.InFine\)\n/);
});

test('--require-unique ends as any run: run:end reaches the formatter, import failures are kept, nothing runs', async () => {
  const seen: RunEventType[] = [];
  const noting: FormatterFactory = () => ({
    write(event) {
      seen.push(event.type);
      return '';
    },
  });
  let errors = '';
  const result = await run(
    ['--path', 'examples/duplicates', '--path', 'test/fixtures/problems'],
    ['-m', 'prices|broken_import', '--require-unique'],
    {
      formatter: noting,
      errorOutput: (chunk) => void (errors += chunk),
      cwd: repo,
    },
  );
  assert.equal(result.exitCode, 1);
  assert.equal(result.tests, 0);
  assert.match(
    result.usageProblem?.message ?? '',
    /^--require-unique: these tests are defined more than once: test_price_is_positive \(prices\.test\)$/,
  );
  assert.deepEqual(
    result.importFailures.map(({ module }) => module),
    ['broken_import.test'],
  );
  assert.deepEqual(seen, ['run:start', 'import:failure', 'run:end']);
  assert.equal(errors, `leakrun: error: ${result.usageProblem?.message}\n`);
});
