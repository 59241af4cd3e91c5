/**
 * `--fail-on-leak` on real heap counts, from the command line, each run in a process of its own
 * (docs/ci.md): the sample leak fails with its deltas, its grown rows and exit code 1; the clean
 * sample layers pass. Run on every supported Node version by `npm run test:nodes`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from './helpers/cli.ts';

const sample = ['--path', 'examples/sample'];

test('the sample leak fails: the judged deltas, the rows that grew every time, "Leak:" in the summary, exit 1', () => {
  const { status, stdout, stderr } = leakrun([...sample, '--tests-pattern', '^leak$', '-N6', '--fail-on-leak', '-v']);
  assert.equal(stderr, '');
  assert.equal(status, 1, stdout);
  const verdict = /\n {2}leakrun\.UnitTests leaked \[6, 6, 6, 6\] references, sum=24\n((?: {4}.*\n)+)/.exec(stdout);
  assert.ok(verdict, stdout);
  const rows = verdict[1]!.split('\n').filter(Boolean);
  assert.ok(
    rows.some((row) => /^ {4}leak\.Leakable +\+1 insts \+1 refs per iteration$/.test(row)),
    verdict[1],
  );
  assert.ok(
    rows.some((row) => /^ {4}leak\.ClassicLeakable +\+1 insts \+1 refs per iteration$/.test(row)),
    verdict[1],
  );
  assert.match(stdout, /\nTests with errors:\n {3}Leak: leakrun\.UnitTests\n/);
  // The search for the leaking test, while the layer is still set up.
  assert.match(stdout, /\n {2}leaking test: testleak \(leak\.TestSomething\) \+6 refs per run\n/);
});

test('one leaking test among 64 is named, with its growth, in at most 2·log2(64) + 4 heap samples', () => {
  const { status, stdout } = leakrun(['--path', 'test/fixtures/bisect', '--fail-on-leak', '-v']);
  assert.equal(status, 1, stdout);
  assert.match(stdout, /\n {2}leaking test: test_041 \(many\.test\) \+2 refs per run\n/);
  const samples = Number(/\(found with (\d+) heap samples\)/.exec(stdout)?.[1]);
  assert.ok(samples >= 7 && samples <= 16, `${samples} samples`);
});

test('a search out of budget says so and where the leak is; a budget of 0 does not search', () => {
  const short = leakrun(['--path', 'test/fixtures/bisect', '--fail-on-leak', '--leak-bisect-budget', '4']);
  assert.equal(short.status, 1, short.stdout);
  assert.match(
    short.stdout,
    /\n {2}The search for the leaking tests stopped: its budget of heap samples was spent \(4 of 4\); the leak is among 16 tests \(listed with -v\)\n/,
  );
  assert.doesNotMatch(short.stdout, /leaking test:/);
  const none = leakrun(['--path', 'test/fixtures/bisect', '--fail-on-leak', '--leak-bisect-budget', '0']);
  assert.equal(none.status, 1, none.stdout);
  assert.match(none.stdout, /bisect\.Many leaked \[2, 2, 2\] references/);
  assert.doesNotMatch(none.stdout, /leaking test|search for the leaking/);
});

test('clean sample layers pass: no verdict line, exit 0', () => {
  const { status, stdout, stderr } = leakrun([...sample, '--layer', 'Layer11$', '--layer', 'Layer12$', '--fail-on-leak']);
  assert.equal(stderr, '');
  assert.equal(status, 0, stdout);
  assert.equal((stdout.match(/^Iteration 5$/gm) ?? []).length, 2, stdout);
  assert.doesNotMatch(stdout, /leaked/);
});
