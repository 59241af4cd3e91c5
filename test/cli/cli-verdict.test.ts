/**
 * `--fail-on-leak` on real heap counts, from the command line, each run in a process of its own
 * (docs/ci.md): the sample leak fails with its deltas, its grown rows and exit code 1; the clean
 * sample layers pass. Run on every supported Node version by `npm run test:nodes`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

const sample = ['--path', 'examples/sample'];

test('the sample leak fails: the judged deltas, the rows that grew every time, what holds them, "Leak:" in the summary, exit 1', () => {
  const { status, stdout, stderr } = leakrun([...sample, '--tests-pattern', '^leak$', '-N6', '-r', '--fail-on-leak', '-vv']);
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
  // The retainer path: the module-level array `leaked` grows, and each run's tuple holds a Leakable.
  assert.match(
    stdout,
    /\n {4}What holds the new objects of the last judged iteration:\n {6}leak \(module\)\n {6}╰─ \.leaked → Array {2}◀ grows\n {9}╰─ \[5\] → Array {2}\(1 new, 6 live\)\n(?: {12}.*\n)*? {12}[├╰]─ \[1\] → leak\.Leakable {2}\(1 new, 6 live\)\n/,
  );
  assert.match(stdout, /\nTests with errors:\n {3}Leak: leakrun\.UnitTests\n/);
  // The search for the leaking test, while the layer is still set up.
  assert.match(stdout, /\n {2}leaking test: testleak \(leak\.TestSomething\) \+6 refs per run\n/);
});

test('clean sample layers pass: no verdict line, exit 0', () => {
  const { status, stdout, stderr } = leakrun([...sample, '--layer', 'Layer11$', '--layer', 'Layer12$', '--fail-on-leak']);
  assert.equal(stderr, '');
  assert.equal(status, 0, stdout);
  assert.equal((stdout.match(/^Iteration 5$/gm) ?? []).length, 2, stdout);
  assert.doesNotMatch(stdout, /leaked/);
});
