/**
 * The measuring side of {@link V8HeapSnapshotSampler}: runs in a worker thread, drives the main
 * thread's inspector, reads the snapshot as it streams and posts back only the counted rows, so
 * nothing of the reading ever lives in the heap being measured.
 *
 * A sampler made in a worker thread measures that thread instead: no thread can drive another
 * worker's inspector, so the measured thread drives its own and feeds this worker the chunks
 * (`fed` mode). The reading still happens here.
 */
import { Session } from 'node:inspector/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as delay } from 'node:timers/promises';
import { COUNTED_NODE_FIELDS, countSnapshot, takenWhileRunning, type RowOptions } from './count.ts';
import { encodePaths, PATH_NODE_FIELD, pathBaseline, retainerPaths, type PathBaseline } from './retainers.ts';
import { rowColumns, type RowColumns } from './qualify.ts';
import { HeapSnapshotReader, type ParsedHeapSnapshot } from './reader.ts';
import { collector } from './screen.ts';
import { COLLECTED, COLLECTIONS, FED_BEGIN, FED_END_WITH_PATHS, SAMPLE_WITH_PATHS, TURNED } from './messages.ts';

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
  /** The measured thread takes the snapshot and posts its chunks here (a sampler in a worker thread). */
  readonly fed: boolean;
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

let turned: (() => void) | undefined;

/**
 * The worker collects its own heap before each snapshot and after every {@link COLLECT_EVERY}
 * characters of snapshot text read. Its garbage (the previous sample's counting arrays, the chunk
 * strings of the one being read, which outlive the small young generation) would otherwise wait
 * for V8 to collect it, and V8 waits long: measured on a 50 MB heap (an 86 MB snapshot, Node 20),
 * the process peaked 49 to 76 MB higher without these collections (docs/design-sampler.md).
 */
const COLLECT_EVERY = 8 * 1024 * 1024;
/** Made at the first sample, while the main thread waits for it, not while it may be making contexts of its own. */
let collect: (() => void) | undefined;
const collectOwn = (): void => (collect ??= collector())();
let read = 0;

/** Passes a chunk to the reader, collecting the worker's heap as the text goes by. */
function readChunk(chunk: string): void {
  reader?.push(chunk);
  read += chunk.length;
  if (read >= COLLECT_EVERY) {
    read = 0;
    collectOwn();
  }
}

/** A reader for the next snapshot, after a collection of what the last one left. */
function newReader(): HeapSnapshotReader {
  reader = undefined;
  collectOwn();
  read = 0;
  return new HeapSnapshotReader({ nodeFields });
}

let reader: HeapSnapshotReader | undefined;
let session: Session | undefined;
let ready: Promise<void> = Promise.resolve();

if (settings.fed) {
  port.on('message', (message: string | number) => {
    if (typeof message === 'string') readChunk(message);
    else if (message === FED_BEGIN) reader = newReader();
    else port.postMessage(fedSample(message === FED_END_WITH_PATHS));
  });
} else {
  session = new Session();
  session.connectToMainThread();
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => readChunk(message.params.chunk));
  const connected = session;
  ready = (async () => {
    if (settings.debugger) {
      await connected.post('Debugger.enable');
      // The session must never stop the program: `debugger;` statements and exceptions run on.
      await connected.post('Debugger.setSkipAllPauses', { skip: true });
    }
    await connected.post('HeapProfiler.enable');
  })();
  // Reported by the first sample that awaits it, not as an unhandled rejection that ends the worker.
  ready.catch(() => undefined);
  port.on('message', (message: number) => {
    if (message === TURNED) {
      turned?.();
      return;
    }
    // 3 asks for retainer paths too (v8.ts); 0 for the counts only.
    void sample(message === SAMPLE_WITH_PATHS).then((reply) => port.postMessage(reply));
  });
}

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
    const connected = session!;
    const started = performance.now();
    // The snapshot's own collection leaves garbage a complete one frees: on Node 20, every
    // detached `vm` context (a DOM emulator's window) survives it, and on Node 22 and 24 some
    // objects freed since the last sample still show once. `collectGarbage` is what DevTools'
    // "Collect garbage" button sends.
    // Twice: what the first collection and loop turn release (a closed jsdom window's vm context,
    // freed by a weak callback that runs after the collection, or work a test left queued) is
    // only gone after a second one; the snapshot would otherwise still count it, now and then.
    for (let round = 0; settings.collect && round < COLLECTIONS; round++) {
      await connected.post('HeapProfiler.collectGarbage');
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
      // A retaken snapshot replaces the last one: never both in memory.
      snapshot = undefined;
      reader = newReader();
      await connected.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      snapshot = reader.end();
      reader = undefined;
    }
    return count(snapshot!, tracePaths, collected - started, performance.now() - collected, attempts);
  } catch (error) {
    return failure(error);
  }
}

/** Fed mode: the measured thread has posted the whole snapshot; count what was read. */
function fedSample(tracePaths: boolean): WorkerReply {
  try {
    const snapshot = reader?.end();
    reader = undefined;
    if (!snapshot) throw new Error('no snapshot was fed to the sampler worker');
    return count(snapshot, tracePaths, 0, 0, 1);
  } catch (error) {
    return failure(error);
  }
}

/** Counts a snapshot's rows and, when asked, traces the paths to what is new since the last one. */
function count(snapshot: ParsedHeapSnapshot, tracePaths: boolean, collect: number, taken: number, attempts: number): WorkerReply {
  const started = performance.now();
  const counted = countSnapshot(snapshot, settings);
  const columns = rowColumns(counted.rows);
  const countedAt = performance.now();
  let paths = '';
  if (settings.paths) {
    const found = baseline === undefined || !tracePaths ? [] : retainerPaths(snapshot, counted, baseline);
    baseline = pathBaseline(snapshot, counted);
    if (found.length > 0) paths = encodePaths(found);
  }
  return { ...columns, paths, timings: [collect, taken, countedAt - started, attempts, performance.now() - countedAt] };
}

function failure(error: unknown): WorkerReply {
  reader = undefined;
  return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
