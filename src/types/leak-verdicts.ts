/**
 * What the leak hunt concludes about a layer: the verdict on its heap deltas and the rows that
 * grew, the active resources that leaked and where they were created, the changes an iteration
 * made to the environment, and which tests leak.
 */
import type { RetainerPath } from './heap-samples.ts';

/** What `--fail-on-leak` concluded about a layer (docs/ci.md). */
export type LeakOutcome =
  /** Every judged delta is 1 or more, or an active resource grew in every judged iteration: a leak, and an error of the run. */
  | 'leaked'
  /** Every judged delta is 0. */
  | 'clean'
  /** No judged delta is 1 or more, but some are not 0: settling, not leaking ("this is fine"). */
  | 'noisy'
  /**
   * The judged deltas disagree (some are 1 or more, some 0 or less), up to the last iteration
   * `--leak-max-repeat` allowed: no verdict, and a failure under `--fail-on-leak` unless
   * `--leak-allow-undecided`.
   */
  | 'unsettled'
  /** Fewer than two deltas could be judged (iterations with failures or errors are not): no verdict, and not a failure. */
  | 'undecided';

/** A row of the heap table that grew in every judged delta of a leaking layer. */
export interface GrownRow {
  /** The type/class name, as in the `-v` table. */
  readonly name: string;
  /** The smallest and largest growth in instances over the judged deltas. */
  readonly insts: readonly [min: number, max: number];
  /** The smallest and largest growth in references over the judged deltas. */
  readonly refs: readonly [min: number, max: number];
  /** What holds the row's new objects, when the last judged sample traced them (its {@link HeapSample.paths}). */
  readonly paths?: readonly RetainerPath[] | undefined;
}

/**
 * Something an iteration changed outside the heap (docs/leaks.md): a key of `globalThis`
 * (`globalThis.cache`), a variable of `process.env` (`process.env.DEBUG`; the values of names that
 * look like secrets are `(hidden)`), `process.cwd()`, or a `MaxListenersExceededWarning` raised.
 */
export interface EnvironmentChange {
  /** What changed: `globalThis.NAME`, `process.env.NAME`, `process.cwd()` or `MaxListenersExceededWarning`. */
  readonly what: string;
  /** How: `added`, `removed`, `changed`, or `raised` for a warning. */
  readonly change: 'added' | 'removed' | 'changed' | 'raised';
  /** Before the iteration: a global's kind of value, a variable's quoted value, the directory. */
  readonly before?: string | undefined;
  /** After it, in the same words; for a warning, its message. */
  readonly after?: string | undefined;
}

/**
 * Active resources by type (docs/leaks.md): Node's names for handles, requests and timers
 * (`Timeout`, `TCPSocketWrap`, `FSReqCallback`, …; `Timeout` includes timers that were
 * `unref()`ed) and `process.on('EVENT') listener` for the listeners on `process`.
 */
export type ResourceCounts = ReadonlyMap<string, number>;

/** With `--trace-leaks`, where live resources of a leaked type were created (docs/leaks.md). */
export interface ResourceCreation {
  /** How many live resources were created there. */
  readonly count: number;
  /** The first frames of the tests' code that created them, one per line, relative to the working directory. */
  readonly stack: string;
}

/** A resource type that grew in every judged iteration of a layer (docs/ci.md). */
export interface ResourceLeak {
  /** The type, as in {@link ResourceCounts}. */
  readonly type: string;
  /** Its change in each judged iteration. */
  readonly deltas: readonly number[];
  /** How to fix it, in a few words. */
  readonly hint: string;
  /** With `--trace-leaks`, where the live resources of the type were created, the most frequent site first. */
  readonly created?: readonly ResourceCreation[] | undefined;
}

/** The leak verdict on one layer, from the heap deltas of its iterations (docs/ci.md). */
export interface LeakVerdict {
  /** The layer's printed name. */
  readonly layer: string;
  /** What the judged deltas say. */
  readonly outcome: LeakOutcome;
  /** How many deltas after the baseline were left unjudged as warm-ups (`--leak-warmups`). */
  readonly warmups: number;
  /** The iterations (1-based) the verdict rests on, in order: the latest window of judged ones. */
  readonly iterations: readonly number[];
  /** Per judged iteration, `change=` less the change of known-growth rows and of rows `--leak-ignore` names. */
  readonly deltas: readonly number[];
  /** The sum of {@link LeakVerdict.deltas}. */
  readonly sum: number;
  /** Iterations after the warm-ups that were not judged: a test failed or errored in them, or their sample failed. */
  readonly unjudged: readonly number[];
  /**
   * Iterations whose deltas were judged and then set aside: they disagreed with the others, the
   * layer ran more iterations, and the verdict rests on the latest window (docs/ci.md).
   */
  readonly setAside: readonly number[];
  /** For a leak, the rows (known growth and `--leak-ignore` rows left out) that grew in every judged delta, by name. */
  readonly grown: readonly GrownRow[];
  /** Whether the references leaked: every judged delta is 1 or more. */
  readonly referencesLeaked: boolean;
  /** The active resources that grew in every judged iteration; any of them makes the outcome a leak. */
  readonly resources: readonly ResourceLeak[];
  /**
   * Whether the verdict is reported and does not fail: for a leak, `--leak-allow` names the layer
   * or every leaking test; for deltas that never agreed, `--leak-allow-undecided` was given.
   */
  readonly allowed: boolean;
  /**
   * `true` when the deltas are the screen's, changes in live objects counted without a heap
   * snapshot (`--fail-on-leak` without `-r`, and the screen saw no growth; docs/ci.md); absent when
   * they are heap samples' `change=`.
   */
  readonly screened?: boolean | undefined;
  /** When the screen saw growth and heap samples then judged the layer: the screened deltas that called for them. */
  readonly screenedDeltas?: readonly number[] | undefined;
}

/** Tests whose runs grow the heap: one test, or a set that leaks only together. */
export interface LeakingTests {
  /** The tests' printed names. */
  readonly tests: readonly string[];
  /** The growth of one run of them, in references (known growth left out). */
  readonly refs: number;
}

/** Which tests of a leaking layer leak: the search's findings (docs/ci.md). */
export interface LeakAttribution {
  /** The layer's printed name. */
  readonly layer: string;
  /** The leaking tests: each alone where the search could tell them apart, else the smallest set that grew. */
  readonly leaking: readonly LeakingTests[];
  /** Sets of tests that grew but that the search could not narrow down before it stopped. */
  readonly undecided: readonly (readonly string[])[];
  /**
   * Heap samples the search took, its baseline included; after a screen (docs/ci.md), the two
   * around a run of each set it found, which confirm it and give its growth in references.
   */
  readonly samples: number;
  /**
   * After a screen: the counts of live objects the search took instead of samples to find the
   * sets, its baseline included; absent when it sampled.
   */
  readonly counts?: number | undefined;
  /** The most it could take (`--leak-bisect-budget`). */
  readonly budget: number;
  /** Why the search stopped before it was done, if it did. */
  readonly stopped?: string | undefined;
}
