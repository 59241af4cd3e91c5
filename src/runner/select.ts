import { matchesAny } from './discovery.ts';
import { UNIT_TESTS_LAYER_NAME, layerName } from './layers.ts';
import { relative } from 'node:path';
import type { LayerNode, NameFilter, RunOptions, Shard, Test } from '../types/index.ts';

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

/**
 * The one line for a run whose filters selected no test: where it looked, what it found and
 * which filters left nothing, so that a mistyped filter is seen at once.
 */
export function noTestsMessage(options: RunOptions, cwd: string, modules: number, tests: readonly Test[]): string {
  const shown = (path: string): string => relative(cwd, path) || '.';
  const where = (options.files.length ? options.files : options.paths).map(shown).join(', ');
  const named = (option: string, list: readonly NameFilter[]): string[] => list.map((filter) => `${option} ${filter.source}`);
  const moduleFilters = [...options.packages.map((name) => `-s ${name}`), ...named('-m', options.modules)];
  const inModules = `in ${where}${moduleFilters.length ? ` selected by ${moduleFilters.join(', ')}` : ''}`;
  const pass = '; pass --pass-with-no-tests if none is expected';
  if (modules === 0) {
    const pattern = `files whose name matches ${options.testsPattern.source}, and files matching ${options.testFilePattern.source} in directories so named`;
    return `no test modules ${inModules} (test modules are ${pattern})${pass}`;
  }
  const testFilters = [...named('-t', options.tests), ...named('--layer', options.layers)];
  if (options.unit !== 'include') testFilters.push(options.unit === 'only' ? '-u' : '-f');
  const above = tests.filter((test) => test.level > options.atLevel).length;
  if (above > 0) testFilters.push(`-a ${options.atLevel} (${above} of them at higher levels; --all runs every level)`);
  const moduleCount = modules === 1 ? '1 test module' : `${modules} test modules`;
  const held = `${moduleCount} ${inModules} ${modules === 1 ? 'holds' : 'hold'} ${tests.length} test${tests.length === 1 ? '' : 's'}`;
  return `no tests selected: ${held}, ${testFilters.length ? `none left by ${testFilters.join(', ')}` : 'and none is defined'}${pass}`;
}
