/**
 * Whole-process timings: each tool's CLI is spawned as a user would run it, round-robin across
 * tools so that machine noise (other processes, thermal state) spreads evenly over all of them.
 * Every run must exit 0 and report exactly the expected number of passing tests, so a broken setup
 * fails the bench instead of producing a fast number.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { performance } from 'node:perf_hooks';
import { repo, type GeneratedSuite, type ToolName } from './generate.ts';

/** How to launch one tool and read its summary. */
export interface ToolCommand {
  readonly tool: ToolName | string;
  /** Arguments to `node`. */
  readonly args: readonly string[];
  /** The `node` binary: this one unless given. */
  readonly node?: string;
  /** Environment variables for each run, made anew for it (a fresh temporary folder, say). */
  readonly env?: () => Record<string, string>;
  /** The number of tests that passed according to the tool's own summary, or a reason it cannot tell. */
  readonly passed: (stdout: string) => number | string;
}

/** The measured wall times of one tool, or why it could not be measured. */
export interface ToolTimings {
  readonly tool: ToolName | string;
  readonly seconds: number[];
  error?: string;
}

function match(text: string, pattern: RegExp, what: string): number | string {
  const found = pattern.exec(stripVTControlCharacters(text));
  return found?.[1] === undefined ? `no ${what} line in the output` : Number(found[1]);
}

/**
 * leakrun prints one `Ran` line per layer and iteration and a `Total` line when several layers ran
 * (docs/getting-started.md); with one layer and one iteration the `Ran` line is the whole summary.
 */
export function leakrunPassed(stdout: string): number | string {
  const total = /^Total: (\d+) tests, (\d+) failures, (\d+) errors/m.exec(stdout);
  if (total) return Number(total[2]) + Number(total[3]) > 0 ? `failures or errors: ${total[0]}` : Number(total[1]);
  const ran = [...stdout.matchAll(/^ {2}Ran (\d+) tests with (\d+) failures(?:,| and) (\d+) errors/gm)];
  if (ran.length === 0) return 'no "Ran N tests" line in the output';
  let tests = 0;
  for (const line of ran) {
    if (Number(line[2]) + Number(line[3]) > 0) return `failures or errors: ${line[0].trim()}`;
    tests += Number(line[1]);
  }
  return tests;
}

/** The command line of each tool for its generated suite. */
export function toolCommands(suites: Record<ToolName, GeneratedSuite>): ToolCommand[] {
  return [
    { tool: 'leakrun', args: [join(repo, 'bin/leakrun.js'), '--path', suites.leakrun.dir], passed: leakrunPassed },
    {
      // Node 20's --test does not expand globs itself, so the files are listed as a shell would.
      tool: 'node:test',
      args: ['--test', ...suites['node:test'].files],
      passed: (out) => (/^# fail 0$/m.test(out) ? match(out, /^# pass (\d+)$/m, '"# pass N"') : 'no "# fail 0" line'),
    },
    {
      tool: 'mocha',
      args: [join(repo, 'node_modules/mocha/bin/mocha.js'), ...suites.mocha.files],
      passed: (out) => (/\d+ failing/.test(out) ? 'some tests failing' : match(out, /^ {2}(\d+) passing/m, '"N passing"')),
    },
    {
      // uvu's CLI turns colour on by default; summaries are matched with escape codes removed.
      tool: 'uvu',
      args: [join(repo, 'node_modules/uvu/bin.js'), suites.uvu.dir, '\\.test\\.mjs$'],
      passed: (out) => {
        const total = match(out, /^ {2}Total: +(\d+)$/m, '"Total:"');
        const passed = match(out, /^ {2}Passed: +(\d+)$/m, '"Passed:"');
        return total === passed ? passed : `Total: ${total} but Passed: ${passed}`;
      },
    },
  ];
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}

/** Runs one CLI once; returns its wall time in seconds or throws with what went wrong. */
function timeOnce(command: ToolCommand, cwd: string, expected: number): number {
  const started = performance.now();
  const child = spawnSync(command.node ?? process.execPath, command.args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ...command.env?.() },
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.error) throw child.error;
  const passed = command.passed(child.stdout);
  if (child.status !== 0 || passed !== expected) {
    const why =
      child.status !== 0 ? `exit code ${child.status}` : typeof passed === 'string' ? passed : `${passed} tests passed, not ${expected}`;
    throw new Error(
      `${command.tool}: ${why}\n$ node ${command.args.join(' ').slice(0, 300)}\n` +
        `--- stdout (end) ---\n${tail(child.stdout)}\n--- stderr (end) ---\n${tail(child.stderr)}`,
    );
  }
  return seconds;
}

/**
 * Runs `warmups + rounds` rounds; each round runs every still-working tool once, starting from a
 * different tool each round. A tool that fails once is dropped and its error kept.
 */
export function timeProcesses(
  commands: readonly ToolCommand[],
  {
    cwd,
    expected,
    warmups,
    rounds,
    onRound,
  }: {
    cwd: string;
    expected: number;
    warmups: number;
    rounds: number;
    onRound?: (round: number, total: number) => void;
  },
): ToolTimings[] {
  const timings = commands.map((command): ToolTimings => ({ tool: command.tool, seconds: [] }));
  const total = warmups + rounds;
  for (let round = 0; round < total; round++) {
    onRound?.(round + 1, total);
    for (let offset = 0; offset < commands.length; offset++) {
      const index = (round + offset) % commands.length;
      const command = commands[index];
      const timing = timings[index];
      if (!command || !timing || timing.error !== undefined) continue;
      try {
        const seconds = timeOnce(command, cwd, expected);
        if (round >= warmups) timing.seconds.push(seconds);
      } catch (error) {
        timing.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
  return timings;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/**
 * The whole-process table: median, spread, and a ratio to one row's median, by default leakrun's
 * median over each peer's; `over` turns it to each row's median over the base row's.
 */
export function formatProcessTable(
  timings: readonly ToolTimings[],
  { base = 'leakrun', label = 'leakrun/tool', over = false }: { base?: string; label?: string; over?: boolean } = {},
): string {
  const baseTiming = timings.find((timing) => timing.tool === base);
  const baseMedian = baseTiming && baseTiming.error === undefined ? median(baseTiming.seconds) : undefined;
  const rows = [['tool', 'median s', 'min s', 'max s', 'runs', label]];
  for (const timing of timings) {
    if (timing.error !== undefined) {
      rows.push([String(timing.tool), 'FAILED', '', '', String(timing.seconds.length), '']);
      continue;
    }
    const mid = median(timing.seconds);
    const ratio = baseMedian === undefined || timing.tool === base ? '' : `${(over ? mid / baseMedian : baseMedian / mid).toFixed(2)}x`;
    rows.push([
      String(timing.tool),
      mid.toFixed(3),
      Math.min(...timing.seconds).toFixed(3),
      Math.max(...timing.seconds).toFixed(3),
      String(timing.seconds.length),
      ratio,
    ]);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const text = rows.map((row) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '),
  );
  text.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return text.join('\n');
}
