/**
 * Layer names, bases and ordering (docs/layers.md). Pure: nothing here calls a hook or does I/O.
 *
 * The ordering follows zope.testrunner 8.1's `order_by_bases` and `gather_layers`; see
 * {@link orderByBases} for how the sort key is made.
 */
import { stackless } from '../core/errors.ts';
import type { Layer, LayerNode } from '../types/index.ts';

/** The printed name of the layer that holds tests without a layer. */
export const UNIT_TESTS_LAYER_NAME = 'leakrun.UnitTests';

const UNIT_TESTS_NODE: LayerNode = Object.freeze({ name: UNIT_TESTS_LAYER_NAME, layer: undefined, bases: Object.freeze([]) });

/** The unit-tests layer node: no live layer, no hooks, no bases. Always the same object. */
export function unitTestsNode(): LayerNode {
  return UNIT_TESTS_NODE;
}

/** True for the unit-tests layer node (any node without a live layer). */
export function isUnitTestsNode(node: LayerNode): boolean {
  return node.layer === undefined;
}

/**
 * The printed name of a layer: its own `layerName` (never an inherited one, so a subclass that
 * does not name itself prints its class name), else the class or function name.
 */
export function layerName(layer: Layer): string {
  if (Object.hasOwn(layer, 'layerName') && typeof layer.layerName === 'string') return layer.layerName;
  const value: unknown = layer;
  if (typeof value === 'function' && value.name !== '') return value.name;
  return '(anonymous layer)';
}

/**
 * A layer's direct bases: its own `bases` array, else its superclass (a superclass is a layer;
 * `Object` plays the part of Python's `object` and is not), else none.
 * Throws when `bases` is not an array of layers, naming the layer.
 */
export function layerBases(layer: Layer): Layer[] {
  if (Object.hasOwn(layer, 'bases') && layer.bases !== undefined) {
    const bases: unknown = layer.bases;
    if (!Array.isArray(bases)) {
      throw stackless(new TypeError(`Layer ${layerName(layer)}: \`bases\` must be an array of layers; got ${typeof bases}.`));
    }
    bases.forEach((base: unknown, index) => {
      if ((typeof base !== 'object' && typeof base !== 'function') || base === null) {
        throw stackless(
          new TypeError(
            `Layer ${layerName(layer)}: bases[${index}] is ${String(base)}, not a layer. ` +
              'Check the import order: a base used before its module finished loading reads as undefined.',
          ),
        );
      }
    });
    return [...(bases as Layer[])];
  }
  const value: unknown = layer;
  if (typeof value === 'function') {
    const parent: unknown = Object.getPrototypeOf(value);
    if (typeof parent === 'function' && parent !== Function.prototype && parent !== Object) return [parent as Layer];
  }
  return [];
}

/**
 * Makes a resolver that turns live layers into {@link LayerNode}s. Within one resolver each layer
 * object maps to exactly one node, so nodes can be compared by identity. Throws an Error naming
 * the cycle when a layer is, through its bases, its own base.
 */
export function createLayerResolver(): (layer: Layer | undefined) => LayerNode {
  const cache = new Map<Layer, LayerNode>();
  const resolving: Layer[] = [];
  const resolve = (layer: Layer | undefined): LayerNode => {
    if (layer === undefined) return UNIT_TESTS_NODE;
    const cached = cache.get(layer);
    if (cached) return cached;
    const start = resolving.indexOf(layer);
    if (start !== -1) {
      const cycle = [...resolving.slice(start), layer].map(layerName).join(' -> ');
      throw stackless(
        new Error(`Layer bases form a cycle: ${cycle}. A layer cannot be its own base; remove one link from a \`bases\` array.`),
      );
    }
    resolving.push(layer);
    try {
      const bases = Object.freeze(layerBases(layer).map(resolve));
      const node: LayerNode = Object.freeze({ name: layerName(layer), layer, bases });
      cache.set(layer, node);
      return node;
    } finally {
      resolving.pop();
    }
  };
  return resolve;
}

/** Resolves several layers with one shared cache (`undefined` stands for the unit-tests layer). */
export function resolveLayers(layers: Iterable<Layer | undefined>): LayerNode[] {
  const resolve = createLayerResolver();
  return Array.from(layers, resolve);
}

/**
 * The node followed by its bases, depth first, left to right. Like zope's `gather_layers`, a base
 * reached twice (a diamond) is listed twice: {@link orderByBases} relies on the repeats.
 */
export function gatherLayers(node: LayerNode, into: LayerNode[] = []): LayerNode[] {
  into.push(node);
  for (const base of node.bases) gatherLayers(base, into);
  return into;
}

// Identity is the live layer, so nodes from two resolvers for the same layer still match.
const UNIT_KEY: unique symbol = Symbol('unit tests');
function identity(node: LayerNode): Layer | typeof UNIT_KEY {
  return node.layer ?? UNIT_KEY;
}

/**
 * zope's sort key: the names met walking the bases right to left, each layer once, a layer after
 * its bases, the layer itself last. Layers sharing a base chain get keys with a common prefix.
 */
function sortKey(node: LayerNode): string[] {
  const seen = new Set<Layer | typeof UNIT_KEY>();
  const key: string[] = [];
  const walk = (current: LayerNode): void => {
    seen.add(identity(current));
    for (let i = current.bases.length - 1; i >= 0; i--) {
      const base = current.bases[i] as LayerNode;
      if (!seen.has(identity(base))) walk(base);
    }
    if (!isUnitTestsNode(current)) key.push(current.name);
  };
  walk(node);
  return key;
}

// Python compares tuples element by element, then by length; strings by code unit here
// (never by locale, so the order does not depend on the machine).
function compareKeys(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Orders layers from least to most specific, as zope's `order_by_bases`: sort by the key of base
 * names, descending (stable); gather each layer with its bases; reverse; keep the first occurrence
 * of each layer that was asked for. Bases come before derived layers, layers sharing bases stay
 * together, and the rest is by name. Duplicates are removed; the nodes returned are the ones given.
 */
export function orderByBases(nodes: readonly LayerNode[]): LayerNode[] {
  const wanted = new Map<Layer | typeof UNIT_KEY, LayerNode>();
  for (const node of nodes) if (!wanted.has(identity(node))) wanted.set(identity(node), node);
  const keys = new Map<LayerNode, string[]>();
  const keyOf = (node: LayerNode): string[] => {
    let key = keys.get(node);
    if (!key) keys.set(node, (key = sortKey(node)));
    return key;
  };
  const sorted = [...nodes].sort((a, b) => compareKeys(keyOf(b), keyOf(a)));
  const gathered: LayerNode[] = [];
  for (const node of sorted) gatherLayers(node, gathered);
  const result: LayerNode[] = [];
  const done = new Set<Layer | typeof UNIT_KEY>();
  for (let i = gathered.length - 1; i >= 0; i--) {
    const id = identity(gathered[i] as LayerNode);
    const given = wanted.get(id);
    if (given && !done.has(id)) {
      done.add(id);
      result.push(given);
    }
  }
  return result;
}

/** The order layers run in: the unit-tests layer first, then {@link orderByBases} of the rest. */
export function orderLayers(nodes: readonly LayerNode[]): LayerNode[] {
  const unit = nodes.find(isUnitTestsNode);
  const rest = orderByBases(nodes.filter((node) => !isUnitTestsNode(node)));
  return unit ? [unit, ...rest] : rest;
}
