/**
 * Changes outside the heap (docs/leaks.md): a test that adds a global, sets variables, changes the
 * working directory or raises a MaxListenersExceededWarning gets a warning line naming the layer
 * and the iteration; `--fail-on-env-change` makes it an error. Each run is a process of its own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

function run(change: string, extra: readonly string[] = []) {
  return leakrun(['--path', 'test/fixtures/environment', '-N3', '-r', ...extra], { env: { LEAKRUN_CHANGE: change } });
}

test('a global added once: one warning, in the iteration that added it, and the run still passes', () => {
  const { status, stdout } = run('global');
  assert.equal(status, 0, stdout);
  const warnings = stdout.split('\n').filter((line) => line.includes('Warning --'));
  assert.deepEqual(warnings, ['  Warning -- globalThis.leakrunCache was added by leakrun.UnitTests (iteration 1): now an instance of Map']);
});

test('--fail-on-env-change: the change is an error of the run, printed as one, exit 1', () => {
  const plain = run('global', ['--fail-on-env-change']);
  assert.equal(plain.status, 1, plain.stdout);
  assert.match(
    plain.stdout,
    /\n {2}Ran 4 tests with 0 failures and 0 errors in \d+\.\d{3} seconds\.\n\nError in test Environment changed: leakrun\.UnitTests\nEnvironmentError: iteration 1 of leakrun\.UnitTests changed the environment:\n {2}Warning -- globalThis\.leakrunCache was added by leakrun\.UnitTests \(iteration 1\): now an instance of Map\n\nIteration 2\n/,
  );
  assert.equal(plain.stdout.match(/Warning --/g)?.length, 1, 'the change is printed once, in the error');
  const { status, stdout } = run('global', ['--fail-on-env-change', '-v']);
  assert.equal(status, 1, stdout);
  assert.match(stdout, /\nTests with errors:\n {3}Environment changed: leakrun\.UnitTests\n/);
});

test('variables: before and after are shown, a secret-looking one is hidden', () => {
  const { stdout } = run('env');
  assert.match(stdout, /\n {2}Warning -- process\.env\.LEAKRUN_MODE was added by leakrun\.UnitTests \(iteration 1\): now "fast"\n/);
  assert.match(
    stdout,
    /\n {2}Warning -- process\.env\.LEAKRUN_API_TOKEN was added by leakrun\.UnitTests \(iteration 1\): now \(hidden\)\n/,
  );
  assert.doesNotMatch(stdout, /do-not-print-me/);
});

test('the working directory and a MaxListenersExceededWarning are reported', () => {
  const cwd = run('cwd');
  assert.match(
    cwd.stdout,
    /\n {2}Warning -- process\.cwd\(\) was changed by leakrun\.UnitTests \(iteration 1\): \/.* before, \/.* after\n/,
  );
  const emitter = run('emitter', ['-N4']);
  assert.match(
    emitter.stdout,
    /\n {2}Warning -- MaxListenersExceededWarning was raised in leakrun\.UnitTests \(iteration 4\): Possible EventEmitter memory leak detected\. 11 change listeners added/,
  );
});

test('nothing changed: no warning', () => {
  const { status, stdout } = run('none', ['--fail-on-env-change']);
  assert.equal(status, 0, stdout);
  assert.doesNotMatch(stdout, /Warning --/);
});
