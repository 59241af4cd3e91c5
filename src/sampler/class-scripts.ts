import { fieldLayout } from './layout.ts';
import type { ParsedHeapSnapshot } from './reader.ts';

/**
 * Finds the script that defined an object's class: object → `map` (→ `back_pointer`)* →
 * `constructor` closure → `shared` → `script_or_debug_info` (Node 20) or `script` (Node 22 on),
 * a node V8 names by the script's URL.
 * Results are cached per map, so each shape is resolved once.
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
