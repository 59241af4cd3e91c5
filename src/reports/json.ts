/**
 * The JSON report of `--json FILE` (docs/ci.md): the whole run as data, to be read back by other
 * tools (CI dashboards, the merge of shards). Its shape is `schema/report.schema.json`, and
 * `formatVersion` changes when a field changes meaning or goes away.
 */
import { writeFileSync } from 'node:fs';
import { version } from '../core/package.ts';
import type { HeapDiffRow, IterationResult, LayerResult, Reporter, RunOptions, RunResult } from '../types/index.ts';

/** The version of the report's format; the schema requires it. */
export const REPORT_FORMAT_VERSION = 1;

interface ErrorJson {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
}

function errorJson(error: Error): ErrorJson {
  return { name: error.name, message: error.message, ...(typeof error.stack === 'string' && { stack: error.stack }) };
}

function rowJson({ name, insts, refs, known }: HeapDiffRow): object {
  return { name, insts, refs, ...(known && { known: true }) };
}

function iterationJson(iteration: IterationResult): object {
  const { iteration: number, tests, failures, errors, skipped, seconds, heap, heapDiff, screen, resources, environment } = iteration;
  return {
    iteration: number,
    tests,
    failures,
    errors,
    skipped,
    seconds,
    ...(heap && {
      heap: {
        ...(heapDiff
          ? { total: heapDiff.total, change: heapDiff.change, detailTotal: heapDiff.detailTotal, rows: heapDiff.rows.map(rowJson) }
          : { total: heap.total, change: null, rows: [] }),
        ...(heap.paths !== undefined && heap.paths.length > 0 && { paths: heap.paths }),
      },
    }),
    ...(screen !== undefined && { screen }),
    ...(resources && { resources: Object.fromEntries(resources) }),
    ...(environment && { environment }),
  };
}

function layerJson(layer: LayerResult): object {
  return {
    name: layer.name,
    iterations: layer.iterations.map(iterationJson),
    ...(layer.verdict && { verdict: layer.verdict }),
    ...(layer.attribution && { attribution: layer.attribution }),
  };
}

/** The report of a finished run, as plain JSON data. */
export function reportJson(result: RunResult, options: RunOptions, versions: { leakrun: string; node: string }): object {
  return {
    format: 'leakrun-report',
    formatVersion: REPORT_FORMAT_VERSION,
    leakrun: versions.leakrun,
    node: versions.node,
    platform: `${process.platform}-${process.arch}`,
    options: {
      repeat: options.repeat,
      reportRefcounts: options.reportRefcounts,
      failOnLeak: options.failOnLeak,
      failOnEnvChange: options.failOnEnvChange,
      traceLeaks: options.traceLeaks,
      leakWarmups: options.leakWarmups,
      leakBisectBudget: options.leakBisectBudget,
      leakBisect: options.leakBisect,
      leakAllow: options.leakAllow.map((pattern) => pattern.source),
      leakIgnore: options.leakIgnore.map((pattern) => pattern.source),
      shuffleSeed: options.shuffleSeed ?? null,
      shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
      jobs: options.jobs,
    },
    exitCode: result.exitCode,
    failed: result.failed,
    totals: { tests: result.tests, failures: result.failures, errors: result.errors, skipped: result.skipped },
    layers: result.layers.map(layerJson),
    problems: result.problems.map((problem) => ({
      kind: problem.kind,
      phase: problem.phase,
      test: problem.test,
      ...(problem.layer !== undefined && { layer: problem.layer }),
      ...(problem.iteration !== undefined && { iteration: problem.iteration }),
      error: errorJson(problem.error),
    })),
    importFailures: result.importFailures.map(({ module, error }) => ({ module, error: errorJson(error) })),
    notRun: result.notRun,
    ...(result.interrupted && { interrupted: result.interrupted }),
  };
}

/** Writes the report to `file`; throws what the file system threw. */
export function writeReport(file: string, report: object): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** `--json FILE` as a reporter: at the run's end it writes the report of the result. */
export function createJsonReporter(options: RunOptions, file: string): Reporter {
  return {
    name: 'JSON report',
    write: () => '',
    end: (result) => writeReport(file, reportJson(result, options, { leakrun: version(), node: process.version })),
  };
}
