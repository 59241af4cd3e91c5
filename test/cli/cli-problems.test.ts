import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

const problems = ['--path', 'test/fixtures/problems'];

test('failing, erroring, rejecting, skipped, late-rejecting and hanging tests are each reported and the run goes on', () => {
  const run = leakrun([...problems, '-u', '--timeout', '300', '-v']);
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stderr, '');
  const out = run.stdout;
  assert.match(
    out,
    /\nFailure in test test_2_fails \(outcomes\.test\.Outcomes\)\nAssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:/,
  );
  assert.match(
    out,
    /\nError in test test_3_errors \(outcomes\.test\.Outcomes\)\nTypeError: undefined is not a function\n {4}at Outcomes\.test_3_errors \(test\/fixtures\/problems\/outcomes\.test\.ts:\d+:\d+\)/,
  );
  assert.match(out, /\nError in test test_4_rejects \(outcomes\.test\.Outcomes\)\nRangeError: rejected later/);
  assert.match(
    out,
    /\nError in test Unhandled rejection during test_7_hangs \(outcomes\.test\.Outcomes\), after test_6_rejects_after_finishing \(outcomes\.test\.Outcomes\) finished\nError: rejected after the test finished/,
  );
  assert.match(out, /\nError in test test_7_hangs \(outcomes\.test\.Outcomes\)\nTestTimeout: Test timed out after 300 ms/);
  assert.match(out, /\nError in test test_8_never_settles \(outcomes\.test\.Outcomes\)\nTestTimeout: Test timed out after 300 ms/);
  assert.match(out, / {2}Ran 8 tests with 1 failures, 4 errors and 1 skipped in \d+\.\d{3} seconds\./);
  assert.doesNotMatch(out, /node:internal|at async Promise\.all|leakrun\/dist|\/src\/run\.ts/, 'internal frames are stripped');
  assert.match(out, /Tests with errors:\n {3}test_3_errors \(outcomes\.test\.Outcomes\)\n/);
  assert.match(out, /Tests with failures:\n {3}test_2_fails \(outcomes\.test\.Outcomes\)\n/);
});

test('a test awaiting a promise nothing can resolve is an error, not a silent exit', () => {
  const run = leakrun([...problems, '-t', 'never_settles']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /Error in test test_8_never_settles \(outcomes\.test\.Outcomes\)\nNeverSettled: never settled/);
  assert.match(run.stdout, / {2}Ran 1 tests with 0 failures and 1 errors in/);
});

test('modules that fail to import are reported first and listed at the end; the rest still runs', () => {
  const run = leakrun([...problems, '-f']);
  assert.equal(run.status, 1, run.stderr);
  const out = run.stdout;
  assert.ok(
    out.startsWith('Test-module import failures:\n\nModule: broken_import.test\n\nError: this module fails while it is imported\n'),
    out.slice(0, 300),
  );
  assert.match(
    out,
    /\nModule: syntax_error\.test\n\ntest\/fixtures\/problems\/syntax_error\.test\.mjs:1\nexport const broken = ;\n +\^\n\nSyntaxError: Unexpected token ';'\n/,
  );
  assert.match(out, /Test-modules with import problems:\n {2}broken_import\.test\n {2}syntax_error\.test\n/);
});

test('a throwing setUp skips its layer and is recorded; CannotTearDown is reported as not supported; a throwing tearDown is recorded', () => {
  const run = leakrun([...problems, '-f', '-m', 'layered', '-v']);
  assert.equal(run.status, 1, run.stderr);
  const out = run.stdout;
  assert.match(out, /Running problems\.Broken tests:\n {2}Set up problems\.Broken failed:\nError: the database would not start\n/);
  assert.doesNotMatch(out, /a test of a layer whose setUp failed must not run/);
  // What it kept from running is counted and, with -v, named.
  assert.match(
    out,
    /\n\n {2}Did not run 1 tests: problems\.Broken could not be set up:\n {4}test_never_runs \(layered\.test\.InBroken\)\n/,
  );
  assert.match(out, / {2}Tear down problems\.Grumpy failed:\nError: could not drop the schema\n/);
  assert.match(out, / {2}Tear down problems\.Sticky \.\.\. not supported\n/);
  assert.match(out, /Tests with errors:\n {3}Layer: problems\.Broken\.setUp\n {3}Layer: problems\.Grumpy\.tearDown\n/);
  assert.match(out, /\nDid not run 1 tests: their layers could not be set up\.\nTotal: 2 tests, 0 failures, 2 errors\n$/);
});

test('bad input gives one clear line, a usage hint and exit code 2, and runs nothing', () => {
  for (const args of [['--bogus'], ['--layer', '(('], ['--path', 'no/such/dir'], ['-N', 'x'], ['--timeout']]) {
    const run = leakrun(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, run.stderr);
    assert.match(lines[0] ?? '', /^leakrun: error: /);
    assert.equal(lines[1], 'Run "leakrun --help" for the options.');
  }
});

test('-r without -N 2 or more prints zope message and exits 1', () => {
  const run = leakrun(['--path', 'examples/sample', '-r']);
  assert.equal(run.status, 1);
  assert.equal(
    run.stderr,
    'leakrun: error: You must use the --repeat (-N) option to specify a repeat count greater than 1 when using the --report-refcounts (-r) option.\n',
  );
});

test('a layer setUp that can never finish is an error of that layer, and the run still ends with its summary', () => {
  const run = leakrun(['--path', 'test/fixtures/stall']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, / {2}Set up stall\.Waiting failed:\nNeverSettled: never settled/);
  assert.match(run.stdout, /Total: 1 tests, 0 failures, 1 errors\n$/);
});
