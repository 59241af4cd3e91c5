import type { HeapDiff, HeapDiffRow, HeapSample, RetainerPath, RetainerStep, TypeCount } from '../types/index.ts';

/**
 * Classes whose instances are leakrun's own bookkeeping. The counter neither counts them nor walks
 * into them, so everything only they hold (past samples, diffs, the sampler's caches) stays out of
 * the numbers it measures. A caller that keeps per-iteration records can hide them the same way by
 * giving their holder a class name and passing it as an `ownClasses` option of the sampler.
 */
export const OWN_CLASS_NAMES: readonly string[] = [
  'LeakrunHeapSample',
  'LeakrunHeapDiff',
  'LeakrunSamplerState',
  'LeakrunRecords',
  'LeakrunLeakSearch',
  'LeakrunTimerWatch',
  'LeakrunEnvironmentState',
  'LeakrunWarningLog',
  'LeakrunResourceTrace',
  'LeakrunRetainerPath',
  'LeakrunRetainerStep',
  'LeakrunSinkState',
];

/**
 * A list for whatever a runner keeps from one iteration to the next (results, problems, samples):
 * its class is one of {@link OWN_CLASS_NAMES}, so what only it holds never shows as growth.
 *
 * @example
 * ```ts
 * const iterations = new LeakrunRecords<IterationResult>();
 * iterations.items.push(result);
 * ```
 */
export class LeakrunRecords<T> {
  /** The records, in the order added. */
  readonly items: T[] = [];
}

/**
 * A {@link HeapSample} the counter recognises as leakrun's own. Its retainer paths are made on
 * first use from what the worker posted: a sample nobody asks for paths adds no objects to the
 * heap it measures beyond one string.
 */
export class LeakrunHeapSample implements HeapSample {
  readonly total: number;
  readonly byType: ReadonlyMap<string, TypeCount>;
  readonly known: ReadonlySet<string> | undefined;
  #paths: (() => readonly RetainerPath[]) | readonly RetainerPath[] | undefined;

  constructor(total: number, byType: ReadonlyMap<string, TypeCount>, known?: ReadonlySet<string>, paths?: () => readonly RetainerPath[]) {
    this.total = total;
    this.byType = byType;
    this.known = known;
    this.#paths = paths;
  }

  get paths(): readonly RetainerPath[] | undefined {
    if (typeof this.#paths === 'function') this.#paths = this.#paths();
    return this.#paths;
  }
}

/** A {@link RetainerPath} the counter recognises as leakrun's own: what a verdict keeps of a sample's paths. */
export class LeakrunRetainerPath implements RetainerPath {
  readonly name: string;
  readonly root: string;
  readonly steps: readonly RetainerStep[];
  readonly objects: number | undefined;
  readonly added: number;

  constructor(name: string, root: string, steps: readonly RetainerStep[], objects: number | undefined, added: number) {
    this.name = name;
    this.root = root;
    this.steps = steps;
    this.objects = objects;
    this.added = added;
  }
}

/** A {@link RetainerStep} the counter recognises as leakrun's own. */
export class LeakrunRetainerStep implements RetainerStep {
  readonly edge: string;
  readonly target: string;
  readonly grows: boolean;

  constructor(edge: string, target: string, grows: boolean) {
    this.edge = edge;
    this.target = target;
    this.grows = grows;
  }
}

/** A {@link HeapDiff} the counter recognises as leakrun's own. */
export class LeakrunHeapDiff implements HeapDiff {
  readonly total: number;
  readonly change: number;
  readonly detailTotal: number;
  readonly rows: readonly HeapDiffRow[];

  constructor(total: number, change: number, detailTotal: number, rows: readonly HeapDiffRow[]) {
    this.total = total;
    this.change = change;
    this.detailTotal = detailTotal;
    this.rows = rows;
  }
}

/**
 * Takes an object of leakrun's own out of the object screen's count: its prototype becomes
 * `null`, so that `v8.queryObjects(Object)` does not see it. For the records leakrun keeps per
 * iteration or per test while a layer is screened, which would otherwise count as the tests'
 * growth. Returns the object.
 */
export function ownRecord<T extends object>(record: T): T {
  Object.setPrototypeOf(record, null);
  return record;
}

/** Map's methods on a prototype of their own, without Object.prototype under it: see {@link ownMap}. */
const OWN_MAP_PROTOTYPE: object = Object.defineProperties(Object.create(null), Object.getOwnPropertyDescriptors(Map.prototype));

/**
 * Takes a `Map` of leakrun's own out of the object screen's count, as {@link ownRecord} does an
 * object: it keeps Map's methods (they work on any map), but not `instanceof Map`; code that
 * must tell a map asks `util.types.isMap`. {@link ordinaryMap} gives it back its prototype.
 */
export function ownMap<K, V>(map: Map<K, V>): Map<K, V> {
  Object.setPrototypeOf(map, OWN_MAP_PROTOTYPE);
  return map;
}

/** Gives a map of {@link ownMap} its ordinary prototype back, for a result handed to callers. */
export function ordinaryMap<K, V>(map: ReadonlyMap<K, V>): void {
  if (Object.getPrototypeOf(map) === OWN_MAP_PROTOTYPE) Object.setPrototypeOf(map, Map.prototype);
}
