/**
 * `Intl`, clean use only: a `NumberFormat`, `DateTimeFormat`, `Collator`, `Segmenter` and
 * `PluralRules` created and used in every run, plus `toLocaleString`. The formatters are dropped
 * at the end of the run; the ICU data and V8's own per-locale caches are filled by the warm-up run.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const WHEN = new Date(Date.UTC(2024, 2, 9, 15, 30));

function clean(): void {
  const money = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
  assert.equal(money.format(1234.5), '1.234,50\u00a0€');

  const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  assert.equal(date.format(WHEN), '9 Mar 2024, 15:30');

  const collator = new Intl.Collator('sv');
  assert.deepEqual(['ö', 'a', 'z', 'å'].sort(collator.compare), ['a', 'z', 'å', 'ö']);

  const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
  const words = [...segmenter.segment('Hello, wide world!')].filter((s) => s.isWordLike).map((s) => s.segment);
  assert.deepEqual(words, ['Hello', 'wide', 'world']);

  const plural = new Intl.PluralRules('en-US', { type: 'ordinal' });
  assert.deepEqual(
    [1, 2, 3, 4, 11].map((n) => plural.select(n)),
    ['one', 'two', 'few', 'other', 'other'],
  );

  assert.equal((1234567.891).toLocaleString('en-US'), '1,234,567.891');
  assert.equal(WHEN.toLocaleString('en-US', { timeZone: 'UTC' }), '3/9/2024, 3:30:00 PM');
}

/** The clean test, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
