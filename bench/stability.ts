/**
 * Heap-count stability over repeated whole runs of the CLI, as CI would see them:
 *
 *   node --import tsx bench/stability.ts [--runs 20] [--check]
 *
 * For each run it checks that the clean sample layers show change=0 from iteration 3 on, that the
 * clean module shows no table from iteration 3 on, and that the leaking module shows the same
 * positive change at every iteration from 3 on. Prints the rate of runs that broke each rule;
 * with --check it exits 1 when any run broke one (CI runs it so, on each supported Node version).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg === -1 ? 20 : Number(process.argv[runsArg + 1]);

function leakrun(args: string[]): string {
  const child = spawnSync(process.execPath, [resolve(repo, 'bin/leakrun.js'), '--path', 'examples/sample', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`leakrun ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return child.stdout;
}

/** Per iteration (from 2 on), the `change=` value and whether a table followed. */
function iterations(output: string): { iteration: number; change: number; table: boolean }[] {
  const found: { iteration: number; change: number; table: boolean }[] = [];
  let iteration = 0;
  for (const line of output.split('\n')) {
    const header = /^Iteration (\d+)$/.exec(line);
    if (header) iteration = Number(header[1]);
    const change = /change=(-?\d+)/.exec(line);
    if (change) found.push({ iteration, change: Number(change[1]), table: false });
    const last = found[found.length - 1];
    if (line.includes('Leak details') && last) last.table = true;
  }
  return found;
}

const checks = {
  'clean layers, change=0 from iteration 3': () =>
    iterations(leakrun(['--layer', 'Layer11$', '--layer', 'Layer12$', '-N6', '-r'])).every((i) => i.iteration < 3 || i.change === 0),
  'clean module, no table from iteration 3': () =>
    iterations(leakrun(['--tests-pattern', '^clean$', '-N6', '-r', '-v'])).every((i) => i.iteration < 3 || !i.table),
  'leaking module, same positive change from iteration 3': () => {
    const changes = iterations(leakrun(['--tests-pattern', '^leak$', '-N6', '-r']))
      .filter((i) => i.iteration >= 3)
      .map((i) => i.change);
    return changes.length === 4 && changes[0]! > 0 && changes.every((c) => c === changes[0]);
  },
};

const started = performance.now();
let brokenRuns = 0;
for (const [name, check] of Object.entries(checks)) {
  let broken = 0;
  for (let run = 0; run < runs; run++) if (!check()) broken++;
  console.log(`${name}: ${broken} of ${runs} runs broke the rule`);
  brokenRuns += broken;
}
console.log(`Node ${process.versions.node}, took ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (process.argv.includes('--check') && brokenRuns > 0) process.exitCode = 1;
