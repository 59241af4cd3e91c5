import { join } from 'node:path';
import { createTextFormatter } from '../../src/formatter/text.ts';
import type { HeapDiff, IterationCounts, Problem, RunEvent, RunOptions, RunResult, TypeCount } from '../../src/types/index.ts';

/** The working directory the synthetic stacks below live in; printed paths are relative to it. */
export const CWD = '/home/dev/project';

const BASE: RunOptions = {
  paths: [CWD],
  testsPattern: /^tests$|\.test$/,
  testFilePattern: /^test/,
  packages: [],
  modules: [],
  tests: [],
  layers: [],
  unit: 'include',
  atLevel: 1,
  listTests: false,
  passWithNoTests: false,
  files: [],
  requireUnique: false,
  verbose: 0,
  quiet: false,
  progress: false,
  color: false,
  repeat: 1,
  reportRefcounts: false,
  failOnLeak: false,
  failOnEnvChange: false,
  traceLeaks: false,
  leakWarmups: 1,
  leakMaxRepeat: 1,
  leakAllowUndecided: false,
  leakBisectBudget: 20,
  leakBisect: false,
  leakAllow: [],
  leakIgnore: [],
  json: undefined,
  html: undefined,
  xml: undefined,
  reporter: undefined,
  stopOnError: false,
  timeout: undefined,
  shuffle: false,
  shuffleSeed: undefined,
  shard: undefined,
  jobs: 1,
  version: false,
  help: false,
};

export function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return { ...BASE, ...overrides };
}

/** Feeds events to a fresh text formatter and joins what it returns. */
export function render(events: readonly RunEvent[], overrides: Partial<RunOptions> = {}, cwd = CWD): string {
  const formatter = createTextFormatter({ options: options(overrides), cwd });
  return events.map((event) => formatter.write(event)).join('');
}

/** An error with a fixed stack: `frames` are locations, `at ` is added. */
export function stackError(name: string, message: string, frames: readonly string[], header = `${name}: ${message}`): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = [header, ...frames.map((frame) => `    at ${frame}`)].join('\n');
  return error;
}

/** A frame in leakrun's own code, which reports must not show. */
export const LEAKRUN_FRAME = `Iterations.#run (file://${join(import.meta.dirname, '../../src/runner/layer-run.ts')}:131:27)`;

export function boom(test: string): Error {
  return stackError('Error', 'boom', [
    `${test} (file://${CWD}/tests/test_sample.ts:12:11)`,
    LEAKRUN_FRAME,
    'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ]);
}

export function assertionFailure(test: string): Error {
  const header = 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n';
  return stackError(
    'AssertionError',
    'Expected values to be strictly equal:\n\n1 !== 2\n',
    [`${test} (${CWD}/tests/test_sample.ts:20:12)`, LEAKRUN_FRAME],
    header,
  );
}

export type Outcome =
  | { readonly id: string; readonly pass: number }
  | { readonly id: string; readonly fail: Error; readonly seconds?: number }
  | { readonly id: string; readonly error: Error; readonly seconds?: number }
  | { readonly id: string; readonly skip: string };

export const pass = (id: string, seconds = 0.001): Outcome => ({ id, pass: seconds });

export function setUp(layer: string, seconds = 0, error?: Error): RunEvent[] {
  return [
    { type: 'layer:setup:start', layer },
    { type: 'layer:setup:end', layer, seconds, error },
  ];
}

export function tearDown(layer: string, seconds = 0, extra: { error?: Error; notSupported?: boolean } = {}): RunEvent[] {
  return [
    { type: 'layer:teardown:start', layer },
    { type: 'layer:teardown:end', layer, seconds, ...extra },
  ];
}

/** One iteration: its start, each test's start and outcome, its end with the counts the outcomes add up to. */
export function iteration(layer: string, number: number, of: number, outcomes: readonly Outcome[], seconds: number): RunEvent[] {
  const events: RunEvent[] = [{ type: 'iteration:start', layer, iteration: number, of, tests: outcomes.length }];
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, seconds };
  for (const outcome of outcomes) {
    events.push({ type: 'test:start', test: outcome.id });
    counts.tests++;
    if ('pass' in outcome) {
      events.push({ type: 'test:pass', test: outcome.id, seconds: outcome.pass });
    } else if ('fail' in outcome) {
      counts.failures++;
      events.push({ type: 'test:fail', test: outcome.id, seconds: outcome.seconds ?? 0.002, error: outcome.fail, phase: 'test' });
    } else if ('error' in outcome) {
      counts.errors++;
      events.push({ type: 'test:error', test: outcome.id, seconds: outcome.seconds ?? 0.002, error: outcome.error, phase: 'test' });
    } else {
      counts.skipped++;
      events.push({ type: 'test:skip', test: outcome.id, seconds: 0, reason: outcome.skip });
    }
  }
  events.push({ type: 'iteration:end', layer, iteration: number, of, counts: counts satisfies IterationCounts });
  return events;
}

export function heapSample(layer: string, iteration: number, diff: HeapDiff | undefined): RunEvent {
  return { type: 'heap:sample', layer, iteration, sample: { total: diff?.total ?? 0, byType: new Map() }, diff };
}

export function diff(total: number, change: number, detailTotal = 0, rows: readonly (TypeCount & { name: string })[] = []): HeapDiff {
  return { total, change, detailTotal, rows };
}

/** A run result with the given totals; only what the formatter reads is meaningful. */
export function result(
  totals: { tests: number; failures?: number; errors?: number; skipped?: number; layers: number },
  problems: readonly Problem[] = [],
  importFailures: readonly { module: string; error: Error }[] = [],
): RunResult {
  const { tests, failures = 0, errors = 0, skipped = 0, layers } = totals;
  return {
    tests,
    failures,
    errors,
    skipped,
    layers: Array.from({ length: layers }, (_, index) => ({ name: `layer${index}`, iterations: [] })),
    problems,
    importFailures,
    notRun: [],
    failed: failures + errors > 0,
    exitCode: failures + errors > 0 ? 1 : 0,
  };
}

export function runEnd(run: RunResult): RunEvent {
  return { type: 'run:end', result: run };
}
