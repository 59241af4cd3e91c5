/**
 * A test whose module keeps a bounded cache: the three most recent reports. It grows for the
 * first three runs and then stays the same size, the way a well-behaved cache does. For the
 * verdict walk-through in docs/ci.md (`--tests-pattern ^settle$ --fail-on-leak`): growth that
 * stops is not a leak.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { TestCase } from 'leakrun';

/** A report kept in the cache. */
export class Report {
  readonly total: number;
  constructor(total: number) {
    this.total = total;
  }
}

const LIMIT = 3;
/** The most recent reports, oldest first; never more than three. */
export const recent: Report[] = [];

/** Adds a report, dropping the oldest once three are kept. */
export function remember(report: Report): void {
  recent.push(report);
  if (recent.length > LIMIT) recent.shift();
}

export class TestReports extends TestCase {
  test_remember(): void {
    remember(new Report(recent.length));
    assert.ok(recent.length <= LIMIT);
  }
}
