import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { CannotTearDown } from '../../src/core/errors.ts';
import { createLayerResolver, layerName, unitTestsNode } from '../../src/runner/layers.ts';
import { DefaultLayerScheduler, runTestSetUp, runTestTearDown, testSetUpChain } from '../../src/runner/scheduler.ts';
import type { Emit, Layer, LayerNode, RunEvent } from '../../src/types/index.ts';

/**
 * Renders scheduler events as zope prints them, one line per set-up or tear-down, and checks on
 * the way that every end event closes the start event just before it and carries a time.
 * Hooks and the driver write to the same transcript, so interleaving is visible.
 */
function transcript(): { lines: string[]; emit: Emit; note: (line: string) => void } {
  const lines: string[] = [];
  let open: string | undefined;
  const emit: Emit = (event: RunEvent) => {
    if (event.type === 'leftover:start') {
      lines.push('Tearing down left over layers:');
    } else if (event.type === 'layer:setup:start' || event.type === 'layer:teardown:start') {
      assert.equal(open, undefined, `${event.type} while ${open} is open`);
      open = `${event.type === 'layer:setup:start' ? 'Set up' : 'Tear down'} ${event.layer}`;
    } else if (event.type === 'layer:setup:end' || event.type === 'layer:teardown:end') {
      const expected = `${event.type === 'layer:setup:end' ? 'Set up' : 'Tear down'} ${event.layer}`;
      assert.equal(open, expected, `${event.type} does not close the open event`);
      assert.ok(typeof event.seconds === 'number' && event.seconds >= 0);
      const notSupported = event.type === 'layer:teardown:end' && event.notSupported;
      lines.push(`${expected}${notSupported ? ' ... not supported' : ''}${event.error ? ` ! ${event.error.message}` : ''}`);
      open = undefined;
    } else {
      assert.fail(`unexpected event ${event.type}`);
    }
  };
  return { lines, emit, note: (line) => lines.push(`  ${line}`) };
}

/** zope's sample layers, fresh per test, whose inherited hooks log with the layer they run for. */
function sampleLayers(note: (line: string) => void) {
  class Layer1 {
    static layerName = 'samplelayers.Layer1';
    static setUp(this: Layer): void {
      note(`setUp ${layerName(this)}`);
    }
    static tearDown(this: Layer): void {
      note(`tearDown ${layerName(this)}`);
    }
  }
  class Layerx {
    static layerName = 'samplelayers.Layerx';
  }
  class Layer11 extends Layer1 {
    static override layerName = 'samplelayers.Layer11';
  }
  class Layer12 extends Layer1 {
    static override layerName = 'samplelayers.Layer12';
  }
  class Layer111 extends Layer11 {
    static override layerName = 'samplelayers.Layer111';
    static bases = [Layerx, Layer11];
  }
  class Layer112 extends Layer11 {
    static override layerName = 'samplelayers.Layer112';
    static bases = [Layerx, Layer11];
  }
  class Layer121 extends Layer12 {
    static override layerName = 'samplelayers.Layer121';
  }
  class Layer122 extends Layer12 {
    static override layerName = 'samplelayers.Layer122';
  }
  return { Layer1, Layerx, Layer11, Layer12, Layer111, Layer112, Layer121, Layer122 };
}

async function runAll(
  scheduler: DefaultLayerScheduler,
  nodes: LayerNode[],
  t: ReturnType<typeof transcript>,
): Promise<(boolean | 'subprocess')[]> {
  const entered: (boolean | 'subprocess')[] = [];
  for (const node of scheduler.order(nodes)) {
    t.lines.push(`Running ${node.name} tests:`);
    entered.push(await scheduler.enter(node, t.emit));
  }
  await scheduler.finish(t.emit);
  return entered;
}

test("a full run of zope's sample layers sets up and tears down in zope's order", async () => {
  const t = transcript();
  const s = sampleLayers(t.note);
  const resolve = createLayerResolver();
  const nodes = [s.Layer122, s.Layer112, undefined, s.Layer1, s.Layer121, s.Layer11, s.Layer12, s.Layer111].map(resolve);
  const entered = await runAll(new DefaultLayerScheduler(), nodes, t);
  assert.deepEqual(entered, Array(8).fill(true));
  assert.deepEqual(t.lines, [
    'Running leakrun.UnitTests tests:',
    'Running samplelayers.Layer1 tests:',
    '  setUp samplelayers.Layer1',
    'Set up samplelayers.Layer1',
    'Running samplelayers.Layer11 tests:',
    '  setUp samplelayers.Layer11',
    'Set up samplelayers.Layer11',
    'Running samplelayers.Layer111 tests:',
    'Set up samplelayers.Layerx',
    '  setUp samplelayers.Layer111',
    'Set up samplelayers.Layer111',
    'Running samplelayers.Layer112 tests:',
    '  tearDown samplelayers.Layer111',
    'Tear down samplelayers.Layer111',
    '  setUp samplelayers.Layer112',
    'Set up samplelayers.Layer112',
    'Running samplelayers.Layer12 tests:',
    '  tearDown samplelayers.Layer112',
    'Tear down samplelayers.Layer112',
    'Tear down samplelayers.Layerx',
    '  tearDown samplelayers.Layer11',
    'Tear down samplelayers.Layer11',
    '  setUp samplelayers.Layer12',
    'Set up samplelayers.Layer12',
    'Running samplelayers.Layer121 tests:',
    '  setUp samplelayers.Layer121',
    'Set up samplelayers.Layer121',
    'Running samplelayers.Layer122 tests:',
    '  tearDown samplelayers.Layer121',
    'Tear down samplelayers.Layer121',
    '  setUp samplelayers.Layer122',
    'Set up samplelayers.Layer122',
    'Tearing down left over layers:',
    '  tearDown samplelayers.Layer122',
    'Tear down samplelayers.Layer122',
    '  tearDown samplelayers.Layer12',
    'Tear down samplelayers.Layer12',
    '  tearDown samplelayers.Layer1',
    'Tear down samplelayers.Layer1',
  ]);
});

test('entering Layer112 alone sets up its bases left to right, depth first; the end tears down most derived first', async () => {
  const t = transcript();
  const s = sampleLayers(() => {});
  await runAll(new DefaultLayerScheduler(), [createLayerResolver()(s.Layer112)], t);
  assert.deepEqual(t.lines, [
    'Running samplelayers.Layer112 tests:',
    'Set up samplelayers.Layerx',
    'Set up samplelayers.Layer1',
    'Set up samplelayers.Layer11',
    'Set up samplelayers.Layer112',
    'Tearing down left over layers:',
    'Tear down samplelayers.Layer112',
    'Tear down samplelayers.Layerx',
    'Tear down samplelayers.Layer11',
    'Tear down samplelayers.Layer1',
  ]);
});

test('entering the unit-tests layer emits nothing for itself but tears down what it does not need', async () => {
  const t = transcript();
  const s = sampleLayers(() => {});
  const scheduler = new DefaultLayerScheduler();
  assert.equal(await scheduler.enter(unitTestsNode(), t.emit), true);
  assert.deepEqual(t.lines, []);
  await scheduler.enter(createLayerResolver()(s.Layer11), t.emit);
  t.lines.length = 0;
  assert.equal(await scheduler.enter(unitTestsNode(), t.emit), true);
  assert.deepEqual(t.lines, ['Tear down samplelayers.Layer11', 'Tear down samplelayers.Layer1']);
  await scheduler.finish(t.emit);
  assert.deepEqual(t.lines.slice(2), [], 'nothing left over, so no left-over heading');
});

test('a throwing setUp: false, the error on the set-up event, bases stay up, later layers still work', async () => {
  const t = transcript();
  class Base {
    static layerName = 'p.Base';
  }
  class Broken extends Base {
    static override layerName = 'p.Broken';
    static setUp(): void {
      throw new Error('the database would not start');
    }
  }
  class AboveBroken extends Broken {
    static override layerName = 'p.AboveBroken';
    static override setUp(): void {
      t.note('AboveBroken.setUp must not run');
    }
  }
  class Fine extends Base {
    static override layerName = 'p.Fine';
  }
  class Strange {
    static layerName = 'p.Strange';
    static setUp(): void {
      throw 'a string';
    }
  }
  const resolve = createLayerResolver();
  const scheduler = new DefaultLayerScheduler();
  const errors: Error[] = [];
  const emit: Emit = (event) => {
    if (event.type === 'layer:setup:end' && event.error) errors.push(event.error);
    t.emit(event);
  };
  assert.equal(await scheduler.enter(resolve(Broken), emit), false);
  assert.equal(await scheduler.enter(resolve(AboveBroken), emit), false, 'a broken base stops the layers above it');
  assert.equal(await scheduler.enter(resolve(Fine), emit), true);
  assert.equal(await scheduler.enter(resolve(Strange), emit), false);
  await scheduler.finish(emit);
  assert.deepEqual(t.lines, [
    'Set up p.Base',
    'Set up p.Broken ! the database would not start',
    'Set up p.Broken ! the database would not start',
    'Set up p.Fine',
    'Tear down p.Fine',
    'Tear down p.Base',
    "Set up p.Strange ! Non-error thrown: 'a string'",
  ]);
  assert.equal(errors.length, 3);
  assert.ok(errors.every((error) => error instanceof Error));
});

test('a throwing tearDown: the error on the tear-down event, the layer counts as torn down', async () => {
  const t = transcript();
  let tornDown = 0;
  class Grumpy {
    static layerName = 'p.Grumpy';
    static setUp(): void {
      t.note('Grumpy.setUp');
    }
    static tearDown(): void {
      tornDown++;
      throw new Error('could not drop the schema');
    }
  }
  class Other {
    static layerName = 'p.Other';
  }
  const resolve = createLayerResolver();
  const scheduler = new DefaultLayerScheduler();
  assert.equal(await scheduler.enter(resolve(Grumpy), t.emit), true);
  assert.equal(await scheduler.enter(resolve(Other), t.emit), true);
  assert.equal(await scheduler.enter(resolve(Grumpy), t.emit), true, 'set up again, as it is no longer set up');
  await scheduler.finish(t.emit);
  assert.equal(tornDown, 2);
  assert.deepEqual(t.lines, [
    '  Grumpy.setUp',
    'Set up p.Grumpy',
    'Tear down p.Grumpy ! could not drop the schema',
    'Set up p.Other',
    'Tear down p.Other',
    '  Grumpy.setUp',
    'Set up p.Grumpy',
    'Tearing down left over layers:',
    'Tear down p.Grumpy ! could not drop the schema',
  ]);
});

test('CannotTearDown: not supported, answered with subprocess, never tried again, reused; its bases stay up until the end', async () => {
  const t = transcript();
  let attempts = 0;
  class StickyBase {
    static layerName = 'p.StickyBase';
  }
  class Sticky extends StickyBase {
    static override layerName = 'p.Sticky';
    static setUp(this: Layer): void {
      t.note(`setUp ${layerName(this)}`);
    }
    static tearDown(): void {
      attempts++;
      throw new CannotTearDown();
    }
  }
  class AboveSticky extends Sticky {
    static override layerName = 'p.AboveSticky';
    static override tearDown(): void {}
  }
  class Other {
    static layerName = 'p.Other';
    static tearDown(): void {
      // Another copy of leakrun's CannotTearDown: recognised by its name.
      throw Object.assign(new Error('no'), { name: 'CannotTearDown' });
    }
  }
  const resolve = createLayerResolver();
  const scheduler = new DefaultLayerScheduler();
  for (const layer of [Sticky, Other, AboveSticky, undefined]) {
    t.lines.push(`Running ${layer ? layerName(layer) : 'unit'}:`);
    let entered = await scheduler.enter(resolve(layer), t.emit);
    if (entered === 'subprocess') {
      // The runner moves to a child process here; asked again, the scheduler goes on in this one.
      t.lines.push('(subprocess)');
      entered = await scheduler.enter(resolve(layer), t.emit);
    }
    assert.equal(entered, true);
  }
  await scheduler.finish(t.emit);
  assert.equal(attempts, 1);
  assert.deepEqual(t.lines, [
    'Running p.Sticky:',
    'Set up p.StickyBase',
    '  setUp p.Sticky',
    'Set up p.Sticky',
    'Running p.Other:',
    'Tear down p.Sticky ... not supported',
    '(subprocess)',
    'Set up p.Other',
    'Running p.AboveSticky:',
    'Tear down p.Other ... not supported',
    '(subprocess)',
    '  setUp p.AboveSticky',
    'Set up p.AboveSticky',
    'Running unit:',
    'Tear down p.AboveSticky',
    'Tearing down left over layers:',
    'Tear down p.StickyBase',
  ]);
  const alone = transcript();
  const fresh = new DefaultLayerScheduler();
  await fresh.enter(createLayerResolver()(Other), alone.emit);
  await fresh.enter(unitTestsNode(), alone.emit);
  await fresh.finish(alone.emit);
  assert.deepEqual(alone.lines, ['Set up p.Other', 'Tear down p.Other ... not supported'], 'no left-over heading for stuck layers only');
});

test('inherited static hooks run with this = the layer being set up or torn down', async () => {
  const seen: [string, unknown][] = [];
  class Base {
    static setUp(): void {
      seen.push(['setUp', this]);
    }
    static tearDown(): void {
      seen.push(['tearDown', this]);
    }
    static testSetUp(): void {
      seen.push(['testSetUp', this]);
    }
    static testTearDown(): void {
      seen.push(['testTearDown', this]);
    }
  }
  class Child extends Base {}
  const plain = {
    layerName: 'plain',
    bases: [Child],
    setUp(): void {
      seen.push(['setUp', this]);
    },
  };
  const node = createLayerResolver()(plain);
  const scheduler = new DefaultLayerScheduler();
  await scheduler.enter(node, () => {});
  await runTestSetUp(node);
  await runTestTearDown(node);
  await scheduler.finish(() => {});
  assert.deepEqual(seen, [
    ['setUp', Base],
    ['setUp', Child],
    ['setUp', plain],
    ['testSetUp', Base],
    ['testSetUp', Child],
    ['testTearDown', Child],
    ['testTearDown', Base],
    ['tearDown', Child],
    ['tearDown', Base],
  ]);
});

test('async hooks are awaited before the next step', async () => {
  const t = transcript();
  const slow = (line: string) => async (): Promise<void> => {
    await sleep(5);
    t.note(line);
  };
  const Outer = {
    layerName: 'a.Outer',
    setUp: slow('Outer.setUp'),
    tearDown: slow('Outer.tearDown'),
    testSetUp: slow('Outer.testSetUp'),
    testTearDown: slow('Outer.testTearDown'),
  };
  const Inner = {
    layerName: 'a.Inner',
    bases: [Outer],
    setUp: slow('Inner.setUp'),
    testSetUp: slow('Inner.testSetUp'),
    testTearDown: slow('Inner.testTearDown'),
  };
  const node = createLayerResolver()(Inner);
  const scheduler = new DefaultLayerScheduler();
  await scheduler.enter(node, t.emit);
  await runTestSetUp(node);
  t.note('test');
  await runTestTearDown(node);
  await scheduler.finish(t.emit);
  assert.deepEqual(t.lines, [
    '  Outer.setUp',
    'Set up a.Outer',
    '  Inner.setUp',
    'Set up a.Inner',
    '  Outer.testSetUp',
    '  Inner.testSetUp',
    '  test',
    '  Inner.testTearDown',
    '  Outer.testTearDown',
    'Tearing down left over layers:',
    'Tear down a.Inner',
    '  Outer.tearDown',
    'Tear down a.Outer',
  ]);
});

/** The diamond F(C, E) of zope's layer docs, C -> B -> A and E -> D -> A, with logging test hooks. */
function diamond(log: string[], throwing: { testSetUp?: string[]; testTearDown?: string[] } = {}): LayerNode {
  const hook = (kind: 'testSetUp' | 'testTearDown') =>
    function (this: Layer): void {
      const name = layerName(this);
      log.push(`${name}.${kind}`);
      if (throwing[kind]?.includes(name)) throw new Error(`${name}.${kind} failed`);
    };
  const A = { layerName: 'A', testSetUp: hook('testSetUp'), testTearDown: hook('testTearDown') };
  const layer = (name: string, bases: Layer[]): Layer => ({ ...A, layerName: name, bases });
  const B = layer('B', [A]);
  const C = layer('C', [B]);
  const D = layer('D', [A]);
  const E = layer('E', [D]);
  return createLayerResolver()(layer('F', [C, E]));
}

test('testSetUp runs base first, testTearDown in reverse; the chain is computed once per node', async () => {
  const log: string[] = [];
  const node = diamond(log);
  const chain = testSetUpChain(node);
  assert.deepEqual(chain.map(layerName), ['A', 'B', 'C', 'D', 'E', 'F']);
  assert.equal(testSetUpChain(node), chain);
  assert.deepEqual(testSetUpChain(unitTestsNode()), []);
  await runTestSetUp(node);
  await runTestTearDown(node);
  assert.deepEqual(
    log,
    ['A', 'B', 'C', 'D', 'E', 'F', 'F', 'E', 'D', 'C', 'B', 'A'].map((n, i) => `${n}.${i < 6 ? 'testSetUp' : 'testTearDown'}`),
  );
});

test('a failing testSetUp stops the chain; every testTearDown still runs and the first error wins', async () => {
  const log: string[] = [];
  const node = diamond(log, { testSetUp: ['C'], testTearDown: ['E', 'B'] });
  await assert.rejects(runTestSetUp(node), { message: 'C.testSetUp failed' });
  assert.deepEqual(log, ['A.testSetUp', 'B.testSetUp', 'C.testSetUp']);
  log.length = 0;
  await assert.rejects(runTestTearDown(node), { message: 'E.testTearDown failed' });
  assert.deepEqual(
    log,
    ['F', 'E', 'D', 'C', 'B', 'A'].map((n) => `${n}.testTearDown`),
  );
});

test('the runner pattern: testTearDown runs after a failed test too', async () => {
  const log: string[] = [];
  const node = diamond(log);
  let caught: unknown;
  try {
    await runTestSetUp(node);
    log.push('test');
    throw new Error('the test failed');
  } catch (error) {
    caught = error;
  } finally {
    await runTestTearDown(node);
  }
  assert.equal((caught as Error).message, 'the test failed');
  assert.equal(log.indexOf('test'), 6);
  assert.deepEqual(
    log.slice(7),
    ['F', 'E', 'D', 'C', 'B', 'A'].map((n) => `${n}.testTearDown`),
  );
});
