import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { HeapDiff } from '../../src/types/index.ts';

const fixture = resolve(import.meta.dirname, '../fixtures/sampler/stability.ts');

interface Recorded {
  phase: 'clean' | 'leak';
  run: number;
  diff: HeapDiff;
}

// One child process, so the sampler measures a heap that holds nothing of the test runner.
function runFixture(): Recorded[] {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', fixture], {
    cwd: resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Recorded[];
}

const recorded = runFixture();
const fromThird = (phase: Recorded['phase']): Recorded[] => recorded.filter((r) => r.phase === phase && r.run >= 3);

test('a clean function sampled 8 times: change=0 and no changed rows from run 3 on', () => {
  const runs = fromThird('clean');
  assert.equal(runs.length, 6);
  for (const { run, diff } of runs) {
    assert.ok(diff.total > 1000, `run ${run}: a Node heap holds thousands of references`);
    assert.equal(diff.change, 0, `run ${run}: change`);
    assert.deepEqual(diff.rows, [], `run ${run}: changed rows`);
  }
});

test('a function keeping four objects per run: the same positive change each run, one row each', () => {
  const runs = fromThird('leak');
  assert.equal(runs.length, 6);
  for (const { run, diff } of runs) {
    assert.equal(diff.change, 4, `run ${run}: change`);
    assert.deepEqual(
      diff.rows.map(({ name, insts, refs }) => [name, insts, refs]),
      [
        ['(heap number)', 1, 1],
        ['Array', 1, 1],
        ['leak.ClassicLeakable', 1, 1],
        ['leak.Leakable', 1, 1],
      ],
      `run ${run}: rows`,
    );
  }
});

test('sum detail refcount equals sys refcount: total is the sum of refs over all rows', () => {
  for (const { diff } of recorded) assert.equal(diff.detailTotal, diff.total);
});
