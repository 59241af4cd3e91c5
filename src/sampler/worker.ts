/**
 * The measuring side of {@link V8HeapSnapshotSampler}: runs in a worker thread, drives the main
 * thread's inspector, reads the snapshot as it streams and posts back only the counted rows, so
 * nothing of the reading ever lives in the heap being measured.
 */
import { Session } from 'node:inspector/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as delay } from 'node:timers/promises';
import { COUNTED_NODE_FIELDS, countSnapshot, takenWhileRunning, type RowOptions } from './count.ts';
import { encodePaths, PATH_NODE_FIELD, pathBaseline, retainerPaths, type PathBaseline } from './paths.ts';
import { rowColumns, type RowColumns } from './qualify.ts';
import { HeapSnapshotReader, type ParsedHeapSnapshot } from './reader.ts';

/** What the sampler tells its worker at start. */
export interface WorkerSettings extends RowOptions {
  /** Keep the Debugger domain on (Node 20's line-number pathology, see docs/design-sampler.md). */
  readonly debugger: boolean;
  /** Snapshots to take at most when each one finds JavaScript running on the main thread. */
  readonly attempts: number;
  /** Ask V8 for a complete garbage collection before each sample (see docs/design-sampler.md). */
  readonly collect: boolean;
  /** Trace what holds the new objects of the rows that grew since the previous sample. */
  readonly paths: boolean;
}

/** The reply to one request: rows as parallel arrays, cheap to clone, or the failure. */
export type WorkerReply =
  | (RowColumns & {
      /** Milliseconds spent collecting, snapshotting and reading, counting and tracing paths; and the snapshots taken. */
      readonly timings: [collect: number, snapshot: number, count: number, attempts: number, paths: number];
    })
  | { readonly error: string };

const settings = workerData as WorkerSettings;
const port = parentPort;
if (!port) throw new Error('the heap sampler worker must run in a worker thread');

const nodeFields = settings.paths ? [...COUNTED_NODE_FIELDS, PATH_NODE_FIELD] : COUNTED_NODE_FIELDS;
/** The previous sample's object numbers and row sizes, for the next one's paths. */
let baseline: PathBaseline | undefined;

const session = new Session();
session.connectToMainThread();
let reader: HeapSnapshotReader | undefined;
session.on('HeapProfiler.addHeapSnapshotChunk', (message) => reader?.push(message.params.chunk));

const ready = (async () => {
  if (settings.debugger) {
    await session.post('Debugger.enable');
    // The session must never stop the program: `debugger;` statements and exceptions run on.
    await session.post('Debugger.setSkipAllPauses', { skip: true });
  }
  await session.post('HeapProfiler.enable');
})();
// Reported by the first sample that awaits it, not as an unhandled rejection that ends the worker.
ready.catch(() => undefined);

/** Posted to the main thread after the collection; it answers {@link TURNED} after one loop turn. */
const COLLECTED = 1;
/** The main thread's answer to {@link COLLECTED}. */
const TURNED = 2;
let turned: (() => void) | undefined;
/** Collections, each followed by a main-thread turn, before every snapshot. */
const COLLECTIONS = 2;

port.on('message', (message: number) => {
  if (message === TURNED) {
    turned?.();
    return;
  }
  // 3 asks for retainer paths too (v8.ts); 0 for the counts only.
  void sample(message === 3).then((reply) => port.postMessage(reply));
});

/**
 * Lets the main thread turn its event loop once: finalization callbacks of objects the
 * collection freed run there (an `AbortSignal.timeout()` signal's registry keeps its timer until
 * its callback has run), and the snapshot should not find their held values half released.
 */
function mainThreadTurn(): Promise<void> {
  return new Promise((resolve) => {
    turned = resolve;
    port!.postMessage(COLLECTED);
  });
}

async function sample(tracePaths: boolean): Promise<WorkerReply> {
  try {
    await ready;
    const started = performance.now();
    // The snapshot's own collection leaves garbage a complete one frees: on Node 20, every
    // detached `vm` context (a DOM emulator's window) survives it, and on Node 22 and 24 some
    // objects freed since the last sample still show once. `collectGarbage` is what DevTools'
    // "Collect garbage" button sends.
    // Twice: what the first collection and loop turn release (a closed jsdom window's vm context,
    // freed by a weak callback that runs after the collection, or work a test left queued) is
    // only gone after a second one; the snapshot would otherwise still count it, now and then.
    for (let round = 0; settings.collect && round < COLLECTIONS; round++) {
      await session.post('HeapProfiler.collectGarbage');
      await mainThreadTurn();
    }
    const collected = performance.now();
    let snapshot: ParsedHeapSnapshot | undefined;
    let attempts = 0;
    // The request was posted from the main thread's last callback of a loop turn; a moment later
    // it is idle. A snapshot that still finds it running is retaken (the last one is kept).
    while (attempts < settings.attempts && (snapshot === undefined || takenWhileRunning(snapshot))) {
      await delay(attempts === 0 ? 1 : 10 * attempts);
      attempts++;
      reader = new HeapSnapshotReader({ nodeFields });
      await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      snapshot = reader.end();
      reader = undefined;
    }
    const taken = performance.now();
    const counted = countSnapshot(snapshot!, settings);
    const columns = rowColumns(counted.rows);
    const countedAt = performance.now();
    let paths = '';
    if (settings.paths) {
      const found = baseline === undefined || !tracePaths ? [] : retainerPaths(snapshot!, counted, baseline);
      baseline = pathBaseline(snapshot!, counted);
      if (found.length > 0) paths = encodePaths(found);
    }
    const timings: [number, number, number, number, number] = [
      collected - started,
      taken - collected,
      countedAt - taken,
      attempts,
      performance.now() - countedAt,
    ];
    return { ...columns, paths, timings };
  } catch (error) {
    reader = undefined;
    return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
