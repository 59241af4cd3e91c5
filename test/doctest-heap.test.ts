import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDocFile } from '../src/doctest/index.ts';
import { repo } from './helpers/cli.ts';

test('output an example prints is captured where the heap sampler does not count it', async () => {
  const result = await runDocFile(`${repo}/test/fixtures/doctest/inprocess-refcounts.md`, { cwd: repo });
  assert.equal(result.passed, true, result.report);
});
