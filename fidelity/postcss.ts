/**
 * postcss@8, clean use only: `await postcss([plugin]).process(css, { from: undefined })` with a
 * small plugin of our own that prefixes custom properties and drops empty rules. A processor and
 * its result are made per run and dropped; the plugin object is created once at module level.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import postcss from 'postcss';
import type { Declaration, Plugin, Rule } from 'postcss';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const CSS = `
:root { --brand: #336699; }
.button { color: var(--brand); padding: 4px 8px; }
.empty {}
`;

// postcss visits a node again after a plugin changes it, so the changes must be idempotent.
function prefixVariable(decl: Declaration): void {
  if (decl.prop.startsWith('--') && !decl.prop.startsWith('--shop-')) decl.prop = `--shop-${decl.prop.slice(2)}`;
  if (/var\(--(?!shop-)/.test(decl.value)) decl.value = decl.value.replace(/var\(--(?!shop-)/g, 'var(--shop-');
}

function dropEmpty(rule: Rule): void {
  if (rule.nodes.length === 0) rule.remove();
}

const shopPlugin: Plugin = { postcssPlugin: 'shop-prefix', Declaration: prefixVariable, Rule: dropEmpty };

async function clean(): Promise<void> {
  const result = await postcss([shopPlugin]).process(CSS, { from: undefined });
  assert.deepEqual(result.warnings(), []);
  assert.match(result.css, /:root \{ --shop-brand: #336699; \}/);
  assert.match(result.css, /color: var\(--shop-brand\)/);
  assert.doesNotMatch(result.css, /\.empty/);
  assert.equal(result.root.nodes.length, 2);
}

/** The clean run, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
