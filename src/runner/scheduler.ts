/**
 * The default layer scheduler (docs/layers.md, docs/api.md): zope.testrunner's `run_layer`,
 * `setup_layer` and `tear_down_unneeded`, plus the per-test `testSetUp`/`testTearDown` chain
 * around every test.
 */
import { secondsSince, now } from '../core/clock.ts';
import { isCannotTearDown, toError } from '../core/errors.ts';
import { DONE } from '../core/invoke.ts';
import { gatherLayers, isUnitTestsNode, orderByBases, orderLayers } from './layers.ts';
import type { Emit, HookGuard, Layer, LayerNode, LayerScheduler } from '../types/index.ts';

/** No guard: what `run()` gives the scheduler replaces it. */
const unguarded: HookGuard = (_, work) => work;

/** Calls a static hook with `this` = the layer, as a promise even when it throws synchronously. */
async function call(layer: Layer, hook: (() => unknown) | undefined): Promise<unknown> {
  return hook?.call(layer);
}

/**
 * Sets layers up and tears them down so that, when a layer's tests run, exactly that layer and its
 * bases are set up. A layer whose `tearDown` throws `CannotTearDown` stays set up until the
 * process ends, and `enter` answers `'subprocess'`: the runner runs the rest elsewhere. Its bases,
 * which it still relies on, stay set up until {@link DefaultLayerScheduler.finish} (as zope's
 * left-over tear-down, which goes on past a layer that cannot be torn down).
 */
export class DefaultLayerScheduler implements LayerScheduler {
  /** Live layer → node, for every layer currently set up, in set-up order. */
  readonly #setUp = new Map<Layer, LayerNode>();
  /** Layers whose tearDown is not supported: never tried again. */
  readonly #stuck = new Set<Layer>();
  #lastNode: LayerNode | undefined;
  #lastHasHooks = false;

  /** Unit tests first, then zope's `order_by_bases`. */
  order(layers: readonly LayerNode[]): LayerNode[] {
    return orderLayers(layers);
  }

  /**
   * Tears down the set-up layers `node` does not need (most derived first), then sets up its
   * missing bases and itself (bases first, left to right, depth first). Resolves to `false` when a
   * set-up threw; the layers set up before it stay set up. Resolves to `'subprocess'`, setting
   * nothing up, when one of the layers it tore down threw `CannotTearDown`.
   */
  async enter(node: LayerNode, emit: Emit, guard: HookGuard = unguarded): Promise<boolean | 'subprocess'> {
    const needed = new Set<Layer | undefined>(gatherLayers(node).map((n) => n.layer));
    for (const layer of this.#stuck) {
      const stuck = this.#setUp.get(layer);
      if (stuck) for (const base of gatherLayers(stuck)) needed.add(base.layer);
    }
    const unneeded = [...this.#setUp].filter(([layer]) => !needed.has(layer)).map(([, setUp]) => setUp);
    const stuck = this.#stuck.size;
    await this.#tearDown(unneeded, emit, guard, true);
    // zope's answer to a layer that cannot be torn down: this process is no longer clean, so the
    // layers from here on run in fresh ones.
    if (this.#stuck.size > stuck) return 'subprocess';
    return this.#setUpWithBases(node, emit, guard);
  }

  /**
   * `testSetUp` of the layer and its bases (bases first), the test, then every `testTearDown`
   * (most derived first); the first error wins. A layer with no such hooks calls `body` straight.
   */
  aroundTest(node: LayerNode, body: () => Promise<void>, guard: HookGuard = unguarded): Promise<void> {
    // Called for every test: the last layer's answer saves a lookup on the hot path.
    if (node !== this.#lastNode) {
      this.#lastNode = node;
      this.#lastHasHooks = testSetUpChain(node).length > 0;
    }
    return this.#lastHasHooks ? withTestHooks(node, body, guard) : body();
  }

  /** Tears down everything still set up (except layers that cannot be), most derived first. */
  async finish(emit: Emit, guard: HookGuard = unguarded): Promise<void> {
    const left = [...this.#setUp].filter(([layer]) => !this.#stuck.has(layer)).map(([, node]) => node);
    if (left.length === 0) return;
    emit({ type: 'leftover:start' });
    await this.#tearDown(left, emit, guard, false);
  }

  async #setUpWithBases(node: LayerNode, emit: Emit, guard: HookGuard): Promise<boolean> {
    const layer = node.layer;
    if (layer === undefined || this.#setUp.has(layer)) return true;
    for (const base of node.bases) {
      if (!(await this.#setUpWithBases(base, emit, guard))) return false;
    }
    emit({ type: 'layer:setup:start', layer: node.name });
    const started = now();
    try {
      await guard(`${node.name}.setUp`, call(layer, layer.setUp));
    } catch (error) {
      emit({ type: 'layer:setup:end', layer: node.name, seconds: secondsSince(started), error: toError(error) });
      return false;
    }
    emit({ type: 'layer:setup:end', layer: node.name, seconds: secondsSince(started) });
    this.#setUp.set(layer, node);
    return true;
  }

  /** Most derived first; with `keepBasesOfStuck`, a layer found stuck keeps its bases up. */
  async #tearDown(nodes: readonly LayerNode[], emit: Emit, guard: HookGuard, keepBasesOfStuck: boolean): Promise<void> {
    const kept = new Set<Layer | undefined>();
    for (const node of orderByBases(nodes).reverse()) {
      const layer = node.layer;
      if (layer === undefined || this.#stuck.has(layer) || kept.has(layer)) continue;
      emit({ type: 'layer:teardown:start', layer: node.name });
      const started = now();
      let error: Error | undefined;
      try {
        await guard(`${node.name}.tearDown`, call(layer, layer.tearDown));
      } catch (thrown) {
        error = toError(thrown);
      }
      const seconds = secondsSince(started);
      if (error === undefined) {
        this.#setUp.delete(layer);
        emit({ type: 'layer:teardown:end', layer: node.name, seconds });
      } else if (isCannotTearDown(error)) {
        this.#stuck.add(layer);
        if (keepBasesOfStuck) for (const base of gatherLayers(node)) kept.add(base.layer);
        emit({ type: 'layer:teardown:end', layer: node.name, seconds, notSupported: true });
      } else {
        // zope forgets a layer whose tearDown failed; setting it up again is the best repair.
        this.#setUp.delete(layer);
        emit({ type: 'layer:teardown:end', layer: node.name, seconds, error });
      }
    }
  }
}

async function withTestHooks(node: LayerNode, body: () => Promise<void>, guard: HookGuard): Promise<void> {
  let failed = false;
  let failure: unknown;
  try {
    await guard('testSetUp', runTestSetUp(node));
    // Not `await body()`: a synchronous test's shared DONE must not be awaited (see layer-run.ts).
    const work = body();
    if (work !== DONE) await work;
  } catch (error) {
    failed = true;
    failure = error;
  }
  try {
    await guard('testTearDown', runTestTearDown(node));
  } catch (error) {
    if (!failed) [failed, failure] = [true, error];
  }
  if (failed) throw failure;
}

const chains = new WeakMap<LayerNode, readonly Layer[]>();

/**
 * The live layers whose `testSetUp`/`testTearDown` run around each test of `node`: the node and
 * all its bases, least specific first (zope's `order_by_bases` of the gathered layers). Cached per
 * node because it is needed for every test.
 */
export function testSetUpChain(node: LayerNode): readonly Layer[] {
  let chain = chains.get(node);
  if (!chain) {
    const ordered = orderByBases(gatherLayers(node)).filter((n) => !isUnitTestsNode(n));
    chain = Object.freeze(ordered.map((n) => n.layer as Layer));
    chains.set(node, chain);
  }
  return chain;
}

/** Calls every `testSetUp` of `node`'s chain, bases first; stops at the first that throws. */
export async function runTestSetUp(node: LayerNode): Promise<void> {
  for (const layer of testSetUpChain(node)) {
    if (layer.testSetUp !== undefined) await layer.testSetUp.call(layer);
  }
}

/**
 * Calls every `testTearDown` of `node`'s chain, most derived first. Each runs even when an earlier
 * one threw; the first error is rethrown at the end.
 */
export async function runTestTearDown(node: LayerNode): Promise<void> {
  const chain = testSetUpChain(node);
  let failed = false;
  let first: unknown;
  for (let i = chain.length - 1; i >= 0; i--) {
    const layer = chain[i] as Layer;
    if (layer.testTearDown === undefined) continue;
    try {
      await layer.testTearDown.call(layer);
    } catch (error) {
      if (!failed) {
        failed = true;
        first = error;
      }
    }
  }
  if (failed) throw first;
}
