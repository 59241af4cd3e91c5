/**
 * dayjs@1, clean use only: parsing, formatting and arithmetic with the `utc`, `customParseFormat`
 * and `relativeTime` plugins, extended once at module level. Each run creates immutable `Dayjs`
 * values and drops them. (Calling `dayjs.extend` per run would be the misuse to avoid: plugins
 * patch the shared prototype.)
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import relativeTime from 'dayjs/plugin/relativeTime.js';
import utc from 'dayjs/plugin/utc.js';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

dayjs.extend(utc);
dayjs.extend(customParseFormat);
dayjs.extend(relativeTime);

function clean(): void {
  const start = dayjs.utc('09/03/2024 15:30', 'DD/MM/YYYY HH:mm');
  assert.ok(start.isValid());
  assert.equal(start.toISOString(), '2024-03-09T15:30:00.000Z');

  const due = start.add(1, 'month').add(3, 'day').startOf('day');
  assert.equal(due.format('YYYY-MM-DD dddd'), '2024-04-12 Friday');
  assert.equal(due.diff(start, 'day'), 33);
  assert.equal(due.from(start), 'in a month');
  assert.equal(dayjs.utc('2024-02-30', 'YYYY-MM-DD', true).isValid(), false);
}

/** The clean test, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
