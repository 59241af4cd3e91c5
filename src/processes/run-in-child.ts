/**
 * `runInChild`: a leakrun run in a process of its own, from inside another program (a test of
 * node:test, Vitest, Jest or Mocha), with its structured result (docs/frameworks.md). Heap counts
 * are exact only in a process that runs nothing else; this is the way to get them from a test.
 */
import { join } from 'node:path';
import type { JsonObject } from 'type-fest';
import { fileURLToPath } from 'node:url';
import { PACKAGE_URL } from '../core/package.ts';

/** Options of {@link runInChild}; all optional. */
export interface ChildRunOptions {
  /** The child's working directory, against which `--path` and the configuration file are found. Default `process.cwd()`. */
  readonly cwd?: string | URL;
  /** The child's environment. Default `process.env` without node:test's marker of its own children, and without `FORCE_COLOR`: the output is returned as plain text. */
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds before the child is killed; the result then says so. Default: no limit. */
  readonly timeout?: number;
  /** Flags for the child's Node, before leakrun's own arguments (`--max-old-space-size=512`). Default none. */
  readonly nodeArgs?: readonly string[];
}

/** What {@link runInChild} found. */
export interface ChildRunResult {
  /** The child's exit code (0 passed, 1 failed, 2 bad usage), or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended the child, if one did (`SIGTERM` after `timeout`). */
  readonly signal: NodeJS.Signals | null;
  /** Whether `timeout` ran out and the child was killed. */
  readonly timedOut: boolean;
  /** What the child printed on stdout: the formatter's text. */
  readonly output: string;
  /** What the child printed on stderr. */
  readonly errorOutput: string;
  /**
   * The run's JSON report (`--json`, docs/ci.md; its shape is `leakrun/report.schema.json`), or
   * `undefined` when the child wrote none (bad usage, or killed before the end).
   */
  readonly report: JsonObject | undefined;
}

/**
 * Runs `leakrun ...argv` in a child process and resolves, once it has ended, to its exit code,
 * its output and its JSON report. Never rejects for what the run found; rejects only when the
 * child cannot be started.
 *
 * @example
 * ```ts
 * const { exitCode, report } = await runInChild(['--path', 'test/leaks', '-N6', '-r', '--fail-on-leak']);
 * assert.equal(exitCode, 0, JSON.stringify(report?.layers));
 * ```
 */
export async function runInChild(argv: readonly string[], options: ChildRunOptions = {}): Promise<ChildRunResult> {
  // Loaded here, not with the module: every test file imports leakrun's main entry, and
  // child_process (with the net and dgram modules it pulls in), fs/promises and os would
  // otherwise cost each run's start-up (bench/runner.ts).
  const [{ spawn }, { mkdtemp, readFile, rm }, { tmpdir }] = await Promise.all([
    import('node:child_process'),
    import('node:fs/promises'),
    import('node:os'),
  ]);
  const directory = await mkdtemp(join(tmpdir(), 'leakrun-child-'));
  const file = join(directory, 'report.json');
  const env = { ...(options.env ?? process.env) };
  // A leakrun child of a node:test file must not think it is one of node:test's own children,
  // and its output, returned as a string, is plain even where node:test set FORCE_COLOR for them.
  if (options.env === undefined) {
    delete env.NODE_TEST_CONTEXT;
    delete env.FORCE_COLOR;
  }
  const bin = new URL('bin/leakrun.js', PACKAGE_URL);
  try {
    const ended = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      timedOut: boolean;
    }>((resolve, reject) => {
      const child = spawn(process.execPath, [...(options.nodeArgs ?? []), fileURLToPath(bin), ...argv, '--json', file], {
        cwd: options.cwd ?? process.cwd(),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer =
        options.timeout === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGTERM');
            }, options.timeout);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr, timedOut });
      });
    });
    const report = await readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as JsonObject,
      () => undefined,
    );
    return {
      exitCode: ended.code,
      signal: ended.signal,
      timedOut: ended.timedOut,
      output: ended.stdout,
      errorOutput: ended.stderr,
      report,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
