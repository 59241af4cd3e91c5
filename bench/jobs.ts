/**
 * `npm run bench:jobs`: what `-j N` buys (docs/processes.md). Eight layers whose one test each
 * sleeps 0.5 s, run serially in one process and at `-j 2` in child processes, side by side in one
 * run (bench/spawn.ts). Goal: `-j 2` in at most 0.6x the serial wall time. Also the sample tree,
 * whose layers take milliseconds: there a child's start-up is the whole cost, and `-j` does not pay.
 *
 *   npm run build && node --import tsx bench/jobs.ts     (BENCH_ROUNDS, default 5)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { leakrunUrl } from './generate.ts';
import { median, measure } from './spawn.ts';

const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5) || 5);
const LAYERS = 8;
const SLEEP_MS = 500;

const root = mkdtempSync(join(tmpdir(), 'leakrun-jobs-'));
let failed = false;
try {
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  for (let i = 1; i <= LAYERS; i++) {
    writeFileSync(
      join(root, `sleep${i}.test.js`),
      [
        `import { suite, test } from ${JSON.stringify(leakrunUrl)};`,
        `class Sleepy { static layerName = 'sleep${i}.Sleepy'; }`,
        'export function testSuite() {',
        `  return suite({ layer: Sleepy }, [test('test_sleeps', () => new Promise((done) => setTimeout(done, ${SLEEP_MS})))]);`,
        '}',
        '',
      ].join('\n'),
    );
  }
  console.log(
    `leakrun -j bench: node ${process.version}, ${availableParallelism()} CPUs, ${rounds} rounds after a warm-up, medians of whole processes\n`,
  );
  const cases = [
    { title: `${LAYERS} layers whose test sleeps ${SLEEP_MS} ms`, args: ['--path', root], cwd: root, goal: 0.6 },
    { title: 'the sample tree (layers of milliseconds)', args: ['--path', 'examples/sample'], cwd: undefined, goal: undefined },
  ];
  console.log('| layers | serial s | -j 2 s | -j 2 / serial | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const { title, args, cwd, goal } of cases) {
    const [serial, parallel] = measure(rounds, [
      { label: `${title}, serial`, args, env: {}, status: 0, cwd },
      { label: `${title}, -j 2`, args: [...args, '-j', '2'], env: {}, status: 0, cwd },
    ]).map((timing) => median(timing.seconds)) as [number, number];
    const ratio = parallel / serial;
    if (goal !== undefined && ratio > goal) failed = true;
    console.log(
      `| ${title} | ${serial.toFixed(3)} | ${parallel.toFixed(3)} | ${ratio.toFixed(2)}x | ${goal === undefined ? 'none' : `at most ${goal}x`} |`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (failed) {
  console.log('\n-j 2 missed its goal.');
  process.exitCode = 1;
}
