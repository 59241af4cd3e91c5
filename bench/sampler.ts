/**
 * Cost of the default heap sampler against V8's own snapshot, and against heapsnapshot-parser.
 *
 *   npm run build && node --import tsx bench/sampler.ts [--sizes 3,50,200] [--runs 3] [--no-typescript] [--no-micro]
 *
 * Each measurement runs in a child process of its own, so the heap sizes are what they say and
 * peak RSS (`maxRSS`) belongs to that measurement alone. The in-process micro benchmarks of the
 * pure parts use tinybench.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import v8 from 'node:v8';
import { Bench } from 'tinybench';
import { countRows } from '../src/sampler/count.ts';
import { diffSamples } from '../src/sampler/diff.ts';
import { HeapSnapshotReader, readHeapSnapshotFile } from '../src/sampler/reader.ts';
import type { V8HeapSnapshotSampler as Sampler, V8SamplerOptions } from '../src/sampler/v8.ts';

const repo = resolve(import.meta.dirname, '..');
const scratch = resolve(repo, '.bench');
const self = import.meta.filename;
const MB = 1024 * 1024;

type Result = Record<string, number | string>;

// ------------------------------------------------------------------------------------------
// Child side: one measurement, one JSON line on stdout.

/** Keeps `megabytes` of live objects of mixed kinds: objects, strings, arrays, numbers. */
function buildHeap(megabytes: number): unknown[] {
  const live: unknown[] = [];
  const gc = globalThis.gc ?? (() => undefined);
  gc();
  for (let i = 0; process.memoryUsage().heapUsed < megabytes * MB; i++) {
    for (let j = 0; j < 10_000; j++, i++) live.push({ id: i, name: `item ${i}`, tags: [i, i + 1], value: i + 0.5 });
    if (i % 100_000 < 10_000) gc();
  }
  gc();
  return live;
}

/** The same arrangement as the sampler, minus reading and counting: chunks are only measured. */
const BARE_WORKER = `
const { Session } = require('node:inspector/promises');
const { parentPort } = require('node:worker_threads');
const session = new Session();
session.connectToMainThread();
let bytes = 0;
session.on('HeapProfiler.addHeapSnapshotChunk', (m) => { bytes += m.params.chunk.length; });
const ready = (async () => {
  if (Number(process.versions.node.split('.')[0]) < 22) await session.post('Debugger.enable');
  await session.post('HeapProfiler.enable');
})();
parentPort.on('message', async () => {
  await ready;
  bytes = 0;
  const started = performance.now();
  await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  parentPort.postMessage({ ms: performance.now() - started, bytes });
});`;

/** Starts the bare worker; each call of the returned function takes one snapshot. */
function bareSnapshotter(): { take(): Promise<{ ms: number; bytes: number }>; close(): Promise<number> } {
  const worker = new Worker(BARE_WORKER, { eval: true });
  return {
    take: () =>
      new Promise((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
        worker.postMessage(0);
      }),
    close: () => worker.terminate(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The sampler as users get it: the built `dist/sampler.js`, whose worker is plain JavaScript.
 * (From the `.ts` sources the worker would first load tsx, which costs time and memory no user pays.)
 */
async function builtSampler(options: V8SamplerOptions = {}): Promise<Sampler> {
  const { V8HeapSnapshotSampler } = (await import(new URL('../dist/sampler.js', import.meta.url).href)) as {
    V8HeapSnapshotSampler: typeof Sampler;
  };
  return new V8HeapSnapshotSampler(options);
}

function memory(): Result {
  return { heapMB: process.memoryUsage().heapUsed / MB, peakRssMB: process.resourceUsage().maxRSS / 1024 };
}

/** What every sample of the `sample` and `paths` modes finds new: a leak of 1,000 objects, each with a string. */
const grown: { run: number; label: string }[] = [];
function grow(run: number): void {
  for (let i = 0; i < 1000; i++) grown.push({ run, label: `grown ${run}.${i}` });
}

async function child(mode: string, arg: string, runs: number): Promise<Result> {
  if (mode === 'bare' || mode === 'sample' || mode === 'paths') {
    const live = buildHeap(Number(arg));
    const rssBeforeMB = process.memoryUsage().rss / MB;
    const times: number[] = [];
    let extra: Result = {};
    // The first snapshot of a session starts the worker and warms its code: reported apart.
    let firstMs = 0;
    if (mode === 'bare') {
      const bare = bareSnapshotter();
      for (let run = 0; run <= runs; run++) {
        const { ms, bytes } = await bare.take();
        if (run === 0) firstMs = ms;
        else times.push(ms);
        extra = { snapshotMB: bytes / MB };
      }
      await bare.close();
    } else {
      const sampler = await builtSampler({ retainerPaths: mode === 'paths' });
      const parts: { collect: number; snapshot: number; count: number; attempts: number; paths: number }[] = [];
      let traced = 0;
      for (let run = 0; run <= runs; run++) {
        grow(run);
        traced = (await sampler.sample()).paths?.length ?? 0;
        const { total, ...part } = sampler.timings!;
        if (run === 0) firstMs = total;
        else {
          times.push(total);
          parts.push(part);
        }
      }
      await sampler.close();
      extra = {
        collectMs: median(parts.map((part) => part.collect)),
        snapshotReadMs: median(parts.map((part) => part.snapshot)),
        countMs: median(parts.map((part) => part.count)),
        pathsMs: median(parts.map((part) => part.paths)),
        traced,
        attempts: Math.max(...parts.map((part) => part.attempts)),
      };
    }
    return { ms: median(times), firstMs, runs: times.length, rssBeforeMB, ...extra, ...memory(), live: live.length };
  }
  if (mode === 'write') {
    const live = buildHeap(Number(arg.split(':')[0]));
    const file = arg.split(':')[1]!;
    v8.writeHeapSnapshot(file);
    return { bytes: statSync(file).size, live: live.length };
  }
  if (mode === 'read') {
    // Streams the file and counts it, as `leakrun/sampler` users would, in a fresh process.
    const rssBeforeMB = process.memoryUsage().rss / MB;
    const held = (): number => {
      globalThis.gc?.();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return (heapUsed + arrayBuffers) / MB;
    };
    const heldBeforeMB = held();
    const started = performance.now();
    const snapshot = await readHeapSnapshotFile(arg);
    const readMs = performance.now() - started;
    const rows = countRows(snapshot);
    const ms = performance.now() - started;
    // What the parsed snapshot itself keeps: its typed arrays and string table.
    const retainedMB = held() - heldBeforeMB;
    return { ms, readMs, countMs: ms - readMs, rows: rows.length, nodes: snapshot.nodeCount, retainedMB, rssBeforeMB, ...memory() };
  }
  if (mode === 'parse') {
    // The parse alone on the text in memory, exactly as heapsnapshot-parser's is measured below.
    const rssBeforeMB = process.memoryUsage().rss / MB;
    const parse = repeatParse(readFileSync(arg, 'utf8'), runs, (text) => {
      const reader = new HeapSnapshotReader();
      for (let at = 0; at < text.length; at += 1 << 20) reader.push(text.slice(at, at + (1 << 20)));
      return reader.end().nodeCount;
    });
    return { ...parse, rssBeforeMB, ...memory() };
  }
  if (mode === 'hsp') {
    const parser = createRequire(import.meta.url)('heapsnapshot-parser') as { parse(text: string): { nodes: unknown[] } };
    const rssBeforeMB = process.memoryUsage().rss / MB;
    const text = readFileSync(arg, 'utf8');
    const parse = repeatParse(text, runs, (whole) => parser.parse(whole).nodes.length);
    return { ...parse, rssBeforeMB, ...memory() };
  }
  if (mode === 'typescript') {
    // The TypeScript compiler is one large script: on Node 20 a snapshot then spends seconds on
    // line numbers unless the Debugger domain is on (see docs/design-sampler.md).
    const ts = (await import('typescript')).default;
    const kept = ts.createSourceFile('x.ts', 'export const x: number = 1;', ts.ScriptTarget.ES2022);
    const sampler = await builtSampler({ debugger: arg === 'on' });
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      await sampler.sample();
      times.push(sampler.timings!.total);
    }
    await sampler.close();
    const ms = times.length > 1 ? median(times.slice(1)) : times[0]!;
    let bareMs: number | string = '-';
    if (arg === 'on') {
      const bare = bareSnapshotter();
      const bareTimes: number[] = [];
      for (let run = 0; run < runs; run++) bareTimes.push((await bare.take()).ms);
      await bare.close();
      bareMs = median(bareTimes.slice(1));
    }
    return { ms, firstMs: times[0]!, bareMs, runs, kept: typeof kept, ...memory() };
  }
  throw new Error(`unknown bench mode ${mode}`);
}

/** Parses `runs` times: the first (cold, JIT not warm) apart from the median of the others. */
function repeatParse(text: string, runs: number, parse: (text: string) => number): Result {
  const times: number[] = [];
  let nodes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    nodes = parse(text);
    times.push(performance.now() - started);
  }
  return { parseFirstMs: times[0]!, parseMs: times.length > 1 ? median(times.slice(1)) : times[0]!, parseRuns: times.length, nodes };
}

// ------------------------------------------------------------------------------------------
// Parent side.

function runChild(mode: string, arg: string, runs: number, timeoutMs: number): Result {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', self, '--child', mode, arg, String(runs)], {
    cwd: repo,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * MB,
  });
  const wall = (performance.now() - started) / 1000;
  if (result.error || result.status !== 0) {
    const outOfMemory = /heap out of memory|OOMErrorHandler/.test(result.stderr);
    const why = outOfMemory
      ? 'out of memory'
      : (result.error?.message ??
        result.stderr
          .trim()
          .split('\n')
          .filter((line) => /Error|error/.test(line))[0] ??
        `exit ${result.status}`);
    return { failed: why.slice(0, 80), wallS: wall };
  }
  return { ...(JSON.parse(result.stdout.trim().split('\n').pop()!) as Result), wallS: wall };
}

const fmt = (value: number | string | undefined, digits = 0): string =>
  typeof value === 'number' ? value.toFixed(digits) : (value ?? '-');

async function micro(file: string): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 1 << 16) chunks.push(text.slice(at, at + (1 << 16)));
  const read = (): ReturnType<HeapSnapshotReader['end']> => {
    const reader = new HeapSnapshotReader();
    for (const chunk of chunks) reader.push(chunk);
    return reader.end();
  };
  const snapshot = read();
  const rows = countRows(snapshot);
  const sample = { total: 0, byType: new Map(rows.map((row) => [row.className, row])) };
  const bench = new Bench({ name: `pure parts on a ${(text.length / MB).toFixed(1)} MB snapshot`, time: 1500, iterations: 5 });
  bench
    .add('reader: push 64 KB chunks, end()', read)
    .add('countRows', () => countRows(snapshot))
    .add('JSON.parse of the whole text (reference)', () => JSON.parse(text))
    .add('diffSamples', () => diffSamples(sample, sample));
  await bench.run();
  console.log(`\n${bench.name}`);
  console.table(bench.table());
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string, fallback: string): string => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1]! : fallback;
  };
  const sizes = option('--sizes', '3,50,200').split(',').map(Number);
  const runs = Number(option('--runs', '3'));
  mkdirSync(scratch, { recursive: true });
  const rows: Result[] = [];
  const parseRows: Result[] = [];
  const pathRows: Result[] = [];
  for (const size of sizes) {
    const big = size >= 150;
    const sizeRuns = big ? 1 : runs;
    const timeout = big ? 300_000 : 120_000;
    const file = resolve(scratch, `heap-${size}.heapsnapshot`);
    const bare = runChild('bare', String(size), sizeRuns, timeout);
    const sample = runChild('sample', String(size), sizeRuns, timeout);
    const paths = runChild('paths', String(size), sizeRuns, timeout);
    const written = runChild('write', `${size}:${file}`, 1, timeout);
    const read = runChild('read', file, 1, timeout);
    const parse = runChild('parse', file, big ? 2 : 6, timeout);
    const hsp = runChild('hsp', file, big ? 1 : 4, big ? 120_000 : 90_000);
    if (size === sizes[0] && !argv.includes('--no-micro')) await micro(file);
    rmSync(file, { force: true });
    const ratio = typeof bare.ms === 'number' && typeof sample.ms === 'number' ? sample.ms / bare.ms : '-';
    rows.push({
      heap: `${fmt(sample.heapMB)} MB`,
      snapshot: `${fmt(Number(written.bytes) / MB)} MB`,
      'V8 bare ms': fmt(bare.ms),
      'leakrun ms': fmt(sample.ms),
      'leakrun 1st ms': fmt(sample.firstMs),
      ratio: fmt(ratio, 2),
      'collect / snapshot+read / count ms': `${fmt(sample.collectMs)} / ${fmt(sample.snapshotReadMs)} / ${fmt(sample.countMs)}`,
      'bare peak RSS MB': `${fmt(bare.peakRssMB)} (from ${fmt(bare.rssBeforeMB)})`,
      'leakrun peak RSS MB': `${fmt(sample.peakRssMB)} (from ${fmt(sample.rssBeforeMB)})`,
      'file read+count ms / RSS': `${fmt(read.ms)} / ${fmt(read.peakRssMB)} (from ${fmt(read.rssBeforeMB)})`,
      'parsed snapshot holds MB': fmt(read.retainedMB, 1),
    });
    const snapshotMB = Number(written.bytes) / MB;
    const over = (a: unknown, b: unknown, by: unknown): string =>
      typeof a === 'number' && typeof b === 'number' && typeof by === 'number' ? ((a - b) / by).toFixed(2) : '-';
    pathRows.push({
      heap: `${fmt(sample.heapMB)} MB`,
      snapshot: `${fmt(snapshotMB)} MB`,
      'V8 bare ms': fmt(bare.ms),
      'sample ms': fmt(sample.ms),
      'with paths ms': fmt(paths.ms),
      'tracing ms (in worker)': fmt(paths.pathsMs),
      'paths traced': fmt(paths.traced),
      'added time / V8 bare': over(paths.ms, sample.ms, bare.ms),
      'peak RSS MB sample / paths': `${fmt(sample.peakRssMB)} / ${fmt(paths.peakRssMB)}`,
      'added memory / snapshot': over(paths.peakRssMB, sample.peakRssMB, snapshotMB),
      'leakrun over bare / snapshot': `${over(sample.peakRssMB, bare.peakRssMB, snapshotMB)} / ${over(paths.peakRssMB, bare.peakRssMB, snapshotMB)}`,
    });
    const speedup = (theirs: unknown, ours: unknown): string =>
      typeof theirs === 'number' && typeof ours === 'number' ? `${(theirs / ours).toFixed(1)}x` : '-';
    parseRows.push({
      snapshot: `${fmt(Number(written.bytes) / MB)} MB`,
      'leakrun parse 1st / warm ms': `${fmt(parse.parseFirstMs)} / ${fmt(parse.parseMs)}`,
      'heapsnapshot-parser 1st / warm ms': hsp.failed ? String(hsp.failed) : `${fmt(hsp.parseFirstMs)} / ${fmt(hsp.parseMs)}`,
      'speed-up 1st': speedup(hsp.parseFirstMs, parse.parseFirstMs),
      'speed-up warm': hsp.parseRuns === 1 ? '-' : speedup(hsp.parseMs, parse.parseMs),
      'peak RSS MB leakrun / hsp': `${fmt(parse.peakRssMB)} / ${hsp.failed ? '-' : fmt(hsp.peakRssMB)}`,
    });
    console.log(JSON.stringify({ size, bare, sample, paths, written, read, parse, hsp }));
  }
  console.log('\nHeap sampler vs V8 snapshot (medians; RSS from the same child)');
  console.table(rows);
  console.log(
    '\nRetainer paths (a sample that finds 1,000 new objects, each with a new string): time and peak memory they add; "leakrun over bare" is without / with paths',
  );
  console.table(pathRows);
  console.log(
    "\nParsing the same snapshot text in memory: leakrun's reader against heapsnapshot-parser (first run, then the median of the rest)",
  );
  console.table(parseRows);
  if (!argv.includes('--no-typescript')) {
    const on = runChild('typescript', 'on', runs + 1, 120_000);
    const off = runChild('typescript', 'off', 1, 120_000);
    console.log('\nSample with the TypeScript compiler loaded (Node 20 line-number pathology)');
    console.table([
      {
        Debugger: 'enabled (default below Node 22)',
        'sample ms': fmt(on.ms),
        'first ms': fmt(on.firstMs),
        'V8 bare ms': fmt(on.bareMs),
        heap: `${fmt(on.heapMB)} MB`,
        failed: on.failed ?? '',
      },
      {
        Debugger: 'disabled',
        'sample ms': fmt(off.ms),
        'first ms': fmt(off.firstMs),
        'V8 bare ms': '-',
        heap: `${fmt(off.heapMB)} MB`,
        failed: off.failed ?? '',
      },
    ]);
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  const [mode = '', arg = '', runs = '1'] = process.argv.slice(at + 1);
  process.stdout.write(`${JSON.stringify(await child(mode, arg, Number(runs)))}\n`);
} else {
  await main(process.argv.slice(2));
}
