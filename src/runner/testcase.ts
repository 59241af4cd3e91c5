import { SkipTest } from '../core/errors.ts';
import type { Layer, SuiteMember, SuiteSpec, TestSpec } from '../types/index.ts';

const testCaseBrand = Symbol.for('leakrun.TestCase');

/**
 * Base class for tests written the xUnit way: every method whose name starts with `test` is a
 * test (sorted by name), run on a fresh instance between `setUp()` and `tearDown()`.
 *
 * @example
 * ```ts
 * export class TestAddition extends TestCase {
 *   static layer = Database;
 *   test_add() { assert.equal(1 + 1, 2); }
 * }
 * ```
 */
export class TestCase {
  /** The layer the tests of this class run in; none means the unit-tests layer. */
  static layer?: Layer | undefined;
  /** The level of the tests of this class (default 1). */
  static level?: number | undefined;
  /** The name of the test method this instance runs. */
  readonly methodName: string;

  constructor(methodName: string) {
    this.methodName = methodName;
  }

  /** Runs before each test method. */
  setUp(): unknown {
    return undefined;
  }

  /** Runs after each test method, even a failed one. */
  tearDown(): unknown {
    return undefined;
  }

  /** Marks the running test skipped. */
  skip(reason: string): never {
    throw new SkipTest(reason);
  }
}

// Subclasses inherit the brand through the constructor chain; a symbol works across copies of leakrun.
Object.defineProperty(TestCase, testCaseBrand, { value: true });

/** True for classes extending any copy of leakrun's `TestCase`. */
export function isTestCaseClass(value: unknown): value is typeof TestCase {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[testCaseBrand] === true;
}

/** Marks the running test skipped. */
export function skip(reason: string): never {
  throw new SkipTest(reason);
}

/** Options of `test()` and `suite()`. */
export interface SuiteOptions {
  /** The layer of the members that do not name one. */
  readonly layer?: Layer | undefined;
  /** The level of the members that do not name one; default 1. */
  readonly level?: number | undefined;
}

/**
 * A single test from a function.
 *
 * @example
 * ```ts
 * export function testSuite() {
 *   return suite({ layer: Database }, [test('connects', async () => { await db.ping(); })]);
 * }
 * ```
 */
export function test(name: string, fn: () => unknown, options: SuiteOptions = {}): TestSpec {
  return { kind: 'test', name, fn, layer: options.layer, level: options.level };
}

/** Groups tests, `TestCase` classes and other suites under a layer and level. */
export function suite(options: SuiteOptions, members: readonly SuiteMember[]): SuiteSpec;
/** Groups tests, `TestCase` classes and other suites, with no layer or level of their own. */
export function suite(members: readonly SuiteMember[]): SuiteSpec;
export function suite(optionsOrMembers: SuiteOptions | readonly SuiteMember[], maybeMembers?: readonly SuiteMember[]): SuiteSpec {
  if (Array.isArray(optionsOrMembers)) return { kind: 'suite', members: optionsOrMembers };
  const options = optionsOrMembers as SuiteOptions;
  return { kind: 'suite', layer: options.layer, level: options.level, members: maybeMembers ?? [] };
}
