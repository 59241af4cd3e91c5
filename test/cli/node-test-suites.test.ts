/**
 * A file written for node:test runs unchanged under leakrun (src/suites/): the same tests pass,
 * fail and are skipped as under `node --test`, and `-N3 -r` repeats each describe block's tests
 * inside one run of its `before` hooks. `npm test` runs this on every Node version it measures:
 * Node 20 redirects node:test with `module.register`, 22.15 and on with `module.registerHooks`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { leakrun, repo } from '../helpers/cli.ts';

const fixtures = join(repo, 'test/fixtures/node-test');

/** What `node --test` counts in one file: tests, passed, failed with cancelled (a timed-out test), and skipped with todo. */
function ownCounts(file: string): Record<string, number> {
  // Not one of this test runner's own children: node:test marks those in the environment.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const own = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { encoding: 'utf8', env });
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(own.stdout)?.[1]);
  return {
    tests: count('tests'),
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
}

test(`an ES module: the same outcomes as node --test, on Node ${process.versions.node}`, () => {
  // Subtests count as tests; a failing one fails its parent too. A timed-out test is node:test's
  // `cancelled`, leakrun's error.
  assert.deepEqual(ownCounts(join(fixtures, 'shop.test.mjs')), { tests: 13, passed: 8, failed: 4, skipped: 1 });
  const run = leakrun(['--path', fixtures]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^Total: 13 tests, 3 failures, 1 errors and 1 skipped$/m);
  assert.match(run.stdout, /^Failure in test shop > miscounts \(shop\.test\)$/m);
  assert.match(run.stdout, /^Failure in test shop > checkout > packs in bags \(shop\.test\)\nAssertionError: 1 subtest failed$/m);
  assert.match(
    run.stdout,
    /^Failure in test shop > checkout > packs in bags > plastic \(shop\.test\)\nAssertionError \[ERR_ASSERTION\]: no plastic bags$/m,
  );
  assert.match(
    run.stdout,
    /^Error in test shop > checkout > waits for the card reader \(shop\.test\)\nTestTimedOut: test timed out after 20ms$/m,
  );
  assert.equal(run.stderr, '');
});

test(`a CommonJS file (require('node:test')): the same outcomes as node --test, on Node ${process.versions.node}`, () => {
  const dir = join(repo, 'test/fixtures/node-test-cjs');
  assert.deepEqual(ownCounts(join(dir, 'counter.test.js')), { tests: 4, passed: 3, failed: 0, skipped: 1 });
  const run = leakrun(['--path', dir, '-vv']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^Total: 4 tests, 0 failures, 0 errors and 1 skipped$/m);
  assert.match(run.stdout, /^ counter > waits \(counter\.test\) \(skipped\)$/m);
  assert.equal(run.stderr, '');
});

test('-N3 -r: each block with before hooks is a layer set up once, its tests repeated inside it, change=0', () => {
  const run = leakrun(['--path', fixtures, '-N3', '-r']);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const setUps = [...run.stdout.matchAll(/^ {2}Set up (.+) in /gm)].map((found) => found[1]);
  assert.deepEqual(setUps, ['shop.test', 'shop.test > shop', 'shop.test > shop > checkout']);
  assert.equal([...run.stdout.matchAll(/^Iteration 3$/gm)].length, 3);
  const changes = [...run.stdout.matchAll(/change=(-?\d+)/g)].map((found) => Number(found[1]));
  assert.deepEqual(changes, [0, 0, 0, 0, 0, 0]);
});

test("a file written for Vitest (or Jest) is refused in one line naming it and what to use instead; the run's other files run", () => {
  const run = leakrun(['--path', join(repo, 'test/fixtures/other-runners')]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    /^Error: test\/fixtures\/other-runners\/sum\.test\.ts is written for Vitest, whose module mocking and globals exist only inside Vitest; leakrun runs node:test and Mocha files unchanged, and inside Vitest leakrun\/expect checks a function for leaks \(docs\/frameworks\.md\)\n\n/m,
  );
  assert.match(run.stdout, /^Total: 1 tests, 0 failures, 1 errors$/m);
});

test("a CommonJS file's own list, reachable only through its test functions, is counted: --fail-on-leak names the test and draws the list", () => {
  const run = leakrun(['--path', join(repo, 'test/fixtures/node-test-cjs-leak'), '-N4', '--fail-on-leak']);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^ {6}cart\.test \(module\)\n {6}╰─ \.seen → Array {2}◀ grows$/m);
  assert.match(run.stdout, /^ {2}leaking test: keeps what it saw \(cart\.test\) \+1 refs per run$/m);
});
