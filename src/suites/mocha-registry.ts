/**
 * The Mocha interface collecting now, shared through `globalThis` by every copy of leakrun (the
 * runner's, and the built `mocha-api.js` a test file's `import 'mocha'` loads).
 */
const SLOT = Symbol.for('leakrun.mocha.interface');

type Holder = Record<symbol, Record<string, unknown> | undefined>;

/** The functions `require('mocha')` and `import … from 'mocha'` give while a Mocha run's files load. */
export function currentMochaInterface(): Record<string, unknown> | undefined {
  return (globalThis as unknown as Holder)[SLOT];
}

/** Sets (or, with `undefined`, clears) the interface the files loading now get. */
export function setMochaInterface(api: Record<string, unknown> | undefined): void {
  (globalThis as unknown as Holder)[SLOT] = api;
}
