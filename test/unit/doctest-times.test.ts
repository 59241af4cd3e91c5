import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';

const cwd = resolve(import.meta.dirname, '../..');
const file = resolve(cwd, 'test/fixtures/doctest/times.md');

// The example prints a random duration between 1.000 and 2.000 seconds; the file expects 0.017.

test('output that differs only in a time fails without a normalizer', async () => {
  const result = await runDocFile(file, { cwd });
  assert.equal(result.failures, 1);
  assert.match(result.report, /^ {4}-Total: 3 tests in 0\.017 seconds\.$/m);
  assert.match(result.report, /^ {4}\+Total: 3 tests in 1\.\d{3} seconds\.$/m);
});

test('and passes with the times normalizer given for the run', async () => {
  const result = await runDocFile(file, { cwd, normalizers: ['times'] });
  assert.equal(result.report, '');
  assert.equal(result.examples, 1);
  assert.ok(result.passed);
});
