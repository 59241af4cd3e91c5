/**
 * Heap samples: the counts one sample holds, the retainer paths of what grew, known bounded
 * growth, the diff of two samples, and the contract of the swappable heap-count sampler.
 */

/** Counts of one row of the heap report. */
export interface TypeCount {
  /** Live objects of this type/class. */
  readonly insts: number;
  /** References (heap-graph edges) to them. */
  readonly refs: number;
}

/** One measurement of the heap, taken after an iteration (docs/leaks.md). */
export interface HeapSample {
  /** What `sys refcount=` prints. */
  readonly total: number;
  /** Counts per type/class name, e.g. `leak.Leakable`, `(heap number)`. */
  readonly byType: ReadonlyMap<string, TypeCount>;
  /** The names in `byType` that are rows of {@link KnownGrowth}; none when absent. */
  readonly known?: ReadonlySet<string> | undefined;
  /**
   * What holds the objects that are new since the previous sample, for the rows whose instances
   * grew: the default sampler's answer when its `retainerPaths` option is on (docs/leaks.md).
   * Rows that did not grow, and samplers that do not trace, have none.
   */
  readonly paths?: readonly RetainerPath[] | undefined;
}

/**
 * Objects of one row that share a retainer path: the shortest chain of references from a root
 * (a module, `globalThis`, or one of V8's GC roots) to them, over the references the counts
 * follow, with indexes along the way set aside (docs/leaks.md). Drawn through its newest object.
 */
export interface RetainerPath {
  /** The row of the objects at the end, as in {@link HeapSample.byType}: `leak.Leakable`. */
  readonly name: string;
  /** Where the path starts: `leak (module)`, `globalThis`, or a GC root such as `(Global handles)`. */
  readonly root: string;
  /** The references from the root to the objects, in order; the last one's target is the row. */
  readonly steps: readonly RetainerStep[];
  /**
   * Live objects of the row held along this path; absent when the row had too many objects
   * (over 20,000 for the default sampler) to group them all, and only its new ones were.
   */
  readonly objects?: number | undefined;
  /** How many of them are new since the previous sample. */
  readonly added: number;
}

/** One reference of a {@link RetainerPath}. */
export interface RetainerStep {
  /** The reference as code would write it: `.leaked`, `[3]`, `.table[6]` (a `Map`'s entries). */
  readonly edge: string;
  /** What it points at: a row name (`Array`, `leak.Leakable`), a function (`startPolling()`) or a kind (`(Context)`). */
  readonly target: string;
  /** The target existed at the previous sample and holds what is new: the reference through which the path grows. */
  readonly grows: boolean;
}

/**
 * Growth that is real but bounded and not the tested code's doing, a "library leak" in
 * LeakCanary's words: Node's resource-timing buffer keeps an entry per `fetch` until it holds 250.
 * The default sampler counts everything that is reachable only through the entry's holders in one
 * row named `name`. That row stays in the counts (`change=` includes it) and the `-v` table marks
 * it `known`, so a reader, or a verdict, can tell it from the program's own growth. The built-in
 * list is `KNOWN_GROWTH` (docs/leaks.md); `Components.knownGrowth` and the configuration add more.
 *
 * @example
 * ```ts
 * const pool: KnownGrowth = {
 *   name: 'app: connection pool',
 *   variables: ['idleConnections'],
 *   why: 'keeps up to 10 idle connections for reuse',
 *   clear: 'pool.drain()',
 * };
 * ```
 */
export interface KnownGrowth {
  /** The row's name in the counts and the `-v` table. */
  readonly name: string;
  /**
   * Names of module-level (or captured) variables whose values hold the growth, as V8 names a
   * closure context's slots: what only these values reach is the entry's. Each is a bare name, or
   * qualified by the script whose functions close over it as `SCRIPT#NAME`
   * (`node:internal/deps/undici/undici#fastTimers`), so that the same name elsewhere stays the program's.
   */
  readonly variables?: readonly string[] | undefined;
  /** Constructor names whose instances hold the growth: they, and what only they reach, are the entry's. */
  readonly classes?: readonly string[] | undefined;
  /**
   * Names of the functions that pending timers (`setTimeout`, `setInterval`) call, each either a
   * bare function name or qualified by its script as `SCRIPT#NAME` (`node:internal/http#resetCache`).
   * Such a timer, the timer list of its duration when the list holds no other timer, and what only
   * they reach are the entry's, so a timer that comes and goes with the wall clock does not move
   * the program's rows.
   */
  readonly timers?: readonly string[] | undefined;
  /** Why it grows, and where it stops. */
  readonly why: string;
  /** How a test suite can empty it, when it can. */
  readonly clear?: string | undefined;
}

/** The change between two samples, as the formatter prints it. */
export interface HeapDiff {
  /** `sys refcount=`: the current sample's total. */
  readonly total: number;
  /** `change=`: current total minus previous total. */
  readonly change: number;
  /** `sum detail refcount=`: the sum of refs over all rows of the current sample. */
  readonly detailTotal: number;
  /** Rows whose insts or refs changed, sorted by name. */
  readonly rows: readonly HeapDiffRow[];
}

/** A row of {@link HeapDiff}: the change of one type/class. */
export interface HeapDiffRow extends TypeCount {
  /** The type/class name, as in {@link HeapSample.byType}. */
  readonly name: string;
  /** True for the row of a {@link KnownGrowth} entry. */
  readonly known?: boolean | undefined;
}

/**
 * What the runner will use of one heap sample: a hint that lets a sampler skip work, which a
 * sampler may ignore.
 */
export interface SampleRequest {
  /**
   * `false` when the runner will not show this sample's retainer paths: the default sampler then
   * does not trace them (docs/leaks.md). The runner asks for them at `-vv` after every iteration,
   * and under a verdict after a layer's last iteration, whose paths the verdict shows.
   */
  readonly retainerPaths?: boolean | undefined;
}

/**
 * Measures the heap. A swappable part (docs/api.md).
 *
 * Its contract: with `-r`, `sample()` is called once after every iteration of every layer, never
 * twice at a time (nor while `screen()` runs), and resolves to a {@link HeapSample} (`total` a
 * number, `byType` a `Map`); the runner diffs consecutive samples of a layer itself. With
 * `--fail-on-leak` and without `-r`, a sampler that has `screen()` is screened after each
 * iteration and sampled only to confirm growth. A leaking layer's search for its leaking tests
 * calls it again, after each run of a subset of the tests. A rejection, or a value of another
 * shape, is an error of that iteration's sample (`heap:error`, a problem of phase `sample`) and
 * the run goes on. Samplers never print. `close()`, if there is one, is called once when the run ends; a
 * rejection of it is a problem too.
 */
export interface HeapSampler {
  /** The counts of the heap now; `request` says what the runner will use of them. */
  sample(request?: SampleRequest): Promise<HeapSample>;
  /**
   * A cheap measure of the live heap, for a verdict that screens (docs/ci.md): a number that
   * stays the same after an iteration that leaves nothing behind, and grows by at least one for
   * each object an iteration leaves. With `--fail-on-leak` or `--leak-bisect` and without `-r`,
   * the runner calls it after every iteration instead of {@link HeapSampler.sample}, and calls
   * `sample()` only when the screened deltas grew, to confirm and explain the growth. A sampler
   * without it is sampled after every iteration. The default sampler counts live objects with
   * `v8.queryObjects` (docs/design-sampler.md).
   */
  screen?(): Promise<number>;
  /** Releases workers or sessions; called once at the end of a run that sampled. */
  close?(): Promise<void>;
}
