import type { Session } from 'node:inspector/promises';
import { isMainThread, Worker } from 'node:worker_threads';
import { PACKAGE_URL } from '../core/package.ts';
import type { HeapSample, HeapSampler, KnownGrowth, SampleRequest } from '../types/index.ts';
import { defaultModuleName } from './count.ts';
import { KNOWN_GROWTH } from './known.ts';
import { qualifyRows } from './qualify.ts';
import { OWN_CLASS_NAMES } from './records.ts';
import { LeakrunObjectScreen } from './screen.ts';
import { COLLECTED, COLLECTIONS, FED_BEGIN, FED_END, FED_END_WITH_PATHS, SAMPLE, SAMPLE_WITH_PATHS, TURNED } from './messages.ts';
import type { WorkerReply, WorkerSettings } from './worker.ts';

/** Options of {@link V8HeapSnapshotSampler}; all optional. */
export interface V8SamplerOptions {
  /**
   * Module name of a class's defining script, for `module.Class` rows. Default
   * {@link defaultModuleName} (the file's base name without extension).
   */
  readonly moduleName?: (scriptUrl: string) => string | undefined;
  /**
   * Names of further classes whose instances are bookkeeping rather than program state (a runner's
   * result records, say): neither counted nor walked into. Added to {@link OWN_CLASS_NAMES}.
   */
  readonly ownClasses?: readonly string[];
  /**
   * Known bounded growth, counted in rows of its own and listed in each sample's `known`.
   * Default {@link KNOWN_GROWTH}; give `[...KNOWN_GROWTH, ...yours]` to add entries.
   */
  readonly knownGrowth?: readonly KnownGrowth[];
  /**
   * Keep the inspector's Debugger domain enabled. On Node 20 a snapshot otherwise spends seconds
   * computing line numbers when large scripts are loaded. Default: on below Node 22.
   */
  readonly debugger?: boolean;
  /**
   * Ask V8 for a complete, memory-reducing garbage collection before each snapshot. Without it,
   * Node 20 keeps every detached `vm` context (a jsdom or happy-dom window) in the snapshot, and
   * a clean test shows a change on every iteration. Default: on. Off only to measure its cost.
   */
  readonly collectGarbage?: boolean;
  /**
   * Trace retainer paths: each sample's {@link HeapSample.paths} says what holds the objects that
   * are new since the previous sample, for the rows whose instances grew (docs/leaks.md). Costs
   * a search of the snapshot's graph when a row grew, and a number per object. Default: off.
   */
  readonly retainerPaths?: boolean;
  /**
   * The runner will call `screen()` before any `sample()` (`--fail-on-leak` without `-r`): the
   * worker thread that reads snapshots then starts at the first sample, not with the sampler.
   * Default: off.
   */
  readonly screenFirst?: boolean;
}

/** Where the time of the last sample went, in milliseconds. */
export interface SampleTimings {
  /** V8's complete garbage collection before the snapshot (0 when `collectGarbage` is off). */
  readonly collect: number;
  /** V8 building and streaming the snapshot (after its own collection), read as it arrives. */
  readonly snapshot: number;
  /** Snapshots taken: more than 1 when one found JavaScript running on the main thread (always 1 in a worker thread). */
  readonly attempts: number;
  /** Counting rows in the worker. */
  readonly count: number;
  /** Tracing retainer paths in the worker (0 when off, or when no row grew). */
  readonly paths: number;
  /** The whole `sample()` call, as the caller sees it. */
  readonly total: number;
}

/**
 * The default heap-count sampler (docs/leaks.md, docs/design-sampler.md). It measures the heap of
 * the thread that made it. In the main thread, a worker thread holds an inspector session on the
 * main thread, has V8 collect all the garbage it can, takes its heap snapshot, reads the chunks as they
 * stream and counts them (see `countRows`), then posts back one short row list. The main thread only awaits, so
 * nothing of the measuring is in the heap it measures; its own records are instances of classes
 * the counter leaves out. The worker starts with the sampler; one sample at a time; `close()`
 * ends the worker.
 *
 * Made in a worker thread (Vitest's `threads` pool, Piscina), it measures that worker's heap: the
 * worker collects and snapshots its own heap through an inspector session of its own and posts
 * the chunks, as they stream, to the reading thread, so they are garbage by the next sample.
 * Where the thread has no inspector, `sample()` rejects with one line that says so; it never
 * counts another thread's heap.
 *
 * @example
 * ```ts
 * const sampler = new V8HeapSnapshotSampler();
 * const before = await sampler.sample();
 * runTheTests();
 * const diff = diffSamples(before, await sampler.sample());
 * await sampler.close();
 * ```
 */
export class V8HeapSnapshotSampler implements HeapSampler {
  readonly #state: LeakrunSamplerState;

  constructor(options: V8SamplerOptions = {}) {
    this.#state = new LeakrunSamplerState(options);
  }

  /** Timings of the last successful sample, or `undefined` before the first. */
  get timings(): SampleTimings | undefined {
    return this.#state.timings;
  }

  /**
   * Collects garbage, takes a snapshot of the whole process and counts it in a worker thread.
   * With `retainerPaths` on, traces them unless `request.retainerPaths` is `false`.
   */
  sample(request?: SampleRequest): Promise<HeapSample> {
    return this.#state.sample(request?.retainerPaths !== false);
  }

  /**
   * Counts the live objects of this thread after complete collections, without a snapshot
   * (`LeakrunObjectScreen`, docs/design-sampler.md#the-screen): what a verdict screens with.
   */
  screen(): Promise<number> {
    return this.#state.screen();
  }

  /** Ends the worker; a sample asked for later rejects. */
  close(): Promise<void> {
    return this.#state.close();
  }
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
}

/** Everything the sampler holds; its class name is in {@link OWN_CLASS_NAMES}. */
class LeakrunSamplerState {
  readonly #moduleName: (scriptUrl: string) => string | undefined;
  readonly #settings: WorkerSettings;
  /** Row names by script and class: samples share their strings instead of making new ones. */
  readonly #names = new Map<string, string>();
  #worker: Worker | undefined;
  #pending: Pending | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Fed mode: this thread's own inspector session, opened with the sampler. */
  #session: Promise<Session> | undefined;
  /** Fed mode: the worker that the snapshot's chunks go to while one streams. */
  #feeding: Worker | undefined;
  /** Why this process cannot be measured at all; every sample rejects with it. */
  readonly #refusal: Error | undefined;
  /**
   * Made with the sampler when a screen comes first, so that what it makes once is there before
   * the first count; otherwise at the first `screen()`.
   */
  #screen: LeakrunObjectScreen | undefined;
  timings: SampleTimings | undefined;

  constructor(options: V8SamplerOptions) {
    this.#moduleName = options.moduleName ?? defaultModuleName;
    this.#settings = {
      ownClasses: [...OWN_CLASS_NAMES, ...(options.ownClasses ?? [])],
      knownGrowth: options.knownGrowth ?? KNOWN_GROWTH,
      debugger: options.debugger ?? Number(process.versions.node.split('.')[0]) < 22,
      attempts: 3,
      collect: options.collectGarbage ?? true,
      paths: options.retainerPaths ?? false,
      fed: !isMainThread,
    };
    this.#refusal = refusal();
    if (this.#refusal) return;
    if (options.screenFirst) this.#screen = new LeakrunObjectScreen();
    if (this.#settings.fed) {
      this.#session = openOwnSession(this.#settings.debugger, (chunk) => this.#feeding?.postMessage(chunk));
      // Reported by the first sample, not as an unhandled rejection.
      this.#session.catch(() => undefined);
    }
    // Started now, not at the first sample: the worker's start-up and its inspector set-up
    // (about 130 ms here) then overlap the first iteration instead of delaying its sample. Not
    // when a screen comes first: a worker coming online would count in it, and most screened
    // runs never take a snapshot.
    if (!options.screenFirst) this.#worker = this.#start();
  }

  sample(withPaths: boolean): Promise<HeapSample> {
    return this.#enqueue(() => this.#sampleNow(withPaths));
  }

  screen(): Promise<number> {
    return this.#enqueue(() => (this.#screen ??= new LeakrunObjectScreen()).count());
  }

  /** Runs `work` after whatever sample or count is under way, one at a time; rejects once closed, or refused. */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(() => {
      if (this.#closed) throw new Error('the heap sampler is closed');
      if (this.#refusal) throw this.#refusal;
      return work();
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #sampleNow(withPaths: boolean): Promise<HeapSample> {
    const started = performance.now();
    const reply = await this.#request(withPaths);
    if ('error' in reply) throw new Error(`heap snapshot failed in the sampler worker: ${reply.error}`);
    const sample = qualifyRows(reply, this.#moduleName, this.#names);
    const [collect, snapshot, count, attempts, paths] = reply.timings;
    this.timings = { collect, snapshot, count, attempts, paths, total: performance.now() - started };
    return sample;
  }

  #request(withPaths: boolean): Promise<WorkerReply> {
    const worker = (this.#worker ??= this.#start());
    if (this.#session) return this.#fedRequest(this.#session, worker, withPaths);
    const reply = this.#reply(worker);
    // Posted from the last callback of a loop turn, so the main thread is normally idle in its
    // event loop when the worker's inspector command reaches it (the worker checks, and
    // retakes a snapshot that caught it running).
    setImmediate(() => worker.postMessage(withPaths ? SAMPLE_WITH_PATHS : SAMPLE));
    return reply;
  }

  #reply(worker: Worker): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      worker.ref();
    });
  }

  /** A sample of this worker thread's own heap: collected and taken here, read in the worker. */
  async #fedRequest(opening: Promise<Session>, worker: Worker, withPaths: boolean): Promise<WorkerReply> {
    const session = await opening;
    const reply = this.#reply(worker);
    try {
      const started = performance.now();
      // As in the main thread's sampler (worker.ts): two complete collections, each followed by
      // one turn of this thread's event loop, so that finalization callbacks have run.
      for (let round = 0; this.#settings.collect && round < COLLECTIONS; round++) {
        await session.post('HeapProfiler.collectGarbage');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const collected = performance.now();
      worker.postMessage(FED_BEGIN);
      this.#feeding = worker;
      try {
        await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      } finally {
        this.#feeding = undefined;
      }
      worker.postMessage(withPaths ? FED_END_WITH_PATHS : FED_END);
      const taken = performance.now();
      const result = await reply;
      if ('error' in result) return result;
      const [, , count, , paths] = result.timings;
      return { ...result, timings: [collected - started, taken - collected, count, 1, paths] };
    } catch (error) {
      this.#settle(() => undefined);
      throw error;
    }
  }

  #start(): Worker {
    const worker = createWorker(this.#settings);
    const turned = (): void => worker.postMessage(TURNED);
    worker.on('message', (reply: WorkerReply | typeof COLLECTED) => {
      // After the collection: answer from the loop's check phase, so one whole turn has passed.
      if (reply === COLLECTED) setImmediate(turned);
      else this.#settle((pending) => pending.resolve(reply));
    });
    worker.on('error', (error) => this.#settle((pending) => pending.reject(error)));
    worker.on('exit', (code) => {
      this.#worker = undefined;
      this.#settle((pending) => pending.reject(new Error(`the heap sampler worker exited with code ${code}`)));
    });
    worker.unref();
    return worker;
  }

  #settle(action: (pending: Pending) => void): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#worker?.unref();
    if (pending) action(pending);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    const session = this.#session;
    this.#session = undefined;
    if (worker) await worker.terminate();
    if (session) (await session.catch(() => undefined))?.disconnect();
  }
}

/**
 * Why no sample can be taken in this process, found before anything is started: under Node's
 * permission model, a worker thread without the inspector permission aborts the whole process
 * when it connects to the main thread, and a worker cannot be started without `--allow-worker`.
 */
function refusal(): Error | undefined {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  if (permission === undefined) return undefined;
  if (!permission.has('inspector')) {
    return new Error(
      "leakrun cannot take heap snapshots in this process: Node's permission model denies the inspector (allow it with --allow-inspector, on Node 24 and later, or run without --permission)",
    );
  }
  if (!permission.has('worker')) {
    return new Error(
      "leakrun cannot read heap snapshots in this process: Node's permission model denies worker threads (allow them with --allow-worker)",
    );
  }
  return undefined;
}

/**
 * Opens an inspector session on the calling worker thread, for the snapshots of its own heap,
 * and hands each chunk of a streaming snapshot to `chunk`. Rejects with one line when the thread
 * has no inspector.
 */
async function openOwnSession(debuggerDomain: boolean, chunk: (text: string) => void): Promise<Session> {
  let session: Session;
  try {
    const inspector = await import('node:inspector/promises');
    session = new inspector.Session();
    session.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`leakrun cannot measure the heap of this worker thread: it has no inspector (${reason})`, { cause: error });
  }
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => chunk(message.params.chunk));
  if (debuggerDomain) {
    await session.post('Debugger.enable');
    // As in the main thread's sampler: never stop the program.
    await session.post('Debugger.setSkipAllPauses', { skip: true });
  }
  await session.post('HeapProfiler.enable');
  return session;
}

/**
 * Starts the worker: the built `dist/sampler-worker.js`, or, when running from the `.ts`
 * sources, a bootstrap that registers tsx first (on Node 20 a worker does not inherit the tsx
 * hooks that `--import tsx` installed in the main thread).
 */
function createWorker(settings: WorkerSettings): Worker {
  // A small young generation: the worker churns through short-lived chunk strings, and a large
  // nursery only adds to the process's peak memory during the snapshot.
  const options = { workerData: settings, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('dist/sampler-worker.js', PACKAGE_URL), options);
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${source}); });`, { ...options, eval: true });
}
