/**
 * `leakrun/assert`: one call that checks that a function leaves nothing behind, for tests run by
 * any framework (node:test, Vitest, Jest, Mocha; docs/frameworks.md).
 *
 * @example
 * ```ts
 * import { assertNoLeaks } from 'leakrun/assert';
 * test('the cache forgets closed sessions', async () => {
 *   await assertNoLeaks(async () => {
 *     const session = cache.open();
 *     await session.close();
 *   });
 * });
 * ```
 *
 * @packageDocumentation
 */
import { AssertionError } from 'node:assert';
import { pathsTree } from '../text/retainer-tree.ts';
import { diffSamples } from '../sampler/diff.ts';
import { LeakrunRecords } from '../sampler/records.ts';
import { screenSees } from '../sampler/screen.ts';
import { V8HeapSnapshotSampler } from '../sampler/v8.ts';
import type { HeapDiff, HeapSampler, LeakVerdict } from '../types/index.ts';
import { DEFAULT_WARMUPS, judge, judgedChange, MIN_JUDGED, screenedVerdict, type IterationDelta } from '../leaks/verdict.ts';
import { signed } from '../text/numbers.ts';
import { growth, leakLine } from '../text/leak-sentences.ts';

/**
 * The functions being checked. The check's own frames are not counted (they are what runs now),
 * so without this a function would be reachable from nothing counted, and what only its closure
 * keeps (a local `Map` it fills) would never show. On `globalThis`, under a registered symbol, so
 * that its retainer paths read the same whichever build (ES module, CommonJS, bundle) runs.
 */
const UNDER_CHECK = Symbol.for('leakrun: functions under check');
const underCheck: unknown[] = ((globalThis as Record<symbol, unknown[] | undefined>)[UNDER_CHECK] ??= []);

/** The default number of runs: a baseline, one warm-up and four judged deltas. */
export const DEFAULT_RUNS = 6;

/** Options of `measureLeaks` and `assertNoLeaks`; all optional. */
export interface LeakCheckOptions {
  /** How many times to run the function, a heap sample after each. Default `DEFAULT_RUNS` (6). */
  readonly runs?: number;
  /**
   * Deltas after the first run's sample that are not judged: lazily made caches and first
   * shapes settle in them. Default 1. `runs` must leave at least two judged deltas.
   */
  readonly warmups?: number;
  /**
   * The most runs when the judged deltas are neither all 0 nor all 1 or more: the check then goes
   * on, one run at a time, and judges the latest deltas, as many as `runs` judges, until they
   * agree or it has made this many runs. Something outside the function that changes once (a
   * host runner's timer that fires, an entry it drops) then neither hides a leak nor fails a
   * clean function. Default twice `runs`.
   */
  readonly maxRuns?: number;
  /** Rows left out of the judgement, by exact name or by a pattern: `'(string)'`, `/^undici\./`. */
  readonly ignore?: readonly (string | RegExp)[];
  /**
   * Milliseconds the whole check may take, samples included; over it, the check rejects with an
   * error saying how far it got. Default: no limit (the test framework's own timeout applies).
   */
  readonly timeout?: number;
  /** How the function is named in messages. Default its `name`, or `the function`. */
  readonly name?: string;
  /**
   * The heap-count sampler. Default the `V8HeapSnapshotSampler` of `leakrun/sampler`, with retainer paths, made for
   * the check and closed after it, measuring the thread the check runs in.
   */
  readonly sampler?: HeapSampler;
  /**
   * Screen before sampling (docs/frameworks.md): count the live objects after the warm-ups and
   * after the last of `runs`, and take heap samples only when the counts differ, from the last run
   * on, to judge that many more runs. Default `true` when the sampler can count
   * (`HeapSampler.screen`); `false` samples after every run, for `changes` of each.
   */
  readonly screen?: boolean;
}

/** What the screen of a check counted (`LeakCheckOptions.screen`). */
export interface LeakScreen {
  /** The run after which the first count was taken: the last warm-up. */
  readonly since: number;
  /** The run after which the second was taken: the last of `runs`. */
  readonly until: number;
  /** The live objects at the two counts. */
  readonly objects: readonly [number, number];
  /** The change between them: 0 and the function is clean without a heap sample; otherwise heap samples judged it. */
  readonly change: number;
}

/** What `measureLeaks` found. */
export interface LeakReport {
  /** The function's name, as messages print it. */
  readonly name: string;
  /** True when every judged delta is 1 or more: the function leaks. */
  readonly leaked: boolean;
  /** The verdict, as `--fail-on-leak` judges a layer (docs/ci.md); `layer` is {@link LeakReport.name}. */
  readonly verdict: LeakVerdict;
  /** How many times the function ran. */
  readonly runs: number;
  /**
   * What the screen counted, when the check screened; absent when it sampled every run
   * (`screen: false`, a sampler without `screen()`, or a count that failed).
   */
  readonly screen?: LeakScreen | undefined;
  /**
   * `change=` after each sampled run from the second sampled: the first sample is the baseline.
   * Every run is sampled when the check does not screen; a screened check samples only when its
   * counts differ, from the last of `runs` on, and a clean one has none.
   */
  readonly changes: readonly number[];
  /**
   * What the verdict judges of each sampled run after the baseline: `change=` less the rows of
   * known growth (a host runner's bookkeeping among them) and the rows `ignore` names.
   */
  readonly deltas: readonly number[];
  /** The change after each sampled run after the baseline, row by row, as `-v` prints it. */
  readonly diffs: readonly HeapDiff[];
  /** The report as text: the verdict's line, and for a leak the rows that grew and what holds them. */
  readonly message: string;
}

/**
 * Runs `fn` (sync or async) `runs` times in the calling thread, samples the heap after each run,
 * and judges the deltas as `--fail-on-leak` judges a layer's iterations: after the warm-ups, a
 * leak when every judged delta is 1 or more. Rejects with `fn`'s own error when it throws, and
 * when the time limit is passed; never for a leak.
 */
export async function measureLeaks(fn: () => unknown, options: LeakCheckOptions = {}): Promise<LeakReport> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const warmups = options.warmups ?? DEFAULT_WARMUPS;
  const name = options.name ?? (fn.name || 'the function');
  if (!Number.isInteger(warmups) || warmups < 0)
    throw new RangeError(`measureLeaks: warmups must be an integer of 0 or more (got ${warmups})`);
  const needed = warmups + 1 + MIN_JUDGED;
  if (!Number.isInteger(runs) || runs < needed) {
    throw new RangeError(`measureLeaks: runs must be an integer of at least ${needed} with ${warmups} warm-ups (got ${runs})`);
  }
  const maxRuns = options.maxRuns ?? runs * 2;
  if (!Number.isInteger(maxRuns) || maxRuns < runs)
    throw new RangeError(`measureLeaks: maxRuns must be an integer of at least runs, ${runs} (got ${maxRuns})`);
  const judgedCount = runs - 1 - warmups;
  const ignore = (options.ignore ?? []).map((entry) => (typeof entry === 'string' ? exactly(entry) : entry));
  const own = options.sampler === undefined;
  // A function of another realm (Jest's test environment) is sampled: the count would not see its objects.
  const screening = options.screen !== false && screenSees(fn);
  const sampler = options.sampler ?? new V8HeapSnapshotSampler({ retainerPaths: true, screenFirst: screening });
  const deadline = options.timeout === undefined ? undefined : performance.now() + options.timeout;
  const within = <T>(work: Promise<T>, what: string): Promise<T> => withinTime(work, deadline, options.timeout, what);
  underCheck.push(fn);
  try {
    // One of leakrun's own record classes: the heap counts neither it nor what only it holds.
    const iterations = new LeakrunRecords<IterationDelta>();
    let run = 0;
    const runOnce = async (): Promise<void> => {
      run++;
      await within(Promise.resolve(fn()), `run ${run} of ${name}`);
    };
    const sampleNow = async (paths: boolean): Promise<void> => {
      const heap = await within(sampler.sample({ retainerPaths: paths }), `the heap sample after run ${run}`);
      const previous = iterations.items.at(-1)?.heap;
      iterations.items.push({ iteration: run, failed: false, diff: previous && diffSamples(previous, heap), heap });
    };
    // Sampled after every run: the verdict judges the latest `judgedCount` of runs `runs` to `maxRuns`.
    let required = runs;
    let upTo = maxRuns;
    let screen: LeakScreen | undefined;
    if (screening && typeof sampler.screen === 'function') {
      const count = (): Promise<number | undefined> =>
        within(
          sampler.screen!().then(
            (objects) => (Number.isFinite(objects) ? objects : undefined),
            () => undefined,
          ),
          `the count of live objects after run ${run}`,
        );
      let first: number | undefined;
      while (run < runs) {
        await runOnce();
        if (run !== 1 + warmups) continue;
        // Once two counts in a row agree (three tries at most): what the host started before the
        // check and finishes asynchronously (a worker's ports closing, a loader's messages) is then
        // freed before the first count, not between the two that judge the function. Counted here,
        // not in a helper, so that both counts are taken with the same frames alive.
        first = await count();
        for (let tries = 0, again = first; tries < 3 && again !== undefined; tries++) {
          again = await count();
          if (again === first) break;
          first = again;
        }
      }
      const second = first === undefined ? undefined : await count();
      if (first !== undefined && second !== undefined) {
        screen = { since: 1 + warmups, until: runs, objects: [first, second], change: second - first };
      }
      if (screen?.change === 0) {
        const judged = Array.from({ length: judgedCount }, (_, index) => 2 + warmups + index);
        const verdict = screenedVerdict(name, warmups, judged, 0, true);
        return {
          name,
          leaked: false,
          verdict,
          runs,
          screen,
          changes: [],
          deltas: [],
          diffs: [],
          message: reportText(verdict, runs, screen),
        };
      }
      // The counts differ (or one failed): a baseline now, and `judgedCount` more runs sampled, as many as the
      // check judges, with as much room to go on as it has.
      await sampleNow(false);
      required = runs + judgedCount;
      upTo = maxRuns + judgedCount;
    }
    let verdict: LeakVerdict | undefined;
    const settling = (outcome: LeakVerdict['outcome']): boolean => outcome === 'noisy' || outcome === 'unsettled';
    while (verdict === undefined || (settling(verdict.outcome) && run < upTo)) {
      await runOnce();
      // Paths only for a sample that may be the last: the verdict shows those of the last judged run.
      await sampleNow(run >= required);
      // The latest `judgedCount` deltas; the ones before them are left as warm-ups.
      if (run >= required) verdict = judge(name, iterations.items, run - judgedCount - 1, ignore);
    }
    if (screen !== undefined) verdict = { ...verdict, screenedDeltas: [screen.change] };
    const diffs = iterations.items.flatMap(({ diff }) => (diff === undefined ? [] : [diff]));
    const changes = diffs.map((diff) => diff.change);
    const deltas = diffs.map((diff) => judgedChange(diff, ignore));
    const message = reportText(verdict, run, screen);
    return { name, leaked: verdict.outcome === 'leaked', verdict, runs: run, screen, changes, deltas, diffs, message };
  } finally {
    underCheck.splice(underCheck.lastIndexOf(fn), 1);
    if (own) await sampler.close?.();
  }
}

/**
 * `measureLeaks`, then throws an `AssertionError` when the function leaks; its message
 * names the rows that grew in every judged run and what holds their new objects. Resolves to the
 * report otherwise.
 */
export async function assertNoLeaks(fn: () => unknown, options: LeakCheckOptions = {}): Promise<LeakReport> {
  const report = await measureLeaks(fn, options);
  if (report.leaked) {
    throw new AssertionError({ message: report.message, actual: report.verdict.deltas, expected: [], operator: 'assertNoLeaks' });
  }
  return report;
}

export type {
  GrownRow,
  HeapDiff,
  HeapDiffRow,
  HeapSample,
  HeapSampler,
  KnownGrowth,
  LeakOutcome,
  LeakVerdict,
  ResourceCounts,
  ResourceCreation,
  ResourceLeak,
  RetainerPath,
  RetainerStep,
  SampleRequest,
  TypeCount,
} from '../types/index.ts';

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * The report's text: `makeSession leaked [3, 3, 3, 3] references, sum=12 over 6 runs`, the rows, the
 * paths; after a screen that saw a change, what it saw.
 */
function reportText(verdict: LeakVerdict, runs: number, screen: LeakScreen | undefined): string {
  const over = `over ${runs} runs`;
  const deltas = `[${verdict.deltas.join(', ')}]`;
  if (verdict.screened) {
    return `${verdict.layer}: no leak ${over}, as many live objects after run ${screen!.until} as after run ${screen!.since} (screened, no heap snapshot)`;
  }
  let text: string;
  if (verdict.outcome === 'clean') text = `${verdict.layer}: no leak ${over}, judged deltas ${deltas}`;
  else if (verdict.outcome === 'noisy') {
    text = `${verdict.layer} changed ${deltas} references in its last ${verdict.deltas.length} of ${runs} runs, and grew in none: no leak (this is fine)`;
  } else if (verdict.outcome === 'unsettled') {
    text = `${verdict.layer} changed ${deltas} references in its last ${verdict.deltas.length} of ${runs} runs, growing in some and not in others: undecided, not called a leak`;
  } else {
    const width = Math.max(0, ...verdict.grown.map((row) => row.name.length));
    text = `${leakLine(verdict)} ${over}\n`;
    text += verdict.grown
      .map(({ name, insts, refs }) => `  ${name.padEnd(width)}  ${growth(insts)} insts ${growth(refs)} refs per run\n`)
      .join('');
    const paths = verdict.grown.flatMap((row) => (row.paths ?? []).slice(0, 1));
    if (paths.length > 0) text += `  What holds the new objects of the last run:\n${pathsTree(paths, '    ')}`;
    text = text.trimEnd();
  }
  if (screen === undefined) return text;
  const judged = `${verdict.iterations[0]}–${verdict.iterations.at(-1)}`;
  return `${text}\n  (screened: the live objects changed by ${signed(screen.change)} from run ${screen.since} to run ${screen.until}, so heap samples judged runs ${judged})`;
}

async function withinTime<T>(work: Promise<T>, deadline: number | undefined, limit: number | undefined, what: string): Promise<T> {
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the leak check passed its time limit of ${limit} ms during ${what}`)),
      Math.max(0, deadline - performance.now()),
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
