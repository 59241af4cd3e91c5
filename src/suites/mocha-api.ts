/**
 * What an ES module gets for `import … from 'mocha'` when leakrun loads a Mocha run's files: the
 * interface collecting now (`mocha.ts`), under Mocha's names. leakrun's resolve hook
 * (`imports.ts`) points `mocha` here; a CommonJS `require('mocha')` gets the same object.
 */
import { currentMochaInterface } from './mocha-registry.ts';

type Fn = (...args: unknown[]) => unknown;

const api: Record<string, unknown> = currentMochaInterface() ?? {};
const named = (name: string): Fn =>
  (api[name] as Fn | undefined) ??
  (() => {
    throw new TypeError(`mocha's ${name}() is leakrun's only while it loads a Mocha run's files`);
  });

export const describe: Fn = named('describe');
export const context: Fn = named('context');
export const xdescribe: Fn = named('xdescribe');
export const xcontext: Fn = named('xcontext');
export const it: Fn = named('it');
export const specify: Fn = named('specify');
export const xit: Fn = named('xit');
export const xspecify: Fn = named('xspecify');
export const before: Fn = named('before');
export const after: Fn = named('after');
export const beforeEach: Fn = named('beforeEach');
export const afterEach: Fn = named('afterEach');
export const suite: Fn = named('suite');
export const test: Fn = named('test');
export const suiteSetup: Fn = named('suiteSetup');
export const suiteTeardown: Fn = named('suiteTeardown');
export const setup: Fn = named('setup');
export const teardown: Fn = named('teardown');
export const run: Fn = named('run');
export default api;
