/**
 * The search for leaking tests and the options that adopt the verdict gradually, from the command
 * line on real heap counts (docs/ci.md). Counting itself is checked on every Node version by
 * cli-verdict.test.ts; these run on the main one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

test('one leaking test among 64 is named, with its growth, in at most 2·log2(64) + 4 heap samples', () => {
  const { status, stdout } = leakrun(['--path', 'test/fixtures/bisect', '-r', '--fail-on-leak', '-v']);
  assert.equal(status, 1, stdout);
  assert.match(stdout, /\n {2}leaking test: test_041 \(many\.test\) \+2 refs per run\n/);
  const samples = Number(/\(found with (\d+) heap samples\)/.exec(stdout)?.[1]);
  assert.ok(samples >= 7 && samples <= 16, `${samples} samples`);
});

test('screened (no -r), the search counts live objects and takes two heap samples, around a run of the test it found', () => {
  const { status, stdout } = leakrun(['--path', 'test/fixtures/bisect', '--fail-on-leak', '-v']);
  assert.equal(status, 1, stdout);
  assert.match(stdout, /\n {2}leaking test: test_041 \(many\.test\) \+2 refs per run\n/);
  const [, counts, samples] = /\(found with (\d+) counts of live objects and (\d+) heap samples\)/.exec(stdout) ?? [];
  assert.ok(Number(counts) >= 7 && Number(counts) <= 16, `${counts} counts\n${stdout}`);
  assert.equal(samples, '2', stdout);
});

test('screened, a leak of references only (no new object) is not lost: counts that explain less than the verdict leave the search to samples', () => {
  const { status, stdout } = leakrun(['--path', 'test/fixtures/bisect', '--fail-on-leak', '-v'], {
    env: { LEAKRUN_BISECT_REFS_LEAKER: '10' },
  });
  assert.equal(status, 1, stdout);
  assert.match(stdout, /\n {2}bisect\.Many leaked \[3, 3\] references, sum=6\n/);
  assert.match(
    stdout,
    /\n {2}leaking test: test_010 \(many\.test\) \+1 refs per run\n {2}leaking test: test_041 \(many\.test\) \+2 refs per run\n/,
  );
  assert.match(stdout, /\(found with \d+ heap samples\)/);
});

test('a search out of budget says so and where the leak is; a budget of 0 does not search', () => {
  const short = leakrun(['--path', 'test/fixtures/bisect', '-r', '--fail-on-leak', '--leak-bisect-budget', '4']);
  assert.equal(short.status, 1, short.stdout);
  assert.match(
    short.stdout,
    /\n {2}The search for the leaking tests stopped: its budget of heap samples was spent \(4 of 4\); the leak is among 16 tests \(listed with -v\)\n/,
  );
  assert.doesNotMatch(short.stdout, /leaking test:/);
  const none = leakrun(['--path', 'test/fixtures/bisect', '-r', '--fail-on-leak', '--leak-bisect-budget', '0']);
  assert.equal(none.status, 1, none.stdout);
  assert.match(none.stdout, /bisect\.Many leaked \[2, 2, 2\] references/);
  assert.doesNotMatch(none.stdout, /leaking test|search for the leaking/);
});

test('--leak-allow: a leak of a named test, or layer, is reported as allowed and passes; others still fail', () => {
  const byTest = leakrun(['--path', 'test/fixtures/bisect', '-r', '--fail-on-leak', '--leak-allow', 'test_041']);
  assert.equal(byTest.status, 0, byTest.stdout);
  assert.match(byTest.stdout, /\n {2}bisect\.Many leaked \[2, 2, 2\] references, sum=6 \(allowed by --leak-allow\)\n/);
  assert.match(byTest.stdout, /leaking test: test_041/);
  const byLayer = leakrun([
    '--path',
    'test/fixtures/bisect',
    '--fail-on-leak',
    '--leak-allow',
    '^bisect\\.Many$',
    '--leak-bisect-budget',
    '0',
  ]);
  assert.equal(byLayer.status, 0, byLayer.stdout);
  const other = leakrun(['--path', 'test/fixtures/bisect', '-r', '--fail-on-leak', '--leak-allow', 'test_040']);
  assert.equal(other.status, 1, other.stdout);
  assert.doesNotMatch(other.stdout, /allowed/);
});

test('--leak-ignore: rows it names are left out of the judged deltas and of the grown rows', () => {
  const partly = leakrun([
    '--path',
    'test/fixtures/bisect',
    '-r',
    '--fail-on-leak',
    '--leak-ignore',
    'Entry$',
    '--leak-bisect-budget',
    '0',
  ]);
  assert.equal(partly.status, 1, partly.stdout);
  // The entry's own reference is left out; the heap number it holds still grows, and is the only
  // grown row: what follows is what holds it.
  assert.match(
    partly.stdout,
    /\n {2}bisect\.Many leaked \[1, 1, 1\] references, sum=3\n {4}\(heap number\) {2}\+1 insts \+1 refs per iteration\n {4}What holds the new objects/,
  );
  const all = leakrun([
    '--path',
    'test/fixtures/bisect',
    '--fail-on-leak',
    '--leak-ignore',
    'Entry$',
    '--leak-ignore',
    '^\\(heap number\\)$',
  ]);
  assert.equal(all.status, 0, all.stdout);
  assert.match(all.stdout, /change=2 +\n/);
  assert.doesNotMatch(all.stdout, /leaked/);
});

test('--leak-bisect: judges and names the leaking test without failing the run', () => {
  const { status, stdout } = leakrun(['--path', 'test/fixtures/bisect', '-r', '--leak-bisect']);
  assert.equal(status, 0, stdout);
  assert.match(stdout, /\n {2}bisect\.Many leaked \[2, 2, 2\] references, sum=6\n/);
  assert.match(stdout, /\n {2}leaking test: test_041 \(many\.test\) \+2 refs per run\n/);
  assert.doesNotMatch(stdout, /Tests with errors/);
});
