/**
 * Which tests of a leaking layer leak (docs/ci.md): adaptive group testing on the layer while it
 * is still set up. Every test has by then run several times, so its caches are warm, and a run of
 * a subset of the tests grows the heap by what the leaking tests in it keep: leaks add up. A check
 * runs one subset once and takes one heap sample.
 *
 * The search halves a set known to grow. It checks the first half and infers the second half's
 * growth as the difference, so that one leaking test among n costs about log2 n checks. A test is
 * named only after a check of it alone grew; when growth does not add up (a leak that needs two
 * tests together), the smallest set a check saw grow is named instead.
 *
 * The search runs between heap samples, or counts of live objects, so its own state must not be
 * counted: it lives in a {@link LeakrunLeakSearch}, a class the snapshot's counter leaves out, the
 * sets are index ranges, and what it makes between checks has no prototype (`ownRecord`), which
 * the screen's count leaves out.
 */

import { ownRecord } from '../sampler/records.ts';

/** Why a search stopped when it ran out of checks. */
export const BUDGET_SPENT = 'its budget of heap samples was spent';

/** Tests `start` to `end` (exclusive) of the layer's list, and the growth of one run of them. */
interface Range {
  readonly start: number;
  readonly end: number;
  readonly refs: number;
  /** Whether a check measured `refs`, rather than inferring it. */
  readonly measured: boolean;
  /** The smallest measured range around this one that grew. */
  readonly proven: Range | undefined;
}

/** A set of tests whose runs grow the heap, and by how much a run. */
export interface LeakingSet<T> {
  readonly tests: readonly T[];
  /** The growth of one run of the set, in references (known growth left out). */
  readonly refs: number;
}

/** What the search found. */
export interface Attribution<T> {
  /** The leaking tests, each alone where it could be told apart, else the smallest set found. */
  readonly found: readonly LeakingSet<T>[];
  /** Sets that grew but that the search could not narrow down before it stopped. */
  readonly undecided: readonly (readonly T[])[];
  /** How many checks (heap samples after a run of a subset) it took. */
  readonly checks: number;
  /** Why it stopped before it was done: the budget ran out, or a check could not be judged. */
  readonly stopped?: string | undefined;
}

/**
 * The search's state, as a state machine a runner drives: `next()` says whether there is a
 * range to check and sets `start` and `end`; the runner runs those tests once, samples, and
 * passes the growth to `measured()`. leakrun's heap counter leaves instances of this class, and
 * all that only they hold, out of its counts.
 */
export class LeakrunLeakSearch {
  /** The range to run next, set by {@link LeakrunLeakSearch.next}. */
  start = 0;
  end = 0;
  /** The sample the next check's growth is measured from; the runner keeps it here. */
  previous: unknown;
  checks = 0;
  stopped: string | undefined;
  readonly #size: number;
  readonly #budget: number;
  /** Ranges that grew and wait to be narrowed down; the last is next. */
  readonly #stack: Range[] = [];
  readonly #found: Range[] = [];
  /** What the current check asks about: all tests, the first half of a range, or one test alone. */
  #asked: { readonly kind: 'all' | 'half' | 'alone'; readonly range: Range | undefined } | undefined;

  constructor(size: number, budget: number) {
    this.#size = size;
    this.#budget = budget;
  }

  /** Whether there is a range to check; sets `start` and `end`. False once done or stopped. */
  next(): boolean {
    if (this.stopped !== undefined) return false;
    if (this.checks === 0 && this.#asked === undefined) return this.#ask('all', undefined, 0, this.#size);
    for (;;) {
      const range = this.#stack.pop();
      if (range === undefined) return false;
      if (range.end - range.start > 1) return this.#ask('half', range, range.start, range.start + Math.ceil((range.end - range.start) / 2));
      if (range.measured) this.#name(range);
      else return this.#ask('alone', range, range.start, range.end);
    }
  }

  /** The growth of one run of the range `next()` gave. */
  measured(refs: number): void {
    const asked = this.#asked;
    this.#asked = undefined;
    if (asked === undefined) throw new Error('measured() without next()');
    const checked: Range = ownRecord({ start: this.start, end: this.end, refs, measured: true, proven: undefined });
    if (asked.kind === 'all') {
      if (refs >= 1) this.#stack.push(checked);
      else this.stopped = `a run of all ${this.#size} tests grew by ${refs}`;
      return;
    }
    const range = asked.range as Range;
    if (asked.kind === 'alone') {
      // Not growing alone, the test needs others to leak: name the smallest range that grew.
      this.#name(refs >= 1 ? checked : (range.proven ?? range));
      return;
    }
    const sure = range.measured ? range : (range.proven ?? range);
    // Leaks add up: what the first half does not keep, the second does.
    const second: Range = ownRecord({ start: this.end, end: range.end, refs: range.refs - refs, measured: false, proven: sure });
    if (refs < 1 && second.refs < 1) {
      // Neither half grows on its own: the leak needs tests from both.
      this.#name(sure);
      return;
    }
    if (second.refs >= 1) this.#stack.push(second);
    if (refs >= 1) this.#stack.push(checked);
  }

  /** Stops the search: a check could not be judged. */
  fail(why: string): void {
    if (this.#asked?.range) this.#stack.push(this.#asked.range);
    else if (this.#asked?.kind === 'all')
      this.#stack.push(ownRecord({ start: 0, end: this.#size, refs: 0, measured: false, proven: undefined }));
    this.#asked = undefined;
    this.stopped = why;
  }

  /** What was found, as sets of the given tests. */
  result<T>(tests: readonly T[]): Attribution<T> {
    const slice = (range: Range): T[] => tests.slice(range.start, range.end);
    return {
      found: this.#found.map((range) => ({ tests: slice(range), refs: range.refs })),
      undecided: this.stopped === undefined ? [] : this.#stack.map(slice).reverse(),
      checks: this.checks,
      stopped: this.stopped,
    };
  }

  #ask(kind: 'all' | 'half' | 'alone', range: Range | undefined, start: number, end: number): boolean {
    if (this.checks >= this.#budget) {
      if (range) this.#stack.push(range);
      else this.#stack.push(ownRecord({ start, end, refs: 0, measured: false, proven: undefined }));
      this.stopped = BUDGET_SPENT;
      return false;
    }
    this.checks++;
    this.#asked = ownRecord({ kind, range });
    this.start = start;
    this.end = end;
    return true;
  }

  #name(range: Range): void {
    if (!this.#found.some((found) => found.start === range.start && found.end === range.end)) this.#found.push(range);
  }
}
