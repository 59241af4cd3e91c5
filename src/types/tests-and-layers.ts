/**
 * Tests and layers: the layer a test runs in, the tests and suites discovery builds from test
 * modules, and a layer as resolved for scheduling (its name and bases).
 */
import type { Promisable } from 'type-fest';

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

/** A layer resolved for scheduling: its name, bases and the live layer object. */
export interface LayerNode {
  /** The printed name (`layerName`, else the class name). */
  readonly name: string;
  /** The live layer; `undefined` for the unit-tests layer. */
  readonly layer: Layer | undefined;
  /** Its direct bases, resolved, left to right. */
  readonly bases: readonly LayerNode[];
}

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
  /**
   * Runs the test with its own set-up and tear-down. Throwing or rejecting reports it. A test that
   * starts tests inside itself (node:test's `t.test`) tells `subtest` how each ended; they are
   * reported after it, as tests of their own.
   */
  run(subtest?: SubtestReport): Promise<void>;
}

/** How a test started inside a running test ended (see {@link Test.run}). */
export interface SubtestOutcome {
  /** Its name below the test that started it, e.g. `child` or `child > grandchild`. */
  readonly name: string;
  readonly seconds: number;
  /** What it threw: an assertion for a failure, `SkipTest` when skipped; none when it passed. */
  readonly error?: Error | undefined;
}

/** Where a running test reports its subtests. */
export type SubtestReport = (outcome: SubtestOutcome) => void;

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
