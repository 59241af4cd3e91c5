/**
 * The object screen (docs/design-sampler.md#the-screen): a count of the live JavaScript objects
 * of this thread's heap after complete garbage collections, from V8 without a heap snapshot. It
 * decides "nothing grew" for a leak verdict; a heap snapshot confirms and explains what it saw.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** `v8.queryObjects`, typed: Node 20.13 and later. */
type QueryObjects = (constructor: typeof Object, options: { format: 'count' }) => number;

/**
 * Counts the live objects of the calling thread whose prototype chain reaches `Object.prototype`:
 * what a program makes with `{}`, `new`, `[]`, closures, maps, promises and class instances, in
 * this realm. Strings, numbers, objects made with a `null` prototype and objects of other realms
 * are not counted; nor are V8's own kinds (code, shapes, feedback), whose churn the snapshot's
 * counter also leaves out. leakrun's own records are made with a `null` prototype for that reason
 * (`ownRecord` in records.ts).
 *
 * Each count runs a complete collection followed by one turn of the event loop (so that
 * finalization callbacks have run, as before a snapshot), then `v8.queryObjects`, which collects
 * all the garbage it can once more before it walks the heap.
 */
export class LeakrunObjectScreen {
  readonly #collect: () => void;
  readonly #query: QueryObjects;
  #warned = false;
  /** Stands in for `process.emitWarning` during the first count and drops Node's warning about `v8.queryObjects`. */
  readonly #quiet = quietWarnings();

  constructor() {
    const query = (v8 as unknown as { queryObjects?: QueryObjects }).queryObjects;
    if (typeof query !== 'function') {
      throw new Error(`leakrun's object screen needs v8.queryObjects (Node 20.13 and later); this is Node ${process.versions.node}`);
    }
    this.#query = query;
    this.#collect = collector();
  }

  /** The live objects after complete collections. */
  async count(): Promise<number> {
    // One collection and a turn before the count, whose own collection makes the second.
    this.#collect();
    await new Promise((resolve) => setImmediate(resolve));
    return this.#warned ? this.#query(Object, { format: 'count' }) : this.#firstCount();
  }

  /** The first count, without the ExperimentalWarning Node prints for `v8.queryObjects` once per process. */
  #firstCount(): number {
    this.#warned = true;
    const emitWarning = process.emitWarning;
    // Made with the screen: a function made here would be alive in this count and not the next.
    this.#quiet.emitWarning = emitWarning;
    process.emitWarning = this.#quiet.function;
    try {
      return this.#query(Object, { format: 'count' });
    } finally {
      process.emitWarning = emitWarning;
      this.#quiet.emitWarning = undefined;
    }
  }
}

/**
 * Whether the screen sees the objects of `value`'s realm. Node counts only the objects made in the
 * thread's main context, so a function made in a context of its own (a test file that Jest runs
 * in its environment's `vm` context) would leak unseen: a check of it samples instead.
 */
export function screenSees(value: object): boolean {
  const query = (v8 as unknown as { queryObjects?: QueryObjects }).queryObjects;
  return typeof query === 'function' && realmRoot(value) === realmRoot(query);
}

/** The end of an object's prototype chain: its realm's `Object.prototype`, for an ordinary object. */
function realmRoot(value: object): object | null {
  let root: object | null = null;
  for (let prototype = Object.getPrototypeOf(value) as object | null; prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    root = prototype;
  }
  return root;
}

/** A stand-in for `process.emitWarning` that passes on every warning but the one about `v8.queryObjects`. */
function quietWarnings(): { emitWarning: typeof process.emitWarning | undefined; readonly function: typeof process.emitWarning } {
  const state: { emitWarning: typeof process.emitWarning | undefined; function: typeof process.emitWarning } = {
    emitWarning: undefined,
    function: function quiet(warning: string | Error, ...rest: unknown[]): void {
      const text = typeof warning === 'string' ? warning : warning.message;
      if (!text.includes('queryObjects') && state.emitWarning) Reflect.apply(state.emitWarning, process, [warning, ...rest]);
    } as typeof process.emitWarning,
  };
  return state;
}

/**
 * A function that runs a complete garbage collection: `globalThis.gc` when the process has it,
 * else one made once in a context of its own, with `--expose-gc` on only while that context is
 * made (so that the program's own contexts do not get a `gc` global). It collects the heap of the
 * thread that calls it: the sampler's worker uses one on its own heap.
 */
export function collector(): () => void {
  const given = (globalThis as { gc?: () => void }).gc;
  if (typeof given === 'function') return given;
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as () => void;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
