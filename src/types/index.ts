/**
 * Every public contract of leakrun lives here: the shapes of tests and layers, the options the
 * parser produces, the events the runner emits, the result `run()` resolves to, and the five
 * swappable components (option parser, layer scheduler, repeat loop, heap-count sampler,
 * formatter). Default implementations live in their own files.
 *
 * @packageDocumentation
 */
import type { Promisable } from 'type-fest';

// ---------------------------------------------------------------------------------------------
// Layers

/**
 * A layer: a shared fixture set up once for all the tests that use it and for the layers built on
 * it. Either a class with static hooks (bases from `extends` or a static `bases` array) or a plain
 * object with the same members. All hooks may be async.
 *
 * @example
 * ```ts
 * export class Database {
 *   static layerName = 'app.Database';
 *   static async setUp() { await startDatabase(); }
 *   static async tearDown() { await stopDatabase(); }
 * }
 * export class WithFixtures extends Database {
 *   static layerName = 'app.WithFixtures';
 *   static testSetUp() { loadFixtures(); }
 * }
 * ```
 */
export interface Layer {
  /** The printed name. Read as an own property only; a class without one prints its class name. */
  readonly layerName?: string;
  /** A class's own name, printed when there is no `layerName`. */
  readonly name?: string;
  /**
   * Present on every class. Declared so that a class with no static members at all (a layer that
   * only groups its bases) is still accepted as a `Layer` by TypeScript's weak-type check.
   */
  readonly prototype?: unknown;
  /** Explicit bases, overriding the superclass. Read as an own property only. */
  readonly bases?: readonly Layer[];
  /** Called once, before the first test of this layer or of a layer built on it. */
  setUp?(): Promisable<unknown>;
  /** Called once, when no later layer needs it. May throw `CannotTearDown` (exported by `leakrun`) when it cannot be undone in this process. */
  tearDown?(): Promisable<unknown>;
  /** Called before every test of this layer or of a layer built on it, base layers first. */
  testSetUp?(): Promisable<unknown>;
  /** Called after every such test, even a failed one, in reverse order. */
  testTearDown?(): Promisable<unknown>;
}

// ---------------------------------------------------------------------------------------------
// Tests

/** What a test body, hook or layer method may return. */
export type MaybePromise<T> = Promisable<T>;

/**
 * One runnable test, as discovery hands it to the runner. Built by `TestCase` subclasses,
 * `test()`, `suite()` and `docFileSuite()`; rarely written by hand.
 */
export interface Test {
  /** Short name, e.g. `test_x1`. */
  readonly name: string;
  /** The printed name, e.g. `test_x1 (sample1.sampletests.test1.TestA)`; unique within a run. */
  readonly id: string;
  /** Dotted module name relative to its `--path` root, e.g. `sample1.sampletests.test1`. */
  readonly module: string;
  /** The layer, or `undefined` for the unit-tests layer. */
  readonly layer: Layer | undefined;
  /** The level; tests above the run's level (default 1) are not run. */
  readonly level: number;
  /** Runs the test with its own set-up and tear-down. Throwing or rejecting reports it. */
  run(): Promise<void>;
}

/** A value produced by `suite()`, `test()`, `docFileSuite()` or a `TestCase` subclass. */
export type SuiteMember = TestSpec | SuiteSpec | TestCaseClass;

/** A single test built by `test(name, fn)`. */
export interface TestSpec {
  /** Tells a test from a suite. */
  readonly kind: 'test';
  /** The test's name, printed as `NAME (MODULE)`. */
  readonly name: string;
  /** The test: throwing or rejecting reports it (an assertion as a failure, anything else as an error). */
  readonly fn: () => Promisable<unknown>;
  /** Its layer; else the enclosing suite's, else none (the unit-tests layer). */
  readonly layer?: Layer | undefined;
  /** Its level; else the enclosing suite's, else 1. */
  readonly level?: number | undefined;
  /** Overrides the module part of the printed name (doc files use their path). */
  readonly module?: string | undefined;
}

/** A group of members sharing a layer and a level; the innermost setting wins. */
export interface SuiteSpec {
  /** Tells a suite from a test. */
  readonly kind: 'suite';
  /** The layer of members that do not name one. */
  readonly layer?: Layer | undefined;
  /** The level of members that do not name one. */
  readonly level?: number | undefined;
  /** Tests, suites and `TestCase` classes, in the order they run. */
  readonly members: readonly SuiteMember[];
}

/** A class extending `TestCase`, as seen by discovery. */
export interface TestCaseClass {
  /** Makes the instance that runs one `test*` method. */
  new (methodName: string): object;
  /** The class name, the last part of the printed module name. */
  readonly name: string;
  /** The layer of its tests (a static property). */
  readonly layer?: Layer | undefined;
  /** The level of its tests (a static property). */
  readonly level?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Options

/** The options of one run, after defaults and argv were merged and validated (docs/options.md). */
export interface RunOptions {
  /** Roots searched for test modules (`--path` and `--test-path`), absolute, in order given. */
  readonly paths: readonly string[];
  /** Module/directory stem pattern. Default `^tests$|\.test$`. */
  readonly testsPattern: RegExp;
  /** File pattern inside a matching directory. Default `^test`. */
  readonly testFilePattern: RegExp;
  /** `-s/--package`: dotted package prefixes. */
  readonly packages: readonly string[];
  /** `-m/--module` filters; a module is kept when any matches. */
  readonly modules: readonly NameFilter[];
  /** `-t/--test` filters on the printed test name; a test is kept when any matches. */
  readonly tests: readonly NameFilter[];
  /** `--layer` filters on layer names; a layer is kept when any matches. */
  readonly layers: readonly NameFilter[];
  /** `-u` (only unit tests), `-f` (only non-unit), or both kinds. */
  readonly unit: 'only' | 'exclude' | 'include';
  /** Highest level run; `Infinity` for `--all`. Default 1. */
  readonly atLevel: number;
  /** `--list-tests`: list the selected tests by layer, run nothing. */
  readonly listTests: boolean;
  /**
   * `--pass-with-no-tests`: a run whose filters select no test passes. Without it, such a run
   * fails with exit code 1 and a line naming the filters, so that a mistyped filter cannot pass CI.
   */
  readonly passWithNoTests: boolean;
  /**
   * Test files and directories named as arguments (absolute paths). When there are any, only the
   * test modules they name or hold are loaded: a named file whatever its name, and in a directory
   * the files that `testsPattern` and `testFilePattern` select. Empty for all of `paths`.
   */
  readonly files: readonly string[];
  /** `--require-unique`: fail before running when two selected tests share a printed name. */
  readonly requireUnique: boolean;
  /** `-v` count (0 by default; `-q` sets it to 0). */
  readonly verbose: number;
  /** `-q`. */
  readonly quiet: boolean;
  /** `-p`, or `--auto-progress` on a terminal. */
  readonly progress: boolean;
  /** `-c`, or `--auto-color` on a terminal. */
  readonly color: boolean;
  /** `-N`: iterations per layer. Default 1. */
  readonly repeat: number;
  /** `-r`: sample the heap after each iteration (also on with `--fail-on-leak`). */
  readonly reportRefcounts: boolean;
  /**
   * `--fail-on-leak`: judge each layer's heap deltas after its iterations and fail a layer that
   * grew in every judged one (docs/ci.md). Without `-N`, the repeat count is `leakWarmups + 4`.
   */
  readonly failOnLeak: boolean;
  /**
   * `--fail-on-env-change`: an iteration that changes `globalThis`, `process.env` or the working
   * directory, or raises a `MaxListenersExceededWarning`, is an error (docs/leaks.md). Without it,
   * `-r` reports such changes as warnings.
   */
  readonly failOnEnvChange: boolean;
  /**
   * `--trace-leaks`: note where every timer, handle and request is created (an async hook), and
   * show it for a resource type that leaked. Costs time in every test; off by default.
   */
  readonly traceLeaks: boolean;
  /** `--leak-warmups`: how many deltas after the baseline are printed but not judged. Default 1. */
  readonly leakWarmups: number;
  /**
   * `--leak-max-repeat`: the most iterations a layer runs when its judged deltas disagree (some
   * grew, some did not): the verdict runs one more at a time and judges the latest window of as
   * many deltas as `-N` judged (docs/ci.md). Default `repeat` plus twice that window.
   */
  readonly leakMaxRepeat: number;
  /** `--leak-allow-undecided`: a layer whose deltas still disagree after `leakMaxRepeat` iterations does not fail the run. */
  readonly leakAllowUndecided: boolean;
  /**
   * `--leak-bisect-budget`: the most heap samples the search for a leaking layer's leaking tests
   * may take, its baseline included; 0 turns the search off. Default 20.
   */
  readonly leakBisectBudget: number;
  /** `--leak-bisect`: judge and search every layer's growth as `--fail-on-leak` does, without failing the run. */
  readonly leakBisect: boolean;
  /** `--leak-allow`: layers or tests whose leaks are reported as allowed and do not fail the run. */
  readonly leakAllow: readonly RegExp[];
  /** `--leak-ignore`: heap rows (type/class names) left out of the judged deltas. */
  readonly leakIgnore: readonly RegExp[];
  /** `--json FILE`: where to write the run as JSON at its end (absolute); `undefined` for nowhere. */
  readonly json: string | undefined;
  /**
   * `--html FILE`: where to write the run as one self-contained page at its end (absolute): per
   * layer, a plot of the heap's changes and what leaked (docs/leaks.md). `undefined` for nowhere.
   */
  readonly html: string | undefined;
  /**
   * `--xml DIR`: where to write the run as JUnit XML at its end, a file per layer (absolute; made
   * if missing); `undefined` for nowhere (docs/ci.md).
   */
  readonly xml: string | undefined;
  /**
   * `--reporter`: the formatter that prints the run: `text`, `events`, or a module (a path, or a
   * package name) whose default export (or `createFormatter` export) is a {@link FormatterFactory}.
   * `undefined` for `components.formatter`, else `text`.
   */
  readonly reporter: string | undefined;
  /** `-x`: stop after the first failure or error. */
  readonly stopOnError: boolean;
  /** `--timeout` in milliseconds per test; `undefined` for none. */
  readonly timeout: number | undefined;
  /** `--shuffle` or `--shuffle-seed`: each layer's tests in an order drawn from the seed. */
  readonly shuffle: boolean;
  /** The seed used when shuffling (given or drawn). */
  readonly shuffleSeed: number | undefined;
  /**
   * `--shard I/N`: run only the I-th of N shares of the selected tests (1-based), for one of N CI
   * machines (docs/ci.md); `undefined` for all of them.
   */
  readonly shard: Shard | undefined;
  /**
   * `-j N`: run up to N layers at once, each in a child process of its own, printing their output
   * in the usual layer order (docs/processes.md). 1, the default, runs every layer in this process.
   */
  readonly jobs: number;
  /** `--version`: print it, run nothing. */
  readonly version: boolean;
  /** `--help`: print the option parser's help, run nothing. */
  readonly help: boolean;
}

/** A compiled `--layer`/`-m`/`-t` pattern; a leading `!` negates it. */
export interface NameFilter {
  /** The pattern as given, `!` included. */
  readonly source: string;
  /** True when it began with `!`: names it matches are left out. */
  readonly negated: boolean;
  /** The compiled pattern, without the `!`. */
  readonly regexp: RegExp;
}

/** A usage problem: one line naming the option and the fix, and the exit code it leads to. */
export interface UsageProblem {
  /** One line naming the option and the fix, printed after `leakrun: error: `. */
  readonly message: string;
  /** 2 for a bad command line; 1 for a run that cannot go on as asked (`-r` without `-N`, `--require-unique`). */
  readonly exitCode: 1 | 2;
}

/** What an option parser is told about the run it parses for. */
export interface ParseContext {
  /** The directory relative paths are resolved against (`components.cwd`). */
  readonly cwd: string;
  /**
   * Whether the run's output (`components.output`) is a terminal: what `--auto-color` and
   * `--auto-progress` go by.
   */
  readonly terminal: boolean;
  /**
   * Whether to colour when the arguments do not say (no `-c`, `-C` or `--auto-color`'s own
   * choice): the CLI's reading of `FORCE_COLOR`, `NO_COLOR` and `TERM=dumb` (docs/options.md).
   * `undefined` colours a terminal only.
   */
  readonly color?: boolean | undefined;
  /**
   * Where the `defaults` came from (`components.defaultsSource`), such as `leakrun.config.json`:
   * a usage problem they cause names it. `undefined` when they were given in code.
   */
  readonly defaultsSource?: string | undefined;
}

/**
 * Turns the command line into {@link RunOptions}. A swappable part (docs/api.md).
 *
 * Its contract:
 * - `parse` reads `defaults` first and `argv` on top of them, and returns either complete options
 *   or one usage problem, whose message the runner prints after `leakrun: error: ` and whose exit
 *   code the run returns. Bad input is a usage problem, not a throw; a `parse` that throws ends the
 *   run before anything runs, with a usage error that names the option parser (exit 2).
 * - `help()` returns the text `--help` prints: every option `parse` accepts. It is called only
 *   when the options ask for help.
 * - Neither method writes anything; the runner prints.
 */
export interface OptionParser {
  /** The options `defaults` and then `argv` give, or the one usage problem they have. */
  parse(
    defaults: readonly string[],
    argv: readonly string[],
    context: ParseContext,
  ): { readonly options: RunOptions } | { readonly problem: UsageProblem };
  /** The text `--help` prints. */
  help(): string;
}

// ---------------------------------------------------------------------------------------------
// Heap samples

/** Counts of one row of the heap report. */
export interface TypeCount {
  /** Live objects of this type/class. */
  readonly insts: number;
  /** References (heap-graph edges) to them. */
  readonly refs: number;
}

/** One measurement of the heap, taken after an iteration (docs/leaks.md). */
export interface HeapSample {
  /** What `sys refcount=` prints. */
  readonly total: number;
  /** Counts per type/class name, e.g. `leak.Leakable`, `(heap number)`. */
  readonly byType: ReadonlyMap<string, TypeCount>;
  /** The names in `byType` that are rows of {@link KnownGrowth}; none when absent. */
  readonly known?: ReadonlySet<string> | undefined;
  /**
   * What holds the objects that are new since the previous sample, for the rows whose instances
   * grew: the default sampler's answer when its `retainerPaths` option is on (docs/leaks.md).
   * Rows that did not grow, and samplers that do not trace, have none.
   */
  readonly paths?: readonly RetainerPath[] | undefined;
}

/**
 * Objects of one row that share a retainer path: the shortest chain of references from a root
 * (a module, `globalThis`, or one of V8's GC roots) to them, over the references the counts
 * follow, with indexes along the way set aside (docs/leaks.md). Drawn through its newest object.
 */
export interface RetainerPath {
  /** The row of the objects at the end, as in {@link HeapSample.byType}: `leak.Leakable`. */
  readonly name: string;
  /** Where the path starts: `leak (module)`, `globalThis`, or a GC root such as `(Global handles)`. */
  readonly root: string;
  /** The references from the root to the objects, in order; the last one's target is the row. */
  readonly steps: readonly RetainerStep[];
  /**
   * Live objects of the row held along this path; absent when the row had too many objects
   * (over 20,000 for the default sampler) to group them all, and only its new ones were.
   */
  readonly objects?: number | undefined;
  /** How many of them are new since the previous sample. */
  readonly added: number;
}

/** One reference of a {@link RetainerPath}. */
export interface RetainerStep {
  /** The reference as code would write it: `.leaked`, `[3]`, `.table[6]` (a `Map`'s entries). */
  readonly edge: string;
  /** What it points at: a row name (`Array`, `leak.Leakable`), a function (`startPolling()`) or a kind (`(Context)`). */
  readonly target: string;
  /** The target existed at the previous sample and holds what is new: the reference through which the path grows. */
  readonly grows: boolean;
}

/** One share of a run's tests: `--shard 2/3` is `{ index: 2, count: 3 }`. */
export interface Shard {
  /** Which share, from 1. */
  readonly index: number;
  /** How many shares. */
  readonly count: number;
}

/**
 * Growth that is real but bounded and not the tested code's doing, a "library leak" in
 * LeakCanary's words: Node's resource-timing buffer keeps an entry per `fetch` until it holds 250.
 * The default sampler counts everything that is reachable only through the entry's holders in one
 * row named `name`. That row stays in the counts (`change=` includes it) and the `-v` table marks
 * it `known`, so a reader, or a verdict, can tell it from the program's own growth. The built-in
 * list is `KNOWN_GROWTH` (docs/leaks.md); `Components.knownGrowth` and the configuration add more.
 *
 * @example
 * ```ts
 * const pool: KnownGrowth = {
 *   name: 'app: connection pool',
 *   variables: ['idleConnections'],
 *   why: 'keeps up to 10 idle connections for reuse',
 *   clear: 'pool.drain()',
 * };
 * ```
 */
export interface KnownGrowth {
  /** The row's name in the counts and the `-v` table. */
  readonly name: string;
  /**
   * Names of module-level (or captured) variables whose values hold the growth, as V8 names a
   * closure context's slots: what only these values reach is the entry's. Each is a bare name, or
   * qualified by the script whose functions close over it as `SCRIPT#NAME`
   * (`node:internal/deps/undici/undici#fastTimers`), so that the same name elsewhere stays the program's.
   */
  readonly variables?: readonly string[] | undefined;
  /** Constructor names whose instances hold the growth: they, and what only they reach, are the entry's. */
  readonly classes?: readonly string[] | undefined;
  /**
   * Names of the functions that pending timers (`setTimeout`, `setInterval`) call, each either a
   * bare function name or qualified by its script as `SCRIPT#NAME` (`node:internal/http#resetCache`).
   * Such a timer, the timer list of its duration when the list holds no other timer, and what only
   * they reach are the entry's, so a timer that comes and goes with the wall clock does not move
   * the program's rows.
   */
  readonly timers?: readonly string[] | undefined;
  /** Why it grows, and where it stops. */
  readonly why: string;
  /** How a test suite can empty it, when it can. */
  readonly clear?: string | undefined;
}

/** The change between two samples, as the formatter prints it. */
export interface HeapDiff {
  /** `sys refcount=`: the current sample's total. */
  readonly total: number;
  /** `change=`: current total minus previous total. */
  readonly change: number;
  /** `sum detail refcount=`: the sum of refs over all rows of the current sample. */
  readonly detailTotal: number;
  /** Rows whose insts or refs changed, sorted by name. */
  readonly rows: readonly HeapDiffRow[];
}

/** A row of {@link HeapDiff}: the change of one type/class. */
export interface HeapDiffRow extends TypeCount {
  /** The type/class name, as in {@link HeapSample.byType}. */
  readonly name: string;
  /** True for the row of a {@link KnownGrowth} entry. */
  readonly known?: boolean | undefined;
}

/**
 * What the runner will use of one heap sample: a hint that lets a sampler skip work, which a
 * sampler may ignore.
 */
export interface SampleRequest {
  /**
   * `false` when the runner will not show this sample's retainer paths: the default sampler then
   * does not trace them (docs/leaks.md). The runner asks for them at `-vv` after every iteration,
   * and under a verdict after a layer's last iteration, whose paths the verdict shows.
   */
  readonly retainerPaths?: boolean | undefined;
}

/**
 * Measures the heap. A swappable part (docs/api.md).
 *
 * Its contract: with `-r`, `sample()` is called once after every iteration of every layer, never
 * twice at a time, and resolves to a {@link HeapSample} (`total` a number, `byType` a `Map`); the
 * runner diffs consecutive samples of a layer itself. With `--fail-on-leak`, a leaking layer's
 * search for its leaking tests calls it again, after each run of a subset of the tests. A rejection, or a value of another shape, is
 * an error of that iteration's sample (`heap:error`, a problem of phase `sample`) and the run goes
 * on. Samplers never print. `close()`, if there is one, is called once when the run ends; a
 * rejection of it is a problem too.
 */
export interface HeapSampler {
  /** The counts of the heap now; `request` says what the runner will use of them. */
  sample(request?: SampleRequest): Promise<HeapSample>;
  /** Releases workers or sessions; called once at the end of a run that sampled. */
  close?(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Events

/** A failure (an assertion) or an error (anything else thrown or rejected). */
export type ProblemKind = 'failure' | 'error';

/** The part of running a test that failed: the test, or a per-test hook around it. */
export type TestPhase = 'test' | 'testSetUp' | 'testTearDown';

/**
 * Where a problem happened: in a `test` itself; in the per-test hooks around it (`testSetUp`,
 * `testTearDown`); in a layer's `setUp` or `tearDown` (`layerSetUp`, `layerTearDown`; a layer
 * whose bases cannot be resolved fails as its set-up); in a heap sample (`sample`, with `-r`: the
 * sampler rejected or broke its contract); outside any of these (`unhandled`: an
 * unhandled rejection, an uncaught exception, a test that rejected after it was given up); in a
 * child process that ran a layer and died or stopped answering (`subprocess`); or in
 * the runner itself or one of its parts (`runner`). Modules that fail to import are not problems
 * but `RunResult.importFailures`.
 */
export type ProblemPhase =
  | 'test'
  | 'testSetUp'
  | 'testTearDown'
  | 'layerSetUp'
  | 'layerTearDown'
  | 'sample'
  | 'leak'
  | 'environment'
  | 'unhandled'
  | 'subprocess'
  | 'runner';

/** A recorded failure or error of a test, a layer hook or the run itself. */
export interface Problem {
  /** `failure` for an assertion, `error` for anything else. */
  readonly kind: ProblemKind;
  /** Where it happened. */
  readonly phase: ProblemPhase;
  /**
   * The printed name: the test's, `Layer: samplelayers.Layer1.setUp` for a layer hook,
   * `Leak: samplelayers.Layer1` for a layer that leaked under `--fail-on-leak`,
   * `Unhandled rejection during …` outside a test; for the `runner` phase, the part that failed
   * (`repeat loop`, `scheduler`, `formatter`, `heap sampler`, or `runner` itself).
   */
  readonly test: string;
  /** The original throwable, normalised to an `Error`. */
  readonly error: Error;
  /** The layer name the problem happened in, if any. */
  readonly layer?: string | undefined;
  /** The iteration (1-based) it happened in. */
  readonly iteration?: number | undefined;
}

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
  /** Heap samples the search took, its baseline included. */
  readonly samples: number;
  /** The most it could take (`--leak-bisect-budget`). */
  readonly budget: number;
  /** Why the search stopped before it was done, if it did. */
  readonly stopped?: string | undefined;
}

/** Counts of one iteration of one layer. */
export interface IterationCounts {
  /** Tests run, skipped ones included. */
  readonly tests: number;
  /** Tests that failed an assertion. */
  readonly failures: number;
  /** Tests that threw or rejected with anything else. */
  readonly errors: number;
  /** Tests that skipped themselves. */
  readonly skipped: number;
  /** Wall time of the iteration's tests, hooks included, heap sample excluded. */
  readonly seconds: number;
}

/**
 * Everything the runner reports, in order. A formatter consumes these and nothing else.
 * Events are plain data and never carry functions or live layers.
 */
export type RunEvent =
  | { readonly type: 'run:start'; readonly options: RunOptions }
  | { readonly type: 'import:failure'; readonly module: string; readonly error: Error }
  | { readonly type: 'list:layer'; readonly layer: string; readonly tests: readonly string[] }
  | { readonly type: 'layer:start'; readonly layer: string; readonly unit: boolean }
  | { readonly type: 'layer:setup:start'; readonly layer: string }
  | { readonly type: 'layer:setup:end'; readonly layer: string; readonly seconds: number; readonly error?: Error | undefined }
  | { readonly type: 'layer:teardown:start'; readonly layer: string }
  | {
      readonly type: 'layer:teardown:end';
      readonly layer: string;
      readonly seconds: number;
      readonly error?: Error | undefined;
      /** The layer threw `CannotTearDown`. */
      readonly notSupported?: boolean | undefined;
    }
  | {
      /** The tests of a layer that did not run: its set-up or a base's failed, or the run was interrupted before it started. */
      readonly type: 'layer:not-run';
      readonly layer: string;
      readonly tests: readonly string[];
    }
  | {
      /**
       * The layer runs in a child process of its own (docs/processes.md): after a layer could not be
       * torn down, under `-j N`, or for `-r` beside another test runner. Comes after its `layer:start`; the child's events for the
       * layer follow, relayed as they arrive.
       */
      readonly type: 'layer:subprocess';
      readonly layer: string;
      /**
       * Why, when it is neither of those: `run()` with `-r` in a process that another test runner
       * shares (docs/frameworks.md), such as `Vitest shares this process`.
       */
      readonly reason?: string | undefined;
    }
  | { readonly type: 'leftover:start' }
  | {
      readonly type: 'iteration:start';
      readonly layer: string;
      readonly iteration: number;
      readonly of: number;
      /** How many tests this iteration will run. */
      readonly tests: number;
    }
  | { readonly type: 'test:start'; readonly test: string }
  | { readonly type: 'test:pass'; readonly test: string; readonly seconds: number }
  | { readonly type: 'test:skip'; readonly test: string; readonly seconds: number; readonly reason: string }
  | { readonly type: 'test:fail'; readonly test: string; readonly seconds: number; readonly error: Error; readonly phase: TestPhase }
  | { readonly type: 'test:error'; readonly test: string; readonly seconds: number; readonly error: Error; readonly phase: TestPhase }
  | {
      /**
       * The run was interrupted (`components.signal`; Ctrl-C or SIGTERM for the `leakrun`
       * command): what was running when it happened. The run stops waiting for it, tears down
       * what is set up and ends with `run:end`.
       */
      readonly type: 'run:interrupted';
      readonly interruption: Interruption;
    }
  | {
      /** A problem outside a test's own run: an unhandled rejection after it finished, a timeout's late settle. */
      readonly type: 'run:problem';
      readonly problem: Problem;
    }
  | {
      readonly type: 'iteration:end';
      readonly layer: string;
      readonly iteration: number;
      readonly of: number;
      readonly counts: IterationCounts;
    }
  | {
      readonly type: 'heap:sample';
      readonly layer: string;
      readonly iteration: number;
      readonly sample: HeapSample;
      /** `undefined` for the first iteration, the baseline. */
      readonly diff: HeapDiff | undefined;
    }
  | { readonly type: 'heap:error'; readonly layer: string; readonly iteration: number; readonly error: Error }
  | {
      /**
       * With `-r` or `--fail-on-env-change`, after an iteration that changed the environment
       * (docs/leaks.md), before its heap sample.
       */
      readonly type: 'environment:change';
      readonly layer: string;
      readonly iteration: number;
      readonly changes: readonly EnvironmentChange[];
    }
  | {
      /**
       * With `-r`, after each iteration's heap sample: the active resources counted just before
       * it, once the event loop had settled (docs/leaks.md).
       */
      readonly type: 'resources:sample';
      readonly layer: string;
      readonly iteration: number;
      readonly counts: ResourceCounts;
      /** The types whose count changed since the previous iteration; `undefined` for the first. */
      readonly changes: ResourceCounts | undefined;
    }
  | {
      /**
       * With `--fail-on-leak` or `--leak-bisect`, after a layer's last iteration, when its judged
       * deltas disagree (some grew, some did not): more iterations follow, one at a time, until
       * the latest `window` deltas agree or `upTo` iterations have run (docs/ci.md).
       */
      readonly type: 'layer:extend';
      readonly layer: string;
      /** The judged deltas that disagree. */
      readonly deltas: readonly number[];
      /** How many of the latest deltas the verdict judges. */
      readonly window: number;
      /** The most iterations the layer runs in all (`--leak-max-repeat`). */
      readonly upTo: number;
    }
  | {
      /**
       * With `--fail-on-leak` or `--leak-bisect`, after a layer's last iteration and before
       * anything tears it down; for a leaking layer, after the search for its leaking tests.
       */
      readonly type: 'layer:verdict';
      readonly verdict: LeakVerdict;
      /** For a leaking layer, which of its tests leak; none when the search is off. */
      readonly attribution?: LeakAttribution | undefined;
    }
  | { readonly type: 'run:end'; readonly result: RunResult };

/** The event type names. */
export type RunEventType = RunEvent['type'];

/**
 * Turns events into text. Stateful, one per run. A swappable part (docs/api.md).
 *
 * Its contract: `write` is called once per event, in the order of {@link RunEvent}, from
 * `run:start` to `run:end`, and returns the text the event produces (`''` for none), which the
 * runner writes to the output; text for an event that starts work (`…:start`) is written before the
 * work starts. It never runs or awaits anything. A `write` that throws or returns something other
 * than a string ends the run: the runner prints one error naming the formatter to the error
 * output, stops calling it, and the run ends with that problem (phase `runner`).
 */
export interface Formatter {
  /** The text for one event; `''` for none. */
  write(event: RunEvent): string;
}

/** What a formatter factory is told about the run's output. */
export interface FormatterContext {
  /** The run's options: verbosity, colour, progress, `-N`, `--list-tests`… */
  readonly options: RunOptions;
  /** Directory that printed paths are made relative to. */
  readonly cwd: string;
  /**
   * The width of the terminal the output goes to, in columns; `undefined` when it is not a
   * terminal. The text formatter fits its `-p` line into it, so that the line is rewritten in place.
   */
  readonly columns?: number | undefined;
}

/** Builds a formatter for one run. */
export type FormatterFactory = (context: FormatterContext) => Formatter;

// ---------------------------------------------------------------------------------------------
// Layer scheduling and the repeat loop

/** A layer resolved for scheduling: its name, bases and the live layer object. */
export interface LayerNode {
  /** The printed name (`layerName`, else the class name). */
  readonly name: string;
  /** The live layer; `undefined` for the unit-tests layer. */
  readonly layer: Layer | undefined;
  /** Its direct bases, resolved, left to right. */
  readonly bases: readonly LayerNode[];
}

/** Sends an event to the formatter and to the result being built. */
export type Emit = (event: RunEvent) => void;

/**
 * Waits for a hook's promise under the run's guard: resolves or rejects like `work`, or rejects
 * instead (with `TestTimeout` or `NeverSettled`) when `work` outlives `--timeout` or can never
 * settle. `name` says whose hook it is (`Layer1.setUp`, `testSetUp`); a rejection that comes after
 * the guard gave up is reported under it.
 */
export type HookGuard = (name: string, work: Promise<unknown>) => Promise<unknown>;

/**
 * Orders layers, sets them up and tears them down around each layer's tests (docs/layers.md),
 * and runs each test inside its layers' per-test hooks. A swappable part (docs/api.md). The
 * runner calls `order` once, then for each layer in that order `enter`, then `aroundTest` for
 * every test the repeat loop runs, and `finish` once at the end, even when the run failed midway.
 * It awaits each call before the next. A method that throws (or rejects) ends the run: the error
 * is reported as the scheduler's, naming the method; what was measured so far is kept.
 */
export interface LayerScheduler {
  /**
   * Orders the layers that have tests (the default: unit tests first, then zope's
   * `order_by_bases`). Must return each given node exactly once.
   */
  order(layers: readonly LayerNode[]): LayerNode[];
  /**
   * Makes `layer` and all its bases set up, tearing down those it does not need first, and
   * emits `layer:setup:start`/`layer:setup:end` and `layer:teardown:start`/`layer:teardown:end`
   * around each hook it calls (an `error` on the end event when the hook threw). Each hook's
   * promise should be awaited through `guard`. Resolves to `true` once the layer is set up, to
   * `false` when a set-up failed (the layer's tests do not run), and to `'subprocess'` when a layer
   * it had to tear down first could not be (it threw `CannotTearDown`): it then sets nothing up,
   * and the runner runs this layer and every later one in fresh child processes, as zope does
   * (docs/processes.md). A scheduler that never resolves to `'subprocess'` keeps every layer in
   * this process.
   */
  enter(layer: LayerNode, emit: Emit, guard: HookGuard): Promise<boolean | 'subprocess'>;
  /**
   * Runs one test of `layer`: its layers' `testSetUp` hooks (bases first), then `body`, then
   * their `testTearDown` hooks (most derived first, all of them even when one threw), each
   * hook's promise through `guard`. Rejects with the first error of the set-up, the body or the
   * tear-down, in that order; the runner reports it as the test's outcome. `body` runs the test
   * under `--timeout` already; it is called at most once. For a synchronous test it returns a
   * settled promise that all such tests share: return it as it is when nothing follows the test,
   * rather than `await` it, since under the inspector V8 notes the awaiting function on the
   * awaited promise, and heap counts would then show the scheduler's state once.
   */
  aroundTest(layer: LayerNode, body: () => Promise<void>, guard: HookGuard): Promise<void>;
  /** Tears down everything still set up, most derived first, emitting as `enter` does. */
  finish(emit: Emit, guard: HookGuard): Promise<void>;
}

/**
 * What the repeat loop is given for one layer, which is set up when the loop starts and stays so
 * until it resolves.
 */
export interface LayerRun {
  /** The layer, set up with its bases. */
  readonly layer: LayerNode;
  /** The layer's selected tests, in the order to run them. */
  readonly tests: readonly Test[];
  /** The run's options; `repeat` (`-N`) is the most iterations the loop may run. */
  readonly options: RunOptions;
  /** True once the run must stop (`-x` saw a failure); the loop returns as soon as it sees it. */
  readonly shouldStop: () => boolean;
  /**
   * Runs one iteration: reports its start, runs `tests` (default: all of the layer's) in order,
   * each inside the scheduler's `aroundTest`, reports each test's outcome and the iteration's
   * counts, then takes the heap sample when `-r` is on. Resolves to the iteration's result, its
   * heap sample and diff included. Iterations are numbered from 1 in the order they are run.
   * Rejects with a contract error when called while another iteration is running, after the
   * loop's `run` has resolved, or more than `options.repeat` times.
   */
  runIteration(tests?: readonly Test[]): Promise<IterationResult>;
}

/**
 * Decides how many times a layer's tests run inside one set-up, and which. A swappable part
 * (docs/api.md). `run` calls `layerRun.runIteration()` one or more times, awaiting each, up to
 * `options.repeat` times (the default runs exactly that many, or fewer when the run stops), and
 * resolves when it is done with the layer. Everything it runs is reported by the runner, so it
 * never emits events itself. If it rejects, or breaks the rules of `runIteration`, the run ends
 * with an error naming the repeat loop and the rule; the iterations that ran are kept.
 */
export interface RepeatLoop {
  /** Runs the iterations of one layer; resolves when the layer may be left. */
  run(layerRun: LayerRun): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Results

/** One iteration of one layer. */
export interface IterationResult extends IterationCounts {
  /** Its number, from 1. */
  readonly iteration: number;
  /** The heap sample taken after it, with `-r`. */
  readonly heap?: HeapSample | undefined;
  /** Its diff against the previous iteration's sample (from iteration 2 on). */
  readonly heapDiff?: HeapDiff | undefined;
  /** With `-r`, the active resources after it, by type (docs/leaks.md). */
  readonly resources?: ResourceCounts | undefined;
  /** With `-r` or `--fail-on-env-change`, what it changed outside the heap, if anything. */
  readonly environment?: readonly EnvironmentChange[] | undefined;
}

/** One layer's results. */
export interface LayerResult {
  /** The layer's printed name. */
  readonly name: string;
  /** The iterations that ran, in order; none when the layer could not be set up. */
  readonly iterations: readonly IterationResult[];
  /** With `--fail-on-leak`, the leak verdict on the layer. */
  readonly verdict?: LeakVerdict | undefined;
  /** For a leaking layer, which of its tests leak. */
  readonly attribution?: LeakAttribution | undefined;
}

/** Where a run was when it was interrupted. */
export interface Interruption {
  /** The abort reason when it is a string (`SIGINT`, `SIGTERM`), else `abort`. */
  readonly signal: string;
  /** The layer that was running, if any. */
  readonly layer: string | undefined;
  /** The test that was running, if any. */
  readonly test: string | undefined;
}

/** What `run()` resolves to. */
export interface RunResult {
  /** Tests run, each counted once (its last iteration). */
  readonly tests: number;
  /** Failures of every iteration. */
  readonly failures: number;
  /** Errors of every iteration, layer hooks and import problems included. */
  readonly errors: number;
  /** Tests that skipped themselves (their last iteration). */
  readonly skipped: number;
  /** Per layer, in the order they ran. */
  readonly layers: readonly LayerResult[];
  /** Every failure and error, in the order they happened. */
  readonly problems: readonly Problem[];
  /** Modules that could not be imported: the dotted name, and why. */
  readonly importFailures: readonly { readonly module: string; readonly error: Error }[];
  /** Per layer that did not run (its set-up failed, or an interrupt came before it started), the tests that did not run because of it. */
  readonly notRun: readonly { readonly layer: string; readonly tests: readonly string[] }[];
  /** The seed tests were shuffled with, if `--shuffle`. */
  readonly shuffleSeed?: number | undefined;
  /** The usage problem that stopped the run before anything ran. */
  readonly usageProblem?: UsageProblem | undefined;
  /** Set when the run was interrupted: it then failed, with exit code 143 for SIGTERM and 130 otherwise. */
  readonly interrupted?: Interruption | undefined;
  /** Whether anything went wrong: a problem, an import failure, a usage problem, an interrupt. */
  readonly failed: boolean;
  /** What the command line exits with: 0 passed, 1 failed, 2 bad usage, 130 interrupted, 143 interrupted by SIGTERM. */
  readonly exitCode: 0 | 1 | 2 | 130 | 143;
}

// ---------------------------------------------------------------------------------------------
// Components

/** Where text goes: a writable stream or a function. */
export type Output = { write(text: string): unknown } | ((text: string) => void);

/** Replacements for any of the swappable parts; each defaults to leakrun's own. */
export interface Components {
  /** Parses the command line; default `DefaultOptionParser`. */
  readonly optionParser?: OptionParser;
  /** Sets layers up and tears them down, and runs each test in its hooks; default `DefaultLayerScheduler`. */
  readonly scheduler?: LayerScheduler;
  /** Decides a layer's iterations; default `DefaultRepeatLoop`. */
  readonly repeatLoop?: RepeatLoop;
  /** A sampler, or a factory called once per run that uses `-r`. */
  readonly sampler?: HeapSampler | (() => HeapSampler);
  /**
   * Known bounded growth the default sampler counts in rows of their own, besides the built-in
   * `KNOWN_GROWTH`. Not used by a sampler given in `sampler`.
   */
  readonly knownGrowth?: readonly KnownGrowth[];
  /** Turns events into text; default `createTextFormatter`. */
  readonly formatter?: FormatterFactory;
  /** Default `process.stdout`. */
  readonly output?: Output;
  /**
   * Interrupts the run when aborted, as Ctrl-C does the `leakrun` command: the run reports what
   * was running (`run:interrupted`), stops waiting for it, tears the layers down with every hook
   * given at most 5 s from the interrupt, and ends with the summary so far. The abort reason, when
   * a string, names the signal: `'SIGTERM'` gives exit code 143, anything else 130.
   */
  readonly signal?: AbortSignal;
  /** Where usage problems go. Default `process.stderr`. */
  readonly errorOutput?: Output;
  /** Directory relative paths and printed paths are resolved against. Default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * Where `defaults` came from, named in a usage problem they cause: the CLI gives the config
   * file's name (`leakrun.config.json`, or `the "leakrun" key of package.json`).
   */
  readonly defaultsSource?: string;
  /**
   * Whether to colour when the arguments do not say; the CLI sets it from `FORCE_COLOR`,
   * `NO_COLOR` and `TERM=dumb`. Default: colour when `output` is a terminal.
   */
  readonly color?: boolean;
}
