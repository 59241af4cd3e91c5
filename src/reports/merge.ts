/**
 * `leakrun merge FILE...` (docs/ci.md): the `--json` reports of several runs, typically the shards
 * of one suite on several CI machines, read back and combined: one summary with the problems of
 * every run and one `Total`, the combined exit code, and with `--json FILE` one combined report of
 * the same format.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stackless } from '../core/errors.ts';
import { createPalette } from '../text/color.ts';
import { runSummary } from '../text/summary.ts';
import { REPORT_FORMAT_VERSION, writeReport } from './json.ts';
import { version } from '../core/package.ts';
import type { Problem, ProblemKind, ProblemPhase, RunResult } from '../types/index.ts';

interface ErrorJson {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** The fields of a report that merging reads; the rest is carried over as it is. */
interface ReportJson {
  readonly format: string;
  readonly formatVersion: number;
  readonly leakrun: string;
  readonly node: string;
  readonly platform: string;
  readonly options: Record<string, unknown> & { readonly shard?: string | null };
  readonly exitCode: number;
  readonly failed: boolean;
  readonly totals: { readonly tests: number; readonly failures: number; readonly errors: number; readonly skipped: number };
  readonly layers: readonly unknown[];
  readonly problems: readonly {
    readonly kind: ProblemKind;
    readonly phase: ProblemPhase;
    readonly test: string;
    readonly layer?: string;
    readonly iteration?: number;
    readonly error: ErrorJson;
  }[];
  readonly importFailures: readonly { readonly module: string; readonly error: ErrorJson }[];
  readonly notRun: readonly { readonly layer: string; readonly tests: readonly string[] }[];
  readonly interrupted?: unknown;
}

/** A report that could not be read: the file and why, for one line on the error output. */
export class MergeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeInputError';
    stackless(this);
  }
}

/** Reads one `--json` report, checked to be one leakrun can merge. */
export function readReport(file: string): ReportJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MergeInputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`);
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new MergeInputError(`${file}: not JSON; give the file a run wrote with --json`);
  }
  const fields = report as Partial<ReportJson> | null;
  if (fields === null || typeof fields !== 'object' || fields.format !== 'leakrun-report') {
    throw new MergeInputError(`${file}: not a leakrun report; give the file a run wrote with --json`);
  }
  if (fields.formatVersion !== REPORT_FORMAT_VERSION) {
    throw new MergeInputError(
      `${file}: report format ${String(fields.formatVersion)}, this leakrun merges format ${REPORT_FORMAT_VERSION}; merge with the leakrun that wrote it`,
    );
  }
  return report as ReportJson;
}

/** The exit code of several runs together: an interrupt first, then the worst of the others. */
function combinedExitCode(codes: readonly number[]): number {
  return codes.find((code) => code === 143 || code === 130) ?? Math.max(0, ...codes);
}

/**
 * Several reports as one, in the report format: layers, problems and layers not run one after
 * the other; totals added up, except that a module that failed to import in several runs (each
 * shard imports every module) counts once; `merged` lists the inputs.
 */
export function mergeReports(inputs: readonly { readonly file: string; readonly report: ReportJson }[]): ReportJson & {
  readonly merged: readonly { file: string; shard: string | null; node: string; exitCode: number }[];
} {
  const reports = inputs.map((input) => input.report);
  const first = reports[0]!;
  const importFailures = new Map<string, ReportJson['importFailures'][number]>();
  for (const report of reports) {
    for (const failure of report.importFailures) {
      const key = `${failure.module}\n${failure.error.message}`;
      if (!importFailures.has(key)) importFailures.set(key, failure);
    }
  }
  const sum = (field: keyof ReportJson['totals']): number => reports.reduce((total, report) => total + report.totals[field], 0);
  const repeatedImportFailures = reports.reduce((total, report) => total + report.importFailures.length, 0) - importFailures.size;
  const interrupted = reports.find((report) => report.interrupted !== undefined)?.interrupted;
  return {
    format: 'leakrun-report',
    formatVersion: REPORT_FORMAT_VERSION,
    leakrun: version(),
    node: first.node,
    platform: first.platform,
    options: { ...first.options, shard: null },
    exitCode: combinedExitCode(reports.map((report) => report.exitCode)),
    failed: reports.some((report) => report.failed),
    totals: { tests: sum('tests'), failures: sum('failures'), errors: sum('errors') - repeatedImportFailures, skipped: sum('skipped') },
    layers: reports.flatMap((report) => report.layers),
    problems: reports.flatMap((report) => report.problems),
    importFailures: [...importFailures.values()],
    notRun: reports.flatMap((report) => report.notRun),
    ...(interrupted !== undefined && { interrupted }),
    merged: inputs.map(({ file, report }) => ({ file, shard: report.options.shard ?? null, node: report.node, exitCode: report.exitCode })),
  };
}

function toError({ name, message, stack }: ErrorJson): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = stack ?? `${name}: ${message}`;
  return error;
}

/** A merged report as the `RunResult` the text formatter's summary prints. */
function asResult(report: ReportJson): RunResult {
  return {
    ...report.totals,
    layers: [],
    problems: report.problems.map(({ kind, phase, test, layer, iteration, error }): Problem => ({
      kind,
      phase,
      test,
      layer,
      iteration,
      error: toError(error),
    })),
    importFailures: report.importFailures.map(({ module, error }) => ({ module, error: toError(error) })),
    notRun: report.notRun,
    failed: report.failed,
    exitCode: report.exitCode as RunResult['exitCode'],
  };
}

const USAGE = 'leakrun merge FILE.json... [--json FILE]';
const MERGE_HELP = `Reads the --json reports of several runs (the shards of one suite), prints their problems and
combined Total, and exits with their combined exit code; --json FILE writes the merged report.
`;

/**
 * The `leakrun merge` command: prints a line per report, the problems of all of them and the
 * combined `Total`, writes the combined report with `--json`, and resolves to the combined exit
 * code (2 for a usage problem or a report it cannot read).
 */
export function runMergeCli(argv: readonly string[], write: (text: string) => void, writeError: (text: string) => void): number {
  const files: string[] = [];
  let json: string | undefined;
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at]!;
    if (arg === '--help' || arg === '-h') {
      write(`Usage: ${USAGE}\n\n${MERGE_HELP}`);
      return 0;
    }
    if (arg === '--json') {
      json = argv[++at];
      if (json === undefined) return usage(writeError, '--json needs a file name');
    } else if (arg.startsWith('--json=')) json = arg.slice('--json='.length);
    else if (arg.startsWith('-')) return usage(writeError, `unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) return usage(writeError, 'give the --json reports to merge');
  let inputs: { file: string; report: ReportJson }[];
  try {
    inputs = files.map((file) => ({ file, report: readReport(resolve(file)) }));
  } catch (error) {
    if (!(error instanceof MergeInputError)) throw error;
    writeError(`leakrun merge: error: ${error.message}\n`);
    return 2;
  }
  const merged = mergeReports(inputs);
  let text = '';
  for (const { file, shard, exitCode } of merged.merged) {
    const { tests, failures, errors } = inputs.find((input) => input.file === file)!.report.totals;
    text += `${file}${shard === null ? '' : ` (shard ${shard})`}: ${tests} tests, ${failures} failures, ${errors} errors, exit code ${exitCode}\n`;
  }
  // The problems are listed as -v lists them; with no layer in the result, the total is always given.
  write(text + runSummary(createPalette(false), asResult(merged), 1));
  if (json !== undefined) {
    try {
      writeReport(resolve(json), merged);
    } catch (error) {
      writeError(`leakrun merge: error: --json ${json}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  return merged.exitCode;
}

function usage(writeError: (text: string) => void, message: string): number {
  writeError(`leakrun merge: error: ${message}\nUsage: ${USAGE}\n`);
  return 2;
}
