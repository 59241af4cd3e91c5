/**
 * `process.exit()` inside a run (docs/api.md), from the command line: each call is an error of the
 * test or layer that made it, the other tests still run, and leakrun exits with its own code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

test('process.exit(0), (3), from an awaited callback, caught, from a late timer and in a set-up: errors, the run goes on, exit 1', () => {
  const { status, stdout, stderr } = leakrun(['--path', 'test/fixtures/exit', '-v']);
  assert.equal(stderr, '');
  assert.equal(status, 1, stdout);
  for (const [name, code, line] of [
    ['test_2_exit_zero', '0', 13],
    ['test_3_exit_three', '3', 17],
    ['test_4_exit_later', '', 24],
    ['test_5_exit_caught', '4', 35],
  ] as const) {
    const test = `${name} \\(exits\\.test\\.Exits\\)`;
    assert.match(
      stdout,
      new RegExp(
        `\\nError in test ${test}\\nProcessExitCalled: process\\.exit\\(${code}\\) called during ${test}\\n {4}at .*exits\\.test\\.ts:${line}:`,
      ),
    );
  }
  // A timer that fires after its test finished: reported with the tests around it, not blamed on the next one alone.
  assert.match(
    stdout,
    /\nError in test Uncaught exception during test_7_after \(exits\.test\.Exits\), after test_6_exit_after_finishing \(exits\.test\.Exits\) finished\nProcessExitCalled: process\.exit\(5\) called during test_7_after/,
  );
  assert.doesNotMatch(stdout, /\n {3}test_7_after \(exits\.test\.Exits\)\n/);
  assert.match(stdout, /\n {2}Set up exit\.Quitter failed:\nProcessExitCalled: process\.exit\(2\) called\n/);
  assert.match(stdout, /\nTotal: 7 tests, 0 failures, 6 errors\n/);
});
