import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { COUNTED_NODE_FIELDS, countHeap, defaultModuleName, takenWhileRunning } from '../../src/sampler/count.ts';
import { readHeapSnapshotFile } from '../../src/sampler/reader.ts';
import { OWN_CLASS_NAMES } from '../../src/sampler/records.ts';

// A child process keeps known objects in globals and writes its own snapshot (from running code).
const dir = mkdtempSync(join(tmpdir(), 'leakrun-count-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'shapes.heapsnapshot');
writeFileSync(
  join(dir, 'shapes.mjs'),
  `export class Kept { constructor(n) { this.n = n; } }
   export function Classic() { this.c = 1; }
   export class Bookkeeping { constructor() { this.inside = [{ hidden: true }, { hidden: true }]; } }`,
);
writeFileSync(
  join(dir, 'main.mjs'),
  `import v8 from 'node:v8';
   import { Kept, Classic, Bookkeeping } from './shapes.mjs';
   const first = new Kept(1);
   globalThis.keptThings = [first, new Kept(2), new Classic(), first];
   globalThis.books = new Bookkeeping();
   v8.writeHeapSnapshot(${JSON.stringify(file)});`,
);
execFileSync(process.execPath, [join(dir, 'main.mjs')]);

test('class rows are qualified by their module; refs count edges from counted objects', async () => {
  const sample = countHeap(await readHeapSnapshotFile(file), { ownClasses: [...OWN_CLASS_NAMES, 'Bookkeeping'] });
  // Two Kept instances; the array holds the first one twice, so three references.
  assert.deepEqual(sample.byType.get('shapes.Kept'), { insts: 2, refs: 3 });
  assert.deepEqual(sample.byType.get('shapes.Classic'), { insts: 1, refs: 1 });
  assert.equal(sample.byType.get('Kept'), undefined, 'no unqualified duplicate row');
  let refs = 0;
  for (const count of sample.byType.values()) refs += count.refs;
  assert.equal(sample.total, refs);
});

test('instances of own classes and what only they hold are not counted', async () => {
  const snapshot = await readHeapSnapshotFile(file);
  const withBooks = countHeap(snapshot);
  const withoutBooks = countHeap(snapshot, { ownClasses: [...OWN_CLASS_NAMES, 'Bookkeeping'] });
  assert.deepEqual(withBooks.byType.get('shapes.Bookkeeping'), { insts: 1, refs: 1 }, 'held by a global');
  assert.equal(withoutBooks.byType.get('shapes.Bookkeeping'), undefined);
  // The Bookkeeping instance, its array and the two objects in it.
  assert.equal(withBooks.byType.get('Object')!.insts - withoutBooks.byType.get('Object')!.insts, 2);
  assert.equal(withBooks.byType.get('Array')!.insts - withoutBooks.byType.get('Array')!.insts, 1);
});

test('a reader keeping only the counted node fields gives the same counts', async () => {
  const full = countHeap(await readHeapSnapshotFile(file));
  const lean = countHeap(await readHeapSnapshotFile(file, { nodeFields: COUNTED_NODE_FIELDS }));
  assert.equal(lean.total, full.total);
  assert.deepEqual([...lean.byType], [...full.byType]);
});

test('a snapshot written from running code is recognised as such', async () => {
  assert.equal(takenWhileRunning(await readHeapSnapshotFile(file)), true);
});

test('module names: file base name without extension; built-ins unqualified', () => {
  assert.equal(defaultModuleName('file:///work/tests/leak.ts'), 'leak');
  assert.equal(defaultModuleName('/work/tests/sample.test.mjs'), 'sample.test');
  assert.equal(defaultModuleName('C:\\work\\tests\\leak.js'), 'leak');
  assert.equal(defaultModuleName('node:events'), undefined);
  assert.equal(defaultModuleName('evalmachine.<anonymous>'), undefined);
});
