import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countRows } from '../../src/sampler/count.ts';
import { HeapSnapshotReader } from '../../src/sampler/reader.ts';

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

/**
 * A snapshot as V8 writes one, with the GC roots named in `roots`, each holding one `Object` that
 * holds one string of its own: `[root name, object name]`.
 */
function snapshotHolding(roots: readonly string[]): string {
  const strings = ['', '(GC roots)', 'Object', 'held'];
  const nodes: number[] = [];
  const edges: number[] = [];
  const name = (text: string): number => {
    if (!strings.includes(text)) strings.push(text);
    return strings.indexOf(text);
  };
  const node = (type: string, nodeName: string, edgeCount: number): number => {
    nodes.push(NODE_TYPES.indexOf(type), name(nodeName), nodes.length / 5 + 1, 16, edgeCount);
    return nodes.length - 5;
  };
  const edge = (type: string, nameOrIndex: number, to: number): void => void edges.push(EDGE_TYPES.indexOf(type), nameOrIndex, to);
  // Node offsets follow from the order: the root, (GC roots), each root, then each object and its string.
  node('synthetic', '', 1); // the snapshot's root, at offset 0
  const gcRoots = node('synthetic', '(GC roots)', roots.length);
  const rootNodes = roots.map((rootName) => node('synthetic', rootName, 1));
  const objects = roots.map(() => node('object', 'Object', 1));
  const held = roots.map((_, at) => node('string', `held by root ${at}`, 0));
  edge('element', 1, gcRoots);
  rootNodes.forEach((rootNode, at) => edge('element', at + 1, rootNode));
  objects.forEach((object, at) => edge('internal', name(String(at)), object));
  held.forEach((string) => edge('property', name('held'), string));
  return JSON.stringify({
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [NODE_TYPES, 'string', 'number', 'number', 'number'],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
      },
      node_count: nodes.length / 5,
      edge_count: edges.length / 3,
    },
    nodes,
    edges,
    strings,
  });
}

function counted(roots: readonly string[]): Record<string, [insts: number, refs: number]> {
  const reader = new HeapSnapshotReader();
  reader.push(snapshotHolding(roots));
  return Object.fromEntries(countRows(reader.end(), { knownGrowth: [] }).map((row) => [row.className, [row.insts, row.refs]]));
}

test('what only a global handle holds is counted, with the reference from the object to its string', () => {
  assert.deepEqual(counted(['(Global handles)']), { Object: [1, 0], '(string)': [1, 1] });
});

// Node 26's V8 lists the compiler's canonical handles as a root of their own; a job compiling
// leakrun's code held names and a literal's boilerplate in them for one sample (docs/design-sampler.md).
test("what only running code or a compiler job holds is not counted: handle scopes, stack slots, Node 26's identity map", () => {
  for (const transient of ['(Handle scope)', '(Stack roots)', '(Identity map)']) {
    assert.deepEqual(counted([transient]), {}, transient);
    assert.deepEqual(
      counted([transient, '(Global handles)']),
      { Object: [1, 0], '(string)': [1, 1] },
      `${transient} beside a global handle`,
    );
  }
});
