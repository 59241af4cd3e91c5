// docFileSuite() tests behave like any other test (issue 4): listed under their layer by
// --list-tests, and run inside that layer under -N/-r, through the real CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';
import { leakrun, repo } from '../helpers/cli.ts';

// examples/sample/docsuite.ts wraps examples/sample/layered-doc.md in samplelayers.Layer11; its
// name matches no default pattern, so it is loaded only when asked for.
const docsuite = ['--path', 'examples/sample', '--tests-pattern', '^docsuite$'];

test('--list-tests shows the doc file under its layer and runs nothing', () => {
  const listed = leakrun([...docsuite, '--list-tests']);
  assert.equal(listed.status, 0, listed.stdout + listed.stderr);
  assert.equal(listed.stdout, 'Listing samplelayers.Layer11 tests:\n  examples/sample/layered-doc.md\n');
});

test('the default run of the sample tree does not load it', () => {
  const listed = leakrun(['--path', 'examples/sample', '--list-tests']);
  assert.equal(listed.status, 0, listed.stderr);
  assert.doesNotMatch(listed.stdout, /layered-doc/);
});

test('-N3 -r runs the doc inside Layer11 every iteration, exits 0 and prints the heap lines', () => {
  const ran = leakrun([...docsuite, '-N3', '-r']);
  assert.equal(ran.status, 0, ran.stdout + ran.stderr);
  assert.equal(ran.stderr, '');
  // The doc's own examples fail unless Layer1 and Layer11 are set up and in testSetUp, so a
  // passing run proves it ran inside the layer.
  assert.match(ran.stdout, /^Running samplelayers\.Layer11 tests:\n {2}Set up samplelayers\.Layer1 in /m);
  assert.equal(ran.stdout.match(/^ {2}Ran 1 tests with 0 failures and 0 errors in \d+\.\d{3} seconds\.$/gm)?.length, 3);
  const heapLines = ran.stdout.match(/^ {2}sys refcount=\d+ +change=-?\d+ *$/gm) ?? [];
  assert.equal(heapLines.length, 2, ran.stdout);
  assert.match(ran.stdout, /^Iteration 3\n/m);
});

test('outside its layer the same doc fails, so the passing run above did check the layer', async () => {
  // In this process nothing has set the sample layers up, so their state is empty.
  const result = await runDocFile('examples/sample/layered-doc.md', { cwd: repo });
  assert.equal(result.passed, false);
  assert.equal(result.errors, 0, result.report);
  assert.match(result.report, /\n {4}-\[ 'Layer1', 'Layer11' \]\n {4}\+\[\]/);
});
