import { matchesAny } from './discovery.ts';
import { UNIT_TESTS_LAYER_NAME, layerName } from './layers.ts';
import type { LayerNode, RunOptions, Shard, Test } from './types.ts';

/** Applies levels, `-u`/`-f`, `--layer` and `-t` to discovered tests, keeping their order. */
export function selectTests(tests: readonly Test[], options: RunOptions): Test[] {
  return tests.filter((test) => {
    if (test.level > options.atLevel) return false;
    if (options.unit === 'only' && test.layer !== undefined) return false;
    if (options.unit === 'exclude' && test.layer === undefined) return false;
    if (options.layers.length) {
      const name = test.layer === undefined ? UNIT_TESTS_LAYER_NAME : layerName(test.layer);
      if (!matchesAny(options.layers, name)) return false;
    }
    return matchesAny(options.tests, test.id);
  });
}

/**
 * The tests of one `--shard`, layer by layer in run order: the run's tests in that order, cut into
 * N runs of consecutive tests whose sizes differ by one at most, and the I-th of them. Consecutive,
 * so that a layer's tests mostly stay on one machine and few layers are set up twice; the same
 * tree and options give every machine the same cut, and every test is in exactly one share.
 * Layers left with no test are left out.
 */
export function shardTests(
  ordered: readonly LayerNode[],
  groups: ReadonlyMap<LayerNode, readonly Test[]>,
  { index, count }: Shard,
): { ordered: LayerNode[]; groups: Map<LayerNode, Test[]> } {
  const total = ordered.reduce((sum, node) => sum + (groups.get(node)?.length ?? 0), 0);
  const start = Math.floor(((index - 1) * total) / count);
  const end = Math.floor((index * total) / count);
  const kept = new Map<LayerNode, Test[]>();
  let at = 0;
  for (const node of ordered) {
    const tests = groups.get(node) ?? [];
    const share = tests.slice(Math.max(0, start - at), Math.max(0, end - at));
    at += tests.length;
    if (share.length > 0) kept.set(node, share);
  }
  return { ordered: ordered.filter((node) => kept.has(node)), groups: kept };
}

/** The printed names that occur more than once, for `--require-unique`. */
export function duplicateIds(tests: readonly Test[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const test of tests) {
    if (seen.has(test.id)) duplicates.add(test.id);
    seen.add(test.id);
  }
  return [...duplicates];
}

/** mulberry32: small, fast and good enough to make a shuffle repeatable from a printed seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with a seeded generator: the same seed gives the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
