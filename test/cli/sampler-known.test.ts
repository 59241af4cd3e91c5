import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countHeap } from '../../src/sampler/count.ts';
import { diffSamples } from '../../src/sampler/diff.ts';
import { checkKnownGrowth, KNOWN_GROWTH } from '../../src/sampler/known.ts';
import { readHeapSnapshotFile } from '../../src/sampler/reader.ts';
import type { HeapSample, KnownGrowth } from '../../src/types/index.ts';

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
  const before: HeapSample = {
    total: 10,
    byType: new Map([
      ['Array', { insts: 1, refs: 1 }],
      ['node: x', { insts: 2, refs: 9 }],
    ]),
    known: new Set(['node: x']),
  };
  const after: HeapSample = {
    total: 14,
    byType: new Map([
      ['Array', { insts: 2, refs: 2 }],
      ['node: x', { insts: 3, refs: 12 }],
    ]),
    known: new Set(['node: x']),
  };
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
  assert.throws(
    () => checkKnownGrowth([{ name: 'n', why: 'w' }], 'here'),
    /needs "variables", "classes" or "timers": what holds the growth/,
  );
  assert.throws(() => checkKnownGrowth([{ name: 'n', why: 'w', classes: 'Pool' }], 'here'), /"classes" must be a list of names/);
});

// A module keeps a stamp until a timer of its own drops it (as Node's HTTP Date header cache
// does); a user timer shares that timer's duration, and another has a duration of its own.
const timersFile = join(dir, 'timers.heapsnapshot');
writeFileSync(
  join(dir, 'stamp.mjs'),
  `let stamp;
   function dropStamp() { stamp = undefined; }
   export function stampNow() {
     if (stamp === undefined) {
       stamp = 'stamped at ' + new Date(0).toISOString();
       setTimeout(dropStamp, 60_001).unref();
     }
     return stamp;
   }
   export function dropLater(ms) { setTimeout(dropStamp, ms).unref(); }`,
);
writeFileSync(
  join(dir, 'timers-main.mjs'),
  `import v8 from 'node:v8';
   import { dropLater, stampNow } from './stamp.mjs';
   stampNow();
   dropLater(60_002);
   setTimeout(function userTick() {}, 60_002).unref();
   setTimeout(function ownDuration() {}, 60_003).unref();
   v8.writeHeapSnapshot(${JSON.stringify(timersFile)});`,
);
execFileSync(process.execPath, [join(dir, 'timers-main.mjs')]);
const stampUrl = `file://${join(dir, 'stamp.mjs')}`;

test("a known timer, and its timer list when the list holds nothing else, are the entry's", async () => {
  const snapshot = await readHeapSnapshotFile(timersFile);
  const plain = countHeap(snapshot, { knownGrowth: [] });
  const entry = (timers: string[]): HeapSample =>
    countHeap(snapshot, { knownGrowth: [{ name: 'test: stamp', variables: ['stamp'], timers, why: 'drops itself' }] });
  for (const timers of [['dropStamp'], [`${stampUrl}#dropStamp`]]) {
    const known = entry(timers);
    // Both dropStamp timers are the entry's; userTick and ownDuration stay.
    assert.equal(known.byType.get('Timeout')?.insts, plain.byType.get('Timeout')!.insts - 2, timers[0]);
    // The 60001 ms list holds only a known timer; the 60002 ms list also holds userTick.
    assert.equal(known.byType.get('TimersList')?.insts, plain.byType.get('TimersList')!.insts - 1, timers[0]);
    assert.ok((known.byType.get('test: stamp')?.insts ?? 0) >= 4, timers[0]);
    assert.deepEqual(sums(known), sums(plain));
  }
  // A function of that name from another script is not the entry's.
  const elsewhere = entry(['file:///elsewhere/stamp.mjs#dropStamp']);
  assert.equal(elsewhere.byType.get('Timeout')?.insts, plain.byType.get('Timeout')!.insts);
  assert.equal(elsewhere.byType.get('TimersList')?.insts, plain.byType.get('TimersList')!.insts);
});

test("a variable qualified by its script is the entry's there only", async () => {
  const snapshot = await readHeapSnapshotFile(timersFile);
  const plain = countHeap(snapshot, { knownGrowth: [] });
  const entry = (variable: string): HeapSample =>
    countHeap(snapshot, { knownGrowth: [{ name: 'test: stamp', variables: [variable], why: 'drops itself' }] });
  const here = entry(`${stampUrl}#stamp`);
  // The stamp (a concatenated string and its parts) is the entry's, no longer the program's.
  const stamp = here.byType.get('test: stamp')?.insts ?? 0;
  assert.ok(stamp >= 1);
  assert.equal(here.byType.get('(string)')?.insts, plain.byType.get('(string)')!.insts - stamp);
  assert.deepEqual(sums(here), sums(plain));
  // The same name in another script is not.
  const elsewhere = entry('file:///elsewhere/stamp.mjs#stamp');
  assert.equal(elsewhere.byType.get('test: stamp'), undefined);
  assert.deepEqual(elsewhere.byType, plain.byType);
});

test("the built-in list takes Node's HTTP Date header cache and undici's fast timers, with their timers and timer lists", async () => {
  const file = join(dir, 'http.heapsnapshot');
  writeFileSync(
    join(dir, 'http-main.mjs'),
    `import http from 'node:http';
     import v8 from 'node:v8';
     const server = http.createServer((req, res) => res.end('ok'));
     await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
     // The cache lives until the next wall-clock second: start early in one, so that the response
     // and the snapshot fall within it.
     while (Date.now() % 1000 > 100) await new Promise((resolve) => setTimeout(resolve, 5));
     const res = await fetch('http://127.0.0.1:' + server.address().port + '/');
     await res.text();
     v8.writeHeapSnapshot(${JSON.stringify(file)});
     server.closeAllConnections();
     server.close();`,
  );
  execFileSync(process.execPath, [join(dir, 'http-main.mjs')]);
  const snapshot = await readHeapSnapshotFile(file);
  const plain = countHeap(snapshot, { knownGrowth: [] });
  const known = countHeap(snapshot);
  const row = known.byType.get('node: HTTP Date header cache');
  assert.ok(row, 'the Date header cache row is there');
  // The cached string, the timer and its list at least.
  assert.ok(row.insts >= 3, `row: ${row.insts}`);
  // The cached strings are the entry's. From Node 26 the header line built from the cached
  // string (`utcHeaderCache`) holds it too: without that variable in the entry, the string and the
  // line's parts stayed in `(string)` on Node 26.12 (the entry took none of them; with it, 4).
  assert.ok(
    known.byType.get('(string)')!.insts < plain.byType.get('(string)')!.insts,
    `(string): ${known.byType.get('(string)')!.insts} with the entries, ${plain.byType.get('(string)')!.insts} without`,
  );
  // The fetch left its keep-alive timeout in undici's array, so the sweeping timer runs: the
  // array, that timer and its list at least.
  const undici = known.byType.get('node: undici fast timers');
  assert.ok(undici, "undici's fast timers row is there");
  assert.ok(undici.insts >= 3, `row: ${undici.insts}`);
  // One timer and one list each, the rest are the program's.
  assert.equal(known.byType.get('Timeout')?.insts, plain.byType.get('Timeout')!.insts - 2);
  assert.equal(known.byType.get('TimersList')?.insts, plain.byType.get('TimersList')!.insts - 2);
  // undici's live timeouts are their connection's too, so they stay in their own row; the
  // array's references to them are the entry's.
  assert.equal(known.byType.get('FastTimer')?.insts, plain.byType.get('FastTimer')!.insts);
  assert.ok(known.byType.get('FastTimer')!.refs < plain.byType.get('FastTimer')!.refs);
  assert.deepEqual(sums(known), sums(plain));
});

test("a string's own edges are not references: a concatenated string counts as its flat copy does", async () => {
  writeFileSync(
    join(dir, 'strings-main.mjs'),
    `import v8 from 'node:v8';
     const left = 'a string long enough to be joined '.repeat(2);
     const right = 'without copying: V8 makes a concatenation'.repeat(2);
     // The same value, as a concatenated string (two edges, to left and right) or as a flat copy.
     const joined = process.argv[2] === 'flat' ? [left, right].join('') : left + right;
     globalThis.kept = [left, right, joined];
     v8.writeHeapSnapshot(process.argv[3]);`,
  );
  const strings = async (form: string): Promise<{ concatenated: number; refs: number }> => {
    const file = join(dir, `${form}.heapsnapshot`);
    execFileSync(process.execPath, [join(dir, 'strings-main.mjs'), form, file]);
    const snapshot = await readHeapSnapshotFile(file);
    const type = snapshot.nodeTypes.indexOf('concatenated string');
    let concatenated = 0;
    for (let at = 0; at < snapshot.nodes.length; at += snapshot.nodeFields.length) if (snapshot.nodes[at] === type) concatenated++;
    return { concatenated, refs: countHeap(snapshot, { knownGrowth: [] }).byType.get('(string)')!.refs };
  };
  const cons = await strings('cons');
  const flat = await strings('flat');
  assert.equal(cons.concatenated, flat.concatenated + 1, 'the cons run holds one more concatenated string');
  assert.equal(cons.refs, flat.refs);
});
