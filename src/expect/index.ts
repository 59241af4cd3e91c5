/**
 * `leakrun/expect`: the `toLeak` matcher for Vitest and Jest (docs/frameworks.md).
 *
 * @example
 * ```ts
 * import { expect, test } from 'vitest';
 * import { toLeak } from 'leakrun/expect';
 * expect.extend({ toLeak });
 * test('closing a session frees it', async () => {
 *   await expect(() => store.open().close()).not.toLeak();
 * }, 60_000);
 * ```
 *
 * @packageDocumentation
 */
import { measureLeaks, type LeakCheckOptions } from '../assert/index.ts';

/** What Vitest and Jest give a matcher as `this`: only `isNot` is read. */
export interface LeakMatcherContext {
  /** True under `.not`. */
  readonly isNot?: boolean | undefined;
}

/** What a matcher returns to Vitest and Jest. */
export interface LeakMatcherResult {
  /** True when the function leaks: `.not.toLeak()` then fails. */
  readonly pass: boolean;
  /** The failure message: the leak report, or why the function was expected to leak. */
  readonly message: () => string;
}

/**
 * The matcher's declaration, for the framework's `Matchers` interface:
 * `interface Matchers<T = any> extends LeakMatchers<T> {}` (docs/frameworks.md shows both).
 */
export interface LeakMatchers<R = unknown> {
  /**
   * Runs the function under `expect` several times and judges the heap's growth
   * (`measureLeaks` of `leakrun/assert`): passes when it leaks. Use it as `.not.toLeak()`.
   */
  toLeak(options?: LeakCheckOptions): Promise<R>;
}

/**
 * The `toLeak` matcher: `expect.extend({ toLeak })`, then `await expect(fn).not.toLeak()`.
 * `fn` runs as `assertNoLeaks` runs it; the options are those of `leakrun/assert`. An error that
 * `fn` throws fails the assertion with that error.
 */
export async function toLeak(
  this: LeakMatcherContext | undefined,
  received: unknown,
  options?: LeakCheckOptions,
): Promise<LeakMatcherResult> {
  if (typeof received !== 'function') {
    const got = received === null ? 'null' : typeof received;
    return { pass: this?.isNot === true, message: () => `toLeak() expects a function to run, and got ${got}` };
  }
  const report = await measureLeaks(received as () => unknown, options);
  return {
    pass: report.leaked,
    message: () => (report.leaked ? report.message : `expected ${report.name} to leak, but ${report.message}`),
  };
}

export type {
  GrownRow,
  HeapDiff,
  HeapDiffRow,
  HeapSample,
  HeapSampler,
  KnownGrowth,
  LeakCheckOptions,
  LeakOutcome,
  LeakReport,
  LeakScreen,
  LeakVerdict,
  ResourceCounts,
  ResourceCreation,
  ResourceLeak,
  RetainerPath,
  RetainerStep,
  SampleRequest,
  TypeCount,
} from '../assert/index.ts';
