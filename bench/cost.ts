/**
 * `npm run bench:cost`: what a leak check costs (docs/design-sampler.md#the-screen). Layers whose
 * set-up builds heaps of 6, 50 and 200 MB (test/fixtures/cost), clean and with one object kept
 * per run, each run three ways in processes of their own, side by side in one bench run
 * (tinybench, one task per way, medians of whole processes):
 * - `-N6`, no leak check;
 * - `-N6 --fail-on-leak`, which screens (a count of live objects at the end of the warm-up and
 *   after the last iteration) and takes heap snapshots only when the count changed;
 * - `-N6 -r --fail-on-leak`, a heap snapshot after every iteration: the way of the last release.
 * Each process reports its own peak resident memory. Goals (issue 27): a clean 50 MB layer's
 * screened check at most 0.25x the every-iteration way and at most 3x the plain run; at 6 MB at
 * most 0.5x the every-iteration way; a clean screened run's peak at most 1.5x the plain run's.
 *
 *   npm run bench:cost            BENCH_ROUNDS (default 3; 1 at 200 MB), BENCH_SIZES (default 6,50,200)
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Bench } from 'tinybench';

const repo = resolve(import.meta.dirname, '..');
const bin = resolve(repo, 'bin/leakrun.js');
const peak = resolve(repo, 'bench/peak-rss.mjs');
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3) || 3);
const sizes = (process.env.BENCH_SIZES ?? '6,50,200').split(',').map(Number);

interface Way {
  readonly label: string;
  readonly args: readonly string[];
}

const WAYS: readonly Way[] = [
  { label: 'plain -N6', args: ['-N6'] },
  { label: '-N6 --fail-on-leak', args: ['-N6', '--fail-on-leak'] },
  { label: '-N6 -r --fail-on-leak', args: ['-N6', '-r', '--fail-on-leak'] },
];

/** Runs one leakrun process; returns its peak RSS in MB and whether it took a heap snapshot. */
function runOnce(megabytes: number, leak: boolean, way: Way): { rssMB: number; snapshots: boolean } {
  const child = spawnSync(process.execPath, ['--import', peak, bin, '--path', 'test/fixtures/cost', ...way.args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LEAKRUN_COST_MB: String(megabytes), LEAKRUN_COST_LEAK: leak ? '1' : '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const expected = leak && way.args.includes('--fail-on-leak') ? 1 : 0;
  if (child.status !== expected) {
    throw new Error(
      `${megabytes} MB ${leak ? 'leak' : 'clean'} ${way.label}: exit ${child.status ?? child.signal}, expected ${expected}\n${child.stdout}${child.stderr}`,
    );
  }
  const rss = /LEAKRUN-PEAK-RSS (\d+)/.exec(child.stderr);
  if (!rss) throw new Error(`no peak RSS reported:\n${child.stderr}`);
  return { rssMB: Number(rss[1]) / 1024, snapshots: child.stdout.includes('sys refcount=') };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

console.log(`leakrun cost bench: node ${process.version}, ${rounds} round(s) per way (1 at 200 MB), medians of whole processes\n`);
console.log('| layer | case | way | time s | peak RSS MB | snapshots | ÷ every iteration | ÷ plain |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const missed: string[] = [];
for (const megabytes of sizes) {
  for (const leak of [false, true]) {
    const rss = new Map<string, number[]>();
    const snapshots = new Map<string, boolean>();
    const iterations = megabytes >= 200 ? 1 : rounds;
    const bench = new Bench({ iterations, time: 0, warmupIterations: 0, warmupTime: 0, throws: true });
    for (const way of WAYS) {
      bench.add(way.label, () => {
        const once = runOnce(megabytes, leak, way);
        rss.set(way.label, [...(rss.get(way.label) ?? []), once.rssMB]);
        snapshots.set(way.label, once.snapshots);
      });
    }
    await bench.run();
    const seconds = new Map(bench.tasks.map((task) => [task.name, (task.result as { latency: { p50: number } }).latency.p50 / 1000]));
    const [plain, screened, every] = WAYS.map((way) => seconds.get(way.label) ?? NaN) as [number, number, number];
    for (const way of WAYS) {
      const time = seconds.get(way.label) ?? NaN;
      const ofEvery = way.label === WAYS[1]!.label ? `${(time / every).toFixed(3)}x` : '';
      const ofPlain = way.label === WAYS[0]!.label ? '' : `${(time / plain).toFixed(2)}x`;
      console.log(
        `| ${megabytes} MB | ${leak ? 'one object per run' : 'clean'} | ${way.label} | ${time.toFixed(2)} | ${median(rss.get(way.label) ?? []).toFixed(0)} | ${snapshots.get(way.label) ? 'yes' : 'no'} | ${ofEvery} | ${ofPlain} |`,
      );
    }
    const goal = (ratio: number, most: number, what: string): void => {
      if (!(ratio <= most)) missed.push(`${megabytes} MB clean: ${ratio.toFixed(2)}x ${what} (goal ${most}x)`);
    };
    if (!leak && megabytes === 50) {
      goal(screened / every, 0.25, 'every iteration');
      goal(screened / plain, 3, 'plain');
    }
    if (!leak && megabytes === 6) goal(screened / every, 0.5, 'every iteration');
    const peakRatio = median(rss.get(WAYS[1]!.label) ?? []) / median(rss.get(WAYS[0]!.label) ?? []);
    if (!leak) goal(peakRatio, 1.5, 'the peak RSS of plain');
  }
}
if (missed.length > 0) console.log(`\nGoals missed: ${missed.join('; ')}`);
