import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

test('leakrun doctest checks files directly, TypeScript imports included, with exit code 0', () => {
  const run = leakrun(['doctest', 'test/fixtures/doctest/scope.md']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^test\/fixtures\/doctest\/scope\.md: \d+ examples passed\n$/);
});

test('leakrun doctest exits 1 on a failing example and names the file and line', () => {
  const run = leakrun(['doctest', 'test/fixtures/doctest/failing.md']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /test\/fixtures\/doctest\/failing\.md:\d+: example failed\n/);
  assert.match(run.stdout, /Diff \(-expected \+got/);
});

test('leakrun doctest with no files is a usage error', () => {
  const run = leakrun(['doctest']);
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'leakrun: error: doctest needs the files to check\nUsage: leakrun doctest FILE.md...\n');
});
