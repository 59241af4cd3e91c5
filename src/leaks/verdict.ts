/**
 * The leak verdict of `--fail-on-leak` (docs/ci.md), after CPython regrtest's rule: after the
 * warm-ups, a layer leaks when every judged delta is 1 or more, and is clean when every one is 0.
 * Deltas that disagree (some grew, some did not) are judged again over a window that slides as
 * the layer runs more iterations, so that something outside the tests that changes once (a drop
 * of 40 references when a cache walk ends) neither hides a leak nor fails a clean layer. Known
 * bounded growth is left out of each delta, and an iteration in which a test failed or errored is
 * not judged: a failure keeps its error, and what the error holds, alive.
 */
import { resourceHint } from './resources.ts';
import type {
  GrownRow,
  HeapDiff,
  HeapDiffRow,
  HeapSample,
  LeakOutcome,
  LeakVerdict,
  ResourceCounts,
  ResourceLeak,
  RetainerPath,
} from '../types/index.ts';

/** The fewest judged deltas a verdict needs. */
export const MIN_JUDGED = 2;

/** The default number of deltas after the baseline left unjudged. */
export const DEFAULT_WARMUPS = 1;

/**
 * The default `--leak-bisect-budget`: enough heap samples to find one leaking test among 256
 * (a baseline, a check of all the tests, one per halving, one to confirm), with room to spare.
 */
export const DEFAULT_BISECT_BUDGET = 20;

/** How many judged deltas `-N` leaves with `warmups` warm-ups: the size of the verdict's window. */
export function judgedWindow(repeat: number, warmups: number): number {
  return Math.max(MIN_JUDGED, repeat - 1 - warmups);
}

/**
 * The default `--leak-max-repeat`: room for the window to slide past two one-off changes, each of
 * which can spoil every window that holds it (docs/ci.md).
 */
export function defaultLeakMaxRepeat(repeat: number, warmups: number): number {
  return repeat + 2 * judgedWindow(repeat, warmups);
}

/** Whether deltas disagree: some grew (1 or more) and some did not (0 or less). */
export function disagree(deltas: readonly number[]): boolean {
  return deltas.some((delta) => delta >= 1) && deltas.some((delta) => delta <= 0);
}

/** The repeat count `--fail-on-leak` uses without `-N`: three judged deltas. */
export function defaultLeakRepeat(warmups: number): number {
  return warmups + 2 + MIN_JUDGED;
}

/** The smallest `-N` that `--fail-on-leak` accepts: two judged deltas. */
export function minimumLeakRepeat(warmups: number): number {
  return warmups + 1 + MIN_JUDGED;
}

/** One iteration of a layer, as the verdict sees it. */
export interface IterationDelta {
  readonly iteration: number;
  /** A test failed or errored in the iteration. */
  readonly failed: boolean;
  /** The change since the previous sample; `undefined` for the baseline or a failed sample. */
  readonly diff: HeapDiff | undefined;
  /** When the iteration was screened, not sampled: the change in live objects (`HeapSampler.screen`). */
  readonly screened?: number | undefined;
  /** The sample itself, whose retainer paths a grown row takes from the last judged iteration. */
  readonly heap?: HeapSample | undefined;
  /** The active resources whose count changed since the previous iteration, when they were counted. */
  readonly resources?: ResourceCounts | undefined;
}

/** Whether a row is left out of the verdict: known bounded growth, or a name `--leak-ignore` matches. */
function leftOut(row: HeapDiffRow, ignore: readonly RegExp[]): boolean {
  return row.known === true || ignore.some((pattern) => pattern.test(row.name));
}

/** `change=` less the change of the rows left out: known bounded growth, and rows `ignore` names. */
export function judgedChange(diff: HeapDiff, ignore: readonly RegExp[] = []): number {
  let leftOutRefs = 0;
  for (const row of diff.rows) if (leftOut(row, ignore)) leftOutRefs += row.refs;
  return diff.change - leftOutRefs;
}

/**
 * Judges a layer's iterations, in order; the first is the baseline. Only the latest `window`
 * judged deltas count; those before them are set aside. Rows `ignore` names are left out as known
 * growth is. The verdict is not yet `allowed`: that needs the leaking tests.
 */
export function judge(
  layer: string,
  iterations: readonly IterationDelta[],
  warmups: number,
  ignore: readonly RegExp[] = [],
  window: number = Infinity,
): LeakVerdict {
  const judged: IterationDelta[] = [];
  const unjudged: number[] = [];
  for (const iteration of iterations) {
    // Iteration 1 is the baseline; the next `warmups` deltas settle.
    if (iteration.iteration < 2 + warmups) continue;
    if (iteration.failed || (iteration.diff === undefined && iteration.screened === undefined)) unjudged.push(iteration.iteration);
    else judged.push(iteration);
  }
  const inWindow = judged.slice(Math.max(0, judged.length - window));
  const setAside = judged.slice(0, judged.length - inWindow.length).map(({ iteration }) => iteration);
  const deltas = inWindow.map(({ diff, screened }) => (diff === undefined ? (screened as number) : judgedChange(diff, ignore)));
  const diffs = inWindow.flatMap(({ diff }) => (diff === undefined ? [] : [diff]));
  const last = inWindow.at(-1)?.heap;
  const sum = deltas.reduce((total, delta) => total + delta, 0);
  const decided = deltas.length >= MIN_JUDGED;
  const referencesLeaked = decided && deltas.every((delta) => delta >= 1);
  const leakedResources = decided ? grownResources(inWindow.map(({ resources }) => resources)) : [];
  let outcome: LeakOutcome;
  if (!decided) outcome = 'undecided';
  else if (referencesLeaked || leakedResources.length > 0) outcome = 'leaked';
  else if (disagree(deltas)) outcome = 'unsettled';
  else if (deltas.some((delta) => delta !== 0)) outcome = 'noisy';
  else outcome = 'clean';
  const grown = referencesLeaked ? withPaths(grownRows(diffs, ignore), last?.paths) : [];
  return {
    layer,
    outcome,
    warmups,
    iterations: inWindow.map(({ iteration }) => iteration),
    deltas,
    sum,
    unjudged,
    setAside,
    grown,
    referencesLeaked,
    resources: leakedResources,
    allowed: false,
  };
}

/**
 * The verdict of a screen (docs/ci.md), which counted live objects instead of sampling: `clean`
 * when the caller found nothing grown (`change` 0, no failure, no resource grown), otherwise
 * `undecided`, for heap samples to judge. Its one delta is the change over the judged
 * `iterations`; `unjudged` are those in which a test failed.
 */
export function screenedVerdict(
  layer: string,
  warmups: number,
  iterations: readonly number[],
  change: number | undefined,
  clean: boolean,
  unjudged: readonly number[] = [],
  resources: readonly ResourceLeak[] = [],
): LeakVerdict {
  return {
    layer,
    outcome: clean ? 'clean' : 'undecided',
    warmups,
    iterations,
    deltas: change === undefined ? [] : [change],
    sum: change ?? 0,
    unjudged,
    setAside: [],
    grown: [],
    referencesLeaked: false,
    resources,
    allowed: false,
    screened: true,
  };
}

/**
 * The resource types that grew in every judged iteration: the rule for references, not regrtest's
 * stricter one for file descriptors (any change), because timers and keep-alive sockets come and
 * go with the clock (docs/ci.md). Nothing when a judged iteration was not counted.
 */
export function grownResources(changes: readonly (ResourceCounts | undefined)[]): ResourceLeak[] {
  if (changes.length === 0 || changes.some((change) => change === undefined)) return [];
  const [first, ...rest] = changes as ResourceCounts[];
  const leaks: ResourceLeak[] = [];
  for (const type of first!.keys()) {
    const deltas = [first!.get(type) ?? 0, ...rest.map((change) => change.get(type) ?? 0)];
    if (deltas.every((delta) => delta >= 1)) leaks.push({ type, deltas, hint: resourceHint(type) });
  }
  return leaks;
}

/** The rows, known growth left out, that grew (and shrank in nothing) in every one of `diffs`. */
function grownRows(diffs: readonly HeapDiff[], ignore: readonly RegExp[]): GrownRow[] {
  type Range = [min: number, max: number];
  let rows: Map<string, { insts: Range; refs: Range }> | undefined;
  for (const diff of diffs) {
    const next = new Map<string, { insts: Range; refs: Range }>();
    for (const row of diff.rows) {
      if (leftOut(row, ignore) || row.insts < 0 || row.refs < 0 || (row.insts === 0 && row.refs === 0)) continue;
      const before: { insts: Range; refs: Range } | undefined =
        rows === undefined ? { insts: [row.insts, row.insts], refs: [row.refs, row.refs] } : rows.get(row.name);
      if (before === undefined) continue;
      next.set(row.name, {
        insts: [Math.min(before.insts[0], row.insts), Math.max(before.insts[1], row.insts)],
        refs: [Math.min(before.refs[0], row.refs), Math.max(before.refs[1], row.refs)],
      });
    }
    rows = next;
  }
  return [...(rows ?? new Map()).entries()].map(([name, { insts, refs }]) => ({ name, insts, refs }));
}

/**
 * The rows, each with the paths the last judged sample traced for it, if any. A path whose objects
 * are all new (a value replaced each iteration) is left out when another of the row's paths
 * holds older objects too, or may (its live count is not known): that one is where the row grows.
 */
function withPaths(rows: GrownRow[], paths: readonly RetainerPath[] | undefined): GrownRow[] {
  if (paths === undefined || paths.length === 0) return rows;
  return rows.map((row) => {
    let own = paths.filter((path) => path.name === row.name);
    const older = (path: RetainerPath): boolean => path.objects === undefined || path.objects > path.added;
    if (own.some(older)) own = own.filter(older);
    return own.length > 0 ? { ...row, paths: own } : row;
  });
}

/**
 * Whether `--leak-allow` lets a leak pass: a pattern matches the layer, or every test the search
 * named (the leak is then known to be theirs).
 */
export function isAllowed(layer: string, leaking: readonly { readonly tests: readonly string[] }[], allow: readonly RegExp[]): boolean {
  if (allow.length === 0) return false;
  const matches = (name: string): boolean => allow.some((pattern) => pattern.test(name));
  if (matches(layer)) return true;
  return leaking.length > 0 && leaking.every((set) => set.tests.every(matches));
}
