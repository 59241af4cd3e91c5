import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeTestCollector, nodeTestApi, nodeTestPath, runNodeTest, testsOf, type NodeTestContext } from '../../src/suites/node-test.ts';
import type { SubtestOutcome } from '../../src/types/index.ts';

/** A collector and node:test's functions registering into it, as a test file gets them. */
function collecting(): { c: NodeTestCollector; nt: ReturnType<typeof nodeTestApi> } {
  const c = new NodeTestCollector('file.test.js');
  return { c, nt: nodeTestApi(c, {}) };
}

/** `pass`, `skip: reason` or `fail: message`. */
function outcome(error: Error | undefined): string {
  if (error === undefined) return 'pass';
  return error.name === 'SkipTest' ? `skip: ${error.message}` : `fail: ${error.message.split('\n')[0]}`;
}

/** What each collected test (and each subtest it started, named below it) did when run. */
async function outcomes(collector: NodeTestCollector): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const collected of testsOf(collector.root)) {
    const name = nodeTestPath(collected).join(' > ');
    const subtests: SubtestOutcome[] = [];
    try {
      await runNodeTest(collected, (subtest) => subtests.push(subtest));
      seen[name] = 'pass';
    } catch (error) {
      seen[name] = outcome(error as Error);
    }
    for (const subtest of subtests) seen[`${name} > ${subtest.name}`] = outcome(subtest.error);
  }
  return seen;
}

test('test(), it() and describe() in the shapes node:test takes, named outer > inner', () => {
  const { c, nt } = collecting();
  nt.test('plain', () => undefined);
  nt.test('with options', { timeout: 10 }, () => undefined);
  nt.test(function named() {});
  nt.describe('outer', () => {
    nt.test('first', () => undefined);
    nt.describe('inner', { skip: false }, () => nt.test('deep', () => undefined));
  });
  assert.deepEqual(
    testsOf(c.root).map((collected) => nodeTestPath(collected).join(' > ')),
    ['plain', 'with options', 'named', 'outer > first', 'outer > inner > deep'],
  );
});

test('beforeEach hooks run outer first, afterEach inner first, also when the test fails', async () => {
  const log: string[] = [];
  const { c, nt } = collecting();
  nt.beforeEach(() => log.push('file beforeEach'));
  nt.afterEach(() => log.push('file afterEach'));
  nt.describe('block', () => {
    nt.beforeEach(() => log.push('block beforeEach'));
    nt.afterEach(() => log.push('block afterEach'));
    nt.before(() => log.push('block before (not run per test)'));
    nt.test('fails', () => {
      log.push('test');
      assert.equal(1, 2);
    });
  });
  assert.deepEqual(await outcomes(c), { 'block > fails': 'fail: Expected values to be strictly equal:' });
  assert.deepEqual(log, ['file beforeEach', 'block beforeEach', 'test', 'block afterEach', 'file afterEach']);
});

test('skip and todo, as options, on a suite, and from the context; a failing todo test is not a failure', async () => {
  const { c, nt } = collecting();
  let ranSkipped = false;
  nt.test('skipped', { skip: 'not on this platform' }, () => {
    ranSkipped = true;
  });
  nt.describe('skipped block', { skip: true }, () => nt.test('inside', () => undefined));
  nt.test('todo that fails', { todo: 'later' }, () => assert.fail('not yet'));
  nt.test('skips itself', (t: NodeTestContext) => t.skip('no network'));
  assert.deepEqual(await outcomes(c), {
    skipped: 'skip: not on this platform',
    'skipped block > inside': 'skip: skipped',
    'todo that fails': 'skip: TODO: later',
    'skips itself': 'skip: no network',
  });
  assert.equal(ranSkipped, false);
});

test('done callbacks: done() passes, done(error) fails, a throw before done fails', async () => {
  const { c, nt } = collecting();
  nt.test('calls done later', (_t: NodeTestContext, done: (error?: unknown) => void) => void setImmediate(done));
  nt.test('calls done with an error', (_t: NodeTestContext, done: (error?: unknown) => void) => done(new Error('refused')));
  nt.test('throws', (_t: NodeTestContext, _done: (error?: unknown) => void) => {
    throw new Error('thrown first');
  });
  assert.deepEqual(await outcomes(c), {
    'calls done later': 'pass',
    'calls done with an error': 'fail: refused',
    throws: 'fail: thrown first',
  });
});

test('t.plan counts t.assert calls and subtests; subtests are reported under their parent, and one that fails fails it, awaited or not', async () => {
  const { c, nt } = collecting();
  nt.test('plan kept', (t: NodeTestContext) => {
    t.plan(3);
    void t.assert.equal(1, 1);
    void t.assert.ok(true);
    void t.test('a subtest', () => undefined);
  });
  nt.test('plan missed', (t: NodeTestContext) => {
    t.plan(2);
    void t.assert.equal(1, 1);
  });
  nt.test('subtest fails', (t: NodeTestContext) => {
    void t.test('not awaited', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal('a', 'b');
    });
  });
  assert.deepEqual(await outcomes(c), {
    'plan kept': 'pass',
    'plan kept > a subtest': 'pass',
    'plan missed': 'fail: plan expected 2 assertions but received 1',
    'subtest fails': 'fail: 1 subtest failed',
    'subtest fails > not awaited': 'fail: Expected values to be strictly equal:',
  });
});

test("the context's hooks and mocks: t.after runs when the test failed, t.before at once, t.beforeEach around subtests, t.mock reset at the end", async () => {
  const log: string[] = [];
  const clock = { now: (): number => 1 };
  const { c, nt } = collecting();
  nt.test('cleans up after a failure', (t: NodeTestContext) => {
    t.after(() => log.push('after'));
    t.before(() => log.push('before, at once'));
    log.push('body');
    assert.fail('broken');
  });
  nt.test('hooks its subtests', async (t: NodeTestContext) => {
    t.beforeEach((sub: NodeTestContext) => log.push(`beforeEach ${sub.name}`));
    t.afterEach((sub: NodeTestContext) => log.push(`afterEach ${sub.name}`));
    await t.test('one', () => log.push('one'));
  });
  nt.test('mocks a method', (t: NodeTestContext) => {
    (t.mock as { method(object: object, name: string, fn: () => number): void }).method(clock, 'now', () => 42);
    assert.equal(clock.now(), 42);
  });
  assert.deepEqual(await outcomes(c), {
    'cleans up after a failure': 'fail: broken',
    'hooks its subtests': 'pass',
    'hooks its subtests > one': 'pass',
    'mocks a method': 'pass',
  });
  assert.deepEqual(log, ['before, at once', 'body', 'after', 'beforeEach one', 'one', 'afterEach one']);
  assert.equal(clock.now(), 1, 'the mock is restored when its test ends');
});

test("node:test's order: the plan is checked a few microtasks after done() and before the afterEach and t.after hooks; t.assert is node:assert's (loose equal)", async () => {
  const log: string[] = [];
  const { c, nt } = collecting();
  nt.afterEach((t: NodeTestContext) => log.push(`afterEach ${t.name}`));
  nt.test('asserts in a then after done', (t: NodeTestContext, done: (error?: unknown) => void) => {
    t.plan(2);
    t.after(() => log.push('t.after'));
    const later = Promise.resolve();
    setImmediate(() => {
      t.assert.ok(true);
      done();
      // light-my-request's 'disabling autostart' counts on this one.
      void later.then(() => t.assert.ok(true));
    });
  });
  nt.test('loose deepEqual', (t: NodeTestContext) => {
    t.assert.deepEqual(Object.assign(Object.create(null) as object, { a: '1' }), { a: 1 });
    t.assert.equal(1, '1');
  });
  assert.deepEqual(await outcomes(c), { 'asserts in a then after done': 'pass', 'loose deepEqual': 'pass' });
  assert.deepEqual(log, ['afterEach asserts in a then after done', 't.after', 'afterEach loose deepEqual']);
});

test('the timeout option, inherited from a suite; skip forms win over options; test.test is test; an async describe', async () => {
  const { c, nt } = collecting();
  nt.describe('slow', { timeout: 20 }, () => {
    nt.it('never ends', () => new Promise((resolve) => setTimeout(resolve, 300)));
    nt.it('own timeout', { timeout: 1000 }, () => new Promise((resolve) => setTimeout(resolve, 40)));
  });
  nt.it.skip('skipped whatever its options say', { skip: false }, () => assert.fail('ran'));
  nt.test.test('through test.test', () => undefined);
  nt.describe('async', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    nt.it('registered after an await', () => undefined);
  });
  await c.loaded();
  assert.deepEqual(await outcomes(c), {
    'slow > never ends': 'fail: test timed out after 20ms',
    'slow > own timeout': 'pass',
    'skipped whatever its options say': 'skip: skipped',
    'through test.test': 'pass',
    'async > registered after an await': 'pass',
  });
});

test('a top-level test() called while a test runs (a file it imports) starts a subtest of that test', async () => {
  const { c, nt } = collecting();
  const imported = collecting();
  nt.test('imports a file', async () => {
    await imported.nt.test('defined by the imported file', () => undefined);
  });
  assert.deepEqual(await outcomes(c), { 'imports a file': 'pass', 'imports a file > defined by the imported file': 'pass' });
  assert.equal(imported.c.root.members.length, 0);
});
