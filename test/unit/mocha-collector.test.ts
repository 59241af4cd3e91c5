import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MOCHA_DEFAULTS, MochaCollector, mochaInterface, mochaTests, type MochaContext } from '../../src/suites/mocha.ts';
import type { Layer, Test } from '../../src/types/index.ts';

type Api = Record<string, ((...args: unknown[]) => unknown) & Record<string, (...args: unknown[]) => unknown>>;

/** A collector, Mocha's functions for it, and the tests it makes. */
function collecting(settings = MOCHA_DEFAULTS): { api: Api; tests: () => Test[] } {
  const collector = new MochaCollector();
  collector.file = '/project/test/file.js';
  return { api: mochaInterface(collector) as Api, tests: () => mochaTests(collector, settings, () => 'test.file') };
}

/** Sets up each test's layers (bases first, once each) and runs the tests; what each did. */
async function outcomes(tests: readonly Test[]): Promise<Record<string, string>> {
  const setUp = new Set<Layer>();
  const up = async (layer: Layer | undefined): Promise<void> => {
    if (layer === undefined || setUp.has(layer)) return;
    for (const base of layer.bases ?? []) await up(base);
    setUp.add(layer);
    await layer.setUp?.();
  };
  const seen: Record<string, string> = {};
  for (const found of tests) {
    await up(found.layer);
    try {
      await found.run();
      seen[found.name] = 'pass';
    } catch (error) {
      const { name, message } = error as Error;
      seen[found.name] = name === 'SkipTest' ? 'pending' : `fail: ${message.split('\n')[0]}`;
    }
  }
  return seen;
}

test("this is the suite's context, inherited by nested suites; hooks run outer first, afterEach inner first", async () => {
  const log: string[] = [];
  const { api, tests } = collecting();
  api.describe!('outer', function () {
    api.before!(function (this: MochaContext & { app?: string }) {
      this.app = 'outer app';
    });
    api.beforeEach!(() => log.push('outer beforeEach'));
    api.afterEach!(() => log.push('outer afterEach'));
    api.describe!('inner', function () {
      api.beforeEach!(() => log.push('inner beforeEach'));
      api.afterEach!(() => log.push('inner afterEach'));
      api.it!('reads the outer context', function (this: MochaContext & { app?: string }) {
        log.push('test');
        assert.equal(this.app, 'outer app');
        assert.equal(this.currentTest?.title, 'reads the outer context');
      });
    });
  });
  assert.deepEqual(await outcomes(tests()), { 'outer > inner > reads the outer context': 'pass' });
  assert.deepEqual(log, ['outer beforeEach', 'inner beforeEach', 'test', 'inner afterEach', 'outer afterEach']);
  assert.deepEqual(
    tests().map((found) => found.layer?.layerName),
    ['test.file > outer'],
  );
});

test('done, promises, both at once, timeouts, this.skip(), pending and skipped tests', async () => {
  const { api, tests } = collecting({ ...MOCHA_DEFAULTS, timeout: 50 });
  api.it!('calls done', (done: () => void) => void setImmediate(done));
  api.it!('calls done with an error', (done: (error: Error) => void) => done(new Error('refused')));
  api.it!('returns a promise', () => new Promise((resolve) => setImmediate(resolve)));
  api.it!('rejects', () => Promise.reject(new Error('rejected')));
  api.it!('does both', (done: () => void) => {
    done();
    return Promise.resolve();
  });
  api.it!('never calls done', (_done: () => void) => undefined);
  api.it!('raises its own timeout', function (this: MochaContext, done: () => void) {
    this.timeout(500);
    setTimeout(done, 80);
  });
  api.it!('skips itself', function (this: MochaContext) {
    this.skip();
  });
  api.it!('has no function yet');
  api.it!.skip!('is skipped', () => assert.fail('ran'));
  api.xit!('is x-ed', () => assert.fail('ran'));
  assert.deepEqual(await outcomes(tests()), {
    'calls done': 'pass',
    'calls done with an error': 'fail: refused',
    'returns a promise': 'pass',
    rejects: 'fail: rejected',
    'does both': 'fail: Resolution method is overspecified. Specify a callback *or* return a Promise; not both.',
    'never calls done':
      'fail: Timeout of 50ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a Promise, ensure it resolves. (/project/test/file.js)',
    'raises its own timeout': 'pass',
    'skips itself': 'pending',
    'has no function yet': 'pending',
    'is skipped': 'pending',
    'is x-ed': 'pending',
  });
});

test('.only runs only what it marks; this.retries() runs a failing test again; --check-leaks names a new global once', async () => {
  const only = collecting();
  only.api.describe!('block', () => {
    only.api.it!('left out', () => undefined);
    only.api.it!.only!('kept', () => undefined);
  });
  only.api.describe!.only!('whole block', () => only.api.it!('kept too', () => undefined));
  only.api.it!('left out too', () => undefined);
  assert.deepEqual(Object.keys(await outcomes(only.tests())), ['block > kept', 'whole block > kept too']);

  let tries = 0;
  const retried = collecting({ ...MOCHA_DEFAULTS, checkLeaks: true });
  retried.api.it!('flaky', function (this: MochaContext) {
    this.retries(2);
    tries += 1;
    assert.ok(tries >= 3, `try ${tries}`);
  });
  retried.api.it!('leaves a global', () => {
    (globalThis as Record<string, unknown>).leakrunMochaTestGlobal = 1;
  });
  const made = retried.tests();
  assert.deepEqual(await outcomes(made), { flaky: 'pass', 'leaves a global': "fail: global leak(s) detected: 'leakrunMochaTestGlobal'" });
  assert.equal(tries, 3);
  assert.deepEqual(await outcomes(made.slice(1)), { 'leaves a global': 'pass' }, 'a global is reported once');
  delete (globalThis as Record<string, unknown>).leakrunMochaTestGlobal;
});

test('TDD names; hooks outside any suite are root hooks around every test, in a layer under all the others', async () => {
  const log: string[] = [];
  const { api, tests } = collecting();
  api.setup!(() => log.push('root setup'));
  api.suiteSetup!(() => log.push('root suiteSetup'));
  api.suite!('tdd', () => {
    api.suiteSetup!(() => log.push('suiteSetup'));
    api.test!('one', () => log.push('one'));
  });
  const made = tests();
  assert.deepEqual(made[0]?.layer?.layerName, 'test.file > tdd');
  assert.deepEqual(
    made[0]?.layer?.bases?.map((base) => base.layerName),
    ['mocha root hooks'],
  );
  assert.deepEqual(await outcomes(made), { 'tdd > one': 'pass' });
  assert.deepEqual(log, ['root suiteSetup', 'suiteSetup', 'root setup', 'one']);
});
