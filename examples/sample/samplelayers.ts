/**
 * The sample tree's layers, after zope.testrunner's `samplelayers.py`:
 *
 * ```
 *   Layer1          Layerx
 *   /     \           |
 * Layer11  Layer12    |      Layer111 and Layer112 have bases [Layerx, Layer11];
 *   |       /   \     |      Layer121 and Layer122 extend Layer12.
 *  (111, 112) (121, 122)
 * ```
 *
 * The layers check themselves: every hook throws a plain `Error` (so the runner reports an
 * error, not a failure) when it is called in a state a correct scheduler never produces, and the
 * sample tests assert that exactly their layer's chain is set up and went through `testSetUp`.
 * A scheduling bug therefore fails loudly instead of passing by accident.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';

/** The direct bases of each layer, written out independently of the classes below. */
const BASES: Readonly<Record<string, readonly string[]>> = {
  Layer1: [],
  Layerx: [],
  Layer11: ['Layer1'],
  Layer12: ['Layer1'],
  Layer111: ['Layerx', 'Layer11'],
  Layer112: ['Layerx', 'Layer11'],
  Layer121: ['Layer12'],
  Layer122: ['Layer12'],
};

/** What the sample layers have done so far; one object so tests can inspect and reset it. */
export interface SampleLayerState {
  /** Short names of the layers set up and not yet torn down, in set-up order. */
  readonly up: string[];
  /**
   * Short names of the layers whose `testSetUp` ran for the current test and whose
   * `testTearDown` has not run yet, in call order. Empty between tests.
   */
  readonly inTest: string[];
}

/** The shared state every sample layer hook checks and updates. */
export const state: SampleLayerState = { up: [], inTest: [] };

/** Forgets everything; for tests that drive the layers by hand. */
export function resetState(): void {
  state.up.length = 0;
  state.inTest.length = 0;
}

function full(short: string): string {
  return `samplelayers.${short}`;
}

function fullList(shorts: readonly string[]): string {
  return shorts.map(full).join(', ');
}

function basesOf(short: string): readonly string[] {
  const bases = BASES[short];
  if (!bases) throw new Error(`${short} is not a sample layer`);
  return bases;
}

/** Every layer `short` is built on, directly or not, excluding itself. */
function ancestors(short: string): Set<string> {
  const found = new Set<string>();
  const visit = (name: string): void => {
    for (const base of basesOf(name)) {
      found.add(base);
      visit(base);
    }
  };
  visit(short);
  return found;
}

/** The layer and every layer it is built on: what must be set up while its tests run. */
export function chainOf(short: string): string[] {
  return [...ancestors(short), short].sort();
}

function builtOn(short: string, among: readonly string[]): string[] {
  return among.filter((other) => ancestors(other).has(short));
}

function setUpLayer(short: string): void {
  if (state.inTest.length > 0) {
    throw new Error(`${full(short)}.setUp called during a test (testSetUp ran for ${fullList(state.inTest)})`);
  }
  if (state.up.includes(short)) throw new Error(`${full(short)}.setUp called, but it is already set up`);
  const missing = basesOf(short).filter((base) => !state.up.includes(base));
  if (missing.length > 0) {
    throw new Error(`${full(short)}.setUp called before its base(s) ${fullList(missing)} were set up`);
  }
  state.up.push(short);
}

function tearDownLayer(short: string): void {
  if (state.inTest.length > 0) {
    throw new Error(`${full(short)}.tearDown called during a test (testSetUp ran for ${fullList(state.inTest)})`);
  }
  if (!state.up.includes(short)) throw new Error(`${full(short)}.tearDown called, but it is not set up`);
  const dependents = builtOn(short, state.up);
  if (dependents.length > 0) {
    throw new Error(`${full(short)}.tearDown called while ${fullList(dependents)}, built on it, are still set up`);
  }
  state.up.splice(state.up.indexOf(short), 1);
}

function testSetUpLayer(short: string): void {
  if (!state.up.includes(short)) throw new Error(`${full(short)}.testSetUp called, but the layer is not set up`);
  if (state.inTest.includes(short)) {
    throw new Error(`${full(short)}.testSetUp called twice for one test (was testTearDown skipped?)`);
  }
  const missing = basesOf(short).filter((base) => !state.inTest.includes(base));
  if (missing.length > 0) {
    throw new Error(`${full(short)}.testSetUp called before testSetUp of its base(s) ${fullList(missing)}`);
  }
  state.inTest.push(short);
}

function testTearDownLayer(short: string): void {
  if (!state.inTest.includes(short)) {
    throw new Error(`${full(short)}.testTearDown called without a matching testSetUp`);
  }
  const dependents = builtOn(short, state.inTest);
  if (dependents.length > 0) {
    throw new Error(`${full(short)}.testTearDown called before testTearDown of ${fullList(dependents)}, built on it`);
  }
  state.inTest.splice(state.inTest.indexOf(short), 1);
}

/** A sample layer class, as the assertion helpers accept it. */
export interface SampleLayer {
  readonly layerName: string;
}

function shortName(layer: SampleLayer): string {
  return layer.layerName.slice('samplelayers.'.length);
}

/**
 * Asserts, from inside a test or a TestCase's own setUp/tearDown, that exactly the layer's chain
 * is set up and that `testSetUp` ran (and `testTearDown` did not yet) for each layer in it.
 */
export function assertInLayer(layer: SampleLayer): void {
  const expected = chainOf(shortName(layer));
  assert.deepEqual([...state.up].sort(), expected, `layers set up while a ${layer.layerName} test runs`);
  assert.deepEqual([...state.inTest].sort(), expected, `layers in testSetUp while a ${layer.layerName} test runs`);
}

/** Asserts that no sample layer is set up, as holds for the unit tests (they run first). */
export function assertNoLayer(): void {
  assert.deepEqual(state.up, [], 'no sample layer should be set up while unit tests run');
  assert.deepEqual(state.inTest, [], 'no sample layer testSetUp should be active while unit tests run');
}

/** The root layer of the main family. */
export class Layer1 {
  static layerName = 'samplelayers.Layer1';
  static setUp(): void { setUpLayer('Layer1'); }
  static tearDown(): void { tearDownLayer('Layer1'); }
  static testSetUp(): void { testSetUpLayer('Layer1'); }
  static testTearDown(): void { testTearDownLayer('Layer1'); }
}

/** A second root, mixed into Layer111 and Layer112 through their `bases`. */
export class Layerx {
  static layerName = 'samplelayers.Layerx';
  static setUp(): void { setUpLayer('Layerx'); }
  static tearDown(): void { tearDownLayer('Layerx'); }
  static testSetUp(): void { testSetUpLayer('Layerx'); }
  static testTearDown(): void { testTearDownLayer('Layerx'); }
}

/** Built on Layer1 by inheritance. */
export class Layer11 extends Layer1 {
  static override layerName = 'samplelayers.Layer11';
  static override setUp(): void { setUpLayer('Layer11'); }
  static override tearDown(): void { tearDownLayer('Layer11'); }
  static override testSetUp(): void { testSetUpLayer('Layer11'); }
  static override testTearDown(): void { testTearDownLayer('Layer11'); }
}

/** Built on Layer1 by inheritance; a sibling of Layer11. */
export class Layer12 extends Layer1 {
  static override layerName = 'samplelayers.Layer12';
  static override setUp(): void { setUpLayer('Layer12'); }
  static override tearDown(): void { tearDownLayer('Layer12'); }
  static override testSetUp(): void { testSetUpLayer('Layer12'); }
  static override testTearDown(): void { testTearDownLayer('Layer12'); }
}

/** Built on Layerx and Layer11 through `bases` alone (no `extends`): a diamond over Layer1, as in zope. */
export class Layer111 {
  static layerName = 'samplelayers.Layer111';
  static bases = [Layerx, Layer11];
  static setUp(): void { setUpLayer('Layer111'); }
  static tearDown(): void { tearDownLayer('Layer111'); }
  static testSetUp(): void { testSetUpLayer('Layer111'); }
  static testTearDown(): void { testTearDownLayer('Layer111'); }
}

/** Built on Layerx and Layer11; a sibling of Layer111. */
export class Layer112 {
  static layerName = 'samplelayers.Layer112';
  static bases = [Layerx, Layer11];
  static setUp(): void { setUpLayer('Layer112'); }
  static tearDown(): void { tearDownLayer('Layer112'); }
  static testSetUp(): void { testSetUpLayer('Layer112'); }
  static testTearDown(): void { testTearDownLayer('Layer112'); }
}

/** Built on Layer12 by inheritance. */
export class Layer121 extends Layer12 {
  static override layerName = 'samplelayers.Layer121';
  static override setUp(): void { setUpLayer('Layer121'); }
  static override tearDown(): void { tearDownLayer('Layer121'); }
  static override testSetUp(): void { testSetUpLayer('Layer121'); }
  static override testTearDown(): void { testTearDownLayer('Layer121'); }
}

/** Built on Layer12 by inheritance; a sibling of Layer121. */
export class Layer122 extends Layer12 {
  static override layerName = 'samplelayers.Layer122';
  static override setUp(): void { setUpLayer('Layer122'); }
  static override tearDown(): void { tearDownLayer('Layer122'); }
  static override testSetUp(): void { testSetUpLayer('Layer122'); }
  static override testTearDown(): void { testTearDownLayer('Layer122'); }
}
