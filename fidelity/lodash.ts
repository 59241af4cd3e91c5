/**
 * lodash@4. The clean test chains `groupBy`/`mapValues`/`sortBy`, merges nested settings with
 * `merge`/`cloneDeep`, and renders a compiled `template`. The misuse
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

// Not `debounce`: `flush()` runs the pending call but lodash only forgets the timer's id, so the
// `setTimeout` (and the debounced function's state it holds) stays alive until it fires, 250 ms
// later by default. Whether a heap sample finds it then depends on how long the iteration took:
// 19 of 20 runs under load showed `change=0`, one showed `18, 0, 0, 0, -18`. That is a timer the
// test leaves pending, which a timer check names, not a growing heap.

const DEFAULTS = { retry: { attempts: 3, backoff: { base: 100, factor: 2 } }, tags: ['api'] };

const greeting = _.template('Hello <%= name %>, you have <%= count %> new <%= count === 1 ? "message" : "messages" %>.');

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

  const settings = _.merge(_.cloneDeep(DEFAULTS), { retry: { backoff: { factor: 3 } }, tags: ['internal'] });
  assert.deepEqual(settings, { retry: { attempts: 3, backoff: { base: 100, factor: 3 } }, tags: ['internal'] });
  assert.equal(DEFAULTS.retry.backoff.factor, 2);

  assert.equal(greeting({ name: 'Ada', count: 2 }), 'Hello Ada, you have 2 new messages.');
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
