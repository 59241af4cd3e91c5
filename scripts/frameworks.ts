/**
 * The leak checks of `leakrun/assert` and `leakrun/expect` inside real test frameworks
 * (docs/frameworks.md): each framework runs the examples in `examples/frameworks/`, a clean test
 * that must pass and a leaking one that must fail with a message naming the class that grows.
 *
 *   node --import tsx scripts/frameworks.ts [--runs 20] [--busy] [--only vitest-threads,jest] [--check]
 *
 * --busy keeps one core busy while the runs go on, one at a time. Prints a table of rates;
 * --check exits 1 when any run broke its rule. `test/package/frameworks.test.ts` runs each host once.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { busyCore, repo, scriptArgs } from './fidelity.ts';

/** A framework, and how to run the examples in it. */
export interface Host {
  readonly name: string;
  /** Arguments to `node`, from the repository's root. */
  readonly args: readonly string[];
  /** Matches the framework's summary of one passed test and one failed. */
  readonly summary: RegExp;
  /** What the failing test's message must say. */
  readonly failure: RegExp;
  /** What the passing test must not have said. */
  readonly quiet: RegExp;
}

/**
 * The leaking example's message, as `assertNoLeaks` and `toLeak` word it; the clean one's would say
 * `openAndClose leaked` or `changed`. Four judged deltas, each 1 or more: usually `[1, 1, 1, 1]`,
 * but the host's own bookkeeping may land in one of them (Jest's once gave `[1, 1, 12, 1]` in a
 * loaded CI run); the row that grew is the session, by one per run.
 */
const LEAK = {
  failure:
    /openAndForget leaked \[[1-9]\d*(, [1-9]\d*){3}\] references, sum=\d+ over \d+ runs\n\s*store\.Session +\+1 insts \+1 refs per run\n/,
  quiet: /openAndClose (leaked|changed)/,
};
/** The failing doctest's report: the file and line, the diff; the passing file is not in it. */
const DOCS = {
  failure: /examples\/frameworks\/docs\/counting\.md:11: example failed\n[^]*-open: 3\n\s*\+open: 2/,
  quiet: /sessions\.md:\d+: example/,
};

const bin = (path: string): string => resolve(repo, 'node_modules', path);
const examples = (path: string): string => resolve(repo, 'examples/frameworks', path);

export const HOSTS: readonly Host[] = [
  {
    name: 'node:test',
    args: ['--test', '--test-reporter=tap', examples('node-test/session.test.mjs')],
    summary: /^# pass 1\n# fail 1$/m,
    ...LEAK,
  },
  {
    name: 'node:test doctest',
    args: ['--test', '--test-reporter=tap', examples('node-test/docs.test.mjs')],
    summary: /^# pass 1\n# fail 1$/m,
    ...DOCS,
  },
  {
    name: 'mocha',
    args: [bin('mocha/bin/mocha.js'), '--config', examples('mocha/.mocharc.json')],
    summary: /^ {2}1 passing \(.+\)\n {2}1 failing$/m,
    ...LEAK,
  },
  {
    name: 'mocha doctest',
    args: [bin('mocha/bin/mocha.js'), examples('mocha/docs.test.mjs')],
    summary: /^ {2}1 passing \(.+\)\n {2}1 failing$/m,
    ...DOCS,
  },
  {
    name: 'vitest-forks',
    args: [bin('vitest/vitest.mjs'), 'run', '--config', examples('vitest/vitest.config.ts'), '--pool', 'forks', 'session'],
    summary: /^ +Tests +1 failed \| 1 passed \(2\)$/m,
    ...LEAK,
  },
  {
    name: 'vitest-threads',
    args: [bin('vitest/vitest.mjs'), 'run', '--config', examples('vitest/vitest.config.ts'), '--pool', 'threads', 'session'],
    summary: /^ +Tests +1 failed \| 1 passed \(2\)$/m,
    ...LEAK,
  },
  {
    name: 'vitest run()',
    args: [bin('vitest/vitest.mjs'), 'run', '--config', examples('vitest/vitest.config.ts'), 'suite'],
    summary: /^ +Tests +1 failed \| 1 passed \(2\)$/m,
    failure:
      /Running in a subprocess \(Vitest shares this process, whose objects -r would count\)\.\n[^]*leakrun\.UnitTests leaked \[6, 6\] references, sum=12/,
    quiet: /Layer11 leaked/,
  },
  {
    name: 'vitest doctest',
    args: [bin('vitest/vitest.mjs'), 'run', '--config', examples('vitest/vitest.config.ts'), 'docs'],
    summary: /^ +Tests +1 failed \| 1 passed \(2\)$/m,
    ...DOCS,
  },
  {
    name: 'jest',
    args: [bin('jest/bin/jest.js'), '--config', examples('jest/jest.config.cjs')],
    summary: /^Tests: +1 failed, 1 passed, 2 total$/m,
    ...LEAK,
  },
];

/** What a run of a host showed. */
export interface HostOutcome {
  readonly ok: boolean;
  /** Why the run broke its rule. */
  readonly why?: string;
  readonly seconds: number;
  readonly output: string;
}

/** The environment of a host: no colour, and nothing of a node:test run this one may be inside. */
function hostEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };
  // Set in the files node:test runs; a node:test inside would report to it instead of exiting 1.
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs the examples once in `host`; the rule: exit 1, one test passed and one failed, the failure's message as expected, nothing from the passing test. */
export function runHost(host: Host, node = process.execPath): HostOutcome {
  const started = performance.now();
  const child = spawnSync(node, host.args, {
    cwd: repo,
    encoding: 'utf8',
    timeout: 600_000,
    env: hostEnv(),
  });
  const seconds = (performance.now() - started) / 1000;
  const output = `${child.stdout}${child.stderr}`;
  let why: string | undefined;
  if (child.error) why = `did not finish: ${child.error.message}`;
  else if (child.status !== 1) why = `exit code ${child.status ?? child.signal}, not 1`;
  else if (!host.summary.test(output)) why = 'not one test passed and one failed';
  else if (!host.failure.test(output)) why = `the failing test does not say ${host.failure}`;
  else if (host.quiet.test(output)) why = `the passing test said ${host.quiet}`;
  return why === undefined ? { ok: true, seconds, output } : { ok: false, why, seconds, output };
}

const USAGE = 'usage: node --import tsx scripts/frameworks.ts [--runs 20] [--busy] [--only NAME,...] [--check]';

async function main(argv: string[]): Promise<void> {
  const names = HOSTS.map((host) => host.name);
  const values = scriptArgs(argv, USAGE, 'framework', names);
  if (!values) return;
  const { runs } = values;
  const hosts = HOSTS.filter((host) => values.only.includes(host.name));
  const busy = values.busy ? busyCore() : undefined;
  const rows: string[] = [];
  let broken = 0;
  try {
    for (const host of hosts) {
      let good = 0;
      let seconds = 0;
      for (let run = 1; run <= runs; run++) {
        const outcome = runHost(host);
        seconds += outcome.seconds;
        if (outcome.ok) good++;
        else {
          broken++;
          process.stderr.write(`${host.name}, run ${run}: ${outcome.why}\n${outcome.output.slice(-3000)}\n`);
        }
      }
      const row = `| ${host.name} | ${good}/${runs} | ${(seconds / runs).toFixed(1)} s |`;
      process.stderr.write(`${row}\n`);
      rows.push(row);
    }
  } finally {
    busy?.kill();
  }
  console.log(
    `| framework | leaking example fails naming store.Session, clean one passes | a run |\n| --- | --- | --- |\n${rows.join('\n')}`,
  );
  console.log(`\n${runs} runs of each on Node ${process.versions.node}${busy ? ', one core kept busy' : ''}; ${broken} broke the rule.`);
  if (values.check && broken > 0) process.exitCode = 1;
}

if (import.meta.filename === process.argv[1]) await main(process.argv.slice(2));
