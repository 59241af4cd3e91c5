import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../src/index.ts';
import type { FormatterFactory, HeapSample, HeapSampler, RunEvent } from '../../src/index.ts';
import { repo } from '../helpers/cli.ts';

const defaults = ['--path', 'examples/sample'];

function collect(): { text: () => string; output: (text: string) => void } {
  let text = '';
  return { text: () => text, output: (chunk: string) => void (text += chunk) };
}

test('run() parses defaults then argv, returns the result and never sets the exit code', async () => {
  const out = collect();
  const result = await run(defaults, ['--layer', 'Layer11$', '-N', '2', '-v'], { output: out.output, cwd: repo });
  assert.equal(result.exitCode, 0);
  assert.equal(result.failed, false);
  assert.equal(result.tests, 18);
  assert.deepEqual(
    result.layers.map((layer) => [layer.name, layer.iterations.map((i) => [i.iteration, i.tests, i.failures, i.errors])]),
    [
      [
        'samplelayers.Layer11',
        [
          [1, 18, 0, 0],
          [2, 18, 0, 0],
        ],
      ],
    ],
  );
  assert.match(out.text(), /^Running tests at level 1\nRunning samplelayers\.Layer11 tests:\n/);
  assert.match(out.text(), /Iteration 2\n {2}Running:\n {4}\.{18}\n {2}Ran 18 tests/);
  assert.equal(process.exitCode, undefined);
});

test('-v counts from defaults and argv add up', async () => {
  const out = collect();
  await run([...defaults, '-v'], ['-v', '--layer', 'Layer121'], { output: out.output, cwd: repo });
  assert.match(out.text(), /\n test_x1 \(tests\.test121\.TestA\)\n/);
});

test('a usage problem goes to errorOutput, runs nothing and resolves to exit code 2', async () => {
  const out = collect();
  const err = collect();
  const result = await run(defaults, ['--layer', '[z'], { output: out.output, errorOutput: err.output, cwd: repo });
  assert.equal(result.exitCode, 2);
  assert.equal(result.tests, 0);
  assert.equal(out.text(), '');
  assert.match(err.text(), /^leakrun: error: --layer: "\[z" is not a valid regular expression/);
});

test('a formatter passed in components replaces the default and sees every event in order', async () => {
  const seen: RunEvent['type'][] = [];
  const formatter: FormatterFactory = () => ({
    write(event) {
      seen.push(event.type);
      return event.type === 'test:pass' ? 'P' : '';
    },
  });
  const out = collect();
  const result = await run(defaults, ['--layer', 'Layer122'], { formatter, output: out.output, cwd: repo });
  assert.equal(out.text(), 'P'.repeat(result.tests));
  assert.deepEqual(seen.slice(0, 9), [
    'run:start',
    'layer:start',
    'layer:setup:start',
    'layer:setup:end',
    'layer:setup:start',
    'layer:setup:end',
    'layer:setup:start',
    'layer:setup:end',
    'iteration:start',
  ]);
  assert.deepEqual(seen.slice(-9), [
    'iteration:end',
    'leftover:start',
    'layer:teardown:start',
    'layer:teardown:end',
    'layer:teardown:start',
    'layer:teardown:end',
    'layer:teardown:start',
    'layer:teardown:end',
    'run:end',
  ]);
});

test('a sampler passed in components replaces the default; its samples land in the result and the -r lines', async () => {
  const totals = [1000, 1010, 1013, 1016];
  let calls = 0;
  const sampler: HeapSampler = {
    async sample(): Promise<HeapSample> {
      const total = totals[calls++] ?? 0;
      return { total, byType: new Map([['leak.Thing', { insts: total - 1000, refs: total - 1000 }]]) };
    },
  };
  const out = collect();
  const result = await run(defaults, ['--layer', 'Layer122', '-N4', '-r'], { sampler, output: out.output, cwd: repo });
  assert.equal(calls, 4);
  const iterations = result.layers[0]?.iterations ?? [];
  assert.deepEqual(
    iterations.map((i) => [i.heap?.total, i.heapDiff?.change]),
    [
      [1000, undefined],
      [1010, 10],
      [1013, 3],
      [1016, 3],
    ],
  );
  assert.match(out.text(), /\n {2}sys refcount=1010 {5}change=10 {4}\n/);
  assert.match(out.text(), /\n {2}sys refcount=1016 {5}change=3 {5}\n/);
});

test('run(): a known-growth entry that names no holder is a usage problem, not a throw', async () => {
  const out = collect();
  const errors = collect();
  const knownGrowth = [{ name: 'pool', why: 'bounded' }];
  const result = await run(defaults, ['-N2', '-r'], { output: out.output, errorOutput: errors.output, cwd: repo, knownGrowth });
  assert.equal(result.exitCode, 2);
  assert.equal(out.text(), '');
  assert.match(errors.text(), /^leakrun: error: components\.knownGrowth\[0\] \("pool"\) needs "variables", "classes" or "timers"/);
});
