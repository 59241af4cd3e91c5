/**
 * node:test's API, collected for leakrun: a test module written for `node --test` calls `test`,
 * `describe`, `it` and the hooks as it loads (through `node-test-api.ts` or the `require` path of
 * `node-test-hook.ts`); here they build a tree of suites and tests instead of starting node:test's
 * harness, and {@link runNodeTest} runs one test of the tree the way node:test would: its
 * `beforeEach` hooks outer first, the test with a context (`t`), the subtests it started, its
 * `afterEach` hooks inner first. `before` and `after` hooks are the suites' own: {@link nodeTests}
 * makes them a layer's set-up and tear-down.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from '../core/invoke.ts';
import type { Layer, SubtestReport, Test } from '../types/index.ts';
import {
  NodeTestContext,
  allEnded,
  builtin,
  callWithContext,
  normalizedArgs,
  runInContext,
  runningNodeTest,
  said,
  type NodeHookFn,
  type NodeTestFn,
  type NodeTestOptions,
  type NodeTestSetting,
} from './node-test-context.ts';

export { NodeTestContext, type NodeHookFn, type NodeTestFn, type NodeTestOptions } from './node-test-context.ts';

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
  return inherited(test, (options) => said(options.skip, 'skipped'));
}

/** Why a test is todo (`todo` on it or on a suite around it): it runs, and is reported as skipped whatever it does. */
export function todoBy(test: NodeTestCase): string | undefined {
  return inherited(test, (options) => said(options.todo, 'TODO'));
}

/** The nearest of the test and the suites around it that sets an option, and what it says. */
function inherited<T>(test: NodeTestCase, read: (options: NodeTestOptions) => T | undefined): T | undefined {
  for (let at: NodeTestCase | NodeSuite | undefined = test; at !== undefined; at = at.parent) {
    const value = read(at.options);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Every test of a suite, depth first, in the order written. */
export function testsOf(suite: NodeSuite): NodeTestCase[] {
  return suite.members.flatMap((member) => (member.kind === 'test' ? [member] : testsOf(member)));
}

/** Collects the tests a module defines while it loads. One collector per file. */
export class NodeTestCollector {
  readonly root: NodeSuite;
  #current: NodeSuite;
  /** The suite of an async describe function's later registrations, carried through its awaits; made at the first one. */
  #asyncSuite: AsyncLocalStorage<NodeSuite> | undefined;
  /** Async describe functions still running. */
  readonly #pending: Promise<unknown>[] = [];

  constructor(file: string) {
    this.root = newSuite(file, undefined, {});
    this.#current = this.root;
  }

  /** The suite a registration made now belongs to. */
  get #into(): NodeSuite {
    return this.#asyncSuite?.getStore() ?? this.#current;
  }

  /**
   * `test()` and `it()`. Called while a test runs (a file imported by a test), it starts a subtest
   * of that test, as node:test nests it.
   */
  test(args: readonly unknown[], forced?: NodeTestOptions): Promise<void> {
    const running = runningNodeTest();
    if (running !== undefined) return running.test(...args, ...(forced === undefined ? [] : [forced]));
    const { name, options, fn } = normalizedArgs(args, forced);
    const into = this.#into;
    into.members.push({ kind: 'test', name, parent: into, options, fn });
    return Promise.resolve();
  }

  /**
   * `describe()` and `suite()`: the function runs now, and what it registers belongs to the new
   * suite. An async function's later registrations are found through its async context, as
   * node:test finds them; the file has loaded when they are done ({@link NodeTestCollector.loaded}).
   */
  describe(args: readonly unknown[], forced?: NodeTestOptions): Promise<void> {
    const { name, options, fn } = normalizedArgs(args, forced);
    const outer = this.#into;
    const suite = newSuite(name, outer, options);
    outer.members.push(suite);
    if (fn === undefined) return Promise.resolve();
    const context = { name, fullName: nodeTestPath(suite).join(' > '), filePath: fileOf(this.root), signal: new AbortController().signal };
    const call = (): unknown => (fn as (context: unknown) => unknown).call(context, context);
    if (fn.constructor.name === 'AsyncFunction') {
      this.#asyncSuite ??= new (builtin<typeof import('node:async_hooks')>('node:async_hooks').AsyncLocalStorage)();
      const pending = Promise.resolve(this.#asyncSuite.run(suite, call));
      this.#pending.push(pending);
      return pending.then(() => undefined);
    }
    const saved = this.#current;
    this.#current = suite;
    try {
      const result = call();
      // `describe('x', () => it(...))` returns it()'s promise; anything still pending is waited for.
      if (isThenable(result)) this.#pending.push(Promise.resolve(result));
    } finally {
      this.#current = saved;
    }
    return Promise.resolve();
  }

  /** `before`, `after`, `beforeEach` and `afterEach` at load time: the current suite's. */
  hook(kind: 'before' | 'after' | 'beforeEach' | 'afterEach', fn: unknown): void {
    if (typeof fn !== 'function') throw new TypeError(`${kind}() needs a function`);
    this.#into[kind].push(fn as NodeHookFn);
  }

  /** Resolves when the describe functions that were still running have ended; rejects with the first that failed. */
  async loaded(): Promise<void> {
    await allEnded(this.#pending);
    // The async context is not needed past loading; disabled, it costs the run's promises nothing.
    this.#asyncSuite?.disable();
    this.#asyncSuite = undefined;
  }
}

function newSuite(name: string, parent: NodeSuite | undefined, options: NodeTestOptions): NodeSuite {
  return { kind: 'suite', name, parent, options, before: [], after: [], beforeEach: [], afterEach: [], members: [] };
}

/**
 * One collected test, ready to run as node:test would (see `node-test-context.ts`), inside its
 * suites' `beforeEach` and `afterEach` hooks (outer first, then inner first): what does not change
 * between runs (its name, the hooks, skip, todo and timeout) is worked out once. The function
 * rejects with what failed, or with `SkipTest` for a skipped or todo test, and reports the
 * subtests the test starts to `report`. `before` and `after` hooks are not run here.
 */
export function nodeTestRunner(test: NodeTestCase): (report?: SubtestReport) => Promise<void> {
  const skip = skippedBy(test);
  const todo = todoBy(test);
  const timeout = inherited(test, (options) => (typeof options.timeout === 'number' ? options.timeout : undefined));
  const suites: NodeSuite[] = [];
  for (let at: NodeSuite | undefined = test.parent; at !== undefined; at = at.parent) suites.unshift(at);
  const setting = {
    name: test.name,
    fullName: nodeTestPath(test).join(' > '),
    filePath: fileOf(suites[0]!),
    beforeEach: suites.flatMap((suite) => suite.beforeEach),
    afterEach: suites.toReversed().flatMap((suite) => suite.afterEach),
    timeout,
  };
  // The runner passes the same report to every run of a layer's tests: the setting is made once per report.
  let reported: { to: SubtestReport; setting: NodeTestSetting } | undefined;
  const settingFor = (report: SubtestReport | undefined): NodeTestSetting => {
    if (report === undefined) return setting;
    if (reported?.to !== report) reported = { to: report, setting: { ...setting, report: { to: report, prefix: '' } } };
    return reported.setting;
  };
  return (report) => runInContext(test.fn, new NodeTestContext(settingFor(report)), skip, todo);
}

/** Runs one collected test once (see {@link nodeTestRunner}). */
export function runNodeTest(test: NodeTestCase, report?: SubtestReport): Promise<void> {
  return nodeTestRunner(test)(report);
}

/** The path of the file a root suite was collected from (its name is the file's URL). */
function fileOf(root: NodeSuite): string {
  return root.name.startsWith('file:') ? new URL(root.name).pathname : root.name;
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

/**
 * The collector of the file at `url` once it has loaded, if its import of node:test made one. It
 * stays registered for the life of the process, as Mocha's root stays in its globals: a CommonJS
 * test file's own variables are reachable only through its test functions, and the heap counter
 * must reach them from a root it walks, or a test that grows a module-level list would go unseen.
 */
export function takeCollector(url: string): NodeTestCollector | undefined {
  return collectors().get(url);
}

/** A suite's `before` and `after` hooks as a layer, built on the layer of the nearest enclosing suite that has any. */
function suiteLayer(suite: NodeSuite, module: string, base: Layer | undefined): Layer {
  const path = nodeTestPath(suite);
  let root = suite;
  while (root.parent !== undefined) root = root.parent;
  const setting = {
    name: path.at(-1) ?? module,
    fullName: path.join(' > '),
    filePath: fileOf(root),
    beforeEach: [],
    afterEach: [],
    timeout: undefined,
  };
  const run = async (hooks: readonly NodeHookFn[]): Promise<void> => {
    const t = new NodeTestContext(setting);
    for (const hook of hooks) await callWithContext(hook, t);
    await t.subtestsEnded();
    t.end();
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

type Register = (...args: unknown[]) => Promise<void>;
/** A registering function with node:test's `.skip`, `.todo` and `.only` forms. */
export type WithForms = Register & { readonly skip: Register; readonly todo: Register; readonly only: Register };

/** `f`, `f.skip`, `f.todo` and `f.only`, as node:test has them: the form's option wins over the options given. */
function withForms(register: (args: readonly unknown[], forced?: NodeTestOptions) => Promise<void>): WithForms {
  return Object.assign((...args: unknown[]) => register(args), {
    skip: (...args: unknown[]) => register(args, { skip: true }),
    todo: (...args: unknown[]) => register(args, { todo: true }),
    only: (...args: unknown[]) => register(args, { only: true }),
  });
}

/** What a file gets for node:test: `test`, with the other functions as its properties (as `require('node:test')` is). */
export interface NodeTestApi extends WithForms {
  /** `test` itself, as in node:test (`const { test: t } = require('node:test'); t.test(…)`). */
  readonly test: NodeTestApi;
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
  const registerTest = (args: readonly unknown[], forced?: NodeTestOptions): Promise<void> => collector.test(args, forced);
  const describe = withForms((args, forced) => collector.describe(args, forced));
  const api = Object.assign(withForms(registerTest), {
    it: withForms(registerTest),
    describe,
    suite: describe,
    before: (fn: unknown) => collector.hook('before', fn),
    after: (fn: unknown) => collector.hook('after', fn),
    beforeEach: (fn: unknown) => collector.hook('beforeEach', fn),
    afterEach: (fn: unknown) => collector.hook('afterEach', fn),
    mock: nodeTest.mock,
    snapshot: nodeTest.snapshot,
  });
  return Object.assign(api, { test: api as NodeTestApi });
}
