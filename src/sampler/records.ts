import type { HeapDiff, HeapDiffRow, HeapSample, TypeCount } from '../types.ts';

/**
 * Classes whose instances are leakrun's own bookkeeping. The counter neither counts them nor walks
 * into them, so everything only they hold (past samples, diffs, the sampler's caches) stays out of
 * the numbers it measures. A caller that keeps per-iteration records can hide them the same way by
 * giving their holder a class name and passing it as an `ownClasses` option of the sampler.
 */
export const OWN_CLASS_NAMES: readonly string[] = [
  'LeakrunHeapSample',
  'LeakrunHeapDiff',
  'LeakrunSamplerState',
  'LeakrunRecords',
  'LeakrunLeakSearch',
  'LeakrunTimerWatch',
  'LeakrunEnvironmentState',
  'LeakrunWarningLog',
  'LeakrunResourceTrace',
];

/**
 * A list for whatever a runner keeps from one iteration to the next (results, problems, samples):
 * its class is one of {@link OWN_CLASS_NAMES}, so what only it holds never shows as growth.
 *
 * @example
 * ```ts
 * const iterations = new LeakrunRecords<IterationResult>();
 * iterations.items.push(result);
 * ```
 */
export class LeakrunRecords<T> {
  /** The records, in the order added. */
  readonly items: T[] = [];
}

/** A {@link HeapSample} the counter recognises as leakrun's own. */
export class LeakrunHeapSample implements HeapSample {
  readonly total: number;
  readonly byType: ReadonlyMap<string, TypeCount>;
  readonly known: ReadonlySet<string> | undefined;

  constructor(total: number, byType: ReadonlyMap<string, TypeCount>, known?: ReadonlySet<string>) {
    this.total = total;
    this.byType = byType;
    this.known = known;
  }
}

/** A {@link HeapDiff} the counter recognises as leakrun's own. */
export class LeakrunHeapDiff implements HeapDiff {
  readonly total: number;
  readonly change: number;
  readonly detailTotal: number;
  readonly rows: readonly HeapDiffRow[];

  constructor(total: number, change: number, detailTotal: number, rows: readonly HeapDiffRow[]) {
    this.total = total;
    this.change = change;
    this.detailTotal = detailTotal;
    this.rows = rows;
  }
}
