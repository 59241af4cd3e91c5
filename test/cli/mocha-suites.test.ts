/**
 * A project whose tests are Mocha's runs unchanged under leakrun (src/suites/mocha.ts): `npx
 * leakrun` with no argument finds the files Mocha's own configuration names (`.mocharc.yml`:
 * spec, require with root hooks, check-leaks, timeout; a CommonJS file with the globals, one with
 * require('mocha'), an ES module importing from 'mocha'), the same tests pass, fail and are pending
 * as under `mocha`, and `-N3 -r` repeats each describe block's tests inside one run of its
 * `before` hooks. `npm test` runs this on every Node version it measures.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { leakrun, repo } from '../helpers/cli.ts';

const project = join(repo, 'test/fixtures/mocha-project');

/** What Mocha itself reports for the project: its counts and the full titles of the tests that failed. */
function mochaReport(): { tests: number; pending: number; failed: string[] } {
  const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
  const own = spawnSync(process.execPath, [mocha, '--reporter', 'json'], { cwd: project, encoding: 'utf8' });
  const report = JSON.parse(own.stdout) as { stats: { tests: number; pending: number }; failures: { fullTitle: string }[] };
  return { tests: report.stats.tests, pending: report.stats.pending, failed: report.failures.map((failure) => failure.fullTitle).sort() };
}

test(`a Mocha project, found through its .mocharc.yml: the same outcomes as mocha, on Node ${process.versions.node}`, () => {
  // Mocha counts the test that left a global as passed and failed; leakrun as failed.
  assert.deepEqual(mochaReport(), {
    tests: 12,
    pending: 2,
    failed: ['shop checkout waits for the card reader', 'shop miscounts', 'till leaves a global behind'],
  });
  const run = leakrun(['-v'], { cwd: project });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^Total: 12 tests, 1 failures, 2 errors and 2 skipped$/m);
  const failed = [...run.stdout.matchAll(/^(?:Failure|Error) in test (.+) \(spec\.\w+\.spec\)$/gm)].map((found) =>
    found[1]!.replaceAll(' > ', ' '),
  );
  assert.deepEqual(failed.sort(), mochaReport().failed);
  assert.match(run.stdout, /^Error: Timeout of 20ms exceeded\. For async tests and hooks, ensure "done\(\)" is called/m);
  assert.match(run.stdout, /^Error: global leak\(s\) detected: 'lastReceipt'$/m);
  assert.equal(run.stderr, '');
});

test('-N3 -r: the root hooks and each block with before hooks are layers set up once, their tests repeated inside them, change=0', () => {
  const run = leakrun(['-N3', '-r'], { cwd: project });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const setUps = [...run.stdout.matchAll(/^ {2}Set up (.+) in /gm)].map((found) => found[1]);
  assert.deepEqual(setUps, ['mocha root hooks', 'spec.shop.spec > shop', 'spec.shop.spec > shop > checkout', 'spec.till.spec > till']);
  const changes = [...run.stdout.matchAll(/change=(-?\d+)/g)].map((found) => Number(found[1]));
  // Two samples after the first iteration in each of the four layers that have tests (the unit-tests layer is the ES module's).
  assert.deepEqual(changes, [0, 0, 0, 0, 0, 0, 0, 0]);
  // Mocha's --check-leaks reports a global once: the test that left it fails in iteration 1 only.
  assert.doesNotMatch(run.stdout, /Not repeatable/);
});

test('a test that passes once and fails when repeated is named as not repeatable', () => {
  const run = leakrun(['-N2', '-t', 'reads the stock'], { cwd: project, env: { LEAKRUN_FIXTURE_ONCE: '1' } });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    /^Not repeatable: these tests passed in iteration 1 and failed in a later one:\n {3}shop > checkout > reads the stock of the block around it \(spec\.shop\.spec\): failed first in iteration 2$/m,
  );
});
