/**
 * `leakrun/sampler`: the default heap-count sampler and the pieces it is made of, for callers who
 * want counts of their own — from a live process or from a `.heapsnapshot` file. Kept out of the
 * main entry so that test modules importing `leakrun` do not load it.
 *
 * @example
 * ```ts
 * import { countHeap, readHeapSnapshotFile } from 'leakrun/sampler';
 * const sample = countHeap(await readHeapSnapshotFile('app.heapsnapshot'));
 * console.log(sample.total, sample.byType.get('Array'));
 * ```
 *
 * @packageDocumentation
 */
export { V8HeapSnapshotSampler } from './v8.ts';
export type { SampleTimings, V8SamplerOptions } from './v8.ts';
export { diffSamples } from './diff.ts';
export { HeapSnapshotReader, readHeapSnapshotFile } from './reader.ts';
export type { HeapSnapshotReaderOptions, IntColumn, ParsedHeapSnapshot } from './reader.ts';
export { countHeap, countRows, defaultModuleName } from './count.ts';
export type { CountOptions, RowOptions } from './count.ts';
export type { HeapRow } from './shapes.ts';
export { LeakrunRecords, OWN_CLASS_NAMES } from './records.ts';
export { KNOWN_GROWTH } from './known.ts';
export type {
  HeapDiff,
  HeapDiffRow,
  HeapSample,
  HeapSampler,
  KnownGrowth,
  RetainerPath,
  RetainerStep,
  SampleRequest,
  TypeCount,
} from '../types/index.ts';
