import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoLeaks, measureLeaks } from '../../src/assert/index.ts';

class Held {}
const kept: Held[] = [];

function clean(): number {
  const made = [new Held(), new Held(), { label: `x${Math.random()}` }];
  return made.length;
}

function keepsOne(): void {
  kept.push(new Held());
}

// These tests are about the rule on sampled runs, so they sample every run (`screen: false`); the
// screen, which counts the live objects of the whole process, is tested in a process of its own
// (test/package/assert-screen.test.ts).
test('measureLeaks on a clean function, every run sampled: no leak, every judged delta 0', async () => {
  const report = await measureLeaks(clean, { screen: false });
  assert.equal(report.leaked, false);
  assert.equal(report.verdict.outcome, 'clean');
  assert.deepEqual(report.verdict.deltas, [0, 0, 0, 0]);
  assert.equal(report.changes.length, 5);
  assert.equal(report.runs, 6);
  assert.equal(report.screen, undefined);
  assert.equal(report.message, 'clean: no leak over 6 runs, judged deltas [0, 0, 0, 0]');
});

test('assertNoLeaks on a function that keeps an object per run: an AssertionError naming the class and what holds it', async () => {
  const before = kept.length;
  const error = await assertNoLeaks(keepsOne, { runs: 4, screen: false }).then(
    () => assert.fail('no error'),
    (caught: unknown) => caught,
  );
  assert.equal(kept.length - before, 4, 'the function ran 4 times');
  assert.ok(error instanceof assert.AssertionError, String(error));
  assert.equal(error.operator, 'assertNoLeaks');
  const lines = error.message.split('\n');
  assert.equal(lines[0], 'keepsOne leaked [1, 1] references, sum=2 over 4 runs');
  assert.match(lines[1]!, /^ {2}assert\.test\.Held +\+1 insts \+1 refs per run$/);
  assert.equal(lines[2], '  What holds the new objects of the last run:');
  assert.match(
    error.message,
    /assert\.test \(module\)\n\s+╰─ \.kept → Array {2}◀ grows\n\s+╰─ \[\d+\] → assert\.test\.Held {2}\(1 new, \d+ live\)/,
  );
});

test('an async function awaited each run, and rows left out by name or pattern', async () => {
  const report = await measureLeaks(
    async function keepsAfterAwait() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      keepsOne();
    },
    { runs: 4, ignore: [/Held$/], screen: false },
  );
  assert.equal(report.leaked, false, report.message);
  const byName = await measureLeaks(keepsOne, { runs: 4, ignore: ['assert.test.Held'], name: 'the keeper', screen: false });
  assert.equal(byName.leaked, false, byName.message);
  assert.match(byName.message, /^the keeper: no leak over 4 runs/);
});

test("the function's own error rejects the check as it is", async () => {
  const thrown = new TypeError('broken on run 2');
  let runs = 0;
  await assert.rejects(
    measureLeaks(() => {
      if (++runs === 2) throw thrown;
    }),
    (error) => error === thrown,
  );
  assert.equal(runs, 2);
});

test('a function that never settles: the time limit rejects with how far the check got', async () => {
  let runs = 0;
  await assert.rejects(
    measureLeaks(
      () => {
        runs++;
        return runs === 1 ? undefined : new Promise(() => {});
      },
      { timeout: 3000 },
    ),
    { message: /^the leak check passed its time limit of 3000 ms during run 2 of the function$/ },
  );
});

test('runs too few to judge, and bad warm-ups, are refused before anything runs', async () => {
  let ran = false;
  const fn = (): void => {
    ran = true;
  };
  await assert.rejects(measureLeaks(fn, { runs: 3 }), {
    name: 'RangeError',
    message: 'measureLeaks: runs must be an integer of at least 4 with 1 warm-ups (got 3)',
  });
  await assert.rejects(measureLeaks(fn, { warmups: -1 }), {
    name: 'RangeError',
    message: /warmups must be an integer of 0 or more \(got -1\)/,
  });
  assert.equal(ran, false);
});

test('a one-off drop in the judged runs (a host timer that fires) neither hides a leak nor ends the check: it goes on and judges the latest runs', async () => {
  // Both only in the function's closure: the check must count what it alone keeps.
  const heldSince = [new Held(), new Held(), new Held(), new Held()];
  const keptHere: Held[] = [];
  let runs = 0;
  const report = await measureLeaks(
    function keepsOneDropsOnce() {
      runs++;
      if (runs === 4) heldSince.length = 0;
      keptHere.push(new Held());
    },
    { runs: 5, maxRuns: 9, screen: false },
  );
  assert.equal(report.leaked, true, report.message);
  assert.equal(runs, 7, 'two more runs than asked: the drop left the window after them');
  assert.deepEqual(report.deltas.slice(1), [1, -3, 1, 1, 1], JSON.stringify(report.diffs));
  assert.deepEqual(report.verdict.deltas, [1, 1, 1]);
  assert.match(
    report.message,
    /^keepsOneDropsOnce leaked \[1, 1, 1\] references, sum=3 over 7 runs\n {2}assert\.test\.Held +\+1 insts \+1 refs per run\n/,
  );
  assert.match(report.message, /\.keptHere → Array {2}◀ grows/);
});
