import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeTestCollector, nodeTestPath, runNodeTest, testsOf, type NodeTestContext } from '../../src/suites/node-test.ts';

/** What each collected test did when run: `pass`, `skip: reason` or `fail: message`. */
async function outcomes(collector: NodeTestCollector): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const collected of testsOf(collector.root)) {
    const name = nodeTestPath(collected).join(' > ');
    try {
      await runNodeTest(collected);
      seen[name] = 'pass';
    } catch (error) {
      const { name: kind, message } = error as Error;
      seen[name] = kind === 'SkipTest' ? `skip: ${message}` : `fail: ${message.split('\n')[0]}`;
    }
  }
  return seen;
}

test('test(), it() and describe() in the shapes node:test takes, named outer > inner', () => {
  const c = new NodeTestCollector('file.test.js');
  c.test('plain', () => undefined);
  c.test('with options', { timeout: 10 }, () => undefined);
  c.test(function named() {});
  c.describe('outer', () => {
    c.test('first', () => undefined);
    c.describe('inner', { skip: false }, () => c.test('deep', () => undefined));
  });
  assert.deepEqual(
    testsOf(c.root).map((collected) => nodeTestPath(collected).join(' > ')),
    ['plain', 'with options', 'named', 'outer > first', 'outer > inner > deep'],
  );
});

test('beforeEach hooks run outer first, afterEach inner first, also when the test fails', async () => {
  const log: string[] = [];
  const c = new NodeTestCollector('file.test.js');
  c.hook('beforeEach', () => log.push('file beforeEach'));
  c.hook('afterEach', () => log.push('file afterEach'));
  c.describe('block', () => {
    c.hook('beforeEach', () => log.push('block beforeEach'));
    c.hook('afterEach', () => log.push('block afterEach'));
    c.hook('before', () => log.push('block before (not run per test)'));
    c.test('fails', () => {
      log.push('test');
      assert.equal(1, 2);
    });
  });
  assert.deepEqual(await outcomes(c), { 'block > fails': 'fail: Expected values to be strictly equal:' });
  assert.deepEqual(log, ['file beforeEach', 'block beforeEach', 'test', 'block afterEach', 'file afterEach']);
});

test('skip and todo, as options, on a suite, and from the context; a failing todo test is not a failure', async () => {
  const c = new NodeTestCollector('file.test.js');
  let ranSkipped = false;
  c.test('skipped', { skip: 'not on this platform' }, () => {
    ranSkipped = true;
  });
  c.describe('skipped block', { skip: true }, () => c.test('inside', () => undefined));
  c.test('todo that fails', { todo: 'later' }, () => assert.fail('not yet'));
  c.test('skips itself', (t: NodeTestContext) => t.skip('no network'));
  assert.deepEqual(await outcomes(c), {
    skipped: 'skip: not on this platform',
    'skipped block > inside': 'skip: skipped',
    'todo that fails': 'skip: TODO: later',
    'skips itself': 'skip: no network',
  });
  assert.equal(ranSkipped, false);
});

test('done callbacks: done() passes, done(error) fails, a throw before done fails', async () => {
  const c = new NodeTestCollector('file.test.js');
  c.test('calls done later', (_t: NodeTestContext, done: (error?: unknown) => void) => void setImmediate(done));
  c.test('calls done with an error', (_t: NodeTestContext, done: (error?: unknown) => void) => done(new Error('refused')));
  c.test('throws', (_t: NodeTestContext, _done: (error?: unknown) => void) => {
    throw new Error('thrown first');
  });
  assert.deepEqual(await outcomes(c), {
    'calls done later': 'pass',
    'calls done with an error': 'fail: refused',
    throws: 'fail: thrown first',
  });
});

test('t.plan counts t.assert calls and subtests; a subtest that fails fails its parent, awaited or not', async () => {
  const c = new NodeTestCollector('file.test.js');
  c.test('plan kept', (t: NodeTestContext) => {
    t.plan(3);
    void t.assert.equal(1, 1);
    void t.assert.ok(true);
    void t.test('a subtest', () => undefined);
  });
  c.test('plan missed', (t: NodeTestContext) => {
    t.plan(2);
    void t.assert.equal(1, 1);
  });
  c.test('subtest fails', (t: NodeTestContext) => {
    void t.test('not awaited', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal('a', 'b');
    });
  });
  assert.deepEqual(await outcomes(c), {
    'plan kept': 'pass',
    'plan missed': 'fail: plan expected 2 assertions but received 1',
    'subtest fails': 'fail: Expected values to be strictly equal:',
  });
});

test("the context's hooks and mocks: t.after runs when the test failed, t.before at once, t.beforeEach around subtests, t.mock reset at the end", async () => {
  const log: string[] = [];
  const clock = { now: (): number => 1 };
  const c = new NodeTestCollector('file.test.js');
  c.test('cleans up after a failure', (t: NodeTestContext) => {
    t.after(() => log.push('after'));
    t.before(() => log.push('before, at once'));
    log.push('body');
    assert.fail('broken');
  });
  c.test('hooks its subtests', async (t: NodeTestContext) => {
    t.beforeEach((sub: NodeTestContext) => log.push(`beforeEach ${sub.name}`));
    t.afterEach((sub: NodeTestContext) => log.push(`afterEach ${sub.name}`));
    await t.test('one', () => log.push('one'));
  });
  c.test('mocks a method', (t: NodeTestContext) => {
    (t.mock as { method(object: object, name: string, fn: () => number): void }).method(clock, 'now', () => 42);
    assert.equal(clock.now(), 42);
  });
  assert.deepEqual(await outcomes(c), {
    'cleans up after a failure': 'fail: broken',
    'hooks its subtests': 'pass',
    'mocks a method': 'pass',
  });
  assert.deepEqual(log, ['before, at once', 'body', 'after', 'beforeEach one', 'one', 'afterEach one']);
  assert.equal(clock.now(), 1, 'the mock is restored when its test ends');
});
