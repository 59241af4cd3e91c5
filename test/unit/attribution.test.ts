/**
 * The search for the leaking tests of a leaking layer (docs/ci.md), on growth given by a model:
 * which tests it names, what it names when growth does not add up, what it costs in checks, and
 * what it says when it stops early. The search on a real heap is in cli-verdict.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUDGET_SPENT, LeakrunLeakSearch, type Attribution } from '../../src/leaks/bisect.ts';

/** Drives a search over tests 0..n-1, whose growth for a run of a subset is `growth(subset)`. */
function search(n: number, growth: (subset: readonly number[]) => number, budget = 1000): Attribution<number> {
  const tests = Array.from({ length: n }, (_, i) => i);
  const machine = new LeakrunLeakSearch(n, budget);
  while (machine.next()) machine.measured(growth(tests.slice(machine.start, machine.end)));
  return machine.result(tests);
}

/** Each test in `leaks` keeps that many references a run; the rest keep nothing. */
const additive =
  (leaks: Record<number, number>) =>
  (subset: readonly number[]): number =>
    subset.reduce((sum, test) => sum + (leaks[test] ?? 0), 0);

test('one leaking test among n is named with its growth, in at most log2 n + 2 checks', () => {
  for (const n of [1, 2, 3, 16, 64, 256, 1000]) {
    for (const leaker of new Set([0, Math.floor(n / 3), n - 1])) {
      const found = search(n, additive({ [leaker]: 6 }));
      assert.deepEqual(found.found, [{ tests: [leaker], refs: 6 }], `n=${n}, leaker ${leaker}`);
      assert.equal(found.stopped, undefined);
      assert.ok(found.checks <= Math.ceil(Math.log2(n)) + 2, `n=${n}, leaker ${leaker}: ${found.checks} checks`);
    }
  }
});

test('several leaking tests are each named', () => {
  const found = search(64, additive({ 3: 2, 40: 5, 41: 1, 63: 9 }));
  assert.deepEqual(
    found.found.map((set) => [set.tests, set.refs]),
    [
      [[3], 2],
      [[40], 5],
      [[41], 1],
      [[63], 9],
    ],
  );
});

test('a leak that needs two tests together is named as the smallest set seen to grow', () => {
  // Tests 5 and 12 leak 4 only when both run; 20 leaks alone.
  const together = (subset: readonly number[]): number =>
    (subset.includes(5) && subset.includes(12) ? 4 : 0) + (subset.includes(20) ? 3 : 0);
  const found = search(32, together);
  const sets = found.found.map((set) => set.tests);
  assert.ok(
    sets.some((set) => set.length === 1 && set[0] === 20),
    JSON.stringify(sets),
  );
  const pair = sets.find((set) => set.includes(5) && set.includes(12));
  assert.ok(pair, JSON.stringify(sets));
  assert.ok(pair.length < 32, `named ${pair.length} tests`);
});

test('a run of all the tests that does not grow ends the search with why', () => {
  const found = search(8, () => 0);
  assert.deepEqual(found.found, []);
  assert.equal(found.stopped, 'a run of all 8 tests grew by 0');
});

test('out of budget: the search stops, says so, and gives the tests it could not tell apart', () => {
  const found = search(256, additive({ 200: 6 }), 4);
  assert.equal(found.checks, 4);
  assert.equal(found.stopped, BUDGET_SPENT);
  assert.deepEqual(found.found, []);
  assert.equal(found.undecided.length, 1);
  const [left] = found.undecided;
  assert.ok(left!.includes(200) && left!.length < 256 && left!.length >= 16, `${left!.length} left`);
});

test('a check that cannot be judged stops the search with its reason and keeps what it had not narrowed down', () => {
  const tests = Array.from({ length: 16 }, (_, i) => i);
  const machine = new LeakrunLeakSearch(16, 100);
  assert.ok(machine.next());
  machine.measured(6);
  assert.ok(machine.next());
  machine.fail('test 3 failed when run apart from the others');
  assert.equal(machine.next(), false);
  const result = machine.result(tests);
  assert.equal(result.stopped, 'test 3 failed when run apart from the others');
  assert.deepEqual(result.undecided, [tests]);
});
