import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

// In a process of its own: in this one, node:test's async hooks keep a Map entry per live async
// resource, and `-r` in process counts the host's heap as well as the run's.
test('output an example prints is captured where the heap sampler does not count it', () => {
  const { status, stdout, stderr } = leakrun(['doctest', 'test/fixtures/doctest/inprocess-refcounts.md'], { timeout: 120_000 });
  assert.equal(stderr, '');
  assert.equal(stdout, 'test/fixtures/doctest/inprocess-refcounts.md: 3 examples passed\n');
  assert.equal(status, 0);
});
