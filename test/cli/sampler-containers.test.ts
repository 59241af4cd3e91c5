import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { HeapDiff } from '../../src/types/index.ts';

const fixture = resolve(import.meta.dirname, '../fixtures/sampler/containers.ts');

interface Recorded {
  phase: string;
  run: number;
  diff: HeapDiff;
}

// One child process, so the sampler measures a heap that holds nothing of the test runner.
const recorded = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', fixture], {
    cwd: resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
    timeout: 120_000,
  }),
) as Recorded[];

/** `[name, insts, refs]` of the changed rows of every sample after the phase's first. */
function rowsOf(phase: string): [run: number, change: number, rows: [string, number, number][]][] {
  const runs = recorded.filter((r) => r.phase === phase);
  assert.equal(runs.length, 2, `${phase}: samples after the first`);
  return runs.map(({ run, diff }) => [
    run,
    diff.change,
    diff.rows.map(({ name, insts, refs }): [string, number, number] => [name, insts, refs]),
  ]);
}

function assertEveryRun(phase: string, change: number, rows: [string, number, number][]): void {
  for (const [run, actualChange, actualRows] of rowsOf(phase)) {
    assert.deepEqual(actualRows, rows, `${phase}, run ${run}: rows`);
    assert.equal(actualChange, change, `${phase}, run ${run}: change`);
  }
}

test('a function that fills every kind of container and keeps nothing changes nothing', () => {
  assertEveryRun('clean', 0, []);
});

// A Map's or Set's hash table and a closure's context are V8 internals, not counted themselves;
// their entries and variables count as references, so what only they hold shows in change=.
test('a string kept per run in a Map or a Set: one more (string) instance and reference per run', () => {
  assertEveryRun('map string', 1, [['(string)', 1, 1]]);
  assertEveryRun('set string', 1, [['(string)', 1, 1]]);
});

test('a string kept per run in a module-level array: one more (string) instance and reference', () => {
  assertEveryRun('array string', 1, [['(string)', 1, 1]]);
});

test('a new property per run: its name and its value are two more strings, the object refers to the value', () => {
  assertEveryRun('object string', 1, [['(string)', 2, 1]]);
});

test('a string captured per run by a kept closure: one more closure and one more string, each referred to', () => {
  assertEveryRun('closure string', 2, [
    ['(closure)', 1, 1],
    ['(string)', 1, 1],
  ]);
});

test('a heap number kept per run in a Map, an object, an array or a closure: one more each run', () => {
  assertEveryRun('map number', 1, [['(heap number)', 1, 1]]);
  assertEveryRun('object number', 1, [['(heap number)', 1, 1]]);
  assertEveryRun('array number', 1, [['(heap number)', 1, 1]]);
  assertEveryRun('closure number', 2, [
    ['(closure)', 1, 1],
    ['(heap number)', 1, 1],
  ]);
});

test('an object key and a class instance kept per run in a Map: both counted with their reference', () => {
  assertEveryRun('map object', 2, [
    ['Object', 1, 1],
    ['containers.Entry', 1, 1],
  ]);
});

test('a WeakMap value counts once, through its kept key; with a dead key nothing is kept', () => {
  assertEveryRun('weak map object', 2, [
    ['Object', 1, 1],
    ['containers.Entry', 1, 1],
  ]);
  assertEveryRun('weak map dead key', 0, []);
});

test('a class instance captured per run by a kept closure', () => {
  assertEveryRun('closure object', 2, [
    ['(closure)', 1, 1],
    ['containers.Entry', 1, 1],
  ]);
});
