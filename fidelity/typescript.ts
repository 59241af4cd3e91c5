/**
 * typescript ~5.9, clean use only: `ts.transpileModule` of a small module to ES2022 JavaScript,
 * with its diagnostics. Each call builds a throw-away program for one file; the compiler's
 * module-level caches are filled by the warm-up run, so later runs keep nothing.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import ts from 'typescript';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const SOURCE = `
import type { Item } from './item';
export enum Kind { Book = 1, Pen }
export interface Order { items: Item[]; kind: Kind }
export const total = (order: Order): number => order.items.reduce((sum, item) => sum + item.price, 0);
export class Cart<T extends { price: number }> {
  #items: T[] = [];
  add(item: T): this { this.#items.push(item); return this; }
  get size(): number { return this.#items.length; }
}
`;

const OPTIONS: ts.TranspileOptions = {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false },
  fileName: 'cart.ts',
  reportDiagnostics: true,
};

function clean(): void {
  const out = ts.transpileModule(SOURCE, OPTIONS);
  assert.deepEqual(out.diagnostics, []);
  assert.doesNotMatch(out.outputText, /interface|import type|: number/);
  assert.match(out.outputText, /Kind\[Kind\["Book"\] = 1\] = "Book"/);
  assert.match(out.outputText, /#items = \[\];/);
  assert.equal(out.sourceMapText, undefined);
}

/** The clean transpile, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
