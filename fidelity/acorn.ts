/**
 * acorn@8, clean use only: `acorn.parse(src, { ecmaVersion: 'latest' })` of a small module, and a
 * walk over the resulting tree. The parser keeps no state between calls; each run's AST is
 * dropped when the run ends.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import * as acorn from 'acorn';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const SOURCE = `
import { readFile } from 'node:fs/promises';
export class Cart {
  #items = [];
  static from(list) { return list.reduce((cart, item) => cart.add(item), new Cart()); }
  add(item) { this.#items.push(item); return this; }
  get total() { return this.#items.reduce((sum, { price = 0 }) => sum + price, 0n); }
}
export const load = async (path) => JSON.parse(await readFile(path, 'utf8'))?.items ?? [];
`;

/** Counts the nodes of each type, walking every child object. */
function countTypes(node: unknown, counts: Map<string, number>): Map<string, number> {
  if (Array.isArray(node)) {
    for (const child of node) countTypes(child, counts);
  } else if (node !== null && typeof node === 'object') {
    const type = (node as { type?: unknown }).type;
    if (typeof type === 'string') counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const value of Object.values(node)) countTypes(value, counts);
  }
  return counts;
}

function clean(): void {
  const ast = acorn.parse(SOURCE, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  assert.equal(ast.type, 'Program');
  assert.equal(ast.body.length, 3);
  const counts = countTypes(ast, new Map());
  assert.equal(counts.get('ImportDeclaration'), 1);
  assert.equal(counts.get('PrivateIdentifier'), 3);
  assert.equal(counts.get('ChainExpression'), 1);
  assert.equal(counts.get('ArrowFunctionExpression'), 3);
  assert.throws(() => acorn.parse('let = ;', { ecmaVersion: 'latest' }), SyntaxError);
}

/** The clean parse, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
