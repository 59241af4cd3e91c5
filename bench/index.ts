/**
 * `npm run bench`: leakrun against node:test, mocha and uvu on the same 2,000 trivial tests.
 * Part 1 spawns each CLI (startup, loading and reporting included); part 2 calls the runners
 * in-process with tinybench, where modules are cached and only per-test overhead remains; part 3
 * times the start of a 20-file TypeScript suite loaded by Node's type stripping and by tsx
 * (bench/typescript.ts). `-- --only typescript` runs part 3 alone.
 * Exits non-zero when a tool could not be measured, so a broken runner cannot hide behind a table.
 *
 * Knobs for quick checks: BENCH_ROUNDS (measured rounds, default 20: ten rounds left the ratio to uvu swinging between 0.87x and 0.95x), BENCH_WARMUPS (default 2),
 * BENCH_TIME_MS (tinybench time budget per task, default 3000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateSuites, leakrunUrl, MODULES, TESTS_PER_MODULE, TOTAL_TESTS, uvuUrl } from './generate.ts';
import type { InProcessConfig } from './inprocess.ts';
import { runIsolated } from './isolate.ts';
import { formatProcessTable, timeProcesses, toolCommands } from './runner.ts';
import { benchTypeScript } from './typescript.ts';

function knob(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

const rounds = Math.max(1, knob('BENCH_ROUNDS', 20));
const warmups = knob('BENCH_WARMUPS', 2);
const timeMs = knob('BENCH_TIME_MS', 3000);

function main(): number {
  const started = performance.now();
  let failed = false;
  const root = mkdtempSync(join(tmpdir(), 'leakrun-bench-'));
  try {
    if (process.argv.includes('--only') && process.argv.includes('typescript')) {
      console.log(`3. TypeScript: the start of a suite, by Node's type stripping and by tsx`);
      return benchTypeScript(root, warmups, rounds) ? 0 : 1;
    }
    const suites = generateSuites(root);
    console.log(
      `leakrun bench: ${TOTAL_TESTS} trivial tests (${MODULES} modules x ${TESTS_PER_MODULE}) per tool; ` +
        `node ${process.version}, ${availableParallelism()} CPUs; suites in ${root}\n`,
    );

    console.log(
      `1. Whole process: each CLI spawned with its default reporter, ${warmups} warm-up + ${rounds} measured rounds, round-robin`,
    );
    const timings = timeProcesses(toolCommands(suites), {
      cwd: root,
      expected: TOTAL_TESTS,
      warmups,
      rounds,
      onRound: (round, total) => void (process.stderr.isTTY && process.stderr.write(`  round ${round}/${total}\r`)),
    });
    console.log(formatProcessTable(timings));
    for (const timing of timings) {
      if (timing.error === undefined) continue;
      failed = true;
      console.log(`\n${timing.tool} could not be measured:\n${timing.error}`);
    }

    console.log(
      `\n2. In process (tinybench, plain node): one run() over the same ${TOTAL_TESTS} tests, output discarded; ` +
        "modules are cached after the first import, so this is each runner's per-test overhead, not loading",
    );
    const config: InProcessConfig = {
      urls: { leakrun: leakrunUrl, uvu: uvuUrl, mocha: import.meta.resolve('mocha'), tinybench: import.meta.resolve('tinybench') },
      suites: { leakrun: suites.leakrun, uvu: suites.uvu, mocha: suites.mocha },
      expected: TOTAL_TESTS,
      timeMs,
    };
    const status = runIsolated(join(import.meta.dirname, 'inprocess.ts'), root, [JSON.stringify(config)], 120_000);
    if (status !== 0) {
      failed = true;
      console.log(`in-process bench exited with ${status ?? 'a signal (timeout?)'}`);
    }
    console.log(`\n3. TypeScript: the start of a suite, by Node's type stripping and by tsx`);
    if (!benchTypeScript(root, warmups, rounds)) failed = true;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`\nBench took ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return failed ? 1 : 0;
}

process.exitCode = main();
