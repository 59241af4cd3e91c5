import { extname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeapSample, KnownGrowth } from '../types/index.ts';
import type { ParsedHeapSnapshot } from './reader.ts';
import { ClassScripts } from './class-scripts.ts';
import { fieldLayout, type FieldLayout } from './layout.ts';
import { KNOWN_GROWTH } from './known.ts';
import { OWN_CLASS_NAMES } from './records.ts';
import { qualifyRows, rowColumns } from './qualify.ts';
import type { HeapRow } from './shapes.ts';

/** How {@link countHeap} names rows and which objects it leaves out. */
export interface CountOptions extends RowOptions {
  /**
   * Maps the URL (or path) of the script that defined a class to the module name that qualifies
   * its rows (`leak` for `leak.Leakable`); `undefined` leaves the class unqualified. The default,
   * {@link defaultModuleName}, takes the file's base name without extension.
   */
  readonly moduleName?: (scriptUrl: string) => string | undefined;
}

/** Options of {@link countRows}; plain data, so a worker can be given them. */
export interface RowOptions {
  /**
   * Class names whose instances are bookkeeping, not program state: they are not counted and the
   * walk does not go through them. Default {@link OWN_CLASS_NAMES}.
   */
  readonly ownClasses?: readonly string[];
  /**
   * Known bounded growth: what only an entry's holders reach is counted in a row of its own,
   * named by the entry. Default {@link KNOWN_GROWTH}.
   */
  readonly knownGrowth?: readonly KnownGrowth[];
}

/**
 * GC roots that hold the state of whatever the main thread or a compiler thread is doing at the
 * moment of the snapshot, not what the program keeps: handles of running C++ code (a concurrent
 * TurboFan job keeps its inputs, literal boilerplates included, in them), stack slots, and the
 * compiler's canonical handles, which Node 26's V8 lists as a root of their own,
 * `(Identity map)`. Before it (Node 20 to 24) they were strong roots registered at run time
 * under a label (`12 / IdentityMapBase`), skipped for the same reason.
 */
const TRANSIENT_ROOTS = new Set(['(Handle scope)', '(Stack roots)', '(Identity map)']);

/**
 * GC roots that V8's collector holds weakly but its snapshot lists with strong edges (a known
 * shortcoming of the snapshot generator, V8 bug 11800): the tables of internalized and of external
 * strings. A string only they hold is dead at the next GC. Walking them would count every string
 * literal that lazily compiled code (the runner's, the sampler's) has just internalized, kept by
 * a `code` node the walk rightly does not enter.
 */
const WEAK_TABLE_ROOTS = new Set(['(Internalized strings)', '(External strings)']);

/**
 * The realm's record of the last regular expression match (the subject behind `RegExp.input`
 * and `RegExp.lastMatch`). Whatever code ran a regexp last overwrites it, leakrun's own included,
 * and it holds one subject at most, so it can only add noise, never show a leak.
 */
const LAST_MATCH_EDGE = 'regexp_last_match_info';

/**
 * The strong root's edge to the microtask running at the moment of the snapshot. A sampler in a
 * worker thread snapshots its own thread from inside a job (the check's own `async` function);
 * the job and all it reaches through its promise chain are what runs now, like the stack.
 */
const CURRENT_MICROTASK_EDGE = 'current_microtask';

/** The internal edge from a `Map` or `Set` (or a subclass) to the hash table of its entries. */
const TABLE_EDGE = 'table';

/** V8's name for a closure's (or a module's) context, which holds its variables. */
const CONTEXT_NAME = 'system / Context';

/** The node fields the counting rule reads; a reader can keep only these. */
export const COUNTED_NODE_FIELDS: readonly string[] = ['type', 'name', 'edge_count'];

const UNSEEN = 0,
  USER = 1,
  SYSTEM = 2,
  OWN = 3;

/** Row names of the non-object kinds, by V8 node type. */
export const KIND_ROWS: Readonly<Record<string, string>> = {
  string: '(string)',
  'concatenated string': '(string)',
  'sliced string': '(string)',
  number: '(heap number)',
  closure: '(closure)',
  regexp: '(regexp)',
  symbol: '(symbol)',
  bigint: '(bigint)',
};

/**
 * Node types whose outgoing edges are not followed: compiled code, feedback vectors and
 * allocation sites hold literal boilerplates and stale objects that the program can no longer
 * reach, and they change with every JIT decision.
 */
const OPAQUE_TYPES = new Set(['code']);

/**
 * The module name of a script: the file's base name without its extension
 * (`file:///x/tests/leak.ts` → `leak`), or `undefined` for `node:` built-ins and scripts with no
 * file behind them.
 */
export function defaultModuleName(scriptUrl: string): string | undefined {
  if (!scriptUrl.startsWith('file:') && !scriptUrl.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(scriptUrl)) return undefined;
  const base =
    scriptUrl
      .replace(/[?#].*$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem === '' ? undefined : stem;
}

/**
 * Module names as leakrun names the test modules it found (`src.cart.test` for
 * `ROOT/src/cart.test.ts`), for the other files under the same roots: the file's path relative to
 * the root, dotted, without its extension, so `ROOT/src/store.ts` is `src.store`, not `store`.
 * The roots are worked out from the modules' names and files; a script under none of them, or
 * in a `node_modules` or dot directory below one (which discovery never enters), gets
 * `undefined`, for the caller's fallback.
 */
export function moduleNameUnderRoots(
  modules: readonly { readonly name: string; readonly file: string }[],
): (scriptUrl: string) => string | undefined {
  const roots = new Set<string>();
  for (const { name, file } of modules) {
    const stem = file.slice(0, file.length - extname(file).length);
    const tail = stem.slice(stem.length - name.length);
    if (stem.length > name.length && tail.split(sep).join('.') === name && stem[stem.length - name.length - 1] === sep)
      roots.add(stem.slice(0, stem.length - name.length - 1) || sep);
  }
  return (scriptUrl) => {
    let file: string;
    try {
      file = scriptUrl.startsWith('file:') ? fileURLToPath(scriptUrl.replace(/[?#].*$/, '')) : scriptUrl;
    } catch {
      return undefined;
    }
    if (!isAbsolute(file)) return undefined;
    for (const root of roots) {
      const parts = relative(root, file).split(sep);
      if (parts[0] === '' || isAbsolute(parts.join(sep)) || parts.some((part) => part.startsWith('.') || part === 'node_modules')) continue;
      parts.push(parts.pop()!.slice(0, -extname(file).length || undefined));
      return parts.join('.');
    }
    return undefined;
  };
}

/**
 * Counts the user-visible objects of a parsed snapshot (docs/leaks.md) and names rows with their
 * modules. This is what the default sampler reports; see {@link countRows} for the rule.
 *
 * @example
 * ```ts
 * const sample = countHeap(await readHeapSnapshotFile('app.heapsnapshot'));
 * console.log(sample.byType.get('Array'));
 * ```
 */
export function countHeap(snapshot: ParsedHeapSnapshot, options: CountOptions = {}): HeapSample {
  return qualifyRows(rowColumns(countRows(snapshot, options)), options.moduleName ?? defaultModuleName);
}

/**
 * The counting rule, pure over the snapshot's arrays:
 * - a node is **counted** when it is of a user kind (an object not named `system / …`, a
 *   closure, a string, a heap number, a regexp, a symbol or a bigint), is not an instance of an
 *   own class, and is **reachable** from the snapshot's root over non-weak edges without passing
 *   through `code` nodes, own-class instances, transient roots (handle scopes, stack slots, the
 *   compiler's handles and identity map), the string tables, which V8 holds weakly, or the
 *   realm's record of the last regexp match;
 * - `insts` is the number of counted nodes of a row;
 * - `refs` is the number of strong edges (neither weak nor shortcut) to a counted node of the row
 *   from a counted node, from the hash table of a counted `Map` or `Set` (its index-named slots)
 *   or from a reachable closure context (its `context` edges, the captured variables); other
 *   references held by V8's own structures never count. Left out as well: the `__proto__` edge V8
 *   adds to every object, as it is the shape's, not a reference the program made; and the edges
 *   out of a string (the two parts of a concatenated string, the parent of a sliced one, the
 *   target of a thin one), which are how V8 stores one string value at the moment and change
 *   when it flattens or internalizes the string.
 */
export function countRows(snapshot: ParsedHeapSnapshot, options: RowOptions = {}): HeapRow[] {
  return countSnapshot(snapshot, options).rows;
}

/** What {@link countSnapshot} found: the rows, and where each counted node went, for retainer paths. */
export interface CountedHeap {
  /** The rows, as {@link countRows} returns them. */
  readonly rows: HeapRow[];
  /** Each counted node's row in the count's own numbering (see `rowIndex`); -1 for the rest. */
  readonly rowOf: Int32Array;
  /** A row of the count's own numbering → its index in `rows` (-1 for empty known-growth rows, left out). */
  readonly rowIndex: Int32Array;
  readonly firstEdge: Uint32Array;
  /** The user, system or own kind of each name. */
  readonly kinds: NameKinds;
  readonly scripts: ClassScripts;
}

/** {@link countRows} with the intermediate results that retainer paths reuse. */
export function countSnapshot(snapshot: ParsedHeapSnapshot, options: RowOptions = {}): CountedHeap {
  if (snapshot.edgeCount >= 2 ** 32) throw new RangeError('heap snapshot: more than 2^32 edges');
  // Phases in functions of their own: each loop is small enough for V8 to optimise early, which
  // matters for the first samples of a run, when nothing is warm yet.
  const firstEdge = firstEdges(snapshot);
  const kinds = new NameKinds(snapshot.strings, new Set(options.ownClasses ?? OWN_CLASS_NAMES));
  const known = options.knownGrowth ?? KNOWN_GROWTH;
  // One script resolver for the walk's known timers and for naming rows: each shape and function
  // is resolved once, and the link names are looked up in the string table once.
  const scripts = new ClassScripts(snapshot, firstEdge);
  const reached = walk(snapshot, firstEdge, kinds, knownHolders(snapshot.strings, known), scripts);
  const rows = new RowTable();
  // Known-growth rows first, one per entry, in the entry's order.
  const knownRows = Int32Array.from(known, (entry) => rows.rowFor(entry.name, ''));
  const { rowOf, contexts } = classify(snapshot, reached, kinds, rows, knownRows, scripts);
  const insts = new Float64Array(rows.keys.length);
  const refs = new Float64Array(rows.keys.length);
  const tables = countCounted(snapshot, firstEdge, rowOf, knownRows.length, insts, refs);

  // A context's variables are its `context` edges. A table's slots are internal edges named by
  // their index; a WeakMap's table also names each value `N / part of key … -> value … pair`,
  // which the key's own edge already accounts for.
  const held = {
    snapshot,
    firstEdge,
    rowOf,
    reached,
    knownRows,
    refs,
    edgeType: snapshot.edgeTypes.indexOf('context'),
    slotNames: undefined,
  };
  countHeld(contexts, held);
  if (tables.length > 0)
    countHeld(tables, { ...held, edgeType: snapshot.edgeTypes.indexOf('internal'), slotNames: indexNames(snapshot.strings) });

  // Empty known-growth rows are left out; the rows after them move up (see CountedHeap.rowIndex).
  const counted: HeapRow[] = [];
  const renumber = new Int32Array(rows.keys.length);
  rows.keys.forEach(([className, scriptUrl], row) => {
    renumber[row] = -1;
    if (row < knownRows.length && insts[row] === 0) return;
    renumber[row] = counted.length;
    counted.push({ className, scriptUrl, insts: insts[row]!, refs: refs[row]!, ...(row < knownRows.length && { known: true }) });
  });
  return { rows: counted, rowOf, rowIndex: renumber, firstEdge, kinds, scripts };
}

/** Known-growth holders by string-table index: entry number + 1 for each held name, else 0. */
interface KnownHolders {
  readonly count: number;
  /** Variable names (the names of `context` edges). */
  readonly variables: Uint16Array | undefined;
  /** Constructor names (the names of object nodes). */
  readonly classes: Uint16Array | undefined;
  /** Names of the functions that known timers call (closure node names). */
  readonly timers: Uint16Array | undefined;
  /** For each entry, the scripts its variables must be in, by name; `''` for any. */
  readonly variableScripts: readonly Scripts[];
  /** For each entry, the scripts its timer functions must come from, by function name; `''` for any. */
  readonly timerScripts: readonly Scripts[];
}

type Scripts = ReadonlyMap<string, ReadonlySet<string>>;

/** Splits a qualified name: `node:internal/http#resetCache` → script and name; a bare name has script `''`. */
function qualifiedName(name: string): { script: string; name: string } {
  const hash = name.lastIndexOf('#');
  return hash < 0 ? { script: '', name } : { script: name.slice(0, hash), name: name.slice(hash + 1) };
}

/** Whether `scripts` (of one entry) lets `name` count from `script`, which is resolved only when it matters. */
function inScripts(scripts: Scripts, name: string, script: () => string): boolean {
  const allowed = scripts.get(name);
  return allowed !== undefined && (allowed.has('') || allowed.has(script()));
}

function knownHolders(strings: readonly string[], known: readonly KnownGrowth[]): KnownHolders | undefined {
  if (known.length === 0) return undefined;
  if (known.length > 250) throw new RangeError('heap counting: more than 250 known-growth entries');
  const mark = (list: 'variables' | 'classes' | 'timers'): Uint16Array | undefined => {
    let marks: Uint16Array | undefined;
    known.forEach((entry, at) => {
      for (const held of entry[list] ?? []) {
        const name = list === 'classes' ? held : qualifiedName(held).name;
        const index = strings.indexOf(name);
        if (index < 0) continue;
        marks ??= new Uint16Array(strings.length);
        if (marks[index] === 0) marks[index] = at + 1;
      }
    });
    return marks;
  };
  const variables = mark('variables');
  const classes = mark('classes');
  const timers = mark('timers');
  const scriptsOf = (list: 'variables' | 'timers'): Scripts[] =>
    known.map((entry) => {
      const scripts = new Map<string, Set<string>>();
      for (const held of entry[list] ?? []) {
        const { script, name } = qualifiedName(held);
        scripts.set(name, (scripts.get(name) ?? new Set()).add(script));
      }
      return scripts;
    });
  return variables || classes || timers
    ? { count: known.length, variables, classes, timers, variableScripts: scriptsOf('variables'), timerScripts: scriptsOf('timers') }
    : undefined;
}

/** Whether each name of the string table names a user, a system (`system / …`) or an own class. */
export class NameKinds {
  readonly #kinds: Uint8Array;
  readonly #strings: readonly string[];
  readonly #own: ReadonlySet<string>;

  constructor(strings: readonly string[], own: ReadonlySet<string>) {
    this.#kinds = new Uint8Array(strings.length);
    this.#strings = strings;
    this.#own = own;
  }

  of(nameIndex: number): number {
    let kind = this.#kinds[nameIndex]!;
    if (kind === UNSEEN) {
      const name = this.#strings[nameIndex]!;
      kind = this.#own.has(name) ? OWN : name.startsWith('system / ') ? SYSTEM : USER;
      this.#kinds[nameIndex] = kind;
    }
    return kind;
  }
}

/**
 * Breadth-first from the root (node 0) over non-weak edges, not going through `code` nodes,
 * own-class instances, transient roots, the string tables or the last-match record: 1 for each
 * node reached. Known-growth holders stop that walk; a second walk from each entry's holders
 * marks what only they reach with 2 + the entry's number.
 */
function walk(
  snapshot: ParsedHeapSnapshot,
  firstEdge: Uint32Array,
  kinds: NameKinds,
  holders: KnownHolders | undefined,
  scripts: ClassScripts,
): Uint8Array {
  const reached = new Uint8Array(snapshot.nodeCount);
  const queue = new Uint32Array(snapshot.nodeCount);
  const rules = new WalkRules(snapshot, kinds);
  const seeds: number[][] = Array.from({ length: holders?.count ?? 0 }, () => []);
  reached[0] = 1;
  queue[0] = 0;
  const timers = holders?.timers === undefined ? undefined : new KnownTimers(snapshot, firstEdge, holders, scripts);
  let tail = spread(snapshot, firstEdge, rules, { reached, queue, head: 0, tail: 1, mark: 1, holders, timers, scripts, seeds });
  for (let entry = 0; entry < seeds.length; entry++) {
    const head = tail;
    for (const seed of seeds[entry]!) {
      if (reached[seed] !== 0) continue;
      reached[seed] = 2 + entry;
      queue[tail++] = seed;
    }
    tail = spread(snapshot, firstEdge, rules, {
      reached,
      queue,
      head,
      tail,
      mark: 2 + entry,
      holders: undefined,
      timers: undefined,
      scripts,
      seeds,
    });
  }
  return reached;
}

interface Spread {
  readonly reached: Uint8Array;
  readonly queue: Uint32Array;
  readonly head: number;
  readonly tail: number;
  /** What newly reached nodes are marked with. */
  readonly mark: number;
  /** When given, holders are not entered but added to `seeds`, by entry. */
  readonly holders: KnownHolders | undefined;
  /** Tells known timers and their lists, which are holders too; given with `holders`. */
  readonly timers: KnownTimers | undefined;
  /** Resolves the script of a context whose variable an entry names with its script. */
  readonly scripts: ClassScripts;
  readonly seeds: number[][];
}

/**
 * Which nodes and edges the walk goes through (see {@link countRows}); the retainer paths follow
 * the same ones, so that a path only uses references the counts count.
 */
export class WalkRules {
  readonly #nodes: ParsedHeapSnapshot['nodes'];
  readonly #edges: ParsedHeapSnapshot['edges'];
  readonly #strings: readonly string[];
  readonly #kinds: NameKinds;
  readonly #nodeSize: number;
  readonly #typeAt: number;
  readonly #nameAt: number;
  readonly #edgeTypeAt: number;
  readonly #edgeNameAt: number;
  readonly #weak: number;
  readonly #internal: number;
  readonly #lastMatchName: number;
  readonly #currentMicrotaskName: number;
  readonly #objectType: number;
  readonly #syntheticType: number;
  readonly #opaque: Uint8Array;

  constructor(snapshot: ParsedHeapSnapshot, kinds: NameKinds) {
    const { nodeSize, typeAt, nameAt, edgeTypeAt, edgeNameAt } = fieldLayout(snapshot);
    this.#nodes = snapshot.nodes;
    this.#edges = snapshot.edges;
    this.#strings = snapshot.strings;
    this.#kinds = kinds;
    this.#nodeSize = nodeSize;
    this.#typeAt = typeAt;
    this.#nameAt = nameAt;
    this.#edgeTypeAt = edgeTypeAt;
    this.#edgeNameAt = edgeNameAt;
    this.#weak = snapshot.edgeTypes.indexOf('weak');
    this.#internal = snapshot.edgeTypes.indexOf('internal');
    this.#lastMatchName = snapshot.strings.indexOf(LAST_MATCH_EDGE);
    this.#currentMicrotaskName = snapshot.strings.indexOf(CURRENT_MICROTASK_EDGE);
    this.#objectType = snapshot.nodeTypes.indexOf('object');
    this.#syntheticType = snapshot.nodeTypes.indexOf('synthetic');
    this.#opaque = Uint8Array.from(snapshot.nodeTypes, (type) => (OPAQUE_TYPES.has(type) ? 1 : 0));
  }

  /**
   * Whether the walk goes through a node's edges: {@link SKIPPED} for own-class instances, `code`
   * nodes, transient roots and the string tables; {@link LABELLED_ROOTS} for the strong roots
   * registered at run time, whose labelled edges (and the running microtask) are skipped; else {@link ENTERED}.
   */
  entry(node: number): number {
    const base = node * this.#nodeSize;
    const type = this.#nodes[base + this.#typeAt]!;
    if (type === this.#objectType) return this.#kinds.of(this.#nodes[base + this.#nameAt]!) === OWN ? SKIPPED : ENTERED;
    if (this.#opaque[type] === 1 && node !== 0) return SKIPPED;
    if (type !== this.#syntheticType) return ENTERED;
    const name = this.#strings[this.#nodes[base + this.#nameAt]!]!;
    if (TRANSIENT_ROOTS.has(name) || WEAK_TABLE_ROOTS.has(name)) return SKIPPED;
    return name === '(Strong roots)' ? LABELLED_ROOTS : ENTERED;
  }

  /** Whether the walk follows the edge at `at` (an index into `edges`) out of a node of the given entry. */
  follows(at: number, entry: number): boolean {
    const edgeType = this.#edges[at + this.#edgeTypeAt];
    if (edgeType === this.#weak) return false;
    const name = this.#edges[at + this.#edgeNameAt]!;
    if (entry === LABELLED_ROOTS && (name === this.#currentMicrotaskName || this.#strings[name]!.includes(' / '))) return false;
    return !(name === this.#lastMatchName && edgeType === this.#internal);
  }
}

/** {@link WalkRules.entry}: the walk does not go through the node's edges. */
export const SKIPPED = 0;
/** {@link WalkRules.entry}: it does. */
export const ENTERED = 1;
/** {@link WalkRules.entry}: it does, except for the edges that name a run-time label. */
export const LABELLED_ROOTS = 2;

/** Walks the queue from `head` to its end; returns the new end. */
function spread(snapshot: ParsedHeapSnapshot, firstEdge: Uint32Array, rules: WalkRules, walk: Spread): number {
  const { nodes, edges, strings } = snapshot;
  const { nodeSize, edgeSize, typeAt, nameAt, edgeTypeAt, edgeNameAt, toNodeAt } = fieldLayout(snapshot);
  const { reached, queue, mark, seeds, timers } = walk;
  const heldVariables = walk.holders?.variables;
  const variableScripts = walk.holders?.variableScripts;
  const heldClasses = walk.holders?.classes;
  const context = snapshot.edgeTypes.indexOf('context');
  const objectType = snapshot.nodeTypes.indexOf('object');
  let head = walk.head;
  let tail = walk.tail;
  while (head < tail) {
    const node = queue[head++]!;
    const entry = rules.entry(node);
    if (entry === SKIPPED) continue;
    for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge++) {
      const at = edge * edgeSize;
      if (!rules.follows(at, entry)) continue;
      const edgeType = edges[at + edgeTypeAt];
      const target = edges[at + toNodeAt]! / nodeSize;
      if (reached[target] !== 0) continue;
      if (heldVariables !== undefined && edgeType === context && heldVariables[edges[at + edgeNameAt]!]! > 0) {
        const entry = heldVariables[edges[at + edgeNameAt]!]! - 1;
        if (inScripts(variableScripts![entry]!, strings[edges[at + edgeNameAt]!]!, () => walk.scripts.scriptOfContext(node))) {
          seeds[entry]!.push(target);
          continue;
        }
      }
      if (
        heldClasses !== undefined &&
        nodes[target * nodeSize + typeAt] === objectType &&
        heldClasses[nodes[target * nodeSize + nameAt]!]! > 0
      ) {
        seeds[heldClasses[nodes[target * nodeSize + nameAt]!]! - 1]!.push(target);
        continue;
      }
      if (timers !== undefined && nodes[target * nodeSize + typeAt] === objectType) {
        const entry = timers.entryOf(target);
        if (entry >= 0) {
          seeds[entry]!.push(target);
          continue;
        }
      }
      reached[target] = mark;
      queue[tail++] = target;
    }
  }
  return tail;
}

/**
 * The row of each reached node of a user kind that is not an own-class instance (-1 for the
 * rest), and the reached closure contexts (`system / Context` nodes), whose `context` edges are
 * variables.
 */
function classify(
  snapshot: ParsedHeapSnapshot,
  reached: Uint8Array,
  kinds: NameKinds,
  rows: RowTable,
  knownRows: Int32Array,
  scripts: ClassScripts,
): { rowOf: Int32Array; contexts: number[] } {
  const { nodes, strings, nodeCount } = snapshot;
  const { nodeSize, typeAt, nameAt } = fieldLayout(snapshot);
  const objectType = snapshot.nodeTypes.indexOf('object');
  const stringCount = strings.length;
  const objectRows = new Map<number, number>();
  const typeRows = new Int32Array(snapshot.nodeTypes.length).fill(-1);
  const rowOf = new Int32Array(nodeCount).fill(-1);
  const contextName = strings.indexOf(CONTEXT_NAME);
  const contexts: number[] = [];
  for (let node = 0; node < nodeCount; node++) {
    const mark = reached[node]!;
    if (mark === 0) continue;
    const base = node * nodeSize;
    const type = nodes[base + typeAt]!;
    if (type === objectType) {
      const nameIndex = nodes[base + nameAt]!;
      if (nameIndex === contextName) contexts.push(node);
      if (kinds.of(nameIndex) !== USER) continue;
      if (mark > 1) {
        rowOf[node] = knownRows[mark - 2]!;
        continue;
      }
      // Objects of one shape and name share a row; resolving it once per shape keeps this linear.
      const map = scripts.mapOf(node);
      const key = map * stringCount + nameIndex;
      let row = objectRows.get(key);
      if (row === undefined) {
        row = rows.rowFor(strings[nameIndex]!, scripts.urlOf(map, nameIndex));
        objectRows.set(key, row);
      }
      rowOf[node] = row;
    } else {
      let row = typeRows[type]!;
      if (row === -1) {
        const kind = KIND_ROWS[snapshot.nodeTypes[type]!];
        row = kind === undefined ? -2 : rows.rowFor(kind, '');
        typeRows[type] = row;
      }
      if (row >= 0) rowOf[node] = mark > 1 ? knownRows[mark - 2]! : row;
    }
  }
  return { rowOf, contexts };
}

/**
 * Tells which `Timeout` objects are known timers (their `_onTimeout` is a function an entry names,
 * from the script it names) and which `TimersList` objects hold only known timers of one entry.
 * Node keeps one `TimersList` per duration in a map and a priority queue, and deletes it when its
 * last timer has run, so a list that only a known timer needs comes and goes with it.
 */
class KnownTimers {
  readonly #snapshot: ParsedHeapSnapshot;
  readonly #firstEdge: Uint32Array;
  readonly #holders: KnownHolders & { readonly timers: Uint16Array };
  readonly #scripts: ClassScripts;
  readonly #timeoutName: number;
  readonly #listName: number;
  readonly #callbackName: number;
  readonly #nextName: number;
  readonly #closureType: number;
  readonly #propertyType: number;
  readonly #layout: FieldLayout;

  constructor(snapshot: ParsedHeapSnapshot, firstEdge: Uint32Array, holders: KnownHolders, scripts: ClassScripts) {
    this.#snapshot = snapshot;
    this.#firstEdge = firstEdge;
    this.#holders = holders as KnownHolders & { readonly timers: Uint16Array };
    this.#scripts = scripts;
    this.#timeoutName = snapshot.strings.indexOf('Timeout');
    this.#listName = snapshot.strings.indexOf('TimersList');
    this.#callbackName = snapshot.strings.indexOf('_onTimeout');
    this.#nextName = snapshot.strings.indexOf('_idleNext');
    this.#closureType = snapshot.nodeTypes.indexOf('closure');
    this.#propertyType = snapshot.edgeTypes.indexOf('property');
    this.#layout = fieldLayout(snapshot);
  }

  /** The entry whose holder `node` is (a known timer, or a list of only its timers), or -1. */
  entryOf(node: number): number {
    const name = this.#snapshot.nodes[node * this.#layout.nodeSize + this.#layout.nameAt]!;
    if (name === this.#timeoutName) return this.#timerEntry(node);
    if (name !== this.#listName || this.#listName < 0) return -1;
    // A list links its timers in a ring through `_idleNext`, back to itself.
    let entry = -1;
    let timer = this.#follow(node, this.#nextName);
    for (let hops = 0; timer >= 0 && timer !== node; hops++) {
      const of = hops < 1000 ? this.#timerEntry(timer) : -1;
      if (of < 0 || (entry >= 0 && of !== entry)) return -1;
      entry = of;
      timer = this.#follow(timer, this.#nextName);
    }
    return timer === node ? entry : -1;
  }

  #timerEntry(timer: number): number {
    const { nodes, strings } = this.#snapshot;
    const { nodeSize, typeAt, nameAt } = this.#layout;
    if (this.#timeoutName < 0 || nodes[timer * nodeSize + nameAt] !== this.#timeoutName) return -1;
    const callback = this.#follow(timer, this.#callbackName);
    if (callback < 0 || nodes[callback * nodeSize + typeAt] !== this.#closureType) return -1;
    const callbackName = nodes[callback * nodeSize + nameAt]!;
    const entry = this.#holders.timers[callbackName]! - 1;
    if (entry < 0) return -1;
    return inScripts(this.#holders.timerScripts[entry]!, strings[callbackName]!, () => this.#scripts.scriptOfFunction(callback))
      ? entry
      : -1;
  }

  /** The target of `node`'s property edge with the given name, or -1. */
  #follow(node: number, name: number): number {
    if (name < 0) return -1;
    const { edges } = this.#snapshot;
    const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, toNodeAt } = this.#layout;
    for (let edge = this.#firstEdge[node]!, end = this.#firstEdge[node + 1]!; edge < end; edge++) {
      const at = edge * edgeSize;
      if (edges[at + edgeNameAt] === name && edges[at + edgeTypeAt] === this.#propertyType) return edges[at + toNodeAt]! / nodeSize;
    }
    return -1;
  }
}

/** Where each node's edges start in `edges`, in edges; one more entry for the end. */
function firstEdges(snapshot: ParsedHeapSnapshot): Uint32Array {
  const { nodes, nodeCount } = snapshot;
  const { nodeSize, edgeCountAt } = fieldLayout(snapshot);
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node++) {
    firstEdge[node + 1] = firstEdge[node]! + nodes[node * nodeSize + edgeCountAt]!;
  }
  return firstEdge;
}

/**
 * Counts the instances of each row and the references from counted nodes to counted nodes, and
 * returns the hash tables of counted collections (the targets of their internal `table` edges).
 * A reference from a known-growth row (the first `knownCount` rows) is that row's, whatever it
 * points at: it exists only because the known holder keeps its source.
 */
function countCounted(
  snapshot: ParsedHeapSnapshot,
  firstEdge: Uint32Array,
  rowOf: Int32Array,
  knownCount: number,
  insts: Float64Array,
  refs: Float64Array,
): number[] {
  const { nodes, edges, strings, nodeCount } = snapshot;
  const { nodeSize, edgeSize, typeAt, edgeTypeAt, edgeNameAt, toNodeAt } = fieldLayout(snapshot);
  const stringTypes = Uint8Array.from(snapshot.nodeTypes, (type) => (KIND_ROWS[type] === '(string)' ? 1 : 0));
  const weak = snapshot.edgeTypes.indexOf('weak');
  const shortcut = snapshot.edgeTypes.indexOf('shortcut');
  const property = snapshot.edgeTypes.indexOf('property');
  const internal = snapshot.edgeTypes.indexOf('internal');
  const protoName = strings.indexOf('__proto__');
  const tableName = strings.indexOf(TABLE_EDGE);
  const tables: number[] = [];
  for (let node = 0; node < nodeCount; node++) {
    const row = rowOf[node]!;
    if (row < 0) continue;
    insts[row]!++;
    // A string's own edges are its representation, not references (see countRows).
    if (stringTypes[nodes[node * nodeSize + typeAt]!] === 1) continue;
    for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge++) {
      const at = edge * edgeSize;
      const edgeType = edges[at + edgeTypeAt];
      if (edgeType === weak || edgeType === shortcut) continue;
      if (edgeType === property && edges[at + edgeNameAt] === protoName) continue;
      if (edgeType === internal && edges[at + edgeNameAt] === tableName) tables.push(edges[at + toNodeAt]! / nodeSize);
      const targetRow = rowOf[edges[at + toNodeAt]! / nodeSize]!;
      if (targetRow >= 0) refs[row < knownCount ? row : targetRow]!++;
    }
  }
  return tables;
}

/** Rows by class name and script, numbered as first met. */
class RowTable {
  readonly keys: [className: string, scriptUrl: string][] = [];
  readonly #index = new Map<string, number>();

  rowFor(className: string, scriptUrl: string): number {
    const key = `${scriptUrl}\n${className}`;
    let row = this.#index.get(key);
    if (row === undefined) {
      row = this.keys.length;
      this.keys.push([className, scriptUrl]);
      this.#index.set(key, row);
    }
    return row;
  }
}

/** 1 for each string of the table that is a decimal index, as slot edges are named. */
export function indexNames(strings: readonly string[]): Uint8Array {
  const isIndex = new Uint8Array(strings.length);
  for (let at = 0; at < strings.length; at++) {
    const name = strings[at]!;
    if (name.length > 0 && name.charCodeAt(0) <= 57 && /^\d+$/.test(name)) isIndex[at] = 1;
  }
  return isIndex;
}

interface HeldEdges {
  readonly snapshot: ParsedHeapSnapshot;
  readonly firstEdge: Uint32Array;
  readonly rowOf: Int32Array;
  /** The walk's marks: a holder reached only through known growth gives its refs to that row. */
  readonly reached: Uint8Array;
  readonly knownRows: Int32Array;
  readonly refs: Float64Array;
  /** The type of the edges that count. */
  readonly edgeType: number;
  /** When given, only edges whose name has a 1 here count. */
  readonly slotNames: Uint8Array | undefined;
}

/** Adds the holders' edges of the wanted kind to counted nodes to their rows' refs. */
function countHeld(
  holders: readonly number[],
  { snapshot, firstEdge, rowOf, reached, knownRows, refs, edgeType, slotNames }: HeldEdges,
): void {
  const { edges } = snapshot;
  const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, toNodeAt } = fieldLayout(snapshot);
  for (const holder of holders) {
    const knownRow = reached[holder]! > 1 ? knownRows[reached[holder]! - 2]! : -1;
    for (let edge = firstEdge[holder]!, end = firstEdge[holder + 1]!; edge < end; edge++) {
      const at = edge * edgeSize;
      if (edges[at + edgeTypeAt] !== edgeType) continue;
      if (slotNames !== undefined && slotNames[edges[at + edgeNameAt]!] !== 1) continue;
      const targetRow = rowOf[edges[at + toNodeAt]! / nodeSize]!;
      if (targetRow >= 0) refs[knownRow >= 0 ? knownRow : targetRow]!++;
    }
  }
}

/**
 * Whether the snapshot was taken while JavaScript was running on the measured thread: the
 * inspector may serve a request in an interrupt rather than from the idle event loop, and then
 * stack slots, the async-resource stack and half-done work are in the heap. Detected by JS frames
 * (`code` nodes) under the `(Stack roots)` root, which an idle thread does not have.
 */
export function takenWhileRunning(snapshot: ParsedHeapSnapshot): boolean {
  const { nodes, edges, strings } = snapshot;
  const { nodeSize, edgeSize, typeAt, nameAt, edgeCountAt, toNodeAt } = fieldLayout(snapshot);
  const synthetic = snapshot.nodeTypes.indexOf('synthetic');
  const code = snapshot.nodeTypes.indexOf('code');
  // Roots come first in V8's node order; stop at the first non-synthetic node after them.
  let edge = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const base = node * nodeSize;
    const count = nodes[base + edgeCountAt]!;
    if (node > 0 && nodes[base + typeAt] !== synthetic) break;
    if (strings[nodes[base + nameAt]!] === '(Stack roots)') {
      for (let at = edge; at < edge + count; at++) {
        if (nodes[edges[at * edgeSize + toNodeAt]! + typeAt] === code) return true;
      }
    }
    edge += count;
  }
  return false;
}
