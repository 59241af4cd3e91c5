/**
 * What an ES module gets for `import … from 'mocha'` when leakrun loads a Mocha run's files: the
 * interface collecting now (`mocha.ts`), under Mocha's names. leakrun's resolve hook
 * (`imports.ts`) points `mocha` here; a CommonJS `require('mocha')` gets the same functions. The
 * module is loaded once per process and each run has its own interface: every function looks the
 * current one up when called.
 */
import { currentMochaInterface } from './mocha-registry.ts';

type Fn = ((...args: unknown[]) => unknown) & {
  readonly skip: (...args: unknown[]) => unknown;
  readonly only: (...args: unknown[]) => unknown;
};

function current(name: string): Record<string, unknown> {
  const found = currentMochaInterface()?.[name] as Record<string, unknown> | undefined;
  if (found === undefined) throw new TypeError(`mocha's ${name}() is leakrun's only while it loads a Mocha run's files`);
  return found;
}

/** Mocha's function `name`, with its `.skip` and `.only` forms, from the interface collecting now. */
function delegate(name: string): Fn {
  const call =
    (form: string | undefined) =>
    (...args: unknown[]): unknown => {
      const fn = current(name);
      return (form === undefined ? (fn as unknown as (...args: unknown[]) => unknown) : (fn[form] as (...args: unknown[]) => unknown))(
        ...args,
      );
    };
  return Object.assign(call(undefined), { skip: call('skip'), only: call('only') });
}

export const describe: Fn = delegate('describe');
export const context: Fn = delegate('context');
export const xdescribe: Fn = delegate('xdescribe');
export const xcontext: Fn = delegate('xcontext');
export const it: Fn = delegate('it');
export const specify: Fn = delegate('specify');
export const xit: Fn = delegate('xit');
export const xspecify: Fn = delegate('xspecify');
export const before: Fn = delegate('before');
export const after: Fn = delegate('after');
export const beforeEach: Fn = delegate('beforeEach');
export const afterEach: Fn = delegate('afterEach');
export const suite: Fn = delegate('suite');
export const test: Fn = delegate('test');
export const suiteSetup: Fn = delegate('suiteSetup');
export const suiteTeardown: Fn = delegate('suiteTeardown');
export const setup: Fn = delegate('setup');
export const teardown: Fn = delegate('teardown');
export const run: Fn = delegate('run');
const all: Record<string, Fn> = {
  describe,
  context,
  xdescribe,
  xcontext,
  it,
  specify,
  xit,
  xspecify,
  before,
  after,
  beforeEach,
  afterEach,
  suite,
  test,
  suiteSetup,
  suiteTeardown,
  setup,
  teardown,
  run,
};
export default all;
