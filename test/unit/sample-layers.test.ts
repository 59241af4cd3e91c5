// The sample tree's layers check their own scheduling: driven by hand in zope's order they
// pass; driven in any wrong order, the hook or the test's own assertion throws.
//
//   Layer1          Layerx
//   /     \           |
// Layer11  Layer12    |        Layer111, Layer112: bases [Layerx, Layer11]
//   |       /   \     |        Layer121, Layer122: extend Layer12
//  (111, 112) (121, 122)
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import {
  Layer1,
  Layer11,
  Layer111,
  Layer112,
  Layer12,
  Layer121,
  Layer122,
  Layerx,
  assertInLayer,
  assertNoLayer,
  resetState,
  state,
  type SampleLayer,
} from '../../examples/sample/samplelayers.ts';

type Hooked = SampleLayer & {
  setUp(): void;
  tearDown(): void;
  testSetUp(): void;
  testTearDown(): void;
};

/** Runs one test the way the runner must: testSetUp base-first, the body, testTearDown in reverse. */
function runTest(chain: readonly Hooked[], body: () => void): void {
  for (const layer of chain) layer.testSetUp();
  body();
  for (const layer of [...chain].reverse()) layer.testTearDown();
}

/** A plain Error, so the runner reports a scheduling mistake as an error, not a test failure. */
function schedulingError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof Error && error.name === 'Error' && pattern.test(error.message);
}

beforeEach(() => resetState());

test("zope's order passes every check, and every layer is torn down at the end", () => {
  assertNoLayer();
  Layer1.setUp();
  runTest([Layer1], () => assertInLayer(Layer1));
  Layer11.setUp();
  runTest([Layer1, Layer11], () => assertInLayer(Layer11));
  Layerx.setUp();
  Layer111.setUp();
  runTest([Layer1, Layer11, Layerx, Layer111], () => {
    assertInLayer(Layer111);
    assert.throws(() => assertInLayer(Layer11), assert.AssertionError);
  });
  Layer111.tearDown();
  Layer112.setUp();
  runTest([Layerx, Layer1, Layer11, Layer112], () => assertInLayer(Layer112));
  Layer112.tearDown();
  Layerx.tearDown();
  Layer11.tearDown();
  Layer12.setUp();
  runTest([Layer1, Layer12], () => assertInLayer(Layer12));
  Layer121.setUp();
  runTest([Layer1, Layer12, Layer121], () => assertInLayer(Layer121));
  Layer121.tearDown();
  Layer122.setUp();
  runTest([Layer1, Layer12, Layer122], () => assertInLayer(Layer122));
  Layer122.tearDown();
  Layer12.tearDown();
  Layer1.tearDown();
  assert.deepEqual(state, { up: [], inTest: [] });
});

test('setting up a layer before its base throws and leaves the state alone', () => {
  assert.throws(() => Layer11.setUp(), schedulingError(/Layer11\.setUp called before its base\(s\) samplelayers\.Layer1 /));
  assert.deepEqual(state.up, []);
});

test('an explicit `bases` entry counts: Layer111 needs Layerx as well as Layer11', () => {
  Layer1.setUp();
  Layer11.setUp();
  assert.throws(() => Layer111.setUp(), schedulingError(/Layer111\.setUp called before its base\(s\) samplelayers\.Layerx /));
  assert.deepEqual(state.up, ['Layer1', 'Layer11']);
});

test('setting up a layer twice throws', () => {
  Layer1.setUp();
  assert.throws(() => Layer1.setUp(), schedulingError(/Layer1\.setUp called, but it is already set up/));
});

test('tearing down a layer while a layer built on it is set up throws', () => {
  Layer1.setUp();
  Layer12.setUp();
  Layer121.setUp();
  assert.throws(
    () => Layer1.tearDown(),
    schedulingError(/Layer1\.tearDown called while samplelayers\.Layer12, samplelayers\.Layer121, built on it/),
  );
  assert.deepEqual(state.up, ['Layer1', 'Layer12', 'Layer121']);
});

test('tearing down a layer that is not set up throws', () => {
  Layer1.setUp();
  assert.throws(() => Layer11.tearDown(), schedulingError(/Layer11\.tearDown called, but it is not set up/));
});

test('testSetUp before the base layer’s testSetUp throws', () => {
  Layer1.setUp();
  Layer11.setUp();
  assert.throws(
    () => Layer11.testSetUp(),
    schedulingError(/Layer11\.testSetUp called before testSetUp of its base\(s\) samplelayers\.Layer1$/),
  );
  assert.deepEqual(state.inTest, []);
});

test('testSetUp for a layer that is not set up throws', () => {
  Layer1.setUp();
  Layer1.testSetUp();
  assert.throws(() => Layer12.testSetUp(), schedulingError(/Layer12\.testSetUp called, but the layer is not set up/));
});

test('testSetUp twice in one test (a missed testTearDown) throws', () => {
  Layer1.setUp();
  Layer1.testSetUp();
  assert.throws(() => Layer1.testSetUp(), schedulingError(/called twice for one test/));
});

test('testTearDown of a base before the derived layer’s testTearDown throws', () => {
  Layer1.setUp();
  Layer11.setUp();
  Layer1.testSetUp();
  Layer11.testSetUp();
  assert.throws(
    () => Layer1.testTearDown(),
    schedulingError(/Layer1\.testTearDown called before testTearDown of samplelayers\.Layer11, built on it/),
  );
  assert.deepEqual(state.inTest, ['Layer1', 'Layer11']);
});

test('testTearDown without testSetUp throws', () => {
  Layer1.setUp();
  assert.throws(() => Layer1.testTearDown(), schedulingError(/without a matching testSetUp/));
});

test('setting up or tearing down a layer in the middle of a test throws', () => {
  Layer1.setUp();
  Layer1.testSetUp();
  assert.throws(() => Layer11.setUp(), schedulingError(/Layer11\.setUp called during a test/));
  assert.throws(() => Layer1.tearDown(), schedulingError(/Layer1\.tearDown called during a test/));
});

test("a test's own assertion fails when an extra layer is set up or testSetUp did not run", () => {
  Layer1.setUp();
  Layer11.setUp();
  Layer12.setUp();
  runTest([Layer1, Layer11], () => assert.throws(() => assertInLayer(Layer11), /layers set up while/));
  Layer12.tearDown();
  assert.throws(() => assertInLayer(Layer11), /layers in testSetUp while/);
  assert.throws(() => assertNoLayer(), assert.AssertionError);
});
