/**
 * Real public test suites under leakrun, side by side with their own runners
 * (docs/existing-suites.md): `npm run suites -- DIR`.
 *
 * DIR holds each repository unpacked at its pinned commit, its devDependencies installed
 * (`npm install` in each): `DIR/express`, `DIR/body-parser`, `DIR/avvio`, `DIR/light-my-request`.
 * Those are other people's code and stay outside this repository. For each suite and Node version:
 * the suite's own runner and leakrun (`npx leakrun`, no argument: it finds what that runner would)
 * on the same files, their counts and their wall times (the median of --runs); with --leak, then
 * `-N4 -r --fail-on-leak`: its verdict, the leaking tests and the first lines of their paths; with
 * --plant, a copy of a node:test and of a Mocha suite with one leak planted in one test, which the
 * verdict must name.
 *
 *   npm run suites -- DIR [--only express,avvio] [--nodes 20,26] [--runs 3] [--leak] [--plant]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const repo = new URL('..', import.meta.url).pathname;
const leakrunBin = join(repo, 'bin/leakrun.js');

interface Counts {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
}

interface Suite {
  readonly name: string;
  readonly repository: string;
  readonly commit: string;
  readonly version: string;
  /** The suite's own command (its test script's runner with a machine-readable reporter), and how to read its counts. */
  own(dir: string, major: number, out: string): { runner: string; args: string[]; counts: (stdout: string) => Counts };
}

/** Mocha's JSON reporter: a test that passed and then failed --check-leaks is counted once, as failed. */
function mochaCounts(out: string): Counts {
  const report = JSON.parse(readFileSync(out, 'utf8')) as { stats: { tests: number; pending: number }; failures: { fullTitle: string }[] };
  const failed = new Set(report.failures.map((failure) => failure.fullTitle)).size;
  const { tests, pending } = report.stats;
  return { tests, passed: tests - pending - failed, failed, skipped: pending };
}

/** node:test's TAP summary: cancelled (timed out) counts as failed, todo as skipped, as leakrun counts them. */
function tapCounts(stdout: string): Counts {
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(stdout)?.[1] ?? NaN);
  return {
    tests: count('tests'),
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
}

const mocha = (dir: string, out: string, args: string[]): string[] => [
  join(dir, 'node_modules/mocha/bin/mocha.js'),
  '--reporter',
  'json',
  '--reporter-option',
  `output=${out}`,
  ...args,
];

const SUITES: readonly Suite[] = [
  {
    name: 'express',
    repository: 'expressjs/express',
    commit: 'a3714473feb3d2908add734d340e7755fd85e0a3',
    version: '5.2.1',
    own: (dir, _major, out) => ({
      runner: 'mocha',
      args: mocha(dir, out, ['--require', 'test/support/env', '--check-leaks', 'test/', 'test/acceptance/']),
      counts: () => mochaCounts(out),
    }),
  },
  {
    name: 'body-parser',
    repository: 'expressjs/body-parser',
    commit: 'b1f3d588c5dca4b3a4ca7d5d3765c9129118926a',
    version: '2.3.0',
    own: (dir, _major, out) => ({ runner: 'mocha', args: mocha(dir, out, ['--check-leaks', 'test/']), counts: () => mochaCounts(out) }),
  },
  {
    name: 'avvio',
    repository: 'fastify/avvio',
    commit: 'ba0239c4cc6faf2223cc021d869bed2eb339d305',
    version: '9.2.0',
    // borp 1.0 needs Node 22.6; before, node --test with borp's settings (one file at a time, 30 s timeout).
    own: (dir, major) =>
      major >= 22
        ? { runner: 'borp', args: [join(dir, 'node_modules/borp/borp.js'), '--reporter=tap'], counts: tapCounts }
        : {
            runner: 'node --test (borp settings)',
            args: ['--test', '--test-reporter=tap', '--test-concurrency=1', '--test-timeout=30000', ...testFiles(dir, /\.test\.js$/)],
            counts: tapCounts,
          },
  },
  {
    name: 'light-my-request',
    repository: 'fastify/light-my-request',
    commit: '4448a21ae80fcb531b1164af8fb8e7f0140ec657',
    version: '6.7.0',
    // Its test:unit is `c8 --100 node --test`: coverage is left out on both sides.
    own: () => ({ runner: 'node --test', args: ['--test', '--test-reporter=tap'], counts: tapCounts }),
  },
];

/** The files under DIR/test whose path matches, for Node 20's node --test (no globs). */
function testFiles(dir: string, pattern: RegExp): string[] {
  const listing = spawnSync('find', ['test', '-type', 'f'], { cwd: dir, encoding: 'utf8' }).stdout;
  return listing
    .split('\n')
    .filter((file) => pattern.test(file))
    .sort();
}

/** leakrun's counts from its JSON report: failed is failures and errors, passed what is left. */
function leakrunCounts(report: string): Counts {
  const { totals } = JSON.parse(readFileSync(report, 'utf8')) as {
    totals: { tests: number; failures: number; errors: number; skipped: number };
  };
  const failed = totals.failures + totals.errors;
  return { tests: totals.tests, passed: totals.tests - failed - totals.skipped, failed, skipped: totals.skipped };
}

interface Timed {
  seconds: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function timed(node: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Timed {
  const started = process.hrtime.bigint();
  const child = spawnSync(node, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const median = (values: number[]): number => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;
const shown = (counts: Counts): string => `${counts.tests} / ${counts.passed} / ${counts.failed} / ${counts.skipped}`;

/** The binary of a Node major: this one, or one of scripts/nodes.js's. */
function nodeBinary(major: string): string {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  return spawnSync(process.execPath, [join(repo, 'scripts/nodes.js'), 'path', major], { encoding: 'utf8' }).stdout.trim();
}

/** What `-N4 -r --fail-on-leak` said: exit, leaking layers and tests, the first path lines, tests not repeatable; the whole output is kept in `saved`. */
function leakLines(run: Timed, saved: string): string[] {
  writeFileSync(saved, run.stdout + run.stderr);
  const lines = run.stdout.split('\n');
  const wanted = lines.filter((line) =>
    / leaked \[|^ {2}leaking test: |◀ grows|^\s+╰─ .*\(\d+ new|^Not repeatable|: failed first in iteration|^(Failure|Error) in test /.test(
      line,
    ),
  );
  return [
    `exit ${run.status}, ${run.seconds.toFixed(1)} s (the whole output: ${saved})`,
    ...wanted.slice(0, 40).map((line) => line.trimEnd()),
  ];
}

/** A copy of a suite (node_modules linked) with one leak planted in one test. */
function planted(dir: string, file: string, at: RegExp, line: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'leakrun-planted-'));
  cpSync(dir, copy, { recursive: true, filter: (source) => !source.includes('/node_modules') });
  symlinkSync(join(dir, 'node_modules'), join(copy, 'node_modules'));
  const source = readFileSync(join(copy, file), 'utf8');
  if (!at.test(source)) throw new Error(`suites: the test to plant the leak in is not in ${file}`);
  writeFileSync(
    join(copy, file),
    source.replace(at, (found) => `${found}\n${line}`).replace(/^(['"]use strict['"])?/, (found) => `${found}\nconst plantedLeak = []`),
  );
  return copy;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string' },
    nodes: { type: 'string', default: process.versions.node.split('.')[0] },
    runs: { type: 'string', default: '3' },
    leak: { type: 'boolean', default: false },
    plant: { type: 'boolean', default: false },
  },
});
const dir = positionals[0];
if (dir === undefined) {
  process.stderr.write('usage: npm run suites -- DIR [--only NAMES] [--nodes 20,26] [--runs N] [--leak] [--plant]\n');
  process.exit(2);
}
const only = values.only?.split(',');
const runs = Number(values.runs);
const chosen = SUITES.filter(
  (suite) => (only === undefined || only.includes(suite.name)) && existsSync(join(dir, suite.name, 'package.json')),
);
if (chosen.length === 0) {
  process.stderr.write(`suites: none of ${SUITES.map((suite) => suite.name).join(', ')} is unpacked and installed in ${dir}\n`);
  process.exit(2);
}

const rows: string[] = [];
const notes: string[] = [];
let bad = false;
for (const major of (values.nodes ?? '').split(',')) {
  const node = nodeBinary(major);
  for (const suite of chosen) {
    const cwd = resolve(dir, suite.name);
    const version = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { version: string }).version;
    if (version !== suite.version) notes.push(`${suite.name}: package.json says ${version}, the pinned commit is ${suite.version}`);
    const out = join(tmpdir(), `leakrun-suite-${suite.name}.json`);
    const own = suite.own(cwd, Number(major), out);
    const report = join(tmpdir(), `leakrun-suite-${suite.name}-leakrun.json`);
    const ownTimes: number[] = [];
    const leakrunTimes: number[] = [];
    let ownCounts: Counts | undefined;
    let leakrunCounted: Counts | undefined;
    for (let run = 0; run < runs; run++) {
      // Side by side: the two alternate, so that a slow moment of the machine falls on both.
      const ownRun = timed(node, own.args, cwd);
      ownTimes.push(ownRun.seconds);
      ownCounts = own.counts(ownRun.stdout);
      const ours = timed(node, [leakrunBin, '--json', report], cwd);
      leakrunTimes.push(ours.seconds);
      leakrunCounted = leakrunCounts(report);
    }
    const equal = JSON.stringify(ownCounts) === JSON.stringify(leakrunCounted);
    if (!equal) bad = true;
    const ratio = median(leakrunTimes) / median(ownTimes);
    rows.push(
      `| ${suite.name} ${suite.version} | ${major} | ${own.runner} | ${shown(ownCounts!)} | ${median(ownTimes).toFixed(2)} | ${shown(leakrunCounted!)} | ${median(leakrunTimes).toFixed(2)} | ${ratio.toFixed(2)}× | ${equal ? 'equal' : 'DIFFERENT'} |`,
    );
    process.stdout.write(`${rows.at(-1)}\n`);
    if (values.leak) {
      const verdict = timed(node, [leakrunBin, '-N4', '-r', '--fail-on-leak'], cwd);
      const saved = join(tmpdir(), `leakrun-suite-${suite.name}-node${major}-verdict.txt`);
      notes.push(`${suite.name} on Node ${major}, -N4 -r --fail-on-leak:\n    ${leakLines(verdict, saved).join('\n    ')}`);
      process.stdout.write(`${notes.at(-1)}\n`);
    }
  }
  if (values.plant) {
    const plants = [
      {
        suite: 'light-my-request',
        file: 'test/index.test.js',
        at: /test\('passes headers', \(t, done\) => \{/,
        line: '  plantedLeak.push({ at: Date.now() })',
        // Its test of a warning Node emits once per process fails when repeated, and a layer with
        // a failing iteration has no verdict: that test is left out, and the note says so.
        args: ['-t', '!includes deprecated connection on request'],
      },
      {
        suite: 'body-parser',
        file: 'test/json.js',
        at: /it\('should parse JSON', function \(done\) \{/,
        line: '      plantedLeak.push({ at: Date.now() })',
        args: [],
      },
    ].filter((plant) => chosen.some((suite) => suite.name === plant.suite));
    for (const plant of plants) {
      const copy = planted(resolve(dir, plant.suite), plant.file, plant.at, plant.line);
      try {
        const args = ['-N4', '-r', '--fail-on-leak', ...plant.args];
        const verdict = timed(node, [leakrunBin, ...args], copy);
        const saved = join(tmpdir(), `leakrun-suite-${plant.suite}-node${major}-planted.txt`);
        notes.push(
          `planted in ${plant.suite} (${plant.file}, ${plant.at.source}; ${args.join(' ')}) on Node ${major}:\n    ${leakLines(verdict, saved).join('\n    ')}`,
        );
        process.stdout.write(`${notes.at(-1)}\n`);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
  }
}

process.stdout.write(
  [
    '',
    '| suite | Node | own runner | own: tests / passed / failed / skipped | own s | leakrun: tests / passed / failed / skipped | leakrun s | leakrun ÷ own | counts |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Pinned: ${chosen.map((suite) => `${suite.repository}@${suite.commit.slice(0, 10)}`).join(', ')}; median of ${runs} runs each.`,
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n'),
);
process.exitCode = bad ? 1 : 0;
