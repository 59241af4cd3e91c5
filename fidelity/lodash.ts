/**
 * lodash@4. The clean test chains `groupBy`/`mapValues`/`sortBy`, and drives a `debounce`d
 * function that it flushes (see `DEBOUNCE_MS` for the timer lodash leaves pending). The misuse
 * memoizes a lookup with `_.memoize` and calls it with a new key on every run (a request id, a
 * timestamp): the memoized function's `cache` (a lodash `MapCache`) keeps every key and result
 * forever.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import _ from 'lodash';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

interface Sale {
  region: string;
  amount: number;
}

const SALES: readonly Sale[] = [
  { region: 'north', amount: 5 },
  { region: 'south', amount: 7 },
  { region: 'north', amount: 2 },
  { region: 'east', amount: 1 },
];

const saved: string[] = [];

// `flush()` runs the pending call but does not clear the debounce's `setTimeout`: lodash only
// forgets the timer's id (`trailingEdge` sets `timerId = undefined`), so `cancel()` cannot clear it
// either. Every run therefore leaves a `Timeout` holding the debounced function's state until it
// fires, `DEBOUNCE_MS` later, and a heap count taken before then sees it (14 references on Node 20).
// That is lodash's doing, not the test's; the test is left as a user would write it.
const DEBOUNCE_MS = 250;

function save(value: string): void {
  saved.push(value);
}

function clean(): void {
  const totals = _.chain(SALES)
    .groupBy('region')
    .mapValues((sales) => _.sumBy(sales, 'amount'))
    .toPairs()
    .sortBy(([region]) => region)
    .value();
  assert.deepEqual(totals, [
    ['east', 1],
    ['north', 7],
    ['south', 7],
  ]);

  saved.length = 0;
  const debounced = _.debounce(save, DEBOUNCE_MS);
  debounced('first');
  debounced('second');
  assert.equal(saved.length, 0);
  debounced.flush();
  assert.deepEqual(saved, ['second']);
  assert.equal(debounced.flush(), undefined);
}

interface Quote {
  key: string;
  price: number;
}

function quote(key: string): Quote {
  return { key, price: key.length * 1.25 };
}

/** Memoized for speed; called with a key that never repeats, so the cache only grows. */
const memoQuote = _.memoize(quote);
let requestNumber = 0;

function leaky(): void {
  requestNumber += 1;
  const key = `sku-42@request-${requestNumber}`;
  const result = memoQuote(key);
  assert.equal(result.key, key);
  assert.equal(memoQuote(key), result);
  assert.ok(memoQuote.cache.has(key));
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
