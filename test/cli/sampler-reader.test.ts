import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HeapSnapshotReader, readHeapSnapshotFile, type ParsedHeapSnapshot } from '../../src/sampler/reader.ts';

interface PlainSnapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** The same document read the simple way, to compare against. */
function expected(text: string): PlainSnapshot {
  return JSON.parse(text) as PlainSnapshot;
}

function assertSame(parsed: ParsedHeapSnapshot, plain: PlainSnapshot): void {
  const { meta } = plain.snapshot;
  assert.deepEqual(parsed.nodeFields, meta.node_fields);
  assert.deepEqual(parsed.edgeFields, meta.edge_fields);
  assert.deepEqual(parsed.nodeTypes, meta.node_types[0]);
  assert.deepEqual(parsed.edgeTypes, meta.edge_types[0]);
  assert.equal(parsed.nodeCount, plain.nodes.length / meta.node_fields.length);
  assert.equal(parsed.edgeCount, plain.edges.length / meta.edge_fields.length);
  // Element by element: deepEqual on a typed array against a plain one is not a comparison of values.
  assert.equal(parsed.nodes.length, plain.nodes.length);
  for (let i = 0; i < plain.nodes.length; i++) if (parsed.nodes[i] !== plain.nodes[i]) assert.fail(`nodes[${i}]`);
  assert.equal(parsed.edges.length, plain.edges.length);
  for (let i = 0; i < plain.edges.length; i++) if (parsed.edges[i] !== plain.edges[i]) assert.fail(`edges[${i}]`);
  assert.deepEqual(parsed.strings, plain.strings);
}

test('a snapshot written by v8.writeHeapSnapshot() reads the same as JSON.parse of the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-reader-'));
  try {
    const file = join(dir, 'child.heapsnapshot');
    const script = `
      globalThis.kept = { text: 'quote " backslash \\\\ newline \\n accent é emoji 😀', list: [1.5, 2n, Symbol('s')] };
      require('node:v8').writeHeapSnapshot(${JSON.stringify(file)});`;
    execFileSync(process.execPath, ['-e', script]);
    const plain = expected(readFileSync(file, 'utf8'));
    assert.ok(plain.nodes.length > 10_000, 'a real heap has many nodes');
    assert.ok(
      plain.strings.some((s) => s.startsWith('quote " backslash \\ newline \n accent é')),
      'escaped text is in the table',
    );
    assertSame(await readHeapSnapshotFile(file), plain);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const crafted = JSON.stringify({
  snapshot: {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
      node_types: [['hidden', 'object', 'string'], 'string', 'number', 'number', 'number'],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [['element', 'property'], 'string_or_number', 'node'],
      location_fields: ['object_index', 'script_id', 'line', 'column'],
    },
    node_count: 3,
    edge_count: 2,
    trace_function_count: 0,
  },
  nodes: [0, 0, 1, 0, 2, 1, 1, 123456, 4294967295, 0, 2, 2, 9007199254740991, 16, 0],
  edges: [1, 1, 5, 0, 0, 10],
  trace_function_infos: [],
  trace_tree: [[1, 2], { nested: '] } [ {' }],
  samples: [],
  locations: [1, 2, 3, 4],
  strings: ['', 'Leakable', 'a "quoted" \\ path\n\ttab', 'é 😀 \u0001 \u2028', '}],"'],
})
  .replace(/,"nodes"/, ',\n"nodes"')
  .replace(/\d,(?=\d)/g, (m) => `${m}\n`);

test('chunk boundaries at every position of a crafted snapshot give the same result', () => {
  const plain = expected(crafted);
  for (let cut = 0; cut <= crafted.length; cut++) {
    const reader = new HeapSnapshotReader();
    reader.push(crafted.slice(0, cut));
    reader.push(crafted.slice(cut));
    assertSame(reader.end(), plain);
  }
});

test('one character at a time, and numbers beyond 32 bits, read exactly', () => {
  const reader = new HeapSnapshotReader();
  for (const char of crafted) reader.push(char);
  const parsed = reader.end();
  assertSame(parsed, expected(crafted));
  assert.equal(parsed.nodes[12], 9007199254740991);
});

test('kept node fields only: the others are read past', () => {
  const plain = expected(crafted);
  const reader = new HeapSnapshotReader({ nodeFields: ['type', 'edge_count'] });
  reader.push(crafted);
  const parsed = reader.end();
  assert.deepEqual(parsed.nodeFields, ['type', 'edge_count']);
  assert.equal(parsed.nodeCount, 3);
  assert.deepEqual([...parsed.nodes], [0, 2, 1, 0, 2, 0]);
  // Edge targets still point at the start of a node record, now 2 numbers long instead of 5.
  assert.deepEqual([...parsed.edges], [1, 1, 2, 0, 0, 4]);
  assert.deepEqual(parsed.strings, plain.strings);
});

test('a document cut short is an error, not a partial result', () => {
  const reader = new HeapSnapshotReader();
  reader.push(crafted.slice(0, crafted.indexOf('"strings"') + 15));
  assert.throws(() => reader.end(), /ended early/);
});

test('non-integer values in nodes are rejected', () => {
  const reader = new HeapSnapshotReader();
  assert.throws(() => reader.push(crafted.replace('123456', '1.5')), /expected non-negative integers/);
});
