import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertExpected, leakrun, normalise } from '../helpers/cli.ts';

const sample = ['--path', 'examples/sample'];

test('the full default run prints zope order of Running/Set up/Tear down lines and exits 0', () => {
  const run = leakrun(sample);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assertExpected('cli-sample-default', normalise(run.stdout));
  const lines = run.stdout.split('\n');
  const at = (line: string): number => {
    const index = lines.findIndex((printed) => normalise(printed) === line);
    assert.ok(index >= 0, `missing line: ${line}`);
    return index;
  };
  assert.equal(lines[0], 'Running unit tests:');
  assert.ok(at('  Tear down samplelayers.Layerx in N.NNN seconds.') < at('  Set up samplelayers.Layer12 in N.NNN seconds.'));
});

test('--layer Layer11$ --layer Layer12$ -N4 prints the structure of the seed walk-through', () => {
  const run = leakrun([...sample, '--layer', 'Layer11$', '--layer', 'Layer12$', '-N4']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assertExpected('cli-sample-two-layers-N4', normalise(run.stdout));
});

test('--list-tests lists the selected tests by layer and runs nothing', () => {
  const run = leakrun([...sample, '--list-tests', '-m', 'test11', '-m', 'test1$']);
  assert.equal(run.status, 0, run.stderr);
  assertExpected('cli-sample-list-tests', run.stdout);
});

test('-vv names every test and --all adds the level-2 tests; -vvv adds times', () => {
  const vv = leakrun([...sample, '-vv', '--all', '-u']);
  assert.equal(vv.status, 0, vv.stderr);
  assertExpected('cli-sample-unit-vv-all', normalise(vv.stdout));
  const vvv = leakrun([...sample, '-vvv', '--layer', 'Layer122']);
  assert.match(vvv.stdout, /\n test_x1 \(tests\.test122\.TestA\) \(\d+\.\d{3} s\)\n/);
});

test('--shuffle prints its seed and the same seed gives the same order', () => {
  const first = leakrun([...sample, '--layer', 'Layer11$', '-vv', '--shuffle-seed', '7']);
  const again = leakrun([...sample, '--layer', 'Layer11$', '-vv', '--shuffle-seed', '7']);
  const plain = leakrun([...sample, '--layer', 'Layer11$', '-vv']);
  assert.equal(first.status, 0, first.stdout);
  assert.match(first.stdout, /seed number 7\b/);
  const names = (text: string): string[] => text.split('\n').filter((line) => /^ test/.test(line));
  assert.deepEqual(names(first.stdout), names(again.stdout));
  assert.notDeepEqual(names(first.stdout), names(plain.stdout));
  assert.deepEqual([...names(first.stdout)].sort(), [...names(plain.stdout)].sort());
});

test('--require-unique passes on unique names; -x stops at the first problem', () => {
  assert.equal(leakrun([...sample, '--require-unique', '-u']).status, 0);
  const stopped = leakrun(['--path', 'test/fixtures/problems', '-u', '-x', '--timeout', '200']);
  assert.equal(stopped.status, 1);
  assert.match(stopped.stdout, /Ran 2 tests with 1 failures and 0 errors/);
});

test('--version and --help print and exit 0', () => {
  const version = leakrun(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^leakrun \d+\.\d+\.\d+\n$/);
  const help = leakrun(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--report-refcounts/);
});
