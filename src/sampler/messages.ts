/**
 * The messages between the V8 sampler (v8.ts) and its reading worker (worker.ts): numbers, so
 * that posting them makes no objects in the measured heap. In their own module because worker.ts
 * runs as the worker and cannot be imported by the sampler.
 */

/** Sampler → worker: take a sample, or a sample with the retainer paths of the rows that grew. */
export const SAMPLE = 0;
export const SAMPLE_WITH_PATHS = 3;
/** Worker → sampler: a collection is done; the sampler answers {@link TURNED} after one loop turn. */
export const COLLECTED = 1;
export const TURNED = 2;
/** Fed mode (a sampler in a worker thread): a snapshot's chunks follow; then one of the two ends, with or without paths. */
export const FED_BEGIN = 4;
export const FED_END = 5;
export const FED_END_WITH_PATHS = 6;
/** Complete collections, each followed by a main-thread turn, before every snapshot (docs/design-sampler.md). */
export const COLLECTIONS = 2;
