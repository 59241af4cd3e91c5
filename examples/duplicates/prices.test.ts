// For docs/selection.md (--require-unique): tests generated in a loop whose names forgot the
// loop variable, so two different checks print the same name.
import assert from 'node:assert/strict';
import { test, type TestSpec } from 'leakrun';

const prices: Readonly<Record<string, number>> = { apple: 3, pear: 4 };

export function testSuite(): TestSpec[] {
  return Object.keys(prices).map((fruit) => test('test_price_is_positive', () => assert.ok((prices[fruit] ?? 0) > 0)));
}
