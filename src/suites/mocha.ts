/**
 * Mocha's interfaces, collected for leakrun: a test file written for Mocha calls the BDD globals
 * (`describe`/`context`/`it`/`specify`/`before`/`after`/`beforeEach`/`afterEach`, their `x` and
 * `.skip`/`.only` forms) or the TDD ones (`suite`/`test`/`setup`/`teardown`/`suiteSetup`/
 * `suiteTeardown`) as it loads, or takes them from `require('mocha')`; here they build Mocha's tree
 * instead of starting Mocha. One root for all files, as in Mocha: a hook outside any `describe` is
 * a root hook that runs for every file's tests.
 *
 * Running keeps Mocha's rules (its `lib/runnable.js` and `lib/runner.js`): `this` in a hook or test
 * is the suite's context, which inherits from the enclosing suite's (`this.app` set in an outer
 * `before` is read in an inner `it`); a function that takes an argument gets `done`, one that
 * returns a promise is awaited, both at once is an error; `this.timeout(ms)` (default 2000, 0 for
 * none), `this.skip()`, `this.retries(n)`; `beforeEach` hooks outer first and `afterEach` inner
 * first; `--check-leaks` fails a test that adds a global.
 */
import { SkipTest } from '../core/errors.ts';
import { isThenable } from '../core/invoke.ts';
import type { Layer, Test } from '../types/index.ts';

/** A function Mocha calls with `this` as the context: `done` when it takes an argument. */
export type MochaFn = (this: MochaContext, done: (error?: unknown) => void) => unknown;

type HookKind = 'before' | 'after' | 'beforeEach' | 'afterEach';

/** A hook, with the title Mocha gives it in failures (`"before each" hook: name`). */
interface MochaHook {
  readonly fn: MochaFn;
  readonly title: string;
}

/** A `describe` block, or the root that holds the files' top-level blocks and hooks. */
export interface MochaSuite {
  readonly kind: 'suite';
  readonly title: string;
  readonly parent: MochaSuite | undefined;
  /** The file that declared it (the root: none). */
  readonly file: string | undefined;
  /** `this` of its hooks and tests; inherits from the enclosing suite's. */
  readonly ctx: MochaContext;
  readonly pending: boolean;
  readonly only: boolean;
  readonly hooks: Record<HookKind, MochaHook[]>;
  readonly members: (MochaSuite | MochaTest)[];
  /** Set by `this.timeout()`/`this.retries()` in the describe function; inherited. */
  settings: { timeout?: number; retries?: number };
  /** Set when a `before` hook called `this.skip()`: its tests are pending. */
  skipped: boolean;
}

/** An `it`, as Mocha registered it. */
export interface MochaTest {
  readonly kind: 'test';
  readonly title: string;
  readonly parent: MochaSuite;
  readonly file: string | undefined;
  /** None: a pending test (`it('later')`). */
  readonly fn: MochaFn | undefined;
  readonly pending: boolean;
  readonly only: boolean;
}

/** Mocha's `this.skip()`: the running test (or the tests of a `before` hook's suite) is pending. */
class Pending extends SkipTest {
  constructor() {
    super('pending');
  }
}

/** What Mocha calls the running hook or test (`this.test`, `this.currentTest`), as far as tests read it. */
class MochaRunnable {
  readonly title: string;
  readonly parent: MochaSuite;
  readonly file: string | undefined;
  timeoutMs: number;
  retriesLeft: number;
  state: 'passed' | 'failed' | 'pending' | undefined;

  constructor(title: string, parent: MochaSuite, file: string | undefined, settings: { timeout: number; retries: number }) {
    this.title = title;
    this.parent = parent;
    this.file = file;
    this.timeoutMs = settings.timeout;
    this.retriesLeft = settings.retries;
  }

  fullTitle(): string {
    return [...suitePath(this.parent), this.title].join(' ');
  }

  titlePath(): string[] {
    return [...suitePath(this.parent), this.title];
  }

  timeout(ms?: number | string): number | this {
    if (ms === undefined) return this.timeoutMs;
    this.timeoutMs = toMilliseconds(ms);
    return this;
  }

  slow(_ms?: number): this {
    return this;
  }

  retries(n?: number): number | this {
    if (n === undefined) return this.retriesLeft;
    this.retriesLeft = n;
    return this;
  }

  skip(): never {
    throw new Pending();
  }

  isPending(): boolean {
    return this.state === 'pending';
  }
}

/** `this` in a Mocha hook or test: Mocha's `Context`. */
export class MochaContext {
  declare test: MochaRunnable | undefined;
  declare currentTest: MochaRunnable | undefined;
  declare _runnable: MochaRunnable | undefined;

  runnable(runnable?: MochaRunnable): MochaRunnable | undefined | this {
    if (runnable === undefined) return this._runnable;
    this.test = this._runnable = runnable;
    return this;
  }

  timeout(ms?: number | string): unknown {
    if (ms === undefined) return this._runnable?.timeoutMs;
    this._runnable?.timeout(ms);
    return this;
  }

  slow(_ms?: number): this {
    return this;
  }

  skip(): never {
    throw new Pending();
  }

  retries(n?: number): unknown {
    if (n === undefined) return this._runnable?.retriesLeft;
    this._runnable?.retries(n);
    return this;
  }
}

/** Mocha's `timeout('2s')` and numbers alike. */
export function toMilliseconds(value: number | string): number {
  if (typeof value === 'number') return value;
  const found = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (found === null) return Number(value);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[found[2] ?? 'ms'] ?? 1;
  return Number(found[1]) * scale;
}

/** The titles of a suite and those around it, outermost first, the root left out. */
function suitePath(suite: MochaSuite | undefined): string[] {
  const titles: string[] = [];
  for (let at = suite; at?.parent !== undefined; at = at.parent) titles.unshift(at.title);
  return titles;
}

/** The settings (timeout, retries) a suite's tests start with: the nearest suite's, else the run's. */
function inheritedSettings(suite: MochaSuite, defaults: { timeout: number; retries: number }): { timeout: number; retries: number } {
  let timeout: number | undefined;
  let retries: number | undefined;
  for (let at: MochaSuite | undefined = suite; at !== undefined; at = at.parent) {
    timeout ??= at.settings.timeout;
    retries ??= at.settings.retries;
  }
  return { timeout: timeout ?? defaults.timeout, retries: retries ?? defaults.retries };
}

function newSuite(
  title: string,
  parent: MochaSuite | undefined,
  file: string | undefined,
  flags: { pending: boolean; only: boolean },
): MochaSuite {
  const ctx: MochaContext = parent === undefined ? new MochaContext() : (Object.create(parent.ctx) as MochaContext);
  return {
    kind: 'suite',
    title,
    parent,
    file,
    ctx,
    pending: flags.pending || (parent?.pending ?? false),
    only: flags.only,
    hooks: { before: [], after: [], beforeEach: [], afterEach: [] },
    members: [],
    settings: {},
    skipped: false,
  };
}

/** Options of the run that Mocha's configuration sets (`.mocharc.*`, the `mocha` key, the test script). */
export interface MochaSettings {
  /** Milliseconds; 0 for none. Mocha's default: 2000. */
  readonly timeout: number;
  readonly retries: number;
  /** `--check-leaks`: a test that adds a global fails. */
  readonly checkLeaks: boolean;
  /** `--global`: globals a test may add. */
  readonly globals: readonly string[];
}

export const MOCHA_DEFAULTS: MochaSettings = { timeout: 2000, retries: 0, checkLeaks: false, globals: [] };

/** Collects the tests of every file of a Mocha run, loaded one after another. */
export class MochaCollector {
  readonly root: MochaSuite = newSuite('', undefined, undefined, { pending: false, only: false });
  /** The file loading now: what it registers is named after it. */
  file: string | undefined;
  #current: MochaSuite = this.root;

  /** `describe`, `context`, `suite` (and their skip and only forms): the function runs now. */
  describe(title: unknown, fn: unknown, flags: { pending?: boolean; only?: boolean } = {}): MochaSuite {
    if (typeof title !== 'string') throw new TypeError(`Suite argument "title" must be a string. Received type "${typeof title}"`);
    const suite = newSuite(title, this.#current, this.file, { pending: flags.pending ?? false, only: flags.only ?? false });
    this.#current.members.push(suite);
    if (typeof fn !== 'function') {
      if (flags.pending) return suite;
      throw new TypeError(`Suite "${title}" was defined but no callback was supplied. Supply a callback or explicitly skip the suite.`);
    }
    const outer = this.#current;
    this.#current = suite;
    try {
      // `this` in a describe function is the suite, for this.timeout() and this.retries().
      const result = (fn as (this: unknown) => unknown).call(suiteThis(suite));
      if (isThenable(result)) {
        throw new TypeError(
          `Suite "${title}": Mocha does not support a describe function that returns a promise; register tests synchronously`,
        );
      }
    } finally {
      this.#current = outer;
    }
    return suite;
  }

  /** `it`, `specify`, `test` (and their skip and only forms); no function: pending. */
  it(title: unknown, fn: unknown, flags: { pending?: boolean; only?: boolean } = {}): MochaTest {
    if (typeof title !== 'string') throw new TypeError(`Test argument "title" should be a string. Received type "${typeof title}"`);
    const test: MochaTest = {
      kind: 'test',
      title,
      parent: this.#current,
      file: this.file,
      fn: typeof fn === 'function' ? (fn as MochaFn) : undefined,
      pending: (flags.pending ?? false) || typeof fn !== 'function' || this.#current.pending,
      only: flags.only ?? false,
    };
    this.#current.members.push(test);
    return test;
  }

  /** `before`/`after`/`beforeEach`/`afterEach` (and the TDD names): the current suite's. */
  hook(kind: HookKind, titleOrFn: unknown, maybeFn?: unknown): void {
    const fn = typeof titleOrFn === 'function' ? titleOrFn : maybeFn;
    if (typeof fn !== 'function') throw new TypeError(`${kind}() needs a function`);
    const name = typeof titleOrFn === 'string' ? titleOrFn : (fn as { name?: string }).name;
    const label = { before: 'before all', after: 'after all', beforeEach: 'before each', afterEach: 'after each' }[kind];
    this.#current.hooks[kind].push({ fn: fn as MochaFn, title: `"${label}" hook${name ? `: ${name}` : ''}` });
  }

  /** Root hooks from a `--require`d module's `mochaHooks` (an object, or a function that makes one). */
  async rootHooks(mochaHooks: unknown): Promise<void> {
    const hooks = (typeof mochaHooks === 'function' ? await (mochaHooks as () => unknown)() : mochaHooks) as
      Record<string, unknown> | undefined;
    if (hooks === undefined || hooks === null) return;
    const names: Record<string, HookKind> = { beforeAll: 'before', afterAll: 'after', beforeEach: 'beforeEach', afterEach: 'afterEach' };
    const saved = this.#current;
    this.#current = this.root;
    try {
      for (const [name, kind] of Object.entries(names)) {
        for (const fn of [hooks[name]].flat()) if (fn !== undefined) this.hook(kind, fn);
      }
    } finally {
      this.#current = saved;
    }
  }
}

/** `this` in a describe function: the suite's timeout and retries, as Mocha's Suite has them. */
function suiteThis(suite: MochaSuite): object {
  return {
    title: suite.title,
    timeout(ms?: number | string) {
      if (ms === undefined) return suite.settings.timeout;
      suite.settings.timeout = toMilliseconds(ms);
      return this;
    },
    retries(n?: number) {
      if (n === undefined) return suite.settings.retries;
      suite.settings.retries = n;
      return this;
    },
    slow() {
      return this;
    },
    skip() {
      throw new TypeError(`Suite "${suite.title}": this.skip() in a describe function is not supported; use describe.skip`);
    },
  };
}

/** Mocha's functions for a collector, under both interfaces' names: the globals, and what `require('mocha')` gives. */
export function mochaInterface(collector: MochaCollector): Record<string, unknown> {
  const describe = Object.assign((title: unknown, fn: unknown) => collector.describe(title, fn), {
    skip: (title: unknown, fn: unknown) => collector.describe(title, fn, { pending: true }),
    only: (title: unknown, fn: unknown) => collector.describe(title, fn, { only: true }),
  });
  const it = Object.assign((title: unknown, fn: unknown) => collector.it(title, fn), {
    skip: (title: unknown, fn?: unknown) => collector.it(title, fn, { pending: true }),
    only: (title: unknown, fn: unknown) => collector.it(title, fn, { only: true }),
    retries: (n: number) => {
      collector.root.settings.retries = n;
    },
  });
  const hook = (kind: HookKind) => (titleOrFn: unknown, fn?: unknown) => collector.hook(kind, titleOrFn, fn);
  return {
    describe,
    context: describe,
    xdescribe: describe.skip,
    xcontext: describe.skip,
    it,
    specify: it,
    xit: it.skip,
    xspecify: it.skip,
    before: hook('before'),
    after: hook('after'),
    beforeEach: hook('beforeEach'),
    afterEach: hook('afterEach'),
    suite: describe,
    test: it,
    suiteSetup: hook('before'),
    suiteTeardown: hook('after'),
    setup: hook('beforeEach'),
    teardown: hook('afterEach'),
    run: () => {
      throw new TypeError("run() is Mocha's --delay, which leakrun does not support: the files must register their tests as they load");
    },
  };
}

/** The globals each Mocha interface defines (`--ui`). */
export const MOCHA_GLOBALS: Readonly<Record<string, readonly string[]>> = {
  bdd: [
    'describe',
    'context',
    'xdescribe',
    'xcontext',
    'it',
    'specify',
    'xit',
    'xspecify',
    'before',
    'after',
    'beforeEach',
    'afterEach',
    'run',
  ],
  tdd: ['suite', 'test', 'suiteSetup', 'suiteTeardown', 'setup', 'teardown', 'run'],
};

/** Calls a hook or test function as Mocha's Runnable does, under its timeout (0: none). */
function callRunnable(fn: MochaFn, ctx: MochaContext, runnable: MochaRunnable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    };
    const arm = (): void => {
      if (runnable.timeoutMs > 0 && runnable.timeoutMs < 2 ** 31) {
        const ms = runnable.timeoutMs;
        timer = setTimeout(() => {
          finish(
            new Error(
              `Timeout of ${ms}ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a Promise, ensure it resolves.${runnable.file ? ` (${runnable.file})` : ''}`,
            ),
          );
        }, ms);
      }
    };
    try {
      if (fn.length > 0) {
        const ended = (error?: unknown): void =>
          finish(
            error === undefined || error === null
              ? undefined
              : error instanceof Error
                ? error
                : new Error(`done() invoked with non-Error: ${JSON.stringify(error)}`),
          );
        // done() called before the function returns waits for it: returning a promise as well is an error either way.
        let calling = true;
        let early: { error?: unknown } | undefined;
        const done = (error?: unknown): void => {
          if (calling) early ??= { error };
          else ended(error);
        };
        const returned = fn.call(ctx, done);
        calling = false;
        if (isThenable(returned)) {
          finish(new Error('Resolution method is overspecified. Specify a callback *or* return a Promise; not both.'));
          return;
        }
        if (early !== undefined) ended(early.error);
        else arm();
        return;
      }
      const returned = fn.call(ctx, () => undefined);
      if (!isThenable(returned)) {
        finish();
        return;
      }
      arm();
      returned.then(
        () => finish(),
        (error: unknown) => finish(error ?? new Error('Promise rejected with no or falsy reason')),
      );
    } catch (error) {
      finish(error);
    }
  });
}

/** Globals a test may add under `--check-leaks` whatever the settings say (Mocha's own list). */
const KNOWN_GLOBALS = ['errno'];

/** The checks of `--check-leaks`: the globals before the run, and what each test added. */
export class GlobalsCheck {
  readonly #known: Set<string>;

  constructor(allowed: readonly string[]) {
    this.#known = new Set([...Object.keys(globalThis), ...KNOWN_GLOBALS, ...allowed]);
  }

  /** The globals added since the last check, which are known from now on (Mocha reports a leak once). */
  added(): string[] {
    const added = Object.keys(globalThis).filter((name) => !this.#known.has(name));
    for (const name of added) this.#known.add(name);
    return added;
  }
}

/** What runs one collected Mocha test. */
function mochaTestRunner(test: MochaTest, settings: MochaSettings, globals: GlobalsCheck | undefined): () => Promise<void> {
  const suites: MochaSuite[] = [];
  for (let at: MochaSuite | undefined = test.parent; at !== undefined; at = at.parent) suites.unshift(at);
  const beforeEach = suites.flatMap((suite) => suite.hooks.beforeEach.map((hook) => ({ hook, suite })));
  const afterEach = suites.toReversed().flatMap((suite) => suite.hooks.afterEach.map((hook) => ({ hook, suite })));
  const ctx = test.parent.ctx;
  return async () => {
    if (test.pending || suites.some((suite) => suite.skipped)) throw new SkipTest('pending');
    const runnable = new MochaRunnable(test.title, test.parent, test.file, inheritedSettings(test.parent, settings));
    for (;;) {
      const failure = await runOnce(test, runnable, ctx, beforeEach, afterEach);
      if (failure === undefined || failure instanceof Pending || runnable.retriesLeft <= 0) {
        if (failure !== undefined) throw failure;
        break;
      }
      runnable.retriesLeft--;
    }
    const leaked = globals?.added() ?? [];
    if (leaked.length > 0) throw new Error(`global leak(s) detected: ${leaked.map((name) => `'${name}'`).join(', ')}`);
  };
}

/** One try of a test: its `beforeEach` hooks, the test, its `afterEach` hooks; what failed first. */
async function runOnce(
  test: MochaTest,
  runnable: MochaRunnable,
  ctx: MochaContext,
  beforeEach: readonly { hook: MochaHook; suite: MochaSuite }[],
  afterEach: readonly { hook: MochaHook; suite: MochaSuite }[],
): Promise<unknown> {
  let failure: unknown;
  const hookRun = async ({ hook, suite }: { hook: MochaHook; suite: MochaSuite }): Promise<void> => {
    const hookRunnable = new MochaRunnable(hook.title, suite, test.file, { timeout: runnable.timeoutMs, retries: 0 });
    suite.ctx.currentTest = runnable;
    suite.ctx.runnable(hookRunnable);
    await callRunnable(hook.fn, suite.ctx, hookRunnable);
  };
  try {
    for (const each of beforeEach) await hookRun(each);
    ctx.currentTest = runnable;
    ctx.runnable(runnable);
    await callRunnable(test.fn!, ctx, runnable);
    runnable.state = 'passed';
  } catch (error) {
    failure = error;
    runnable.state = error instanceof Pending ? 'pending' : 'failed';
  }
  for (const each of afterEach) {
    try {
      await hookRun(each);
    } catch (error) {
      failure ??= error;
    }
  }
  return failure;
}

/** A suite's `before` and `after` hooks as a layer, built on the enclosing suite's layer (or the root's). */
function suiteLayer(suite: MochaSuite, name: string, base: Layer | undefined, settings: MochaSettings): Layer {
  const run = async (kind: 'before' | 'after'): Promise<void> => {
    for (const hook of suite.hooks[kind]) {
      const runnable = new MochaRunnable(hook.title, suite, suite.file, inheritedSettings(suite, settings));
      suite.ctx.runnable(runnable);
      try {
        await callRunnable(hook.fn, suite.ctx, runnable);
      } catch (error) {
        // this.skip() in a before hook makes the suite's tests pending.
        if (error instanceof Pending && kind === 'before') {
          suite.skipped = true;
          return;
        }
        throw error;
      }
    }
  };
  return {
    layerName: name,
    bases: base === undefined ? [] : [base],
    setUp: () => run('before'),
    tearDown: () => run('after'),
  };
}

/**
 * The tests of a Mocha run, for leakrun's runner: named as Mocha's titles (`outer > inner > it`),
 * each in the layer of its nearest suite with `before` or `after` hooks (root hooks: the layer
 * `mocha root hooks`, under all the others), running its `beforeEach` and `afterEach` hooks itself.
 * When any test or suite is `.only`, only those run, as in Mocha. `moduleOf` names a file's module.
 */
export function mochaTests(collector: MochaCollector, settings: MochaSettings, moduleOf: (file: string | undefined) => string): Test[] {
  const globals = settings.checkLeaks ? new GlobalsCheck(settings.globals) : undefined;
  const hasOnly = (suite: MochaSuite): boolean =>
    suite.members.some((member) => member.only || (member.kind === 'suite' && hasOnly(member)));
  const onlyMode = hasOnly(collector.root);
  const out: Test[] = [];
  const visit = (suite: MochaSuite, inherited: Layer | undefined, selected: boolean): void => {
    const hasHooks = suite.hooks.before.length + suite.hooks.after.length > 0;
    const path = suitePath(suite);
    const layerName = suite.parent === undefined ? 'mocha root hooks' : `${moduleOf(suite.file)} > ${path.join(' > ')}`;
    const layer = hasHooks ? suiteLayer(suite, layerName, inherited, settings) : inherited;
    for (const member of suite.members) {
      const chosen = selected || member.only || !onlyMode;
      if (member.kind === 'suite') {
        if (!onlyMode || chosen || hasOnly(member)) visit(member, layer, chosen && onlyMode);
        continue;
      }
      if (!chosen) continue;
      const name = [...path, member.title].join(' > ');
      const module = moduleOf(member.file);
      out.push({ name, id: `${name} (${module})`, module, layer, level: 1, run: mochaTestRunner(member, settings, globals) });
    }
  };
  visit(collector.root, undefined, false);
  return out;
}
