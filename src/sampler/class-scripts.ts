import { fieldLayout } from './layout.ts';
import type { ParsedHeapSnapshot } from './reader.ts';

/**
 * Finds the script that defined an object's class: object → `map` (→ `back_pointer`)* →
 * `constructor` closure → `shared` → `script_or_debug_info` (Node 20) or `script` (Node 22 on),
 * a node V8 names by the script's URL.
 * Results are cached per map, so each shape is resolved once. For retainer paths it also reads a
 * map's keys, to name the number fields the snapshot leaves unnamed ({@link ClassScripts.numberFieldKeys}).
 */
export class ClassScripts {
  readonly #snapshot: ParsedHeapSnapshot;
  readonly #firstEdge: Uint32Array;
  readonly #byMap = new Map<number, { readonly nameIndex: number; readonly url: string }>();
  readonly #edgeName: number;
  readonly #edgeType: number;
  readonly #internal: number;
  readonly #toNode: number;
  readonly #nodeName: number;
  readonly #nodeType: number;
  readonly #nodeSize: number;
  readonly #edgeSize: number;
  readonly #ids: Record<(typeof LINKS)[number], number>;
  /** A closure of each closure context, made on first use. */
  #closureOf: Map<number, number> | undefined;
  /** The keys a map owns, by map. */
  readonly #keysByMap = new Map<number, string[]>();
  #fieldIds: FieldIds | undefined;

  constructor(snapshot: ParsedHeapSnapshot, firstEdge: Uint32Array) {
    this.#snapshot = snapshot;
    this.#firstEdge = firstEdge;
    // Copied into fields of their own: #follow runs for every shape and closure resolved.
    const layout = fieldLayout(snapshot);
    this.#edgeName = layout.edgeNameAt;
    this.#edgeType = layout.edgeTypeAt;
    this.#internal = snapshot.edgeTypes.indexOf('internal');
    this.#toNode = layout.toNodeAt;
    this.#nodeName = layout.nameAt;
    this.#nodeType = layout.typeAt;
    this.#nodeSize = layout.nodeSize;
    this.#edgeSize = layout.edgeSize;
    // Edge names are string-table indices; finding them once turns every lookup into a comparison.
    // (indexOf compares lengths first; looking each table string up by key would hash them all.)
    this.#ids = Object.fromEntries(LINKS.map((name) => [name, snapshot.strings.indexOf(name)])) as Record<(typeof LINKS)[number], number>;
  }

  /** The node of an object's `map` edge (its hidden class), or the node count when it has none. */
  mapOf(node: number): number {
    const map = this.#follow(node, this.#ids.map);
    return map < 0 ? this.#snapshot.nodeCount : map;
  }

  /**
   * The URL of the script that defined the constructor of objects with this map, or `''` when
   * unknown or when the constructor's name is not the object's (a class's prototype object is
   * named `Object` but has the class as constructor; it stays unqualified).
   */
  urlOf(map: number, nameIndex: number): string {
    if (map >= this.#snapshot.nodeCount) return '';
    let found = this.#byMap.get(map);
    if (found === undefined) {
      found = this.#scriptOfMap(map);
      this.#byMap.set(map, found);
    }
    return found.nameIndex === nameIndex ? found.url : '';
  }

  #scriptOfMap(map: number): { nameIndex: number; url: string } {
    let root = map;
    for (let hops = 0; hops < 10_000; hops++) {
      const back = this.#follow(root, this.#ids.back_pointer);
      if (back < 0) break;
      root = back;
    }
    const constructor = this.#follow(root, this.#ids.constructor);
    if (constructor < 0) return { nameIndex: -1, url: '' };
    const nameIndex = this.#snapshot.nodes[constructor * this.#nodeSize + this.#nodeName]!;
    return { nameIndex, url: this.scriptOfFunction(constructor) };
  }

  /** The URL of the script that defined a function (a `closure` node), or `''` when unknown. */
  scriptOfFunction(closure: number): string {
    const { nodes, strings } = this.#snapshot;
    const shared = this.#follow(closure, this.#ids.shared);
    if (shared < 0) return '';
    // Node 20's V8 links `script_or_debug_info`, which with a debugger attached may be a
    // DebugInfo that holds the script; Node 22's and later link the `script` itself.
    let script = this.#follow(shared, this.#ids.script_or_debug_info);
    if (script >= 0) {
      const debugScript = this.#follow(script, this.#ids.script);
      if (debugScript >= 0) script = debugScript;
    } else {
      script = this.#follow(shared, this.#ids.script);
      if (script < 0) return '';
    }
    const url = strings[nodes[script * this.#nodeSize + this.#nodeName]!]!;
    return url.startsWith('system / ') || url.startsWith('(') ? '' : url;
  }

  /**
   * The URL of the script whose functions close over `context` (a `system / Context` node), or
   * `''` when unknown. The first call maps every context to one of its closures: the functions
   * that share a context are written in one scope, so in one script.
   */
  scriptOfContext(context: number): string {
    this.#closureOf ??= this.#closuresByContext();
    const closure = this.#closureOf.get(context);
    return closure === undefined ? '' : this.scriptOfFunction(closure);
  }

  #closuresByContext(): Map<number, number> {
    const { nodes, nodeCount, nodeTypes } = this.#snapshot;
    const typeAt = this.#nodeType;
    const closureType = nodeTypes.indexOf('closure');
    const closureOf = new Map<number, number>();
    for (let node = 0; node < nodeCount; node++) {
      if (nodes[node * this.#nodeSize + typeAt] !== closureType) continue;
      const context = this.#follow(node, this.#ids.context);
      if (context >= 0 && !closureOf.has(context)) closureOf.set(context, node);
    }
    return closureOf;
  }

  /**
   * The keys that may name the number field of `object` held in `box`, a heap number the snapshot
   * reaches by a `hidden` edge from the object or from its out-of-line `properties`: one key when
   * the snapshot tells which, several when it narrows it down to these, none when it cannot tell.
   * Keys are as V8 names property edges: a string key, or `<symbol DESCRIPTION>`.
   *
   * V8 names an object's fast properties from its map's descriptors, but leaves out the fields
   * whose representation is a small integer or a double (`ExtractPropertyReferences`). A double
   * field's box is then an unnamed `hidden` edge, numbered by a running count of unnamed slots
   * (a `{ id, at: Date.now() }` gave `hidden 2`, not the field, on Node 20, 22, 24 and 26). The
   * descriptor array lists the keys in field order (internal edges 0, 3, 6…), but a field's
   * representation is a small integer beside its key, which snapshots leave out. So the keys with
   * no property edge are the small-integer and the double fields together: when there are as many
   * as there are unnamed boxes, the n-th box is the n-th of them; when there are more (a small
   * integer `id` beside `at`), the box is one of those its rank allows.
   */
  numberFieldKeys(object: number, box: number): string[] {
    const { nodes, edges, nodeTypes, edgeTypes, strings } = this.#snapshot;
    const keys = this.#ownKeys(this.mapOf(object));
    if (keys === undefined) return [];
    const property = edgeTypes.indexOf('property');
    const hidden = edgeTypes.indexOf('hidden');
    const numberType = nodeTypes.indexOf('number');
    const named = new Set<string>();
    const namedTargets = new Set<number>();
    const boxes: number[] = [];
    const collect = (holder: number): void => {
      for (let edge = this.#firstEdge[holder]!, end = this.#firstEdge[holder + 1]!; edge < end; edge++) {
        const at = edge * this.#edgeSize;
        const type = edges[at + this.#edgeType];
        const target = edges[at + this.#toNode]! / this.#nodeSize;
        if (type === property && holder === object) {
          named.add(strings[edges[at + this.#edgeName]!]!);
          namedTargets.add(target);
        } else if (type === hidden && nodes[target * this.#nodeSize + this.#nodeType] === numberType) {
          // The out-of-line array also holds the values the object names: only the others are boxes.
          if (!namedTargets.has(target)) boxes.push(target);
        }
      }
    };
    collect(object);
    const properties = this.#follow(object, this.#fieldLinks().properties);
    if (properties >= 0) collect(properties);
    const rank = boxes.indexOf(box);
    const unnamed = keys.filter((key) => !named.has(key));
    if (rank < 0 || unnamed.length < boxes.length) return [];
    return unnamed.slice(rank, rank + unnamed.length - boxes.length + 1);
  }

  /**
   * The keys of the descriptors a map owns, in order (`''` for one the snapshot does not name).
   * Maps along a transition chain share one descriptor array, each owning as many of its first
   * descriptors as transitions led to it: the back pointers are counted when the chain starts
   * from a map with no descriptors, else all are taken, which can only leave a field unnamed,
   * never misname it.
   */
  #ownKeys(map: number): string[] | undefined {
    if (map >= this.#snapshot.nodeCount) return undefined;
    let keys = this.#keysByMap.get(map);
    if (keys !== undefined) return keys;
    const { nodes, edges, strings, nodeTypes } = this.#snapshot;
    const descriptors = this.#follow(map, this.#fieldLinks().descriptors);
    const found: string[] = [];
    if (descriptors >= 0) {
      for (let edge = this.#firstEdge[descriptors]!, end = this.#firstEdge[descriptors + 1]!; edge < end; edge++) {
        const at = edge * this.#edgeSize;
        if (edges[at + this.#edgeType] !== this.#internal) continue;
        const slot = Number(strings[edges[at + this.#edgeName]!]);
        // Each descriptor is three slots: its key, its details (a small integer) and its value.
        if (!Number.isInteger(slot) || slot % 3 !== 0) continue;
        const key = edges[at + this.#toNode]! / this.#nodeSize;
        const type = nodeTypes[nodes[key * this.#nodeSize + this.#nodeType]!];
        const description = type === 'symbol' ? this.#follow(key, this.#fieldLinks().name) : -1;
        found[slot / 3] =
          type === 'string'
            ? strings[nodes[key * this.#nodeSize + this.#nodeName]!]!
            : description >= 0
              ? `<symbol ${strings[nodes[description * this.#nodeSize + this.#nodeName]!]!}>`
              : '';
      }
    }
    let root = map;
    let transitions = 0;
    let back = this.#follow(root, this.#ids.back_pointer);
    while (back >= 0 && transitions < 10_000) {
      root = back;
      transitions++;
      back = this.#follow(root, this.#ids.back_pointer);
    }
    const owned = this.#follow(root, this.#fieldLinks().descriptors) < 0 ? Math.min(found.length, transitions) : found.length;
    keys = Array.from({ length: owned }, (_, index) => found[index] ?? '');
    this.#keysByMap.set(map, keys);
    return keys;
  }

  #fieldLinks(): FieldIds {
    return (this.#fieldIds ??= Object.fromEntries(FIELD_LINKS.map((name) => [name, this.#snapshot.strings.indexOf(name)])) as FieldIds);
  }

  /** The target of `node`'s first internal edge with the given name, or -1. */
  #follow(node: number, name: number): number {
    if (name < 0) return -1;
    const { edges } = this.#snapshot;
    for (let edge = this.#firstEdge[node]!, end = this.#firstEdge[node + 1]!; edge < end; edge++) {
      const at = edge * this.#edgeSize;
      // Only internal edges: element and hidden edges hold numbers that could equal the string index.
      if (edges[at + this.#edgeName] === name && edges[at + this.#edgeType] === this.#internal) {
        return edges[at + this.#toNode]! / this.#nodeSize;
      }
    }
    return -1;
  }
}

const LINKS = ['map', 'back_pointer', 'constructor', 'shared', 'script_or_debug_info', 'script', 'context'] as const;

/** The links number fields need, looked up only when retainer paths name one. */
const FIELD_LINKS = ['descriptors', 'properties', 'name'] as const;
type FieldIds = Record<(typeof FIELD_LINKS)[number], number>;
