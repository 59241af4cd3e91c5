/**
 * `node:vm`. The clean test evaluates code in fresh contexts (`vm.runInNewContext('1 + 1')` and a
 * `vm.Script` compiled once at module level, run in a new context per run) and keeps only the
 * results. The misuse keeps every context it creates in a module-level array (a "sandbox pool"
 * that is only ever added to): a context holds a whole global object with its own built-ins, so
 * each run leaves a contextified sandbox and its realm behind.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const script = new vm.Script('items.map((item) => item * factor).reduce((a, b) => a + b, 0)', { filename: 'sum.vm.js' });

function clean(): void {
  assert.equal(vm.runInNewContext('1 + 1'), 2);
  const sandbox = { items: [1, 2, 3], factor: 10 };
  assert.equal(script.runInNewContext(sandbox), 60);
  assert.equal(vm.runInNewContext('typeof process'), 'undefined');
}

/** Every sandbox ever created; nothing is ever removed. */
const sandboxes: vm.Context[] = [];

function leaky(): void {
  const sandbox = vm.createContext({ items: [4, 5], factor: 2 });
  sandboxes.push(sandbox);
  assert.equal(script.runInContext(sandbox), 18);
  assert.ok(vm.isContext(sandbox));
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
