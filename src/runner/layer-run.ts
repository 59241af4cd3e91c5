/**
 * Running one layer (docs/api.md): the scheduler sets it up, the repeat loop decides how many
 * iterations to run and of which tests, and this module runs each iteration. It runs every test
 * inside the scheduler's `aroundTest`, under `--timeout` and the watchdog, classifies what the
 * test threw, reports it, counts the iteration and takes the heap sample after it. Whatever part
 * is swapped, the events reach the formatter and the result in the same order.
 */
import { now, secondsSince } from '../core/clock.ts';
import { ContractError, Interrupted, isAssertion, isSkip, toError } from '../core/errors.ts';
import { DONE } from '../core/invoke.ts';
import { diffSamples } from '../sampler/diff.ts';
import { LeakrunRecords, ownRecord } from '../sampler/records.ts';
import { resourceChanges, settledResources } from '../leaks/resources.ts';
import { creationSites } from '../leaks/trace.ts';
import { environmentChanges, takeEnvironment, takeListenerWarnings, type EnvironmentState } from '../leaks/environment.ts';
import { shuffled } from './select.ts';
import type {
  Emit,
  HeapSample,
  HeapSampler,
  HookGuard,
  IterationResult,
  LayerNode,
  LeakAttribution,
  LeakingTests,
  LayerRun,
  LeakVerdict,
  ResourceCounts,
  LayerScheduler,
  RepeatLoop,
  RunOptions,
  SampleRequest,
  SubtestOutcome,
  SubtestReport,
  Test,
  TestPhase,
} from '../types/index.ts';
import {
  grownResources,
  isAllowed,
  judge,
  judgedChange,
  judgedWindow,
  MIN_JUDGED,
  screenedVerdict,
  type IterationDelta,
} from '../leaks/verdict.ts';
import { LeakrunLeakSearch } from '../leaks/bisect.ts';
import type { Watchdog } from './watchdog.ts';

/** A heap sample whose retainer paths nothing will show. */
const NO_PATHS: SampleRequest = { retainerPaths: false };

/** The parts and state of a run that every layer shares. */
/** The options a layer's run reads, and only those. */
export type LayerRunOptions = Pick<
  RunOptions,
  | 'repeat'
  | 'verbose'
  | 'timeout'
  | 'shuffle'
  | 'shuffleSeed'
  | 'reportRefcounts'
  | 'leakScreen'
  | 'failOnEnvChange'
  | 'failOnLeak'
  | 'leakBisect'
  | 'leakBisectBudget'
  | 'leakAllow'
  | 'leakAllowUndecided'
  | 'leakIgnore'
  | 'leakMaxRepeat'
  | 'leakWarmups'
  | 'traceLeaks'
>;

export interface LayerRunParts {
  readonly options: LayerRunOptions;
  readonly emit: Emit;
  readonly scheduler: LayerScheduler;
  readonly repeatLoop: RepeatLoop;
  readonly watchdog: Watchdog;
  readonly sampler: HeapSampler | undefined;
  /** The run's directory (`components.cwd`): paths the layer prints are relative to it. */
  readonly cwd: string;
  /** True once the run must stop (`-x`, or a part broke its contract). */
  readonly shouldStop: () => boolean;
  /** Ends the run after the current layer, reporting why. */
  readonly stop: (why: Error) => void;
  /** Sends buffered output before work that may take a while. */
  readonly flush: () => void;
}

/** The guard for layer hooks: the watchdog, without `--timeout` (set-ups may be slow by design). */
export function layerGuard(watchdog: Watchdog): HookGuard {
  return (name, work) => watchdog.settle(name, work, undefined);
}

/**
 * Runs one layer: reports its start, has the scheduler set it up, and hands it to the repeat
 * loop. A repeat loop that rejects or breaks its contract stops the run (see {@link LayerRunParts.stop}).
 * Resolves to `'subprocess'`, having run nothing, when the scheduler could not tear down a layer
 * before this one: the caller runs it in a child process.
 */
export async function runLayer(node: LayerNode, unsorted: readonly Test[], parts: LayerRunParts): Promise<'subprocess' | undefined> {
  const { options, emit, scheduler, repeatLoop, watchdog } = parts;
  const tests = options.shuffle ? shuffled(unsorted, options.shuffleSeed ?? 0) : unsorted;
  emit({ type: 'layer:start', layer: node.name, unit: node.layer === undefined });
  let entered: boolean | 'subprocess';
  try {
    entered = await scheduler.enter(node, emit, layerGuard(watchdog));
  } catch (error) {
    throw new ContractError(
      'scheduler',
      `enter(${node.name}) threw instead of reporting a failed set-up and resolving to false: ${toError(error).message}`,
    );
  }
  if (entered === 'subprocess') return 'subprocess';
  if (!entered) {
    emit({ type: 'layer:not-run', layer: node.name, tests: tests.map((test) => test.id) });
    return undefined;
  }
  const iterations = new Iterations(node, tests, parts);
  try {
    await repeatLoop.run(iterations.layerRun);
    if (iterations.current) throw new ContractError('repeat loop', 'its run() resolved while an iteration was still running');
    // The verdict comes while the layer is still set up: what it finds can be looked into there.
    if ((options.failOnLeak || options.leakBisect) && !parts.shouldStop()) {
      const judged = await iterations.judge();
      const attribution =
        judged.referencesLeaked && options.leakBisectBudget > 0 && parts.sampler
          ? await iterations.attribute(options.leakBisectBudget, Math.min(...judged.deltas))
          : undefined;
      const allowed =
        judged.outcome === 'leaked'
          ? isAllowed(node.name, attribution?.leaking ?? [], options.leakAllow)
          : judged.outcome === 'unsettled' && options.leakAllowUndecided;
      const resources = options.traceLeaks
        ? judged.resources.map((leak) => ({ ...leak, created: creationSites(leak.type, parts.cwd) }))
        : judged.resources;
      if (!parts.shouldStop()) emit({ type: 'layer:verdict', verdict: { ...judged, resources, allowed }, attribution });
    }
  } catch (error) {
    parts.stop(error instanceof ContractError ? error : new ContractError('repeat loop', `its run() rejected: ${toError(error).message}`));
  } finally {
    iterations.close();
    // An iteration the loop left running ends (at the next test, as the run stops) before the
    // layer may be torn down.
    await iterations.current?.catch(() => undefined);
  }
  return undefined;
}

/**
 * The verdict of a screened layer (docs/ci.md): `clean` when the live objects after `-N` equal
 * those at the end of the warm-ups, no test failed in between and no active resource grew in every
 * iteration; otherwise `undecided`, for heap samples to judge. Its one delta is the change over
 * the judged iterations; `unjudged` are those in which a test failed.
 */
function layerScreened(layer: string, iterations: readonly IterationDelta[], warmups: number): LeakVerdict {
  const judged = iterations.filter(({ iteration }) => iteration >= 2 + warmups);
  const change = judged.at(-1)?.screened;
  const failed = judged.filter((delta) => delta.failed).map(({ iteration }) => iteration);
  const counted = judged.length >= MIN_JUDGED && change !== undefined && failed.length === 0;
  const resources = counted ? grownResources(judged.map((delta) => delta.resources)) : [];
  const clean = counted && change === 0 && resources.length === 0;
  return screenedVerdict(
    layer,
    warmups,
    judged.map(({ iteration }) => iteration),
    change,
    clean,
    failed,
    resources,
  );
}

/** A per-test hook that failed: the guard's name for it, and what it threw. */
interface HookFailure {
  readonly name: string;
  readonly error: unknown;
}

/** The iterations of one layer, as its repeat loop runs them. */
class Iterations {
  readonly layerRun: LayerRun;
  /** The iteration running now, if any. */
  current: Promise<IterationResult> | undefined;
  readonly #node: LayerNode;
  readonly #parts: LayerRunParts;
  readonly #hooks: HookGuard;
  #count = 0;
  /** The test running now, for {@link Iterations.#body}. */
  #test: Test | undefined;
  /**
   * Runs the current test under `--timeout`: what the scheduler's `aroundTest` calls. One function
   * for all tests, so that the hot path makes no closure per test.
   */
  readonly #body = (): Promise<void> => {
    const test = this.#test!;
    const work = test.run(this.#subtest);
    return work === DONE ? DONE : (this.#parts.watchdog.settle(test.id, work, this.#parts.options.timeout) as Promise<void>);
  };
  /** The subtests the running test reported, reported after it; emptied after each test. */
  readonly #subtests = new LeakrunRecords<SubtestOutcome>();
  readonly #subtest: SubtestReport = (outcome) => {
    this.#subtests.items.push(outcome);
  };
  #closed = false;
  /** How many iterations may run: `-N`, raised one at a time while the verdict's deltas disagree. */
  #limit: number;
  #previous: HeapSample | undefined;
  /**
   * With a verdict and without `-r`: the layer is screened (`HeapSampler.screen`) at the end of
   * its warm-ups and after `-N`, and sampled only when the two counts differ (docs/ci.md).
   */
  #screening: boolean;
  /** Whether the layer was screened (it stays so when its growth was confirmed by samples): its search counts first. */
  readonly #screened: boolean;
  /** The live objects the first screen counted (at the end of the warm-ups); a number, so that it does not count itself. */
  #objects: number | undefined;
  /**
   * What the leak verdict needs of each iteration, with `--fail-on-leak` or `--leak-bisect`. Kept in leakrun's own
   * records, so that the list's growth is not counted as the tests'.
   */
  readonly deltas = new LeakrunRecords<IterationDelta>();
  /** The active resources after each iteration, with `-r`: in leakrun's own records for the same reason. */
  readonly resources = new LeakrunRecords<ResourceCounts>();
  /** The first per-test hook that failed in the current test, and what it threw. */
  #hookFailure: HookFailure | undefined;

  constructor(node: LayerNode, tests: readonly Test[], parts: LayerRunParts) {
    this.#node = node;
    this.#parts = parts;
    this.#limit = parts.options.repeat;
    this.#screening = parts.options.leakScreen === true && typeof parts.sampler?.screen === 'function';
    this.#screened = this.#screening;
    // Per-test hooks run under --timeout, like the test; a late rejection names the test. The
    // first hook that fails is noted, so that a problem it causes says it came from that hook.
    this.#hooks = (name, work) =>
      parts.watchdog.settle(parts.watchdog.current ?? node.name, work, parts.options.timeout).catch((error: unknown) => {
        this.#hookFailure ??= { name, error };
        throw error;
      });
    this.layerRun = {
      layer: node,
      tests,
      repeat: parts.options.repeat,
      shouldStop: parts.shouldStop,
      runIteration: (subset = tests) => this.#start(subset),
    };
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * The layer's leak verdict (docs/ci.md). While the latest window of judged deltas disagrees (some
   * grew, some did not), one more iteration runs, up to `--leak-max-repeat` in all; the first time,
   * the layer says so before the iteration starts.
   */
  async judge(): Promise<LeakVerdict> {
    const { options } = this.#parts;
    const window = judgedWindow(options.repeat, options.leakWarmups);
    if (!this.#screening) return this.#judgeExtending(options.leakWarmups, window, options.leakMaxRepeat);
    const screened = layerScreened(this.#node.name, this.deltas.items, options.leakWarmups);
    // A repeat loop that ran fewer than -N iterations left no second count: undecided, as with -r.
    if (screened.outcome === 'clean' || this.#count < options.repeat) return screened;
    return this.#confirm(screened);
  }

  /**
   * Judges the deltas since the baseline after `warmups`, running one more iteration at a time,
   * up to `upTo` in all, while the latest `window` of them disagree; the first time, the layer
   * says so before the iteration starts.
   */
  async #judgeExtending(warmups: number, window: number, upTo: number): Promise<LeakVerdict> {
    const { options, emit, shouldStop } = this.#parts;
    const judgeNow = (): LeakVerdict => judge(this.#node.name, this.deltas.items, warmups, options.leakIgnore, window);
    let verdict = judgeNow();
    if (verdict.outcome !== 'unsettled' || this.#count >= upTo) return verdict;
    emit({ type: 'layer:extend', layer: this.#node.name, deltas: verdict.deltas, window, upTo });
    while (verdict.outcome === 'unsettled' && this.#count < upTo && !shouldStop()) {
      this.#limit = this.#count + 1;
      await this.#start(this.layerRun.tests);
      verdict = judgeNow();
    }
    return verdict;
  }

  /**
   * The screen saw a change (or could not judge): from the last iteration on, the layer is
   * sampled, a baseline now and after each of two more iterations (more while their deltas
   * disagree), and the verdict is the one on those exact deltas, with the rows that grew and their
   * paths (docs/ci.md).
   */
  async #confirm(screened: LeakVerdict): Promise<LeakVerdict> {
    const { options, emit } = this.#parts;
    const baseline = this.#count;
    const upTo = baseline + MIN_JUDGED + Math.max(0, options.leakMaxRepeat - options.repeat);
    const failed = screened.unjudged.length > 0;
    emit({ type: 'layer:confirm', layer: this.#node.name, change: screened.deltas[0], since: 1 + options.leakWarmups, failed, upTo });
    this.#screening = false;
    const heap = await this.#sample(baseline, false);
    this.deltas.items.length = 0;
    this.deltas.items.push({ iteration: baseline, failed: false, diff: undefined, heap: heap?.sample, resources: undefined });
    this.#limit = baseline + MIN_JUDGED;
    for (let run = 0; run < MIN_JUDGED && !this.#parts.shouldStop(); run++) await this.#start(this.layerRun.tests);
    // Iteration numbers go on from the screened ones: the baseline's number counts as its warm-ups.
    const verdict = await this.#judgeExtending(baseline - 1, MIN_JUDGED, upTo);
    return { ...verdict, screenedDeltas: screened.deltas };
  }

  #start(tests: readonly Test[]): Promise<IterationResult> {
    const rule = this.#closed
      ? 'runIteration() was called after its run() had resolved'
      : this.current
        ? 'runIteration() was called while another iteration was running; await each one'
        : this.#count >= this.#limit
          ? `runIteration() was called more than repeat (${this.#parts.options.repeat}) times`
          : undefined;
    if (rule !== undefined) return Promise.reject(new ContractError('repeat loop', rule));
    const current = this.#run(tests, ++this.#count).finally(() => {
      this.current = undefined;
    });
    this.current = current;
    return current;
  }

  async #run(tests: readonly Test[], iteration: number): Promise<IterationResult> {
    const { options, emit } = this.#parts;
    // Past -N, the verdict's iterations count towards --leak-max-repeat.
    const of = iteration > options.repeat ? options.leakMaxRepeat : options.repeat;
    emit({ type: 'iteration:start', layer: this.#node.name, iteration, of, tests: tests.length });
    const environment = options.reportRefcounts || options.failOnEnvChange ? takeEnvironment() : undefined;
    const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 };
    const started = now();
    for (const test of tests) {
      if (this.#parts.shouldStop()) break;
      emit({ type: 'test:start', test: test.id });
      // Printing the name may have taken long enough for an interrupt to arrive.
      if (this.#parts.shouldStop()) break;
      const testStarted = now();
      const failure = await this.#runTest(test);
      // A test cut short by an interrupt has no outcome; the run reports the interrupt instead.
      if (failure?.error instanceof Interrupted) break;
      this.#report(test.id, secondsSince(testStarted), failure, counts);
      // Tests it started inside itself, each reported as a test of its own, named below it.
      for (const subtest of this.#subtests.items) {
        const id = `${test.name} > ${subtest.name} (${test.module})`;
        emit({ type: 'test:start', test: id });
        this.#report(id, subtest.seconds, subtest.error && { error: subtest.error, phase: 'test' }, counts);
      }
      this.#subtests.items.length = 0;
    }
    counts.seconds = secondsSince(started);
    emit({ type: 'iteration:end', layer: this.#node.name, iteration, of, counts: { ...counts } });
    const resources = options.reportRefcounts && !this.#parts.shouldStop() ? await this.#countResources() : undefined;
    if (environment) await this.#checkEnvironment(environment, iteration, resources === undefined);
    const stopped = this.#parts.shouldStop();
    const heap = stopped || this.#screening ? undefined : await this.#sample(iteration);
    // Screened at the end of the warm-ups and after -N: the verdict's span, counted twice.
    const screenNow = this.#screening && (iteration === 1 + options.leakWarmups || iteration === options.repeat);
    const screened = stopped || !screenNow ? undefined : await this.#screen(iteration);
    // Counted before the heap sample (which adds work to the event loop), reported after it.
    if (resources) emit({ type: 'resources:sample', layer: this.#node.name, iteration, ...resources });
    if (options.failOnLeak || options.leakBisect) {
      const delta: IterationDelta = {
        iteration,
        failed: counts.failures + counts.errors > 0,
        diff: heap?.diff,
        heap: heap?.sample,
        screened: screened?.change,
        resources: resources?.changes,
      };
      // While screened, made without Object.prototype, so that the screen does not count it (src/sampler/records.ts).
      this.deltas.items.push(this.#screening ? ownRecord(delta) : delta);
    }
    return {
      iteration,
      ...counts,
      heap: heap?.sample,
      heapDiff: heap?.diff,
      screen: screened?.objects,
      resources: resources?.counts,
    };
  }

  /** Counts one test's outcome and reports it. */
  #report(
    test: string,
    seconds: number,
    failure: { error: Error; phase: TestPhase } | undefined,
    counts: { tests: number; failures: number; errors: number; skipped: number },
  ): void {
    const { emit } = this.#parts;
    const error = failure?.error;
    counts.tests++;
    if (error === undefined) {
      emit({ type: 'test:pass', test, seconds });
    } else if (isSkip(error)) {
      counts.skipped++;
      emit({ type: 'test:skip', test, seconds, reason: error.message });
    } else if (isAssertion(error)) {
      counts.failures++;
      emit({ type: 'test:fail', test, seconds, error, phase: failure!.phase });
    } else {
      counts.errors++;
      emit({ type: 'test:error', test, seconds, error, phase: failure!.phase });
    }
  }

  /**
   * Runs one test inside its layers' per-test hooks; resolves to what it threw, if anything, and
   * where: in a per-test hook (the guard's name, `testSetUp` or `testTearDown`) or in the test.
   */
  async #runTest(test: Test): Promise<{ error: Error; phase: TestPhase } | undefined> {
    const { scheduler, watchdog } = this.#parts;
    watchdog.current = test.id;
    watchdog.takeExitCall();
    this.#test = test;
    this.#hookFailure = undefined;
    let failure: { error: Error; phase: TestPhase } | undefined;
    try {
      // Never await the shared DONE: with the inspector on, V8 records the awaiting function on
      // the awaited promise, and a long-lived one would then keep this runner's state reachable.
      const work = scheduler.aroundTest(this.#node, this.#body, this.#hooks);
      if (work !== DONE) await work;
    } catch (thrown) {
      // Set by the hooks' guard while aroundTest ran (TypeScript cannot see that).
      const hook = this.#hookFailure as HookFailure | undefined;
      const phase =
        hook !== undefined && hook.error === thrown && (hook.name === 'testSetUp' || hook.name === 'testTearDown') ? hook.name : 'test';
      failure = { error: toError(thrown), phase };
    }
    // A test that caught what its process.exit() threw still errors with it.
    const exitCall = watchdog.takeExitCall();
    if (exitCall !== undefined && failure === undefined) failure = { error: exitCall, phase: 'test' };
    // Not kept past the test: the heap sample after the iteration would count it.
    this.#hookFailure = undefined;
    watchdog.last = test.id;
    watchdog.current = undefined;
    this.#test = undefined;
    return failure;
  }

  /**
   * Finds which of the layer's tests leak (docs/ci.md) with at most `budget` heap samples: a
   * baseline, then one after each run of a subset the search asks for. A screened layer's search
   * counts live objects instead (`HeapSampler.screen`), and takes two samples per set it finds,
   * around one more run of it, to confirm it and give its growth in references; when the sets it
   * confirms grow by less than `perRun` (the least growth of an iteration in the verdict, in references),
   * the search samples, as without the screen: a test that keeps references and no new object
   * would be missed by the counts. Nothing is reported while it runs, and its state lives where
   * neither measure looks, so that only the tests' growth is measured.
   */
  async attribute(budget: number, perRun: number): Promise<LeakAttribution> {
    const counted = this.#screened ? await this.#countedSearch(budget) : undefined;
    const confirmed = counted?.leaking.reduce((sum, set) => sum + set.refs, 0) ?? 0;
    return counted !== undefined && confirmed >= perRun ? counted : this.#sampledSearch(budget);
  }

  async #sampledSearch(budget: number): Promise<LeakAttribution> {
    const { tests, layer } = this.layerRun;
    const sampler = this.#parts.sampler as HeapSampler;
    const search = new LeakrunLeakSearch(tests.length, budget - 1);
    // The search reads counts only; paths would be traced for nothing.
    const samples = await this.#search(
      search,
      'a heap sample',
      () => sampler.sample(NO_PATHS),
      (before, after) => this.#refs(before, after),
    );
    const found = search.result(tests.map((test) => test.id));
    return {
      layer: layer.name,
      leaking: found.found,
      undecided: found.undecided,
      samples,
      budget,
      stopped: found.stopped,
    };
  }

  /**
   * The search on counts of live objects, each set it names confirmed by two heap samples around
   * a run of it; `undefined` when it found nothing that way (a leak of references only, a count or
   * a check that failed, a set the samples did not see grow, or too small a budget), for the
   * sampled search to look.
   */
  async #countedSearch(budget: number): Promise<LeakAttribution | undefined> {
    const { tests, layer } = this.layerRun;
    const sampler = this.#parts.sampler as Required<HeapSampler>;
    const search = new LeakrunLeakSearch(tests.length, budget - 1);
    const counts = await this.#search(
      search,
      'a count of live objects',
      () => sampler.screen(),
      (before, after) => after - before,
    );
    const found = search.result(tests.map((_test, index) => index));
    if (found.stopped !== undefined || found.found.length === 0 || found.found.length * 2 > budget) return undefined;
    const leaking: LeakingTests[] = [];
    let samples = 0;
    try {
      for (const set of found.found) {
        const start = set.tests[0] as number;
        const end = (set.tests.at(-1) as number) + 1;
        const before = await sampler.sample(NO_PATHS);
        const why = await this.#runQuietly(start, end);
        if (why !== undefined) return undefined;
        this.#parts.flush();
        const after = await sampler.sample(NO_PATHS);
        samples += 2;
        const refs = this.#refs(before, after);
        if (refs < 1) return undefined;
        leaking.push({ tests: tests.slice(start, end).map((test) => test.id), refs });
      }
    } catch {
      return undefined;
    }
    return { layer: layer.name, leaking, undecided: [], samples, budget, counts };
  }

  /**
   * Drives `search` with `measure`, a heap sample or a count: a baseline, then one after each run
   * of the range it asks for, its growth by `growth`. A run that cannot be counted, or a measure
   * that fails, stops the search with the reason. Resolves to how many measures were taken.
   */
  async #search<M>(
    search: LeakrunLeakSearch,
    what: string,
    measure: () => Promise<M>,
    growth: (before: M, after: M) => number,
  ): Promise<number> {
    let taken = 0;
    try {
      this.#parts.flush();
      search.previous = await measure();
      taken++;
      while (search.next()) {
        const why = await this.#runQuietly(search.start, search.end);
        if (why !== undefined) {
          search.fail(why);
          break;
        }
        this.#parts.flush();
        const after = await measure();
        taken++;
        search.measured(growth(search.previous as M, after));
        search.previous = after;
      }
    } catch (error) {
      search.fail(`${what} failed: ${toError(error).message}`);
    }
    return taken;
  }

  /** The judged change between two samples: references, less known growth and `--leak-ignore`'s rows. */
  #refs(before: HeapSample, after: HeapSample): number {
    return judgedChange(diffSamples(before, after), this.#parts.options.leakIgnore);
  }

  /** Runs tests `start` to `end` once, reporting nothing; resolves to why a check cannot count them, if it cannot. */
  async #runQuietly(start: number, end: number): Promise<string | undefined> {
    const { tests } = this.layerRun;
    for (let at = start; at < end; at++) {
      if (this.#parts.shouldStop()) return 'the run was stopped';
      const test = tests[at] as Test;
      const failure = await this.#runTest(test);
      if (failure !== undefined && !isSkip(failure.error)) {
        return `${test.id} failed when run apart from the others: ${failure.error.message}`;
      }
    }
    return undefined;
  }

  /**
   * Reports what the iteration changed outside the heap, and the listener warnings Node raised
   * while it ran; Node raises those on a later tick, so without a resource count (which waits for
   * the event loop to settle) one turn is waited for them.
   */
  async #checkEnvironment(before: EnvironmentState, iteration: number, wait: boolean): Promise<void> {
    if (wait) await new Promise((resolve) => setImmediate(resolve));
    const changes = [...environmentChanges(before), ...takeListenerWarnings()];
    if (changes.length > 0) this.#parts.emit({ type: 'environment:change', layer: this.#node.name, iteration, changes });
  }

  /** The active resources after an iteration once the event loop has settled, and their changes since the last count. */
  async #countResources(): Promise<{ counts: ResourceCounts; changes: ResourceCounts | undefined }> {
    const counts = await settledResources();
    const previous = this.resources.items.at(-1);
    const changes = previous && resourceChanges(previous, counts);
    this.resources.items.push(counts);
    return { counts, changes };
  }

  /** The screen's count after an iteration, reported; `undefined` when it failed. */
  async #screen(iteration: number): Promise<{ objects: number; change: number | undefined } | undefined> {
    const { sampler, emit } = this.#parts;
    this.#parts.flush();
    const layer = this.#node.name;
    try {
      const objects = await (sampler as Required<HeapSampler>).screen();
      if (typeof objects !== 'number' || !Number.isFinite(objects)) {
        throw new ContractError('heap sampler', 'screen() must resolve to a finite number');
      }
      // The only count before this one is the first, at the end of the warm-ups.
      const since = this.#objects === undefined ? undefined : 1 + this.#parts.options.leakWarmups;
      const change = this.#objects === undefined ? undefined : objects - this.#objects;
      this.#objects = objects;
      emit({ type: 'heap:screen', layer, iteration, objects, change, since });
      return { objects, change };
    } catch (error) {
      // A failed count leaves no baseline: the next one is compared with nothing.
      this.#objects = undefined;
      emit({ type: 'heap:error', layer, iteration, error: toError(error) });
      return undefined;
    }
  }

  /** The heap sample after an iteration, reported; `undefined` without `-r` or when it failed. */
  async #sample(
    iteration: number,
    paths = true,
  ): Promise<{ sample: HeapSample; diff: ReturnType<typeof diffSamples> | undefined } | undefined> {
    const { sampler, emit } = this.#parts;
    if (!sampler) return undefined;
    this.#parts.flush();
    const layer = this.#node.name;
    try {
      const { verbose, repeat } = this.#parts.options;
      const sample = await sampler.sample({ retainerPaths: paths && (verbose >= 2 || iteration >= repeat) });
      if (typeof sample?.total !== 'number' || !(sample.byType instanceof Map)) {
        throw new ContractError('heap sampler', 'sample() must resolve to { total: number, byType: Map }');
      }
      const diff = this.#previous && diffSamples(this.#previous, sample);
      emit({ type: 'heap:sample', layer, iteration, sample, diff });
      this.#previous = sample;
      return { sample, diff };
    } catch (error) {
      emit({ type: 'heap:error', layer, iteration, error: toError(error) });
      return undefined;
    }
  }
}
