/**
 * Timing whole leakrun processes side by side (bench/verdict.ts, bench/jobs.ts): each command in a
 * process of its own, round-robin, so that drift on a shared machine falls on all of them alike.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const repo = resolve(import.meta.dirname, '..');
const bin = resolve(repo, 'bin/leakrun.js');

export interface Command {
  readonly label: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly status: number;
  /** Where to run it; default the repository. */
  readonly cwd?: string | undefined;
}

export interface Timing {
  readonly command: Command;
  readonly seconds: number[];
  samples?: number;
}

function runOnce(command: Command): { seconds: number; stdout: string } {
  const started = performance.now();
  const child = spawnSync(process.execPath, [bin, ...command.args], {
    cwd: command.cwd ?? repo,
    encoding: 'utf8',
    env: { ...process.env, ...command.env },
    timeout: 300_000,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== command.status) {
    throw new Error(`${command.label}: exit ${child.status ?? child.signal}, expected ${command.status}\n${child.stdout}${child.stderr}`);
  }
  return { seconds, stdout: child.stdout };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs every command once per round, in turn, after one warm-up round. */
export function measure(rounds: number, commands: readonly Command[]): Timing[] {
  const timings: Timing[] = commands.map((command) => ({ command, seconds: [] }));
  for (let round = 0; round <= rounds; round++) {
    for (const timing of timings) {
      const { seconds, stdout } = runOnce(timing.command);
      if (round === 0) continue;
      timing.seconds.push(seconds);
      const found = /\(found with (\d+) heap samples\)/.exec(stdout);
      if (found) timing.samples = Number(found[1]);
    }
    process.stderr.write(`  round ${round}/${rounds}\r`);
  }
  return timings;
}
