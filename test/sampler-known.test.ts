import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countHeap } from '../src/sampler/count.ts';
import { diffSamples } from '../src/sampler/diff.ts';
import { checkKnownGrowth, KNOWN_GROWTH } from '../src/sampler/known.ts';
import { readHeapSnapshotFile } from '../src/sampler/reader.ts';
import type { HeapSample, KnownGrowth } from '../src/types.ts';

// A child process keeps a bounded cache in a module-level variable, pool slots of a class, and
// one cache entry that the program also keeps elsewhere, then writes its snapshot.
const dir = mkdtempSync(join(tmpdir(), 'leakrun-known-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'known.heapsnapshot');
writeFileSync(
  join(dir, 'cache.mjs'),
  `export class Entry { constructor(n) { this.label = 'entry ' + String(n).repeat(3); } }
   export class PoolSlot { constructor(n) { this.payload = { n: String(n).repeat(4) }; } }
   let boundedCache = [];
   export function remember(entry) { boundedCache.push(entry); return entry; }`,
);
writeFileSync(
  join(dir, 'main.mjs'),
  `import v8 from 'node:v8';
   import { Entry, PoolSlot, remember } from './cache.mjs';
   remember(new Entry(1));
   remember(new Entry(2));
   globalThis.alsoKept = remember(new Entry(3));
   globalThis.pool = [new PoolSlot(1), new PoolSlot(2)];
   v8.writeHeapSnapshot(${JSON.stringify(file)});`,
);
execFileSync(process.execPath, [join(dir, 'main.mjs')]);

const cacheEntry: KnownGrowth = { name: 'test: bounded cache', variables: ['boundedCache'], why: 'keeps entries up to a bound' };
const poolEntry: KnownGrowth = { name: 'test: pool', classes: ['PoolSlot'], why: 'keeps a fixed number of slots' };

function sums(sample: HeapSample): { insts: number; refs: number } {
  let insts = 0;
  let refs = 0;
  for (const count of sample.byType.values()) {
    insts += count.insts;
    refs += count.refs;
  }
  return { insts, refs };
}

test('what only a known holder reaches is counted in its own row; nothing is counted twice or lost', async () => {
  const snapshot = await readHeapSnapshotFile(file);
  const plain = countHeap(snapshot, { knownGrowth: [] });
  const known = countHeap(snapshot, { knownGrowth: [cacheEntry, poolEntry] });
  assert.equal(plain.known, undefined);
  assert.deepEqual([...(known.known ?? [])], ['test: bounded cache', 'test: pool']);
  // Entries 1 and 2 are held only through the cache; entry 3 is also a global's, so it stays.
  assert.equal(plain.byType.get('cache.Entry')?.insts, 3);
  assert.equal(known.byType.get('cache.Entry')?.insts, 1);
  // Pool slots are holders themselves: no class row is left for them.
  assert.equal(plain.byType.get('cache.PoolSlot')?.insts, 2);
  assert.equal(known.byType.get('cache.PoolSlot'), undefined);
  const cache = known.byType.get('test: bounded cache');
  const pool = known.byType.get('test: pool');
  assert.ok(cache && pool);
  // At least the cache array, two entries and their two labels; two slots, their payloads and
  // their strings (V8 may keep a part of a built string too).
  assert.ok(cache.insts >= 5, `cache row: ${cache.insts}`);
  assert.ok(pool.insts >= 6, `pool row: ${pool.insts}`);
  // The same nodes and references are counted either way, only in other rows.
  assert.deepEqual(sums(known), sums(plain));
  assert.equal(known.total, plain.total);
});

test('an entry whose holder is not in the heap adds no row', async () => {
  const snapshot = await readHeapSnapshotFile(file);
  const absent: KnownGrowth = { name: 'test: absent', variables: ['noSuchVariableAnywhere'], classes: ['NoSuchClass'], why: 'never there' };
  const sample = countHeap(snapshot, { knownGrowth: [absent] });
  assert.equal(sample.byType.get('test: absent'), undefined);
  assert.equal(sample.known, undefined);
});

test('diffSamples marks the rows of known growth', () => {
  const before: HeapSample = { total: 10, byType: new Map([['Array', { insts: 1, refs: 1 }], ['node: x', { insts: 2, refs: 9 }]]), known: new Set(['node: x']) };
  const after: HeapSample = { total: 14, byType: new Map([['Array', { insts: 2, refs: 2 }], ['node: x', { insts: 3, refs: 12 }]]), known: new Set(['node: x']) };
  assert.deepEqual(diffSamples(before, after).rows, [
    { name: 'Array', insts: 1, refs: 1 },
    { name: 'node: x', insts: 1, refs: 3, known: true },
  ]);
});

test('the built-in list passes its own check; bad entries are named with the fix', () => {
  assert.deepEqual(
    checkKnownGrowth(KNOWN_GROWTH, 'KNOWN_GROWTH').map((entry) => entry.name),
    KNOWN_GROWTH.map((entry) => entry.name),
  );
  assert.throws(() => checkKnownGrowth({}, 'here'), /^TypeError: here must be a list of entries like \{ name, variables, why \}$/);
  assert.throws(() => checkKnownGrowth([{ why: 'x', variables: ['a'] }], 'here'), /here\[0\] needs a "name"/);
  assert.throws(() => checkKnownGrowth([{ name: 'n', variables: ['a'] }], 'here'), /here\[0\] \("n"\) needs a "why"/);
  assert.throws(() => checkKnownGrowth([{ name: 'n', why: 'w' }], 'here'), /needs "variables" or "classes": what holds the growth/);
  assert.throws(() => checkKnownGrowth([{ name: 'n', why: 'w', classes: 'Pool' }], 'here'), /"classes" must be a list of names/);
});
