/**
 * A node:test test while it runs: its context (`t`) and the order node:test runs it in. The order
 * is node:test's own (`lib/internal/test_runner/test.js`, Node 20 to 26): the `beforeEach` hooks
 * it inherits, the function, its subtests, the plan's check, the `afterEach` hooks (its own first,
 * then those it inherits) and last its own `after` hooks; a failure anywhere still runs the hooks
 * after it. Tests written for node:test lean on that order and on its timing (an assertion made a
 * few microtasks after `done()` still counts for the plan), so it is kept, microtasks included.
 */
import { now, secondsSince } from '../core/clock.ts';
import { SkipTest } from '../core/errors.ts';
import { isThenable } from '../core/invoke.ts';
import type { SubtestReport } from '../types/index.ts';

/** What node:test calls a test or suite function: the context, and `done` for callback style. */
export type NodeTestFn = (t: NodeTestContext, done: (error?: unknown) => void) => unknown;
/** A hook's function: node:test gives hooks a context too. */
export type NodeHookFn = (t: NodeTestContext, done: (error?: unknown) => void) => unknown;

/** The options of node:test's `test()`, `it()` and `describe()` that leakrun reads. */
export interface NodeTestOptions {
  readonly skip?: boolean | string | undefined;
  readonly todo?: boolean | string | undefined;
  /** Milliseconds before the test fails as timed out; inherited from the suites around it. */
  readonly timeout?: number | undefined;
  /** Accepted: node:test runs every test unless started with `--test-only`, and so does leakrun. */
  readonly only?: boolean | undefined;
}

/** What a new context is given by whoever runs it. */
export interface NodeTestSetting {
  readonly name: string;
  /** `outer > inner > name`, as node:test prints it. */
  readonly fullName: string;
  /** The test file's path. */
  readonly filePath: string;
  /** The `beforeEach` hooks that run before it, outer first. */
  readonly beforeEach: readonly NodeHookFn[];
  /** The `afterEach` hooks that run after it, inner first. */
  readonly afterEach: readonly NodeHookFn[];
  readonly timeout: number | undefined;
  /** Where its subtests are reported, and their names' prefix there (the names below the test leakrun runs). */
  readonly report?: { readonly to: SubtestReport; readonly prefix: string } | undefined;
}

/** A failed `t.plan()`: node:test reports it as the test's failure. */
class PlanError extends Error {
  constructor(planned: number, counted: number) {
    super(`plan expected ${planned} assertions but received ${counted}`);
    this.name = 'AssertionError';
  }
}

/** A test whose own function passed and some of whose subtests failed (each reported on its own). */
class SubtestsFailed extends Error {
  constructor(count: number) {
    super(`${count} subtest${count === 1 ? '' : 's'} failed`);
    this.name = 'AssertionError';
  }
}

/** node:test's `timeout` option ran out. */
class TestTimedOut extends Error {
  constructor(ms: number) {
    super(`test timed out after ${ms}ms`);
    this.name = 'TestTimedOut';
  }
}

/** The test running now, if any: a top-level `test()` called while it runs becomes its subtest, as under node:test. */
function running(): { test: NodeTestContext | undefined } {
  const slot = Symbol.for('leakrun.nodeTest.running');
  const holder = globalThis as unknown as Record<symbol, { test: NodeTestContext | undefined } | undefined>;
  return (holder[slot] ??= { test: undefined });
}

/** The node:test test running now, if any (shared by every copy of leakrun). */
export function runningNodeTest(): NodeTestContext | undefined {
  return running().test;
}

/**
 * The test context (`t`) of a running test: node:test's `TestContext`, as far as tests use it.
 * Subtests run inside their parent, are reported after it, and fail it.
 */
export class NodeTestContext {
  readonly name: string;
  readonly fullName: string;
  readonly filePath: string;
  readonly signal: AbortSignal;
  readonly #setting: NodeTestSetting;
  readonly #controller = new AbortController();
  readonly #subtests: Promise<void>[] = [];
  #failedSubtests = 0;
  readonly #after: NodeHookFn[] = [];
  readonly #beforeEach: NodeHookFn[] = [];
  readonly #afterEach: NodeHookFn[] = [];
  #plan: { readonly count: number; readonly wait: boolean | number; reached?: () => void } | undefined;
  #counted = 0;
  #skipped: string | undefined;
  #todo: string | undefined;
  #mock: { reset(): void } | undefined;
  #assert: NodeTestAssert | undefined;

  constructor(setting: NodeTestSetting) {
    this.#setting = setting;
    this.name = setting.name;
    this.fullName = setting.fullName;
    this.filePath = setting.filePath;
    this.signal = this.#controller.signal;
  }

  /** Marks the test skipped; the test function runs on, as under node:test. */
  skip(message?: string): void {
    this.#skipped = message ?? 'skipped';
  }

  /** Marks the test todo: it is reported as skipped, and a failure does not fail the run. */
  todo(message?: string): void {
    this.#todo = message === undefined ? 'TODO' : `TODO: ${message}`;
  }

  /** A line for node:test's report; accepted, and not shown by leakrun's reports. */
  diagnostic(_message: string): void {}

  /** Accepted: without `--test-only` node:test runs every subtest, and so does leakrun. */
  runOnly(_value: boolean): void {}

  /**
   * The number of assertions (`t.assert.*`) and subtests the test must make. With `wait`, the
   * check waits for them (up to `wait` milliseconds when it is a number).
   */
  plan(count: number, options?: { wait?: boolean | number }): void {
    if (this.#plan !== undefined) throw new Error('cannot set plan more than once');
    this.#plan = { count, wait: options?.wait ?? false };
  }

  /** node:assert's functions as node:test offers them, each call counted for {@link NodeTestContext.plan}. */
  get assert(): NodeTestAssert {
    this.#assert ??= countedAssert(() => this.#count());
    return this.#assert;
  }

  /** A MockTracker of this test's own (node:test's class), reset when the test ends. */
  get mock(): unknown {
    if (this.#mock === undefined) {
      const { mock } = builtin<{ mock: { constructor: new () => { reset(): void } } }>('node:test');
      this.#mock = new mock.constructor();
    }
    return this.#mock;
  }

  /** Polls `condition` until it returns (or resolves) without throwing; rejects with its last error after `timeout`. */
  async waitFor<T>(condition: () => T | Promise<T>, options: { interval?: number; timeout?: number } = {}): Promise<T> {
    const { interval = 50, timeout = 1000 } = options;
    const started = now();
    for (;;) {
      try {
        return await condition();
      } catch (error) {
        if (now() - started >= timeout) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  /** Inside a running test, a `before` hook runs at once, as node:test runs it; the test waits for it. */
  before(fn: NodeHookFn): void {
    this.#subtests.push(callWithContext(fn, this).then(() => undefined));
  }

  /** Runs when the test has ended, passed or failed, after the `afterEach` hooks, in the order added. */
  after(fn: NodeHookFn): void {
    this.#after.push(fn);
  }

  /** Runs before each subtest started from now on. */
  beforeEach(fn: NodeHookFn): void {
    this.#beforeEach.push(fn);
  }

  /** Runs after each subtest started from now on, before the hooks this test inherited. */
  afterEach(fn: NodeHookFn): void {
    this.#afterEach.push(fn);
  }

  /**
   * A subtest: it starts now, inside this test, which waits for it; counted for the plan. The
   * promise resolves when it ended, whatever its outcome; a failure fails this test too.
   */
  test(...args: unknown[]): Promise<void> {
    const { name, options, fn } = normalizedArgs(args);
    this.#count();
    const { report, fullName, filePath } = this.#setting;
    const prefix = report === undefined ? name : report.prefix === '' ? name : `${report.prefix} > ${name}`;
    const child = new NodeTestContext({
      name,
      fullName: `${fullName} > ${name}`,
      filePath,
      beforeEach: [...this.#setting.beforeEach, ...this.#beforeEach],
      afterEach: [...this.#afterEach, ...this.#setting.afterEach],
      timeout: options.timeout ?? this.#setting.timeout,
      report: report && { to: report.to, prefix },
    });
    const started = now();
    const run = runInContext(fn, child, said(options.skip, 'skipped'), said(options.todo, 'TODO')).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const ended = run.then((error) => {
      if (error !== undefined && error.name !== 'SkipTest') this.#failedSubtests++;
      report?.to({ name: prefix, seconds: secondsSince(started), error });
    });
    this.#subtests.push(ended);
    return ended;
  }

  #count(): void {
    this.#counted++;
    if (this.#plan !== undefined && this.#counted >= this.#plan.count) this.#plan.reached?.();
  }

  /** Whether subtests (or hooks) were started inside the test. */
  get startedSubtests(): boolean {
    return this.#subtests.length > 0;
  }

  /** Waits for the subtests (those they start too) and hooks started inside the test. */
  subtestsEnded(): Promise<void> {
    return allEnded(this.#subtests);
  }

  /**
   * Throws unless the plan, if any, was met; with `wait` and assertions still to come, returns a
   * promise that waits for them first (as node:test's plan check does).
   */
  checkPlan(): Promise<void> | undefined {
    const plan = this.#plan;
    if (plan === undefined || this.#counted === plan.count) return undefined;
    const check = (): void => {
      if (this.#counted !== plan.count) throw new PlanError(plan.count, this.#counted);
    };
    if (plan.wait === false || this.#counted > plan.count) {
      check();
      return undefined;
    }
    return new Promise<void>((resolve) => {
      plan.reached = resolve;
      if (typeof plan.wait === 'number') setTimeout(resolve, plan.wait).unref();
    }).then(check);
  }

  /** Its own `after` hooks, which run after the `afterEach` hooks. */
  get afterHooks(): readonly NodeHookFn[] {
    return this.#after;
  }

  /** Ends the test: resets its mocks and aborts its signal; says how many of its subtests failed and why it was marked skipped or todo. */
  end(): { failedSubtests: number; skipped: string | undefined; todo: string | undefined } {
    this.#mock?.reset();
    this.#controller.abort();
    return { failedSubtests: this.#failedSubtests, skipped: this.#skipped, todo: this.#todo };
  }

  /** What it was given: the hooks around it and its timeout. */
  get setting(): NodeTestSetting {
    return this.#setting;
  }
}

/** Waits until every promise of `list` has ended, those added to it meanwhile too; rejects with the first that fails. */
export async function allEnded(list: readonly Promise<unknown>[]): Promise<void> {
  for (let settled = 0; settled < list.length; settled = list.length) {
    await Promise.all(list.slice(settled));
  }
}

/** Why an option skips (or marks todo), or `undefined`. */
export function said(option: boolean | string | undefined, otherwise: string): string | undefined {
  if (option === undefined || option === false) return undefined;
  if (typeof option === 'string') return otherwise === 'TODO' ? `TODO: ${option}` : option;
  return otherwise;
}

/** `test(name?, options?, fn?)`, in any of the shapes node:test accepts; options after the function are ignored, as node:test ignores them. */
export function normalizedArgs(
  args: readonly unknown[],
  forced?: NodeTestOptions,
): { name: string; options: NodeTestOptions; fn: NodeTestFn | undefined } {
  let name: string | undefined;
  let options: NodeTestOptions = {};
  let fn: NodeTestFn | undefined;
  for (const arg of args) {
    if (typeof arg === 'string') name ??= arg;
    else if (typeof arg === 'function') fn ??= arg as NodeTestFn;
    else if (arg !== null && typeof arg === 'object' && fn === undefined) options = { ...options, ...(arg as NodeTestOptions) };
  }
  return { name: name || fn?.name || '<anonymous>', options: forced === undefined ? options : { ...options, ...forced }, fn };
}

/** A built-in module, loaded when first used (`process.getBuiltinModule`: Node 20.16 and on). */
export function builtin<T>(id: string): T {
  return (process as unknown as { getBuiltinModule(id: string): T }).getBuiltinModule(id);
}

/** The functions node:test copies from node:assert (not the strict module: `t.assert.equal` is loose there too). */
const ASSERT_METHODS = [
  'deepEqual',
  'deepStrictEqual',
  'doesNotMatch',
  'doesNotReject',
  'doesNotThrow',
  'equal',
  'fail',
  'ifError',
  'match',
  'notDeepEqual',
  'notDeepStrictEqual',
  'notEqual',
  'notStrictEqual',
  'ok',
  'partialDeepStrictEqual',
  'rejects',
  'strictEqual',
  'throws',
] as const;

/** `t.assert`: node:assert's functions that node:test offers (`partialDeepStrictEqual` where Node has it). */
export type NodeTestAssert = { readonly [Name in (typeof ASSERT_METHODS)[number]]: (...args: unknown[]) => unknown };

function countedAssert(count: () => void): NodeTestAssert {
  const assert = builtin<Record<string, unknown>>('node:assert');
  const counted: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of ASSERT_METHODS) {
    const method = assert[name];
    if (typeof method !== 'function') continue;
    counted[name] = (...args: unknown[]) => {
      count();
      return (method as (...args: unknown[]) => unknown)(...args);
    };
  }
  return counted as NodeTestAssert;
}

/** Calls a test or hook function with its context (as `this` too), in callback style when it takes `done`. */
export function callWithContext(fn: NodeTestFn | NodeHookFn, t: NodeTestContext): Promise<unknown> {
  if (fn.length >= 2) {
    return new Promise((resolve, reject) => {
      const done = (error?: unknown): void => (error === undefined || error === null ? resolve(undefined) : reject(error));
      try {
        const returned = fn.call(t, t, done);
        if (isThenable(returned)) {
          reject(new TypeError(`'${t.name}': a function that takes done must not also return a promise`));
        }
      } catch (error) {
        reject(error);
      }
    });
  }
  try {
    return Promise.resolve(fn.call(t, t, () => undefined));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Settles as `work` settles, or rejects when `stop` does, a few microtasks later than `work` itself:
 * as many as node:test's race between a test and its timeout takes, which tests written for it
 * depend on without knowing (an assertion in a `.then` after `done()` still counts for the plan).
 */
function raceAsNodeTest(work: Promise<unknown>, stop: Promise<never> | undefined): Promise<unknown> {
  const wrapped = new Promise((resolve, reject) => work.then(resolve, reject));
  return new Promise((resolve, reject) => Promise.race(stop === undefined ? [wrapped] : [wrapped, stop]).then(resolve, reject));
}

/** The test's `timeout`, as a promise that rejects when it runs out; `undefined` when there is none. */
function timeoutOf(ms: number | undefined): { promise: Promise<never>; clear: () => void } | undefined {
  if (ms === undefined || ms === Infinity) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TestTimedOut(ms)), ms);
    timer.unref();
  });
  // Nobody may be listening when it fires after the race is decided.
  promise.catch(() => undefined);
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * Runs one test as node:test runs it (see the module's comment), with the context `t`. Rejects
 * with what failed it, or with `SkipTest` for a test skipped or marked todo (todo: whatever it did).
 */
export async function runInContext(
  fn: NodeTestFn | undefined,
  t: NodeTestContext,
  skip: string | undefined,
  todo: string | undefined,
): Promise<void> {
  if (skip !== undefined) throw new SkipTest(skip);
  const state = running();
  const outer = state.test;
  const timeout = timeoutOf(t.setting.timeout);
  let failure: { error: unknown } | undefined;
  try {
    for (const hook of t.setting.beforeEach) await callWithContext(hook, t);
    state.test = t;
    await raceAsNodeTest(fn === undefined ? Promise.resolve() : callWithContext(fn, t), timeout?.promise);
    // As node:test: the subtests and a waiting plan are raced only when there are any.
    if (t.startedSubtests) await raceAsNodeTest(t.subtestsEnded(), timeout?.promise);
    const waiting = t.checkPlan();
    if (waiting !== undefined) await raceAsNodeTest(waiting, timeout?.promise);
  } catch (error) {
    failure = { error };
  } finally {
    timeout?.clear();
  }
  // The afterEach hooks (its own first, then those it inherits), then its own after hooks.
  for (const hooks of [t.setting.afterEach, t.afterHooks]) {
    for (const hook of hooks) {
      try {
        await callWithContext(hook, t);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  if (state.test === t) state.test = outer;
  const ended = t.end();
  if (ended.skipped !== undefined) throw new SkipTest(ended.skipped);
  todo ??= ended.todo;
  if (todo !== undefined) throw new SkipTest(todo);
  if (failure !== undefined) throw failure.error;
  if (ended.failedSubtests > 0) throw new SubtestsFailed(ended.failedSubtests);
}
