/**
 * node:test's API, collected for leakrun: a test module written for `node --test` calls `test`,
 * `describe`, `it` and the hooks as it loads (through `node-test-api.ts` or the `require` path of
 * `node-test-hook.ts`); here they build a tree of suites and tests instead of starting node:test's
 * harness, and {@link runNodeTest} runs one test of the tree the way node:test would: its
 * `beforeEach` hooks outer first, the test with a context (`t`), the subtests it started, its
 * `afterEach` hooks inner first. `before` and `after` hooks are the suites' own: {@link nodeTests}
 * makes them a layer's set-up and tear-down.
 */
import { SkipTest } from '../core/errors.ts';
import { isThenable } from '../core/invoke.ts';
import type { Layer, Test } from '../types/index.ts';

/** What node:test calls a test or suite function: the context, and `done` for callback style. */
export type NodeTestFn = (t: NodeTestContext, done: (error?: unknown) => void) => unknown;
/** A hook's function: node:test gives hooks a context too. */
export type NodeHookFn = (t: NodeTestContext, done: (error?: unknown) => void) => unknown;

/** The options of node:test's `test()` and `describe()` that leakrun reads; the others are accepted and not used yet. */
export interface NodeTestOptions {
  readonly skip?: boolean | string;
  readonly todo?: boolean | string;
}

/** A suite: a file or a `describe` block, with its hooks and members in the order written. */
export interface NodeSuite {
  readonly kind: 'suite';
  readonly name: string;
  readonly parent: NodeSuite | undefined;
  readonly options: NodeTestOptions;
  readonly before: NodeHookFn[];
  readonly after: NodeHookFn[];
  readonly beforeEach: NodeHookFn[];
  readonly afterEach: NodeHookFn[];
  readonly members: (NodeSuite | NodeTestCase)[];
}

/** A test, as `test()` or `it()` registered it. */
export interface NodeTestCase {
  readonly kind: 'test';
  readonly name: string;
  readonly parent: NodeSuite;
  readonly options: NodeTestOptions;
  readonly fn: NodeTestFn | undefined;
}

/** The names of a test and the suites around it, outermost first, the file's suite left out. */
export function nodeTestPath(test: NodeTestCase | NodeSuite): string[] {
  const names: string[] = [];
  for (let at: NodeTestCase | NodeSuite | undefined = test; at?.parent !== undefined; at = at.parent) names.unshift(at.name);
  return names;
}

/** Why a test is skipped (`skip` on it or on a suite around it); `undefined` when it runs. */
export function skippedBy(test: NodeTestCase): string | undefined {
  return optionOf(test, 'skip', (reason) => reason ?? 'skipped');
}

/** Why a test is todo (`todo` on it or on a suite around it): it runs, and is reported as skipped whatever it does. */
export function todoBy(test: NodeTestCase): string | undefined {
  return optionOf(test, 'todo', (reason) => (reason === undefined ? 'TODO' : `TODO: ${reason}`));
}

function optionOf(test: NodeTestCase, option: 'skip' | 'todo', said: (reason: string | undefined) => string): string | undefined {
  for (let at: NodeTestCase | NodeSuite | undefined = test; at !== undefined; at = at.parent) {
    const value = at.options[option];
    if (value !== undefined && value !== false) return said(typeof value === 'string' ? value : undefined);
  }
  return undefined;
}

/** Every test of a suite, depth first, in the order written. */
export function testsOf(suite: NodeSuite): NodeTestCase[] {
  return suite.members.flatMap((member) => (member.kind === 'test' ? [member] : testsOf(member)));
}

/** `test(name?, options?, fn?)`, in any of the shapes node:test accepts. */
function normalized(args: readonly unknown[]): { name: string; options: NodeTestOptions; fn: NodeTestFn | undefined } {
  let name: string | undefined;
  let options: NodeTestOptions = {};
  let fn: NodeTestFn | undefined;
  for (const arg of args) {
    if (typeof arg === 'string') name ??= arg;
    else if (typeof arg === 'function') fn ??= arg as NodeTestFn;
    else if (arg !== null && typeof arg === 'object') options = { ...options, ...(arg as NodeTestOptions) };
  }
  return { name: name ?? (fn?.name || '<anonymous>'), options, fn };
}

/** Collects the tests a module defines while it loads. One collector per file. */
export class NodeTestCollector {
  readonly root: NodeSuite;
  #current: NodeSuite;

  constructor(file: string) {
    this.root = newSuite(file, undefined, {});
    this.#current = this.root;
  }

  /** `test()` and `it()`. */
  test(...args: unknown[]): void {
    const { name, options, fn } = normalized(args);
    this.#current.members.push({ kind: 'test', name, parent: this.#current, options, fn });
  }

  /** `describe()` and `suite()`: the function runs now, and what it registers belongs to the new suite. */
  describe(...args: unknown[]): void {
    const { name, options, fn } = normalized(args);
    const suite = newSuite(name, this.#current, options);
    this.#current.members.push(suite);
    const outer = this.#current;
    this.#current = suite;
    try {
      const result = fn?.(undefined as never, () => undefined);
      if (isThenable(result)) {
        throw new TypeError(`describe('${name}'): an async describe function is not supported yet; register tests synchronously`);
      }
    } finally {
      this.#current = outer;
    }
  }

  /** `before`, `after`, `beforeEach` and `afterEach` at load time: the current suite's. */
  hook(kind: 'before' | 'after' | 'beforeEach' | 'afterEach', fn: unknown): void {
    if (typeof fn !== 'function') throw new TypeError(`${kind}() needs a function`);
    this.#current[kind].push(fn as NodeHookFn);
  }
}

function newSuite(name: string, parent: NodeSuite | undefined, options: NodeTestOptions): NodeSuite {
  return { kind: 'suite', name, parent, options, before: [], after: [], beforeEach: [], afterEach: [], members: [] };
}

/** A failed `t.plan()`: node:test reports it as the test's failure. */
class PlanError extends Error {
  constructor(planned: number, counted: number) {
    super(`plan expected ${planned} assertions but received ${counted}`);
    this.name = 'AssertionError';
  }
}

/**
 * The test context (`t`) of a running test: what node:test's `TestContext` offers that leakrun
 * supports so far. Subtests run inside their parent and fail it.
 */
export class NodeTestContext {
  readonly name: string;
  readonly fullName: string;
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #subtests: Promise<void>[] = [];
  readonly #after: NodeHookFn[] = [];
  readonly #beforeEach: NodeHookFn[] = [];
  readonly #afterEach: NodeHookFn[] = [];
  #planned: number | undefined;
  #counted = 0;
  #skipped: string | undefined;
  #mock: { reset(): void } | undefined;

  constructor(name: string, fullName: string) {
    this.name = name;
    this.fullName = fullName;
    this.signal = this.#controller.signal;
  }

  /** Marks the test skipped; the test function runs on, as under node:test. */
  skip(message?: string): void {
    this.#skipped = message ?? 'skipped';
  }

  /** Marks the test todo: it is reported as skipped, and a failure does not fail the run. */
  todo(message?: string): void {
    this.#skipped = message === undefined ? 'TODO' : `TODO: ${message}`;
  }

  /** A line for node:test's report; accepted, and not shown by leakrun's reports yet. */
  diagnostic(_message: string): void {}

  /** The number of assertions (`t.assert.*`) and subtests the test must make. */
  plan(count: number): void {
    this.#planned = count;
  }

  /** node:assert's strict functions, each call counted for {@link NodeTestContext.plan}. */
  get assert(): typeof import('node:assert/strict') {
    return countedAssert(() => this.#counted++) as unknown as typeof import('node:assert/strict');
  }

  /** A MockTracker of this test's own (node:test's class), reset when the test ends. */
  get mock(): unknown {
    if (this.#mock === undefined) {
      const { mock } = builtin<{ mock: { constructor: new () => { reset(): void } } }>('node:test');
      this.#mock = new mock.constructor();
    }
    return this.#mock;
  }

  /** Inside a running test, a `before` hook runs at once, as node:test runs it; the test waits for it. */
  before(fn: NodeHookFn): void {
    this.#subtests.push(callWithContext(fn, this).then(() => undefined));
  }

  /** Runs when the test (and its subtests) ended, passed or failed, in the order added. */
  after(fn: NodeHookFn): void {
    this.#after.push(fn);
  }

  /** Runs before each subtest started from now on. */
  beforeEach(fn: NodeHookFn): void {
    this.#beforeEach.push(fn);
  }

  /** Runs after each subtest started from now on. */
  afterEach(fn: NodeHookFn): void {
    this.#afterEach.push(fn);
  }

  /** A subtest: it runs now, inside this test; the parent waits for it and fails with it. */
  test(...args: unknown[]): Promise<void> {
    const { name, options, fn } = normalized(args);
    this.#counted++;
    const skip = options.skip ?? options.todo;
    const child = new NodeTestContext(name, `${this.fullName} > ${name}`);
    const [beforeEach, afterEach] = [[...this.#beforeEach], [...this.#afterEach]];
    const run =
      skip !== undefined && skip !== false ? Promise.resolve() : withHooks(beforeEach, afterEach, child, () => runWithContext(fn, child));
    this.#subtests.push(run);
    return run;
  }

  /**
   * Ends the test: waits for its subtests, runs its `after` hooks, checks the plan, resets its
   * mocks, aborts its signal; resolves to why it skipped itself, if it did.
   */
  async finish(): Promise<string | undefined> {
    let failure: { error: unknown } | undefined;
    try {
      // Subtests may start more subtests while they run.
      for (let settled = 0; settled < this.#subtests.length; settled = this.#subtests.length) {
        await Promise.all(this.#subtests.slice(settled));
      }
    } catch (error) {
      failure = { error };
    }
    for (const hook of this.#after) {
      try {
        await callWithContext(hook, this);
      } catch (error) {
        failure ??= { error };
      }
    }
    this.#mock?.reset();
    this.#controller.abort();
    if (failure !== undefined) throw failure.error;
    if (this.#planned !== undefined && this.#planned !== this.#counted) throw new PlanError(this.#planned, this.#counted);
    return this.#skipped;
  }
}

/** A built-in module, loaded when first used (`process.getBuiltinModule`: Node 20.16 and on). */
function builtin<T>(id: string): T {
  return (process as unknown as { getBuiltinModule(id: string): T }).getBuiltinModule(id);
}

/** node:assert's strict functions, loaded when a test first reads `t.assert`. */
let assertModule: Record<string, unknown> | undefined;

function strictAssert(): Record<string, unknown> {
  assertModule ??= builtin<Record<string, unknown>>('node:assert/strict');
  return assertModule;
}

function countedAssert(count: () => void): Record<string, (...args: unknown[]) => unknown> {
  const counted: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, value] of Object.entries(strictAssert())) {
    if (typeof value !== 'function' || name === 'AssertionError' || name === 'CallTracker') continue;
    counted[name] = (...args: unknown[]) => {
      count();
      return (value as (...args: unknown[]) => unknown)(...args);
    };
  }
  return counted;
}

/** Calls a test or hook function with its context, in callback style when it takes `done`. */
function callWithContext(fn: NodeTestFn | NodeHookFn, t: NodeTestContext): Promise<unknown> {
  if (fn.length >= 2) {
    return new Promise((resolve, reject) => {
      const done = (error?: unknown): void => (error === undefined || error === null ? resolve(undefined) : reject(error));
      try {
        const returned = fn(t, done);
        if (isThenable(returned)) {
          reject(new TypeError(`'${t.name}': a function that takes done must not also return a promise`));
        }
      } catch (error) {
        reject(error);
      }
    });
  }
  try {
    return Promise.resolve(fn(t, () => undefined));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `work` between `beforeEach` hooks (in order) and `afterEach` hooks (in order), which run even when it failed. */
async function withHooks(
  beforeEach: readonly NodeHookFn[],
  afterEach: readonly NodeHookFn[],
  t: NodeTestContext,
  work: () => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  try {
    for (const hook of beforeEach) await callWithContext(hook, t);
    await work();
  } catch (error) {
    failure = { error };
  }
  for (const hook of afterEach) {
    try {
      await callWithContext(hook, t);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}

async function runWithContext(fn: NodeTestFn | undefined, t: NodeTestContext): Promise<void> {
  let failure: { error: unknown } | undefined;
  try {
    if (fn) await callWithContext(fn, t);
  } catch (error) {
    failure = { error };
  }
  // The test's subtests, `after` hooks and mocks end whatever it did.
  let skipped: string | undefined;
  try {
    skipped = await t.finish();
  } catch (error) {
    failure ??= { error };
  }
  if (failure !== undefined) throw failure.error;
  if (skipped !== undefined) throw new SkipTest(skipped);
}

/**
 * One collected test, ready to run as node:test would, inside its suites' `beforeEach` and
 * `afterEach` hooks (outer first, then inner first): what does not change between runs (its name,
 * the hooks, skip and todo) is worked out once. The function rejects with what failed, or with
 * `SkipTest` for a skipped or todo test. `before` and `after` hooks are not run here.
 */
export function nodeTestRunner(test: NodeTestCase): () => Promise<void> {
  const skipped = skippedBy(test);
  const todo = todoBy(test);
  const fullName = nodeTestPath(test).join(' > ');
  const suites: NodeSuite[] = [];
  for (let at: NodeSuite | undefined = test.parent; at !== undefined; at = at.parent) suites.unshift(at);
  const beforeEach = suites.flatMap((suite) => suite.beforeEach);
  const afterEach = suites.toReversed().flatMap((suite) => suite.afterEach);
  return async () => {
    if (skipped !== undefined) throw new SkipTest(skipped);
    const t = new NodeTestContext(test.name, fullName);
    const run = withHooks(beforeEach, afterEach, t, () => runWithContext(test.fn, t));
    // node:test reports a todo test as todo, passed or failed.
    if (todo === undefined) return run;
    await run.catch(() => undefined);
    throw new SkipTest(todo);
  };
}

/** Runs one collected test once (see {@link nodeTestRunner}). */
export function runNodeTest(test: NodeTestCase): Promise<void> {
  return nodeTestRunner(test)();
}

/** The collectors of the files that imported node:test, by file URL; shared through `globalThis` by every copy of leakrun. */
function collectors(): Map<string, NodeTestCollector> {
  const slot = Symbol.for('leakrun.nodeTest.collectors');
  const holder = globalThis as unknown as Record<symbol, Map<string, NodeTestCollector> | undefined>;
  return (holder[slot] ??= new Map());
}

/** The collector of the file at `url`, made when the file's import of node:test first asks for it. */
export function collectorFor(url: string): NodeTestCollector {
  const all = collectors();
  let found = all.get(url);
  if (found === undefined) {
    found = new NodeTestCollector(url);
    all.set(url, found);
  }
  return found;
}

/** The collector of the file at `url` once it has loaded, if its import of node:test made one; forgotten here. */
export function takeCollector(url: string): NodeTestCollector | undefined {
  const all = collectors();
  const found = all.get(url);
  all.delete(url);
  return found;
}

/** A suite's `before` and `after` hooks as a layer, built on the layer of the nearest enclosing suite that has any. */
function suiteLayer(suite: NodeSuite, module: string, base: Layer | undefined): Layer {
  const path = nodeTestPath(suite);
  const run = async (hooks: readonly NodeHookFn[]): Promise<void> => {
    const t = new NodeTestContext(path.at(-1) ?? module, path.join(' > '));
    for (const hook of hooks) await callWithContext(hook, t);
    await t.finish();
  };
  return {
    layerName: path.length === 0 ? module : `${module} > ${path.join(' > ')}`,
    bases: base === undefined ? [] : [base],
    setUp: () => run(suite.before),
    tearDown: () => run(suite.after),
  };
}

/**
 * The tests of a file written for node:test, for leakrun's runner: named as node:test names them
 * (`outer > inner > it`), each in the layer of its nearest suite with `before` or `after` hooks
 * (none: the unit-tests layer), running its `beforeEach` and `afterEach` hooks itself.
 */
export function nodeTests(root: NodeSuite, module: string): Test[] {
  const out: Test[] = [];
  const visit = (suite: NodeSuite, inherited: Layer | undefined): void => {
    const layer = suite.before.length + suite.after.length > 0 ? suiteLayer(suite, module, inherited) : inherited;
    for (const member of suite.members) {
      if (member.kind === 'suite') {
        visit(member, layer);
        continue;
      }
      const name = nodeTestPath(member).join(' > ');
      out.push({ name, id: `${name} (${module})`, module, layer, level: 1, run: nodeTestRunner(member) });
    }
  };
  visit(root, undefined);
  return out;
}

type Register = (...args: unknown[]) => void;
/** A registering function with node:test's `.skip`, `.todo` and `.only` forms. */
export type WithForms = Register & { readonly skip: Register; readonly todo: Register; readonly only: Register };

/** `f`, `f.skip`, `f.todo` and `f.only`, as node:test has them. */
function withForms(register: Register): WithForms {
  return Object.assign((...args: unknown[]) => register(...args), {
    skip: (...args: unknown[]) => register(...args, { skip: true }),
    todo: (...args: unknown[]) => register(...args, { todo: true }),
    only: (...args: unknown[]) => register(...args, { only: true }),
  });
}

/** What a file gets for node:test: `test`, with the other functions as its properties (as `require('node:test')` is). */
export interface NodeTestApi extends WithForms {
  readonly test: WithForms;
  readonly it: WithForms;
  readonly describe: WithForms;
  readonly suite: WithForms;
  readonly before: (fn: unknown) => void;
  readonly after: (fn: unknown) => void;
  readonly beforeEach: (fn: unknown) => void;
  readonly afterEach: (fn: unknown) => void;
  /** node:test's own. */
  readonly mock: unknown;
  /** node:test's own, where it has one. */
  readonly snapshot: unknown;
}

/**
 * node:test's functions for one file, registering into its collector. `nodeTest` is node:test's
 * own module, for `mock` and `snapshot`.
 */
export function nodeTestApi(collector: NodeTestCollector, nodeTest: { mock?: unknown; snapshot?: unknown }): NodeTestApi {
  const it = withForms((...args) => collector.test(...args));
  const describe = withForms((...args) => collector.describe(...args));
  return Object.assign(
    withForms((...args) => collector.test(...args)),
    {
      test: it,
      it,
      describe,
      suite: describe,
      before: (fn: unknown) => collector.hook('before', fn),
      after: (fn: unknown) => collector.hook('after', fn),
      beforeEach: (fn: unknown) => collector.hook('beforeEach', fn),
      afterEach: (fn: unknown) => collector.hook('afterEach', fn),
      mock: nodeTest.mock,
      snapshot: nodeTest.snapshot,
    },
  );
}
