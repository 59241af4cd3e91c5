/**
 * Retainer paths (docs/leaks.md), worked out in the sampler's worker: for the rows whose
 * instances grew since the previous sample, the objects that are new since then, grouped by their
 * shortest retainer path from a GC root over the references the counts follow. V8 numbers objects
 * in the order its snapshots first see them and keeps an object's number for its life, so the
 * new objects are those numbered above the previous snapshot's highest.
 */
import { indexNames, KIND_ROWS, SKIPPED, WalkRules, type CountedHeap } from './count.ts';
import { fieldLayout, type FieldLayout } from './layout.ts';
import { MODULE_ROOT, type EncodedPaths } from './shapes.ts';
import type { ParsedHeapSnapshot } from './reader.ts';

/** One reference of a path, before the main thread names modules. */
export interface PathStep {
  /** The reference as code would write it: `.leaked`, `[3]`, `.table[6]`. */
  readonly edge: string;
  /** What it points at: a class (named with `scriptUrl` on the main thread), a function or a kind. */
  readonly className: string;
  /** The script of `className`'s class, when it is a counted row; `''` otherwise. */
  readonly scriptUrl: string;
  /** The target existed at the previous sample and the next object on the path is new. */
  readonly grows: boolean;
}

/** The objects of one row that share a path, as the worker posts them. */
export interface WorkerPath {
  /** Live objects of the row with this path (indexes along it aside); -1 when the row was too big to group them all. */
  readonly objects: number;
  /** How many of them are new since the previous sample. */
  readonly added: number;
  /** `globalThis`, `module` (then `rootScript` says which), or the name of a GC root. */
  readonly root: string;
  /** The script URL of a `module` root. */
  readonly rootScript: string;
  readonly steps: readonly PathStep[];
}

/** The paths of one grown row: `row` indexes the sample's rows. */
export interface WorkerRowPaths {
  readonly row: number;
  readonly paths: readonly WorkerPath[];
}

/** {@link WorkerRowPaths} as {@link EncodedPaths}, in JSON. */
export function encodePaths(rows: readonly WorkerRowPaths[]): string {
  const encoded: EncodedPaths = rows.map(({ row, paths }) => [
    row,
    paths.map(({ objects, added, root, rootScript, steps }) => [
      objects,
      added,
      root,
      rootScript,
      steps.map(({ edge, className, scriptUrl, grows }) => [edge, className, scriptUrl, grows ? 1 : 0]),
    ]),
  ]);
  return JSON.stringify(encoded);
}

/** What the worker keeps from one sample to the next. */
export interface PathBaseline {
  /** The highest object number of the previous snapshot's counted objects. */
  readonly maxId: number;
  /** Instances per row key (`scriptUrl\nclassName`) at the previous sample. */
  readonly insts: ReadonlyMap<string, number>;
}

/** Bounds on the work and the answer. */
export interface PathLimits {
  /** Rows to trace, the fastest-growing first. */
  readonly rows: number;
  /** Paths per row, the one with the most new objects first. */
  readonly paths: number;
  /** Objects per row whose paths are grouped; beyond it, only the new ones are, and live counts are not known. */
  readonly objects: number;
}

/** The defaults: enough for a report, small enough to stay a fraction of the snapshot's cost. */
export const PATH_LIMITS: PathLimits = { rows: 16, paths: 3, objects: 20_000 };

/** The node field that retainer paths need beyond the counted ones. */
export const PATH_NODE_FIELD = 'id';

/**
 * References the search takes only when nothing else reaches a node: an object's `__proto__`, a
 * prototype's `constructor`, a function's `prototype` and an object's hidden class lead from any
 * instance into its class's module, a path nobody would call the reason an object is kept.
 */
const DETOUR_PROPERTIES = new Set(['__proto__', 'constructor', 'prototype']);
const DETOUR_INTERNALS = new Set(['map', 'feedback_cell', 'shared']);

const NO_EDGE = 0xffffffff;

/** Internal references that lead to V8's storage of what the next reference names. */
const FOLDED_INTERNALS = new Set(['value', 'context', 'previous', 'properties', 'elements']);

/** The parameters of the function Node wraps a CommonJS module in. */
const COMMONJS_WRAPPER = new Set(['exports', 'require', 'module', '__filename', '__dirname']);

const EDGE_TYPES = ['element', 'hidden', 'internal', 'context', 'property', 'shortcut'] as const;
type EdgeTypeName = (typeof EDGE_TYPES)[number];

/**
 * Where paths start: a root's name, and a module's script; `first`, the reference into the first
 * object, when the anchor is a module's export (its cell) rather than the module.
 */
interface Anchor {
  readonly root: string;
  readonly rootScript: string;
  readonly first: string;
}

/** Where a path starts, when it is not a GC root's own name. */
const GLOBAL_ROOT = 'globalThis';

/**
 * V8's name for a realm's native context (a `hidden` node), with ` / ` and the embedder's name of
 * the context after it when the snapshot is taken through the inspector.
 */
const NATIVE_CONTEXT_NAME = 'system / NativeContext';

/** The internal edge from a native context to its realm's global object (V8 14 on; `extension` before). */
const GLOBAL_OBJECT_EDGE = 'global_object';

/** This sample's baseline for the next: the highest counted object number and each row's instances. */
export function pathBaseline(snapshot: ParsedHeapSnapshot, counted: CountedHeap): PathBaseline {
  const idAt = idField(snapshot);
  const { nodes, nodeCount } = snapshot;
  const nodeSize = snapshot.nodeFields.length;
  let maxId = 0;
  for (let node = 0; node < nodeCount; node++) {
    if (counted.rowOf[node]! < 0) continue;
    const id = nodes[node * nodeSize + idAt]!;
    if (id > maxId) maxId = id;
  }
  const insts = new Map<string, number>();
  for (const row of counted.rows) if (row.known !== true) insts.set(`${row.scriptUrl}\n${row.className}`, row.insts);
  return { maxId, insts };
}

/**
 * The paths of the rows whose instances grew since `previous`: for each, the groups of objects
 * that share a path, the group with the most new objects first, each drawn through its newest
 * object. Nothing when no row grew, so a clean iteration costs only {@link pathBaseline}.
 */
export function retainerPaths(
  snapshot: ParsedHeapSnapshot,
  counted: CountedHeap,
  previous: PathBaseline,
  limits: PathLimits = PATH_LIMITS,
): WorkerRowPaths[] {
  const grown = counted.rows
    .map((row, index) => ({
      index,
      growth: row.known === true ? 0 : row.insts - (previous.insts.get(`${row.scriptUrl}\n${row.className}`) ?? 0),
    }))
    .filter(({ growth }) => growth > 0)
    .sort((a, b) => b.growth - a.growth)
    .slice(0, limits.rows);
  if (grown.length === 0) return [];
  const tree = new RetainerTree(snapshot, counted);
  const slotOf = new Int32Array(counted.rows.length).fill(-1);
  grown.forEach(({ index }, slot) => (slotOf[index] = slot));
  const objects = grown.map((): number[] => []);
  const idAt = idField(snapshot);
  const nodeSize = snapshot.nodeFields.length;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const countRow = counted.rowOf[node]!;
    if (countRow < 0) continue;
    const slot = slotOf[counted.rowIndex[countRow]!]!;
    if (slot >= 0 && tree.reached(node)) objects[slot]!.push(node);
  }
  return grown.map(({ index }, slot) => {
    const all = objects[slot]!;
    const isNew = (node: number): boolean => snapshot.nodes[node * nodeSize + idAt]! > previous.maxId;
    const complete = all.length <= limits.objects;
    const grouped = complete ? all : all.filter(isNew);
    const groups = new Map<number, { objects: number; added: number; newest: number; newestId: number }>();
    for (const node of grouped) {
      const signature = tree.signature(node);
      let group = groups.get(signature);
      if (group === undefined) groups.set(signature, (group = { objects: 0, added: 0, newest: -1, newestId: -1 }));
      group.objects++;
      if (!isNew(node)) continue;
      group.added++;
      const id = snapshot.nodes[node * nodeSize + idAt]!;
      if (id > group.newestId) {
        group.newest = node;
        group.newestId = id;
      }
    }
    const paths = [...groups.values()]
      .filter((group) => group.added > 0)
      .sort((a, b) => b.added - a.added || b.objects - a.objects)
      .slice(0, limits.paths)
      .map(({ objects: count, added, newest }) => ({ objects: complete ? count : -1, added, ...tree.draw(newest, previous.maxId) }));
    return { row: index, paths };
  });
}

function idField(snapshot: ParsedHeapSnapshot): number {
  const idAt = snapshot.nodeFields.indexOf(PATH_NODE_FIELD);
  if (idAt < 0) throw new Error('retainer paths need the snapshot nodes’ `id` field');
  return idAt;
}

/**
 * The shortest-path tree from the snapshot's root over the references the counts follow, with
 * detours ({@link DETOUR_PROPERTIES}) taken only when nothing else reaches a node: a
 * breadth-first search in rounds, each round starting from the nodes the detours of the last one
 * reached.
 */
class RetainerTree {
  readonly #snapshot: ParsedHeapSnapshot;
  readonly #counted: CountedHeap;
  readonly #layout: FieldLayout;
  /** The edge (its index) that first reached each node; {@link NO_EDGE} for the root and the unreached. */
  readonly #parentEdge: Uint32Array;
  readonly #parent: Uint32Array;
  /** Each node's path signature, once worked out; 0 before. */
  readonly #signatures: Int32Array;
  /** Step keys by reference (edge type and name), then by the kind of target. */
  readonly #stepKeys = new Map<number, Map<number, number>>();
  #stepCount = 0;
  /** The signatures one step below each signature, by step key. */
  readonly #children: Map<number, number>[] = [];
  readonly #anchorKeys = new Map<string, number>();
  #signatureCount = 0;
  /** Each node's anchor: 0 before it is looked at, else 1 + its index in the anchor list (so 0 + 1 for none). */
  readonly #anchorOf: Int32Array;
  readonly #anchorList: Anchor[] = [];
  /** Each module export's cell, with the module record whose export table names it; made on first use. */
  #exportCells: Map<number, { readonly record: number; readonly name: string }> | undefined;
  readonly #pending: number[] = [];
  readonly #syntheticType: number;
  readonly #moduleName: number;
  readonly #contextName: number;
  readonly #cellName: number;
  readonly #types: Record<EdgeTypeName, number>;
  readonly #isIndexName: Uint8Array;
  readonly #numberType: number;
  readonly #propertyArrayName: number;
  /** Link names of rows (see {@link RetainerTree.#linkNames}), as `countRow * strings.length + name`. */
  readonly #links: Set<number>;
  /** Step references that are not an edge's type and name: a row's links, an undecided field. */
  readonly #specialReferences = new Map<string, number>();

  constructor(snapshot: ParsedHeapSnapshot, counted: CountedHeap) {
    this.#snapshot = snapshot;
    this.#counted = counted;
    this.#layout = fieldLayout(snapshot);
    this.#types = Object.fromEntries(EDGE_TYPES.map((type) => [type, snapshot.edgeTypes.indexOf(type)])) as Record<EdgeTypeName, number>;
    this.#isIndexName = indexNames(snapshot.strings);
    this.#parentEdge = new Uint32Array(snapshot.nodeCount).fill(NO_EDGE);
    this.#parent = new Uint32Array(snapshot.nodeCount);
    this.#signatures = new Int32Array(snapshot.nodeCount);
    this.#anchorOf = new Int32Array(snapshot.nodeCount);
    this.#syntheticType = snapshot.nodeTypes.indexOf('synthetic');
    this.#moduleName = snapshot.strings.indexOf('system / SourceTextModule');
    this.#contextName = snapshot.strings.indexOf('system / Context');
    this.#cellName = snapshot.strings.indexOf('system / Cell');
    this.#numberType = snapshot.nodeTypes.indexOf('number');
    this.#propertyArrayName = snapshot.strings.indexOf('system / PropertyArray');
    this.#search();
    this.#links = this.#linkNames();
  }

  #search(): void {
    const { edges, strings, nodeCount, edgeTypes } = this.#snapshot;
    const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, toNodeAt } = this.#layout;
    const rules = new WalkRules(this.#snapshot, this.#counted.kinds);
    const property = edgeTypes.indexOf('property');
    const internal = edgeTypes.indexOf('internal');
    const detourNames = new Uint8Array(strings.length);
    strings.forEach((name, at) => {
      if (DETOUR_PROPERTIES.has(name)) detourNames[at] = 1;
      if (DETOUR_INTERNALS.has(name)) detourNames[at] = 2;
    });
    const reached = new Uint8Array(nodeCount);
    const queue = new Uint32Array(nodeCount);
    const shortcut = this.#types.shortcut;
    let detours: number[] = [];
    reached[0] = 1;
    let tail = 1;
    while (tail > 0) {
      for (let head = 0; head < tail; head++) {
        const node = queue[head]!;
        const entry = rules.entry(node);
        if (entry === SKIPPED) continue;
        for (let edge = this.#counted.firstEdge[node]!, end = this.#counted.firstEdge[node + 1]!; edge < end; edge++) {
          const at = edge * edgeSize;
          if (!rules.follows(at, entry)) continue;
          let target = edges[at + toNodeAt]! / nodeSize;
          // The root's shortcut is where `globalThis` paths start (see #userGlobal); the global
          // object's parent edge is then that shortcut, whatever node V8 made it point at.
          if (node === 0 && edges[at + edgeTypeAt] === shortcut) target = this.#userGlobal(target);
          if (reached[target] !== 0) continue;
          const type = edges[at + edgeTypeAt];
          const name = detourNames[edges[at + edgeNameAt]!]!;
          if ((type === property && (name & 1) === 1) || (type === internal && (name & 2) === 2)) {
            detours.push(edge);
            continue;
          }
          reached[target] = 1;
          this.#parentEdge[target] = edge;
          this.#parent[target] = node;
          queue[tail++] = target;
        }
      }
      // The next round, in the same queue: what the detours reach that nothing else did.
      tail = 0;
      for (const edge of detours) {
        const target = edges[edge * edgeSize + toNodeAt]! / nodeSize;
        if (reached[target] !== 0) continue;
        reached[target] = 1;
        this.#parentEdge[target] = edge;
        this.#parent[target] = this.#sourceOf(edge);
        queue[tail++] = target;
      }
      detours = [];
    }
  }

  /**
   * The global object that the root's shortcut stands for. Up to V8 13 (Node 24) the shortcut
   * points at the main realm's global object. From V8 14 (Node 26) it points at the realm's
   * native context, whose internal `global_object` edge leads to the global object (the edge was
   * named `extension` before). The native context stays where the earlier versions have it, under
   * the GC roots' global handles, so a path through it does not start at `globalThis`.
   */
  #userGlobal(target: number): number {
    const { nodes, strings } = this.#snapshot;
    const { nodeSize, nameAt } = this.#layout;
    const name = strings[nodes[target * nodeSize + nameAt]!]!;
    if (name !== NATIVE_CONTEXT_NAME && !name.startsWith(`${NATIVE_CONTEXT_NAME} / `)) return target;
    const global = this.#follow(target, GLOBAL_OBJECT_EDGE);
    return global >= 0 ? global : target;
  }

  /**
   * The property names through which objects of a row hold others of the same row in a chain: a
   * linked list's `next`, a timer list's `_idleNext` and `_idlePrev`. A name is a link of a row
   * when an object of the row that another holds through it holds a third through it too, or when
   * the two hold each other. Paths treat such references as indexes: the objects of a list share
   * one path, however deep in the list each sits and from whichever end the search reached it.
   * Without this, a test that leaked one interval per run drew `TimersList ._idleNext → Timeout
   * (1 new, 1 live)` with 3 live: Node keeps a duration's timers in a ring, which the search
   * enters from both ends, one object deeper per step.
   */
  #linkNames(): Set<number> {
    const { edges, strings, nodeCount } = this.#snapshot;
    const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, toNodeAt } = this.#layout;
    const { rowOf, firstEdge } = this.#counted;
    const sources: number[] = [];
    const names: number[] = [];
    const targets: number[] = [];
    for (let node = 0; node < nodeCount; node++) {
      const row = rowOf[node]!;
      if (row < 0 || !this.reached(node)) continue;
      for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge++) {
        const at = edge * edgeSize;
        if (edges[at + edgeTypeAt] !== this.#types.property) continue;
        const name = edges[at + edgeNameAt]!;
        const target = edges[at + toNodeAt]! / nodeSize;
        if (target === node || rowOf[target] !== row || this.#isIndexName[name] === 1 || DETOUR_PROPERTIES.has(strings[name]!)) continue;
        sources.push(node);
        names.push(name);
        targets.push(target);
      }
    }
    const heldThrough = new Map<number, Set<number>>();
    const pairs = new Set<number>();
    targets.forEach((target, index) => {
      let held = heldThrough.get(names[index]!);
      if (held === undefined) heldThrough.set(names[index]!, (held = new Set()));
      held.add(target);
      pairs.add(sources[index]! * nodeCount + target);
    });
    const links = new Set<number>();
    sources.forEach((source, index) => {
      const name = names[index]!;
      if (heldThrough.get(name)!.has(source) || pairs.has(targets[index]! * nodeCount + source))
        links.add(rowOf[source]! * strings.length + name);
    });
    return links;
  }

  /** Whether the reference into `node` is a link of its row (see {@link RetainerTree.#linkNames}). */
  #throughLink(node: number): boolean {
    const row = this.#counted.rowOf[node]!;
    if (row < 0 || this.#links.size === 0) return false;
    const at = this.#parentEdge[node]! * this.#layout.edgeSize;
    const { edges, strings } = this.#snapshot;
    return (
      edges[at + this.#layout.edgeTypeAt] === this.#types.property &&
      this.#links.has(row * strings.length + edges[at + this.#layout.edgeNameAt]!)
    );
  }

  #specialReference(key: string): number {
    let reference = this.#specialReferences.get(key);
    if (reference === undefined) this.#specialReferences.set(key, (reference = -1 - this.#specialReferences.size));
    return reference;
  }

  /** The node an edge leaves from: edges are stored node after node. */
  #sourceOf(edge: number): number {
    const firstEdge = this.#counted.firstEdge;
    let low = 0;
    let high = this.#snapshot.nodeCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (firstEdge[middle]! <= edge) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  reached(node: number): boolean {
    return this.#parentEdge[node] !== NO_EDGE;
  }

  /**
   * A number for the node's path from its anchor (see {@link RetainerTree.#anchor}): the same for
   * two nodes when their paths go through the same references to the same kinds of objects,
   * indexes aside.
   */
  signature(node: number): number {
    const pending = this.#pending;
    pending.length = 0;
    let at = node;
    while (this.#signatures[at] === 0) {
      const anchor = this.#anchorIndex(at);
      if (anchor >= 0) {
        const { root, rootScript, first } = this.#anchorList[anchor]!;
        const key = `${root}\n${rootScript}\n${first}`;
        let signature = this.#anchorKeys.get(key);
        if (signature === undefined) this.#anchorKeys.set(key, (signature = this.#newSignature()));
        this.#signatures[at] = signature;
        break;
      }
      pending.push(at);
      at = this.#parent[at]!;
    }
    for (let index = pending.length - 1; index >= 0; index--) {
      const child = pending[index]!;
      const parent = this.#signatures[this.#parent[child]!]!;
      // One more object of a chain of its row (see #linkNames) is on the path of the one before.
      if (this.#throughLink(child) && this.#counted.rowOf[this.#parent[child]!] === this.#counted.rowOf[child]) {
        this.#signatures[child] = parent;
        continue;
      }
      const step = this.#stepKey(child);
      const children = (this.#children[parent] ??= new Map());
      let signature = children.get(step);
      if (signature === undefined) children.set(step, (signature = this.#newSignature()));
      this.#signatures[child] = signature;
    }
    return this.#signatures[node]!;
  }

  #newSignature(): number {
    return ++this.#signatureCount;
  }

  /** A small number for the reference into `node` and the kind of `node`, indexes left out. */
  #stepKey(node: number): number {
    const { edges, nodes, strings } = this.#snapshot;
    const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, nameAt } = this.#layout;
    const at = this.#parentEdge[node]! * edgeSize;
    const type = edges[at + edgeTypeAt]!;
    const countRow = this.#counted.rowOf[node]!;
    const indexed = type === this.#types.element || type === this.#types.hidden || this.#isIndexName[edges[at + edgeNameAt]!] === 1;
    let reference = type * (strings.length + 1) + (indexed ? strings.length : edges[at + edgeNameAt]!);
    const holder = this.#fieldHolder(node);
    if (this.#throughLink(node)) reference = this.#specialReference(`link\n${countRow}`);
    else if (holder >= 0) {
      // A number field the snapshot leaves unnamed: keyed by the field, or the fields it may be.
      reference = this.#specialReference(`field\n${this.#fieldLabel(this.#counted.scripts.numberFieldKeys(holder, node))}`);
    }
    const kind = countRow >= 0 ? countRow : this.#counted.rowIndex.length + nodes[node * nodeSize + nameAt]!;
    let kinds = this.#stepKeys.get(reference);
    if (kinds === undefined) this.#stepKeys.set(reference, (kinds = new Map()));
    let key = kinds.get(kind);
    if (key === undefined) kinds.set(kind, (key = this.#stepCount++));
    return key;
  }

  /**
   * Where paths start when they pass through the node: the global object, or the top scope or the
   * export table of a module, named by the module's script; the root itself and the GC roots'
   * categories too, named by themselves. An index into the anchors, or -1 for other nodes.
   */
  #anchorIndex(node: number): number {
    const known = this.#anchorOf[node]!;
    if (known !== 0) return known - 1;
    const anchor = this.#findAnchor(node);
    let index = -1;
    if (anchor !== null) {
      index = this.#anchorList.length;
      this.#anchorList.push(anchor);
    }
    this.#anchorOf[node] = index + 1;
    return index;
  }

  #findAnchor(node: number): Anchor | null {
    const { nodes, edges, strings } = this.#snapshot;
    const { nodeSize, edgeSize, typeAt, nameAt, edgeTypeAt } = this.#layout;
    const nameIndex = nodes[node * nodeSize + nameAt]!;
    const type = nodes[node * nodeSize + typeAt]!;
    const parent = this.#parent[node]!;
    if (node === 0 || this.#parentEdge[node] === NO_EDGE) return { root: '(root)', rootScript: '', first: '' };
    if (parent === 0 && edges[this.#parentEdge[node]! * edgeSize + edgeTypeAt] === this.#types.shortcut)
      return { root: GLOBAL_ROOT, rootScript: '', first: '' };
    if (type === this.#syntheticType && (parent === 0 || this.#parent[parent] === 0))
      return { root: strings[nameIndex]!, rootScript: '', first: '' };
    if (nameIndex === this.#moduleName) {
      const script = this.#moduleScript(node);
      return script === '' ? null : { root: MODULE_ROOT, rootScript: script, first: '' };
    }
    // An export's cell is also in each importer's imports, which the search may reach first (Node
    // 22 on drew `src.cart.test (module) [6][2] → Array` for an array that `src/store.ts` exports):
    // the path starts at the module that exports it, named as it exports it.
    const exported = nameIndex === this.#cellName ? this.#exportCellsByNode().get(node) : undefined;
    if (exported !== undefined) {
      const script = this.#moduleScript(exported.record);
      return script === '' ? null : { root: MODULE_ROOT, rootScript: script, first: propertyLabel(exported.name) };
    }
    if (nameIndex === this.#contextName && this.#isTopScope(node)) {
      const record = this.#moduleRecordOf(node);
      const script = (record >= 0 ? this.#moduleScript(record) : '') || this.#counted.scripts.scriptOfContext(node);
      return script === '' ? null : { root: MODULE_ROOT, rootScript: script, first: '' };
    }
    return null;
  }

  /** The cells of the modules' exports: each module record's export table pairs a name with a cell. */
  #exportCellsByNode(): Map<number, { readonly record: number; readonly name: string }> {
    if (this.#exportCells !== undefined) return this.#exportCells;
    const { nodes, edges, strings, nodeCount, nodeTypes } = this.#snapshot;
    const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, toNodeAt, typeAt, nameAt } = this.#layout;
    const firstEdge = this.#counted.firstEdge;
    const cells = new Map<number, { readonly record: number; readonly name: string }>();
    for (let record = 0; record < nodeCount; record++) {
      if (nodes[record * nodeSize + nameAt] !== this.#moduleName) continue;
      for (let edge = firstEdge[record]!, end = firstEdge[record + 1]!; edge < end; edge++) {
        const table = edges[edge * edgeSize + toNodeAt]! / nodeSize;
        if (nodeTypes[nodes[table * nodeSize + typeAt]!] !== 'array') continue;
        for (let entry = firstEdge[table]!, last = firstEdge[table + 1]!; entry < last; entry++) {
          const at = entry * edgeSize;
          const cell = edges[at + toNodeAt]! / nodeSize;
          const index = edges[at + edgeNameAt]!;
          if (edges[at + edgeTypeAt] !== this.#types.internal || this.#isIndexName[index] !== 1) continue;
          if (nodes[cell * nodeSize + nameAt] !== this.#cellName || cells.has(cell)) continue;
          const name = this.#exportName(table, Number(strings[index]));
          if (name !== undefined) cells.set(cell, { record, name });
        }
      }
    }
    return (this.#exportCells = cells);
  }

  /**
   * Whether a closure context is a module's top scope, whose variables are the module's top-level
   * bindings. A binding lives there only when a function captures it: V8 keeps the others in the
   * module function's registers, gone once the module has run, and an export in a cell of the
   * module's export table. So the context of a function inside the module (a constructor whose
   * arrow function captured `this`) may have no scope with variables around it, and is no top
   * scope for that: taken for one, it drew `orders (module) .this → orders.Mailer` for a
   * `const mailer = new Mailer()` that nothing captured.
   *
   * - An ES module's own context names its module record (`extension`); every context inside the
   *   module has that context around it.
   * - A CommonJS module's top scope is its wrapper function's, around which there is only the
   *   realm's native context, or one inside it, where a transpiler's output puts the module's own
   *   variables, with around it only the wrapper's parameters (tsx). The wrapper is anonymous,
   *   and a function's scope info ends with the function's name, so a named function's scope
   *   (`function startPolling(url)`, a class's constructor) is not taken for it.
   */
  #isTopScope(context: number): boolean {
    if (this.#moduleRecordOf(context) >= 0) return true;
    const { edges, strings, nodes } = this.#snapshot;
    const { edgeSize, edgeTypeAt, edgeNameAt, nodeSize, nameAt } = this.#layout;
    let outer = this.#follow(context, 'previous');
    for (let hops = 0; outer >= 0 && hops < 100; outer = this.#follow(outer, 'previous'), hops++) {
      const name = strings[nodes[outer * nodeSize + nameAt]!]!;
      if (name === NATIVE_CONTEXT_NAME || name.startsWith(`${NATIVE_CONTEXT_NAME} / `)) return this.#anonymousScope(context);
      if (this.#moduleRecordOf(outer) >= 0) return false;
      let wrapperParameters = 0;
      for (let edge = this.#counted.firstEdge[outer]!, end = this.#counted.firstEdge[outer + 1]!; edge < end; edge++) {
        const at = edge * edgeSize;
        if (edges[at + edgeTypeAt] !== this.#types.context) continue;
        if (!COMMONJS_WRAPPER.has(strings[edges[at + edgeNameAt]!]!)) return false;
        wrapperParameters++;
      }
      // A scope with no variables around the context is a function's or a class's, inside the module.
      if (wrapperParameters === 0) return false;
    }
    return false;
  }

  /** The module record whose context this is (its `extension`), or -1. */
  #moduleRecordOf(context: number): number {
    const record = this.#follow(context, 'extension');
    return record >= 0 && this.#snapshot.nodes[record * this.#layout.nodeSize + this.#layout.nameAt] === this.#moduleName ? record : -1;
  }

  /**
   * Whether the context's scope info ends with an empty name: the scope of an anonymous function,
   * as the CommonJS wrapper is. A function's scope info lists its context variables' names, then
   * the function's name (Node 20, 22, 24 and 26); a block's ends with a variable's.
   */
  #anonymousScope(context: number): boolean {
    const { edges, nodes, nodeTypes, strings } = this.#snapshot;
    const { edgeSize, toNodeAt, nodeSize, typeAt, nameAt } = this.#layout;
    const scopeInfo = this.#follow(context, 'scope_info');
    if (scopeInfo < 0) return false;
    let last: string | undefined;
    for (let edge = this.#counted.firstEdge[scopeInfo]!, end = this.#counted.firstEdge[scopeInfo + 1]!; edge < end; edge++) {
      const target = edges[edge * edgeSize + toNodeAt]! / nodeSize;
      if (nodeTypes[nodes[target * nodeSize + typeAt]!] === 'string') last = strings[nodes[target * nodeSize + nameAt]!];
    }
    return last === '';
  }

  /** The script of a module record, through the function of its code (a generator object). */
  #moduleScript(module: number): string {
    const { nodes, edges, strings, nodeTypes } = this.#snapshot;
    const { nodeSize, edgeSize, typeAt, toNodeAt } = this.#layout;
    for (let edge = this.#counted.firstEdge[module]!, end = this.#counted.firstEdge[module + 1]!; edge < end; edge++) {
      const target = edges[edge * edgeSize + toNodeAt]! / nodeSize;
      if (nodeTypes[nodes[target * nodeSize + typeAt]!] !== 'object') continue;
      const closure = this.#follow(target, 'function');
      if (closure >= 0) return this.#counted.scripts.scriptOfFunction(closure);
      if (strings[nodes[target * nodeSize + this.#layout.nameAt]!] === 'system / Context')
        return this.#counted.scripts.scriptOfContext(target);
    }
    return '';
  }

  /** The target of the node's first internal edge named `name`, or -1. */
  #follow(node: number, name: string): number {
    const { edges, strings } = this.#snapshot;
    const { nodeSize, edgeSize, edgeTypeAt, edgeNameAt, toNodeAt } = this.#layout;
    for (let edge = this.#counted.firstEdge[node]!, end = this.#counted.firstEdge[node + 1]!; edge < end; edge++) {
      const at = edge * edgeSize;
      if (edges[at + edgeTypeAt] === this.#types.internal && strings[edges[at + edgeNameAt]!] === name)
        return edges[at + toNodeAt]! / nodeSize;
    }
    return -1;
  }

  /** The path to `node` from its anchor, drawn: V8's storage (cells, internal arrays, scopes) folded into the references around it. */
  draw(node: number, previousMaxId: number): { root: string; rootScript: string; steps: PathStep[] } {
    const chain: number[] = [];
    let at = node;
    while (this.#anchorIndex(at) < 0) {
      chain.push(at);
      at = this.#parent[at]!;
    }
    const { root, rootScript, first } = this.#anchorList[this.#anchorIndex(at)]!;
    chain.reverse();
    const idAt = this.#snapshot.nodeFields.indexOf(PATH_NODE_FIELD);
    const isNew = (target: number): boolean => this.#snapshot.nodes[target * this.#layout.nodeSize + idAt]! > previousMaxId;
    const steps: PathStep[] = [];
    let pending = first;
    chain.forEach((target, index) => {
      const [label, named] = this.#edgeLabel(target);
      const edge = named ? label : pending + label;
      const next = chain[index + 1];
      // An old object (or its storage) that now holds a new one is where the path grows.
      const grows = !isNew(target) && next !== undefined && isNew(next);
      pending = '';
      if (this.#isStorage(target) && next !== undefined) {
        pending = edge;
        const holder = steps[steps.length - 1];
        if (grows && holder !== undefined) steps[steps.length - 1] = { ...holder, grows: true };
        return;
      }
      steps.push({ edge, ...this.#targetLabel(target), grows });
    });
    // Only the last old object on the path is where it grows.
    let last = -1;
    steps.forEach((step, index) => step.grows && (last = index));
    return {
      root,
      rootScript,
      steps: steps.map((step, index) => (step.grows && index !== last ? { ...step, grows: false } : step)),
    };
  }

  /** V8's storage between two objects: a module export's cell, a backing array, a closure's scope. */
  #isStorage(node: number): boolean {
    const { nodes, strings, nodeTypes } = this.#snapshot;
    const { nodeSize, typeAt, nameAt } = this.#layout;
    const type = nodeTypes[nodes[node * nodeSize + typeAt]!];
    const name = strings[nodes[node * nodeSize + nameAt]!]!;
    return type === 'array' || name === 'system / Cell' || name === 'system / Context' || name === 'system / PropertyArray';
  }

  /**
   * The reference into `node` as code would write it, and whether it is a name that stands for
   * the whole way there (a module's export, named by its table).
   */
  #edgeLabel(node: number): [label: string, named: boolean] {
    const { edges, strings, nodes } = this.#snapshot;
    const { edgeSize, edgeTypeAt, edgeNameAt, nodeSize, nameAt } = this.#layout;
    const at = this.#parentEdge[node]! * edgeSize;
    const type = edges[at + edgeTypeAt]!;
    const raw = edges[at + edgeNameAt]!;
    if (type === this.#types.hidden) {
      const holder = this.#fieldHolder(node);
      if (holder >= 0) return [this.#fieldLabel(this.#counted.scripts.numberFieldKeys(holder, node)), false];
    }
    if (type === this.#types.element || type === this.#types.hidden) return [`[${raw}]`, false];
    const name = strings[raw]!;
    // A module's exports: a table of name, cell pairs; the cell's name is the entry before it.
    if (type === this.#types.internal && this.#isIndexName[raw] === 1 && strings[nodes[node * nodeSize + nameAt]!] === 'system / Cell') {
      const exported = this.#exportName(this.#parent[node]!, Number(name));
      if (exported !== undefined) return [`.${exported}`, true];
    }
    if (this.#isIndexName[raw] === 1) return [`[${name}]`, false];
    // A cell's value, a closure's scope, the outer scope and an object's out-of-line storage are how V8 keeps what the next reference names.
    if (type === this.#types.internal && FOLDED_INTERNALS.has(name)) return ['', false];
    return [propertyLabel(name), false];
  }

  /**
   * The object whose number field holds `node`: a heap number reached by a `hidden` edge from an
   * object, or from its out-of-line properties (see `ClassScripts.numberFieldKeys`); -1 otherwise.
   */
  #fieldHolder(node: number): number {
    const { edges, nodes, nodeTypes } = this.#snapshot;
    const { edgeSize, edgeTypeAt, nodeSize, typeAt, nameAt } = this.#layout;
    const edge = this.#parentEdge[node]!;
    if (edge === NO_EDGE || edges[edge * edgeSize + edgeTypeAt] !== this.#types.hidden) return -1;
    if (nodes[node * nodeSize + typeAt] !== this.#numberType) return -1;
    let holder = this.#parent[node]!;
    if (nodes[holder * nodeSize + nameAt] === this.#propertyArrayName) holder = this.#parent[holder]!;
    return nodeTypes[nodes[holder * nodeSize + typeAt]!] === 'object' ? holder : -1;
  }

  /**
   * A number field as code would name it: `.at` when the snapshot tells which field it is, `.id or
   * .at` when it narrows it down to those, `(unnamed field)` when it cannot tell (a `Date`'s time
   * is in a slot no property names). Never an index: `[2]` read as an element of the object.
   */
  #fieldLabel(keys: readonly string[]): string {
    if (keys.length === 0 || keys.includes('')) return '(unnamed field)';
    const names = keys.map((key) =>
      key.startsWith('<symbol ') && key.endsWith('>') ? `[Symbol(${key.slice(8, -1)})]` : propertyLabel(key),
    );
    if (names.length <= 3) return names.join(' or ');
    return `${names.slice(0, 2).join(', ')} or ${names.length - 2} other fields`;
  }

  /** The string of the entry just before `index` in a table, the name V8 pairs with a cell. */
  #exportName(table: number, index: number): string | undefined {
    const { edges, strings, nodes, nodeTypes } = this.#snapshot;
    const { edgeSize, edgeTypeAt, edgeNameAt, toNodeAt, nodeSize, typeAt, nameAt } = this.#layout;
    const wanted = String(index - 1);
    for (let edge = this.#counted.firstEdge[table]!, end = this.#counted.firstEdge[table + 1]!; edge < end; edge++) {
      const at = edge * edgeSize;
      if (edges[at + edgeTypeAt] !== this.#types.internal || strings[edges[at + edgeNameAt]!] !== wanted) continue;
      const target = edges[at + toNodeAt]! / nodeSize;
      return nodeTypes[nodes[target * nodeSize + typeAt]!] === 'string' ? strings[nodes[target * nodeSize + nameAt]!] : undefined;
    }
    return undefined;
  }

  /** What a step points at: the row of a counted object, a function, or a kind. */
  #targetLabel(node: number): { className: string; scriptUrl: string } {
    const { nodes, strings, nodeTypes } = this.#snapshot;
    const { nodeSize, typeAt, nameAt } = this.#layout;
    const type = nodeTypes[nodes[node * nodeSize + typeAt]!]!;
    const name = strings[nodes[node * nodeSize + nameAt]!]!;
    if (type === 'closure') return { className: `${name === '' ? '(anonymous)' : name}()`, scriptUrl: '' };
    const countRow = this.#counted.rowOf[node]!;
    const row = countRow >= 0 ? this.#counted.rows[this.#counted.rowIndex[countRow]!] : undefined;
    if (row !== undefined) return { className: row.className, scriptUrl: row.known === true ? '' : row.scriptUrl };
    if (KIND_ROWS[type] !== undefined) return { className: KIND_ROWS[type], scriptUrl: '' };
    if (name.startsWith('system / ')) return { className: `(${name.slice('system / '.length)})`, scriptUrl: '' };
    return { className: name === '' ? `(${type})` : name, scriptUrl: '' };
  }
}

/** A property name as code would write it after its object: `.name`, or `["a name"]`. */
function propertyLabel(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
