/**
 * In-process timings with tinybench, run as its own plain `node` process (see isolate.ts): loader
 * hooks such as tsx's send every `import()` through a hooks thread, which would bill leakrun (it
 * re-imports its cached test modules on each `run()`) for the bench's own TypeScript loader.
 * Test modules are imported once and stay in the module cache, so after the first call each
 * iteration measures what a runner spends per test: discovery over cached modules, scheduling,
 * hooks, result records and formatting, not loading or parsing.
 *
 * Everything outside node's built-ins is imported by the URLs the parent passes in, so this file
 * can run from a temporary directory once its types are stripped.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { Bench } from 'tinybench';
import type { GeneratedSuite } from './generate.ts';

/** What the parent tells this program, as JSON in `argv[2]`. */
export interface InProcessConfig {
  readonly urls: { readonly leakrun: string; readonly uvu: string; readonly mocha: string; readonly tinybench: string };
  readonly suites: { readonly leakrun: GeneratedSuite; readonly uvu: GeneratedSuite; readonly mocha: GeneratedSuite };
  readonly expected: number;
  /** tinybench's time budget per task, in milliseconds. */
  readonly timeMs: number;
}

interface LeakrunApi {
  run(
    defaults: readonly string[],
    argv?: readonly string[],
    components?: { output?: (text: string) => void; cwd?: string },
  ): Promise<{ tests: number; failures: number; errors: number; exitCode: number }>;
}

interface UvuApi {
  exec(bail?: boolean): Promise<void>;
}

type Runner = () => Promise<void>;

/** The globals uvu 0.5 coordinates its CLI and its suites through. */
const uvuGlobals = globalThis as typeof globalThis & { UVU_DEFER?: number; UVU_INDEX?: number; UVU_QUEUE?: unknown[][] };

/** One leakrun `run()` over the suite; throws unless every test passed. */
async function leakrunTask(url: string, suite: GeneratedSuite, expected: number): Promise<() => Promise<void>> {
  const { run } = (await import(url)) as LeakrunApi;
  const once = async (): Promise<void> => {
    const result = await run([], ['--path', suite.dir], { output: () => undefined, cwd: suite.dir });
    if (result.exitCode !== 0 || result.tests !== expected) {
      throw new Error(
        `leakrun run(): ${result.tests} tests, ${result.failures} failures, ${result.errors} errors, exit code ${result.exitCode}`,
      );
    }
  };
  await once();
  return once;
}

/** Calls `fn` with `process.stdout.write` replaced by `sink`; uvu writes there directly. */
async function withStdout(sink: (text: string) => void, fn: () => Promise<void>): Promise<void> {
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    sink(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
}

/**
 * uvu's `exec()` runs whatever suites `test.run()` queued on `globalThis.UVU_QUEUE` (the queue its
 * own `uvu/run` fills) and consumes the queue's group headers as it goes. The runners it queues
 * keep their tests, so the queue is rebuilt from them before every call: this relies on uvu
 * 0.5's internal queue layout, which is why the bench checks uvu's summary before timing it.
 */
async function uvuTask(url: string, suite: GeneratedSuite, expected: number): Promise<() => Promise<void>> {
  // Queue instead of auto-running on a timer, as uvu's own CLI does.
  uvuGlobals.UVU_DEFER = 1;
  const uvu = (await import(url)) as UvuApi;
  const queue = (uvuGlobals.UVU_QUEUE ??= []);
  for (const [index, file] of suite.files.entries()) {
    uvuGlobals.UVU_INDEX = index;
    queue.push([null]);
    await import(pathToFileURL(file).href);
  }
  const runners = queue.map((group) => group.slice(1) as Runner[]);
  const refill = (): void => {
    queue.length = 0;
    for (const group of runners) queue.push([null, ...group]);
  };
  let text = '';
  refill();
  await withStdout(
    (chunk) => void (text += chunk),
    () => uvu.exec(),
  );
  const passed = /Passed: +(\d+)/.exec(stripVTControlCharacters(text))?.[1];
  if (Number(passed) !== expected || process.exitCode) {
    throw new Error(`uvu exec(): expected ${expected} passing, summary says ${passed ?? 'nothing'}`);
  }
  return async () => {
    refill();
    // uvu writes once per test plus a few summary lines; too few writes means tests went missing.
    let writes = 0;
    await withStdout(
      () => void writes++,
      () => uvu.exec(),
    );
    if (writes < expected) throw new Error(`uvu exec(): only ${writes} writes for ${expected} tests`);
  };
}

interface MochaRunner {
  readonly stats?: { passes: number; failures: number };
}

interface MochaInstance {
  addFile(file: string): void;
  loadFilesAsync(): Promise<void>;
  cleanReferencesAfterRun(clean: boolean): void;
  lazyLoadFiles(lazy: boolean): void;
  run(done: (failures: number) => void): MochaRunner;
}

type MochaConstructor = new (options: { reporter: new (runner: unknown) => unknown }) => MochaInstance;

/** A reporter that prints nothing, so mocha's timing matches leakrun's discarded output. */
class SilentReporter {
  constructor(_runner: unknown) {}
}

/**
 * mocha's documented programmatic API: files are loaded once; `cleanReferencesAfterRun(false)`
 * keeps the suites so `run()` can be called again.
 */
async function mochaTask(url: string, suite: GeneratedSuite, expected: number): Promise<() => Promise<void>> {
  const Mocha = ((await import(url)) as { default: MochaConstructor }).default;
  const mocha = new Mocha({ reporter: SilentReporter });
  mocha.cleanReferencesAfterRun(false);
  for (const file of suite.files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  mocha.lazyLoadFiles(true);
  const once = async (): Promise<void> =>
    new Promise((resolve, reject) => {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes;
        if (failures === 0 && passes === expected) resolve();
        else reject(new Error(`mocha run(): ${passes ?? '?'} passing, ${failures} failing, expected ${expected} passing`));
      });
    });
  await once();
  return once;
}

/** Runs every task that could be set up with tinybench, prints its table; false if any task failed. */
async function main(config: InProcessConfig): Promise<boolean> {
  const { urls, suites, expected } = config;
  const setups: [string, () => Promise<() => Promise<void>>][] = [
    ['leakrun run()', () => leakrunTask(urls.leakrun, suites.leakrun, expected)],
    ['uvu exec()', () => uvuTask(urls.uvu, suites.uvu, expected)],
    ['mocha run()', () => mochaTask(urls.mocha, suites.mocha, expected)],
  ];
  const { Bench: BenchClass } = (await import(urls.tinybench)) as { Bench: typeof Bench };
  const bench = new BenchClass({
    name: 'in-process',
    time: config.timeMs,
    iterations: 10,
    warmupTime: 200,
    warmupIterations: 3,
    throws: true,
  });
  let ok = true;
  for (const [name, setup] of setups) {
    try {
      // Declared async so tinybench does not call the task once to find out: a second mocha run
      // started while the first is still going breaks mocha's state.
      bench.add(name, await setup(), { async: true });
    } catch (error) {
      ok = false;
      console.log(`${name} could not be measured:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  if (bench.tasks.length === 0) return false;
  await bench.run();
  console.table(bench.table());
  const medians = new Map<string, number>();
  for (const task of bench.tasks) {
    if (task.result.state === 'completed') medians.set(task.name, task.result.latency.p50);
  }
  const leakrun = medians.get('leakrun run()');
  for (const [name, ms] of medians) {
    const ratio = leakrun === undefined || name === 'leakrun run()' ? '' : `; leakrun/${name.split(' ')[0]} ${(leakrun / ms).toFixed(2)}x`;
    console.log(`  ${name}: median ${ms.toFixed(2)} ms per run, ${((ms * 1000) / expected).toFixed(2)} µs per test${ratio}`);
  }
  return ok;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let finished = false;
  // A runner that leaves a promise pending lets the event loop empty mid-bench (and uvu has already
  // set process.exitCode to 0): say so and fail instead of exiting quietly.
  process.on('exit', () => {
    if (finished) return;
    console.log('in-process bench: the event loop emptied before it finished (a runner left a promise pending)');
    process.exitCode = 1;
  });
  const ok = await main(JSON.parse(process.argv[2] ?? '{}') as InProcessConfig);
  finished = true;
  process.exitCode = ok ? 0 : 1;
}
