/**
 * Layers in child processes (docs/processes.md): after a layer could not be torn down, and under
 * `-j N`. Each child runs exactly one layer with the parent's options and sends its run events
 * back over the IPC channel (src/processes/wire.ts); the parent feeds them to its own result and formatter
 * as if the layer had run in process. With several children at once, the layer in front streams
 * and the others are held back, so the output keeps the usual layer order. A child that dies, or
 * stops answering while a test runs, is an error of the run named `subprocess for LAYER`; the run
 * goes on with the next layer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { stackless } from '../core/errors.ts';
import { PACKAGE_URL } from '../core/package.ts';
import type { Emit, KnownGrowth, LayerNode, RunEvent, RunOptions, Test } from '../types/index.ts';
import { PROTOCOL_VERSION, decodeEvent, encodeValue, type ChildMessage, type ParentMessage } from './wire.ts';

/** The child's lines on stderr kept for the error that reports its death. */
const STDERR_TAIL = 12;
/**
 * How long a child may stay silent during a test under `--timeout T` before it is taken for hung:
 * 2T + this. Its own watchdog fails a test at T; only code that never yields outlasts that.
 */
const HUNG_GRACE_MS = 1000;

/** A child process that died or hung. */
export class SubprocessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubprocessError';
  }
}

/** What the children are given, and where their events and output go. */
export interface ChildRunSpec {
  readonly options: RunOptions;
  readonly knownGrowth: readonly KnownGrowth[];
  readonly cwd: string;
  readonly emit: Emit;
  /** Sends the parent's buffered output, before a child's own output is written. */
  readonly flush: () => void;
  /** True once the run must stop: no more layers start. */
  readonly shouldStop: () => boolean;
  /** Why every layer runs in a child, when it is not `-j N` nor a layer that could not be torn down. */
  readonly reason?: string | undefined;
}

/** What a child sent (or what became of it), in order, until its layer is in front. */
type Item = { readonly event: RunEvent } | { readonly stream: 1 | 2; readonly text: string };

/**
 * A message to a child that has just died is lost, and that is all: its exit is reported on its
 * own (the crash containment). With a callback, `send` passes the error here instead of emitting
 * it on the child, where nothing listens.
 */
function ignoreSendError(): void {}

/**
 * The options of a child's run: the parent's, less what only the parent does. It writes no
 * report (the parent's reports have every layer), prints through no reporter of its own (its
 * events go to the parent), runs its layer itself, in full, and has nothing to select: the
 * parent planned its tests.
 */
function childOptions(options: RunOptions): RunOptions {
  return {
    ...options,
    json: undefined,
    xml: undefined,
    html: undefined,
    reporter: undefined,
    jobs: 1,
    shard: undefined,
    listTests: false,
    requireUnique: false,
    passWithNoTests: true,
  };
}

/** Events of the child's own run that the parent has already produced, or produces itself. */
const PARENT_EVENTS = new Set<string>(['run:start', 'run:end', 'layer:start', 'leftover:start', 'list:layer']);

/**
 * The arguments for a child's `node`: the parent's own flags (a `--max-old-space-size`, a
 * `--conditions`…) without those of a test runner or debugger around it, and tsx when leakrun
 * runs from its TypeScript sources.
 */
function childExecArgv(entry: URL): string[] {
  const skipWithValue = new Set([
    '--eval',
    '-e',
    '--print',
    '-p',
    '--test-reporter',
    '--test-reporter-destination',
    '--test-name-pattern',
    '--test-concurrency',
    '--test-shard',
    '--test-timeout',
  ]);
  const kept: string[] = [];
  const given = process.execArgv;
  for (let i = 0; i < given.length; i++) {
    const arg = given[i] as string;
    if (skipWithValue.has(arg)) {
      i++;
      continue;
    }
    if (/^--(test|inspect|debug|watch|eval|print|input-type)\b/.test(arg)) continue;
    kept.push(arg);
  }
  // From the TypeScript sources (leakrun's own tests), the child needs tsx, unless it has it
  // already; the built package does not (tsx is a peer the project may not have).
  if (!entry.pathname.endsWith('.ts')) return kept;
  const tsx = import.meta.resolve('tsx');
  if (!kept.some((arg, i) => kept[i - 1] === '--import' && (arg === 'tsx' || arg === tsx))) kept.push('--import', tsx);
  return kept;
}

function childEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../child.ts', import.meta.url) : new URL('dist/child.js', PACKAGE_URL);
}

/** One child process: started early (it boots while others run), given a layer once it is ready. */
class Child {
  readonly process: ChildProcess;
  readonly ready: Promise<boolean>;
  /** True once the child said it is ready. */
  isReady = false;
  /** Receives what the child sends once it runs a layer. */
  onMessage: ((message: ChildMessage) => void) | undefined;
  /** The last lines the child wrote to stderr, by either route. */
  readonly tail: string[] = [];
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exit: Promise<void>;
  spawnError: Error | undefined;

  constructor(cwd: string) {
    const entry = childEntry();
    this.process = fork(entry, [], {
      cwd,
      execArgv: childExecArgv(entry),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, LEAKRUN_CHILD: String(PROTOCOL_VERSION) },
    });
    let readied: (ok: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (readied = resolve));
    this.process.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        this.isReady = true;
        readied(true);
      } else this.onMessage?.(message);
    });
    this.process.on('error', (error) => {
      this.spawnError ??= error;
      readied(false);
    });
    this.exit = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exited = { code, signal };
        readied(false);
        resolve();
      });
    });
    this.process.stdout?.setEncoding('utf8');
    this.process.stderr?.setEncoding('utf8');
  }

  /** V8 said it ran out of heap. */
  outOfMemory = false;

  noteStderr(text: string): void {
    if (/JavaScript heap out of memory|Reached heap limit/.test(text)) this.outOfMemory = true;
    // The native frames of a fatal error say nothing to a test's author; V8's message does.
    const lines = text
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s*\d+: 0x[0-9a-f]+|^-{5} Native stack trace|^<--- /.test(line));
    this.tail.push(...lines);
    if (this.tail.length > STDERR_TAIL) this.tail.splice(0, this.tail.length - STDERR_TAIL);
  }

  send(message: ParentMessage): void {
    if (this.process.connected) this.process.send(message, ignoreSendError);
  }

  kill(): void {
    if (this.exited === undefined) this.process.kill('SIGKILL');
  }
}

/** One layer's run in a child: what it sent so far, and whether it is over. */
class Slot {
  readonly node: LayerNode;
  readonly tests: readonly Test[];
  readonly items: Item[] = [];
  /** Set once this layer is in front: items go straight out. */
  deliver: ((item: Item) => void) | undefined;
  finished: Promise<void> = Promise.resolve();
  child: Child | undefined;
  /** The child got past its start: its layer's first iteration began, or it is over. */
  underway = false;
  /** Told to run (not only to prepare), and whether its `run` message is out. */
  going = false;
  sent = false;
  /** Its supervision ended: the child is gone. */
  over = false;

  constructor(node: LayerNode, tests: readonly Test[]) {
    this.node = node;
    this.tests = tests;
  }

  push(item: Item): void {
    if (this.deliver) this.deliver(item);
    else this.items.push(item);
  }
}

/** Runs layers in child processes, up to `jobs` at once; see the module comment. */
export class ChildLayers {
  readonly #spec: ChildRunSpec;
  readonly #jobs: number;
  readonly #spares: Child[] = [];
  readonly #running = new Set<Slot>();
  #front: Slot | undefined;
  #interrupted: string | undefined;
  /** Starts the next layers while fewer than `jobs` run; set during {@link ChildLayers.run}. */
  #startMore: () => void = () => undefined;

  constructor(spec: ChildRunSpec, jobs: number) {
    this.#spec = spec;
    this.#jobs = Math.max(1, jobs);
  }

  /**
   * Runs `nodes` in order, each in a child, and emits their events as they come for the layer in
   * front. `announced`: the first layer's `layer:start` is out already.
   */
  async run(nodes: readonly LayerNode[], groups: ReadonlyMap<LayerNode, readonly Test[]>, announced: boolean): Promise<void> {
    const slots = nodes.map((node) => new Slot(node, groups.get(node) ?? []));
    let next = 0;
    const startMore = (this.#startMore = (): void => {
      while (next < slots.length && this.#running.size < this.#jobs && !this.#stopped()) {
        const slot = slots[next++] as Slot;
        this.#start(slot);
      }
      // The layers next in line get children that boot and load their modules while these run:
      // once these are underway, so that booting does not compete with their start for the cores.
      if (![...this.#running].every((slot) => slot.underway)) return;
      for (let k = next; k < Math.min(slots.length, next + this.#jobs) && !this.#stopped(); k++) {
        const slot = slots[k] as Slot;
        if (!slot.child) this.#assign(slot);
      }
    });
    try {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as Slot;
        if (this.#stopped()) break;
        if (!(i === 0 && announced)) this.#spec.emit({ type: 'layer:start', layer: slot.node.name, unit: slot.node.layer === undefined });
        this.#spec.emit({ type: 'layer:subprocess', layer: slot.node.name, reason: this.#spec.reason });
        this.#front = slot;
        startMore();
        for (const item of slot.items.splice(0)) this.#out(item);
        slot.deliver = (item) => this.#out(item);
        await slot.finished;
      }
    } finally {
      this.#front = undefined;
      this.#startMore = () => undefined;
      // Layers started ahead of a stop are not reported: a serial run would not have run them.
      for (const slot of slots) slot.child?.kill();
      this.close();
      await Promise.all(slots.map((slot) => slot.finished));
    }
  }

  /**
   * Passes an interrupt on to the layer in front, whose child then reports it (what was running
   * there) and tears down; the layers behind it are stopped unreported. False when no child was
   * running a layer in front: the caller reports the interrupt itself.
   */
  interrupt(reason: string): boolean {
    this.#interrupted = reason;
    const child = this.#front?.child;
    if (!child?.process.connected || child.exited) return false;
    child.send({ leakrun: PROTOCOL_VERSION, type: 'interrupt', reason });
    return true;
  }

  /**
   * Starts children before the layers are known (while the parent still imports the test
   * modules), so that the first layers need not wait for them to boot. Under `-j N`, N of them.
   */
  prewarm(count: number): void {
    while (this.#spares.length < count) this.#spares.push(this.#spawn());
  }

  /** Stops the children that were started ahead and never given a layer. */
  close(): void {
    for (const spare of this.#spares.splice(0)) spare.kill();
  }

  /** A new child; when it is ready, more may start. */
  #spawn(): Child {
    const child = new Child(this.#spec.cwd);
    void child.ready.then(() => this.#startMore());
    return child;
  }

  #stopped(): boolean {
    return this.#interrupted !== undefined || this.#spec.shouldStop();
  }

  #out(item: Item): void {
    if ('event' in item) {
      this.#spec.emit(item.event);
      return;
    }
    this.#spec.flush();
    (item.stream === 1 ? process.stdout : process.stderr).write(item.text);
  }

  /** Gives `slot` a child, which loads the layer's modules and then waits for {@link ChildLayers.#start}. */
  #assign(slot: Slot): void {
    const child = this.#spares.shift() ?? this.#spawn();
    slot.child = child;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      slot.underway = true;
      // A child that has said it is done frees its job for the next layer, even behind the one
      // in front, while it exits.
      this.#running.delete(slot);
      this.#startMore();
    };
    slot.finished = this.#supervise(slot, child, release).finally(() => {
      slot.over = true;
      release();
    });
  }

  /** Lets `slot`'s child run its layer, giving it one first if it has none. */
  #start(slot: Slot): void {
    if (!slot.child) this.#assign(slot);
    slot.going = true;
    // A child that died while it waited has nothing to run, and holds no job.
    if (slot.over) return;
    this.#running.add(slot);
    if (slot.sent) slot.child?.send({ leakrun: PROTOCOL_VERSION, type: 'go' });
  }

  async #supervise(slot: Slot, child: Child, release: () => void): Promise<void> {
    const { options } = this.#spec;
    let done = false;
    let refused: string | undefined;
    let runningTest: string | undefined;
    let runningHook: string | undefined;
    // The iteration the child is in, counted here too: if it dies, the parent ends it.
    let iteration:
      { iteration: number; of: number; started: number; tests: number; failures: number; errors: number; skipped: number } | undefined;
    let iterations = 0;
    let hung: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const watch = (): void => {
      clearTimeout(timer);
      if (options.timeout === undefined || runningTest === undefined) return;
      const limit = 2 * options.timeout + HUNG_GRACE_MS;
      timer = setTimeout(() => {
        hung = `stopped answering during ${runningTest}: silent for ${limit} ms under --timeout ${options.timeout}, so it was killed`;
        child.kill();
      }, limit);
    };
    let started = false;
    child.onMessage = (message) => {
      if (message.type === 'event') {
        const event = decodeEvent(message.event);
        if (event.type === 'test:start') runningTest = event.test;
        else if (event.type.startsWith('test:')) runningTest = undefined;
        else if (event.type === 'layer:setup:start') runningHook = `${event.layer}.setUp`;
        else if (event.type === 'layer:teardown:start') runningHook = `${event.layer}.tearDown`;
        else if (event.type === 'layer:setup:end' || event.type === 'layer:teardown:end') runningHook = undefined;
        if (event.type === 'iteration:start') {
          iterations++;
          if (!slot.underway) {
            slot.underway = true;
            this.#startMore();
          }
          iteration = {
            iteration: event.iteration,
            of: event.of,
            started: performance.now(),
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
          };
        } else if (event.type === 'iteration:end') iteration = undefined;
        else if (iteration && event.type === 'test:start') iteration.tests++;
        else if (iteration && event.type === 'test:fail') iteration.failures++;
        else if (iteration && event.type === 'test:error') iteration.errors++;
        else if (iteration && event.type === 'test:skip') iteration.skipped++;
        watch();
        if (event.type === 'layer:start') started = true;
        // A layer an interrupt kept from starting in the child: the parent reports what did not run.
        if (event.type === 'layer:not-run' && !started) return;
        if (!PARENT_EVENTS.has(event.type)) slot.push({ event });
      } else if (message.type === 'output') {
        if (message.stream === 2) child.noteStderr(message.text);
        slot.push({ stream: message.stream, text: message.text });
      } else if (message.type === 'done') {
        done = true;
        release();
      } else if (message.type === 'refused') {
        refused = message.reason;
      }
    };
    child.process.stdout?.on('data', (text: string) => slot.push({ stream: 1, text }));
    child.process.stderr?.on('data', (text: string) => {
      child.noteStderr(text);
      slot.push({ stream: 2, text });
    });
    if (await child.ready) {
      child.send({
        leakrun: PROTOCOL_VERSION,
        type: 'run',
        options: encodeValue(childOptions(options)) as RunOptions,
        knownGrowth: this.#spec.knownGrowth,
        layer: slot.node.name,
        tests: slot.tests.map((test) => test.id),
        modules: [...new Set(slot.tests.map((test) => test.module))],
      });
      slot.sent = true;
      if (slot.going) child.send({ leakrun: PROTOCOL_VERSION, type: 'go' });
    }
    await child.exit;
    clearTimeout(timer);
    // Output still in the pipes comes before the verdict on the child.
    await Promise.all([streamEnd(child.process.stdout), streamEnd(child.process.stderr)]);
    if (done && !hung) return;
    const why = hung ?? refused ?? deathOf(child);
    const running = runningTest ?? runningHook;
    const during = !hung && running !== undefined ? ` during ${running}` : '';
    const tail = child.tail.length ? `\nIts last lines on stderr:\n${child.tail.map((line) => `  ${line}`).join('\n')}` : '';
    const error = stackless(new SubprocessError(`the child process running ${slot.node.name} ${why}${during}${tail}`));
    const layer = slot.node.name;
    slot.push({
      event: { type: 'run:problem', problem: { kind: 'error', phase: 'subprocess', test: `subprocess for ${layer}`, error, layer } },
    });
    if (iteration) {
      // The iteration it died in ends here, counting the test that was running as an error.
      const { tests, failures, errors, skipped } = iteration;
      const counts = {
        tests,
        failures,
        errors: errors + (runningTest === undefined ? 0 : 1),
        skipped,
        seconds: (performance.now() - iteration.started) / 1000,
      };
      slot.push({ event: { type: 'iteration:end', layer, iteration: iteration.iteration, of: iteration.of, counts } });
    } else if (iterations === 0) {
      // It died before its layer was set up: none of its tests ran.
      slot.push({ event: { type: 'layer:not-run', layer, tests: slot.tests.map((test) => test.id) } });
    }
  }
}

/** How a child that never said it was done ended. */
function deathOf(child: Child): string {
  if (child.spawnError) return `could not be started (${child.spawnError.message})`;
  const exited = child.exited;
  if (child.outOfMemory) return 'ran out of memory';
  if (exited?.signal) return `was killed by ${exited.signal}`;
  return `exited with code ${exited?.code ?? '?'} before its layer was done`;
}

function streamEnd(stream: NodeJS.ReadableStream | null | undefined): Promise<void> {
  if (!stream || (stream as { readableEnded?: boolean }).readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}
