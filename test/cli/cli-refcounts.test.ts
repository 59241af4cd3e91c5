import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../src/index.ts';
import { leakrun, repo } from '../helpers/cli.ts';

const sample = ['--path', 'examples/sample'];

interface Report {
  layer: string;
  iteration: number;
  total: number;
  change: number;
  rows: Map<string, [number, number]>;
}

/** The -r lines and -r -v tables of a run's output, per layer and iteration. */
function reports(output: string): Report[] {
  const found: Report[] = [];
  let layer = '';
  let iteration = 0;
  for (const line of output.split('\n')) {
    layer = /^Running (.*) tests:$/.exec(line)?.[1] ?? layer;
    iteration = Number(/^Iteration (\d+)$/.exec(line)?.[1] ?? iteration);
    const counts = /^ {2}(?:sum detail refcount=\d+ +)?sys refcount=(\d+) +change=(-?\d+) +$/.exec(line);
    if (counts) found.push({ layer, iteration, total: Number(counts[1]), change: Number(counts[2]), rows: new Map() });
    const row = /^ {4}(\S.*?) +(-?\d+) +(-?\d+)$/.exec(line);
    if (row && found.length) found[found.length - 1]?.rows.set(row[1] as string, [Number(row[2]), Number(row[3])]);
  }
  return found;
}

test('two clean layers under -N4 -r: refcount lines for iterations 2-4 of both, change=0 from iteration 3', () => {
  const result = leakrun([...sample, '--layer', 'Layer11$', '--layer', 'Layer12$', '-N4', '-r']);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const found = reports(result.stdout);
  assert.deepEqual(
    found.map((r) => [r.layer, r.iteration]),
    [2, 3, 4].map((i) => ['samplelayers.Layer11', i]).concat([2, 3, 4].map((i) => ['samplelayers.Layer12', i])),
  );
  for (const r of found.filter((r) => r.iteration >= 3)) assert.equal(r.change, 0, `${r.layer} iteration ${r.iteration}`);
  assert.match(result.stdout, /\n {2}sys refcount=\d+ +change=0 {5}\n/, 'the %-8d / %-6d widths');
});

test('the leaking module shows the same positive change at every iteration, and -v names the kept objects', () => {
  const plain = reports(leakrun([...sample, '--tests-pattern', '^leak$', '-N6', '-r']).stdout);
  const changes = plain.filter((r) => r.iteration >= 3).map((r) => r.change);
  assert.equal(changes.length, 4);
  assert.ok((changes[0] ?? 0) > 0, `a positive change, got ${changes}`);
  assert.deepEqual(new Set(changes).size, 1, `the same change every iteration, got ${changes}`);

  const verbose = leakrun([...sample, '--tests-pattern', '^leak$', '-N5', '-r', '-v']);
  assert.equal(verbose.status, 0);
  const last = reports(verbose.stdout).at(-1);
  assert.ok(last);
  assert.deepEqual(last.rows.get('leak.Leakable'), [1, 1]);
  assert.deepEqual(last.rows.get('leak.ClassicLeakable'), [1, 1]);
  assert.deepEqual(last.rows.get('(heap number)'), [1, 1]);
  assert.deepEqual(last.rows.get('Array'), [1, 1]);
  const rows = [...last.rows].filter(([name]) => name !== 'total');
  assert.deepEqual(last.rows.get('total'), [rows.reduce((n, [, [i]]) => n + i, 0), rows.reduce((n, [, [, r]]) => n + r, 0)]);
  assert.equal(last.rows.get('total')?.[1], last.change);
});

test('a clean module shows no table from iteration 3 on', () => {
  const found = reports(leakrun([...sample, '--tests-pattern', '^clean$', '-N5', '-r', '-v']).stdout);
  assert.equal(found.length, 4);
  for (const r of found.filter((r) => r.iteration >= 3)) {
    assert.equal(r.change, 0);
    assert.deepEqual([...r.rows.keys()], [], `iteration ${r.iteration} printed a table`);
  }
});

test('heap samples are part of the result, per layer and iteration', async () => {
  const result = await run(sample, ['--tests-pattern', '^leak$', '-N4', '-r'], { output: () => {}, cwd: repo });
  const iterations = result.layers[0]?.iterations ?? [];
  assert.equal(iterations.length, 4);
  assert.ok(iterations.every((i) => i.heap && i.heap.total > 0));
  assert.equal(iterations[0]?.heapDiff, undefined, 'iteration 1 is the baseline');
  const last = iterations[3]?.heapDiff;
  assert.deepEqual(
    last?.rows.find((row) => row.name === 'leak.Leakable'),
    { name: 'leak.Leakable', insts: 1, refs: 1 },
  );
  assert.equal(last?.change, (iterations[3]?.heap?.total ?? 0) - (iterations[2]?.heap?.total ?? 0));
});

test('a module that loads the TypeScript compiler is sampled (Node 20 snapshot pathology)', () => {
  const result = leakrun(['--path', 'test/fixtures/bigscript', '-N2', '-r'], { timeout: 60_000 });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.equal(reports(result.stdout).length, 1);
});

test("known bounded growth: a clean fetch() test's line says none of the change is the tests' own", () => {
  const { status, stdout } = leakrun(['--path', 'examples/leaks', '--tests-pattern', '^fetching$', '-N4', '-r']);
  assert.equal(status, 0, stdout);
  const lines = stdout.split('\n').filter((line) => line.includes('sys refcount='));
  assert.equal(lines.length, 3, stdout);
  // Node keeps an entry per fetch() in its resource timing buffer: change= counts it, as zope would.
  for (const line of lines.slice(1)) {
    assert.match(
      line,
      /^ {2}sys refcount=\d+ +change=-?\d+ +\(yours 0; known: (?:node: [^,]+ [+-]\d+, )*node: resource timing buffer \+\d+(?:, node: [^,]+ [+-]\d+)*\)$/,
    );
  }
});
