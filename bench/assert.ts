/**
 * `npm run bench:assert`: what one `assertNoLeaks` call of six runs costs inside a Vitest worker
 * (the threads pool), against six bare V8 snapshots of that worker's heap, measured side by side
 * in the same worker with tinybench (goal: at most 1.3x). The bare snapshots stream through an
 * inspector session of the worker's own and are thrown away unread.
 *
 *   npm run build && node --import tsx bench/assert.ts     (BENCH_ROUNDS, default 5)
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const child = spawnSync(
  process.execPath,
  [resolve(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--config', resolve(repo, 'bench/vitest/vitest.config.ts')],
  { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
);
const line = `${child.stdout}${child.stderr}`.split('\n').find((text) => text.startsWith('LEAKRUN-BENCH '));
if (child.status !== 0 || line === undefined) {
  console.error(`the Vitest bench did not finish (exit ${child.status}):\n${child.stdout}${child.stderr}`);
  process.exit(1);
}
const { bareMs, checkMs, ratio, snapshotMB, heapMB, rounds } = JSON.parse(line.slice('LEAKRUN-BENCH '.length)) as Record<string, number>;
console.log(`leakrun assert bench: node ${process.version}, Vitest threads pool, ${rounds} rounds after a warm-up, medians\n`);
console.log('| in one Vitest worker | median ms |\n| --- | --- |');
console.log(`| six bare V8 snapshots of the worker's heap | ${bareMs!.toFixed(0)} |`);
console.log(`| assertNoLeaks(fn), 6 runs | ${checkMs!.toFixed(0)} |`);
console.log(`\nworker heap ${heapMB!.toFixed(1)} MB, snapshot ${snapshotMB!.toFixed(1)} MB`);
console.log(`assertNoLeaks / bare snapshots: ${ratio!.toFixed(3)}x (goal: at most 1.3x)`);
