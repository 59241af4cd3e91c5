/**
 * esbuild 0.28, clean use only: `await esbuild.transform(code, { loader: 'ts' })`. The JS API talks
 * to one esbuild child process (its "service"), started by the first call and kept for the life of
 * the process; its bookkeeping is created in the warm-up run, and later transforms keep nothing.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const SOURCE = `
interface Item { price: number }
export const total = (items: Item[]): number => items.reduce((sum, item) => sum + item.price, 0);
export enum Kind { Book = 1, Pen }
`;

async function clean(): Promise<void> {
  const result = await esbuild.transform(SOURCE, { loader: 'ts', format: 'esm', target: 'es2022' });
  assert.deepEqual(result.warnings, []);
  assert.doesNotMatch(result.code, /interface|: number/);
  assert.match(result.code, /const total = \(items\) => items\.reduce/);
  assert.match(result.code, /Kind2\[Kind2\["Book"\] = 1\] = "Book"/);
  assert.match(result.code, /export \{\s+Kind,\s+total\s+\};/);
}

/** The clean transform, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
