/**
 * The fidelity corpus: real packages used in tests under `-N6 -r`, each in a process of its own,
 * on every supported Node version. A clean use must show no change from iteration 3 on, apart
 * from known bounded growth; a misuse must show the same positive change on every iteration
 * from 3 on. Each run also has `--fail-on-leak`: a clean use must pass its verdict, and a misuse
 * must fail it as a leak and for nothing else.
 *
 *   node --import tsx scripts/fidelity.ts [--runs 20] [--busy] [--nodes 20,22,24,26] [--only jsdom,vm] [--mode every|screen] [--check]
 *
 * --busy keeps one core busy with a spinning process while the runs go on, one at a time.
 * --mode screen runs `--fail-on-leak` without `-r` (the verdict screens, docs/ci.md): only the
 * verdict is judged, and the table says the screen's changes and how many runs took snapshots.
 * Prints a markdown table of rates; --check exits 1 when any run broke its rule.
 * `test/package/fidelity.test.ts` runs each case once per `npm test`, with -N4 (iterations 3 and 4 judged)
 * so that CI's three Node versions fit its time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const repo = resolve(import.meta.dirname, '..');
const corpus = resolve(repo, 'fidelity');
/** `-N` of the measured rates; `npm test` uses {@link CHECK_ITERATIONS} to stay within CI's time. */
export const ITERATIONS = 6;
/** `-N` of the once-per-commit check: iterations 3 and 4 are judged. */
export const CHECK_ITERATIONS = 4;
/** Counts before this iteration may still settle (a first shape, a lazily made cache). */
export const JUDGED_FROM = 3;

export type Variant = 'clean' | 'leaky';

export interface Case {
  /** The module's stem in `fidelity/`, e.g. `jsdom`. */
  readonly module: string;
  readonly variant: Variant;
}

export interface Outcome {
  readonly ok: boolean;
  /** Whether the run itself passed (exit code 0), whatever its counts. */
  readonly ran: boolean;
  /** Per iteration from 2 on: `change=` less the change of known-growth rows. */
  readonly changes: readonly number[];
  /** Per iteration from 2 on: the change of known-growth rows. */
  readonly known: readonly number[];
  /** With `--mode screen`: whether the screen's change called for heap snapshots. */
  readonly snapshots?: boolean | undefined;
  /** Why the run broke its rule, or failed to run. */
  readonly why?: string;
  readonly seconds: number;
  /** What the run printed, kept to show why a run broke its rule. */
  readonly output: string;
}

/** The corpus's cases: each module's `clean` test and, where it has one, its `leaky` test. */
export function corpusCases(node = process.execPath): Case[] {
  const modules = readdirSync(corpus)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -3))
    .sort();
  // One listing for all modules: a process per module would load each package twice.
  const listing = spawnSync(
    node,
    [resolve(repo, 'bin/leakrun.js'), '--path', 'fidelity', '--tests-pattern', `^(${modules.join('|')})$`, '--list-tests'],
    {
      cwd: repo,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (listing.status !== 0) throw new Error(`listing the corpus failed: ${listing.stderr || listing.stdout}`);
  const cases: Case[] = [];
  for (const module of modules) {
    for (const variant of ['clean', 'leaky'] as const) {
      if (listing.stdout.includes(`\n  ${variant} (${module})\n`)) cases.push({ module, variant });
    }
  }
  return cases;
}

/** The judged changes of a `-r -v` run's output, per iteration from 2 on. */
export function changesOf(output: string): { changes: number[]; known: number[] } {
  const changes: number[] = [];
  const known: number[] = [];
  for (const line of output.split('\n')) {
    const summary = / change=(-?\d+) *$/.exec(line);
    if (summary) {
      changes.push(Number(summary[1]));
      known.push(0);
      continue;
    }
    const row = /^ {4}\S.*? +(-?\d+) +(-?\d+) {2}known$/.exec(line);
    if (row && known.length) {
      known[known.length - 1]! += Number(row[2]);
      changes[changes.length - 1]! -= Number(row[2]);
    }
  }
  return { changes, known };
}

/** Whether the changes from iteration {@link JUDGED_FROM} on keep the variant's rule. */
export function judge(variant: Variant, changes: readonly number[], iterations = ITERATIONS): string | undefined {
  const judged = changes.slice(JUDGED_FROM - 2);
  if (judged.length !== iterations - JUDGED_FROM + 1) return `expected ${iterations - 1} samples, got ${changes.length}`;
  if (variant === 'clean') return judged.every((change) => change === 0) ? undefined : 'a clean use changed';
  const [first = 0] = judged;
  if (first <= 0) return 'a misuse showed no growth';
  return judged.every((change) => change === first) ? undefined : 'a misuse grew unevenly';
}

/**
 * Whether `--fail-on-leak` said what the variant needs: a clean use passes (exit 0); a misuse is
 * a leak (exit 1 with the verdict's line) and nothing else went wrong.
 */
export function verdictProblem(variant: Variant, status: number | null, output: string): string | undefined {
  const leaked = /^ {2}\S+ leaked \[[-\d, ]*\] references, sum=-?\d+$/m.test(output);
  const problems = /^(?:Failure|Error) in /m.test(output);
  if (variant === 'clean') return status === 0 && !leaked ? undefined : 'the verdict failed a clean use';
  if (status === 0 || !leaked) return 'the verdict passed a misuse';
  return status === 1 && !problems ? undefined : `exit ${status} with problems besides the leak`;
}

/** The command line of one whole CLI run of a case, with `-N iterations` and `--fail-on-leak`. */
function caseArgs({ module, variant }: Case, iterations: number, screen: boolean): string[] {
  const args = [resolve(repo, 'bin/leakrun.js'), '--path', 'fidelity', '--tests-pattern', `^${module}$`, '-t', `^${variant} `];
  return [...args, `-N${iterations}`, ...(screen ? [] : ['-r']), '-v', '--fail-on-leak'];
}

/**
 * With `--mode screen` (no `-r`: the verdict screens, docs/ci.md): the screen's change between its
 * two counts, and whether heap snapshots then judged the layer.
 */
export function screenOf(output: string): { change: number | undefined; snapshots: boolean } {
  const change = /^ {2}live objects=\d+ +change=([-+]?\d+) since iteration \d+$/m.exec(output)?.[1];
  return { change: change === undefined ? undefined : Number(change), snapshots: /heap snapshots from here/.test(output) };
}

/** How a finished run of a case went. */
interface Finished {
  readonly status: number | null;
  readonly signal: string | null;
  readonly error?: Error | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

function outcomeOf(variant: Variant, child: Finished, iterations: number, seconds: number, screen: boolean): Outcome {
  const output = child.stdout;
  const screened = screen ? screenOf(output) : undefined;
  const { changes, known } = screened ? { changes: screened.change === undefined ? [] : [screened.change], known: [] } : changesOf(output);
  const snapshots = screened?.snapshots;
  const printed = `${child.stdout}${child.stderr}`;
  // Exit 1 with the verdict's line and no other problem is the verdict's; anything else failed to run.
  if (child.status !== 0 && (child.status !== 1 || verdictProblem('leaky', child.status, output) !== undefined)) {
    const why =
      child.error?.message ?? `exit ${child.status ?? child.signal}: ${(child.stderr || output).trim().split('\n').slice(-3).join(' / ')}`;
    return { ok: false, ran: false, changes, known, snapshots, why, seconds, output: printed };
  }
  // Screened, the verdict is all there is to judge: the counts of every iteration are not printed.
  const why = (screen ? undefined : judge(variant, changes, iterations)) ?? verdictProblem(variant, child.status, output);
  return why === undefined
    ? { ok: true, ran: true, changes, known, snapshots, seconds, output: printed }
    : { ok: false, ran: true, changes, known, snapshots, why, seconds, output: printed };
}

const RUN_TIMEOUT_MS = 300_000;

/** One whole CLI run of a case on `node`, with `-N iterations` and `--fail-on-leak`. */
export function runCase(node: string, entry: Case, iterations = ITERATIONS, screen = false): Outcome {
  const started = performance.now();
  // Cold caches, as a CI machine has them: a temporary folder of its own, so that a loader's
  // cache there (tsx's) starts empty and is walked for the first time in this run.
  const temporary = mkdtempSync(join(tmpdir(), 'leakrun-fidelity-'));
  // Plain text to parse, even under node:test on a terminal, which sets FORCE_COLOR for its children.
  const env = { ...process.env, FORCE_COLOR: '0', TMPDIR: temporary };
  const child = spawnSync(node, caseArgs(entry, iterations, screen), { cwd: repo, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, env });
  rmSync(temporary, { recursive: true, force: true });
  const finished = {
    status: child.status,
    signal: child.signal,
    error: child.error,
    stdout: child.stdout ?? '',
    stderr: child.stderr ?? '',
  };
  return outcomeOf(entry.variant, finished, iterations, (performance.now() - started) / 1000, screen);
}

/** A process that keeps one core busy until killed, or until this script ends. */
export function busyCore(): ChildProcess {
  // It ends by itself once this script is gone (killed while a run blocks it, say): an orphan is
  // given a new parent, and it checks its parent now and then.
  const spin = 'const parent = process.ppid; for (let i = 1; ; i++) if (i % 1e7 === 0 && process.ppid !== parent) process.exit();';
  return spawn(process.execPath, ['-e', spin], { stdio: 'ignore' });
}

/** The binary of Node `major`: this one, or the pinned version scripts/nodes.js installs. */
export function nodeBinary(major: string): string {
  if (major === process.versions.node.split('.')[0]) return process.execPath;
  const found = spawnSync(process.execPath, [resolve(repo, 'scripts/nodes.js'), 'path', major], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path.startsWith('/')) throw new Error(`no Node ${major} binary: ${path}`);
  return path;
}

function describeScreened(outcomes: readonly Outcome[]): string {
  const good = outcomes.filter((outcome) => outcome.ok).length;
  const values = [...new Set(outcomes.map((outcome) => outcome.changes[0]))].filter((value) => value !== undefined).sort((a, b) => a - b);
  const snapshots = outcomes.filter((outcome) => outcome.snapshots === true).length;
  return `${good}/${outcomes.length} (screen ${values.map((value) => (value > 0 ? `+${value}` : String(value))).join('/') || '-'}; snapshots in ${snapshots})`;
}

function describe(variant: Variant, outcomes: readonly Outcome[], screen = false): string {
  if (screen) return describeScreened(outcomes);
  const good = outcomes.filter((outcome) => outcome.ok).length;
  const judged = outcomes.map((outcome) => outcome.changes.slice(JUDGED_FROM - 2));
  const values = [...new Set(judged.flat())].sort((a, b) => a - b);
  const known = Math.max(0, ...outcomes.flatMap((outcome) => outcome.known));
  const shown = variant === 'clean' ? `change ${values.join('/') || '-'}` : `+${values.join('/')}`;
  return `${good}/${outcomes.length} (${shown}${known > 0 ? `; known up to +${known}` : ''})`;
}

/** What the measuring scripts share on their command line: `--runs`, `--only`, `--busy`, `--check`. */
export interface ScriptArgs {
  readonly runs: number;
  /** The names `--only` picked, all of `names` when none. */
  readonly only: readonly string[];
  readonly busy: boolean;
  readonly check: boolean;
  /** The script's own string options (`--nodes`), with their defaults. */
  readonly extra: Readonly<Record<string, string>>;
}

/**
 * The measuring scripts' arguments, checked: a positive `--runs`, and `--only` names among
 * `names` (of `what`, such as "case"). On a problem it prints the usage, sets exit code 2 and
 * gives `undefined`.
 */
export function scriptArgs(
  argv: readonly string[],
  usage: string,
  what: string,
  names: readonly string[],
  extra: Readonly<Record<string, string>> = {},
): ScriptArgs | undefined {
  const fail = (message: string): undefined => {
    console.error(`${message}\n${usage}`);
    process.exitCode = 2;
    return undefined;
  };
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        runs: { type: 'string', default: '20' },
        only: { type: 'string', default: '' },
        busy: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        ...Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, { type: 'string' as const, default: value }])),
      },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  const runs = Number(values.runs);
  const only = String(values.only).split(',').filter(Boolean);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) return fail(`no ${what} named ${unknown.join(', ')}`);
  if (!Number.isInteger(runs) || runs < 1) return fail('--runs must be a positive integer');
  const own = Object.fromEntries(Object.keys(extra).map((name) => [name, String(values[name as keyof typeof values])]));
  return { runs, only: only.length ? only : names, busy: values.busy === true, check: values.check === true, extra: own };
}

const USAGE =
  'usage: node --import tsx scripts/fidelity.ts [--runs 20] [--busy] [--nodes 20,22,24,26] [--only jsdom,vm] [--mode every|screen] [--check]';

async function main(argv: string[]): Promise<void> {
  const all = corpusCases();
  const values = scriptArgs(argv, USAGE, 'case', [...new Set(all.map((entry) => entry.module))], { nodes: '20,22,24,26', mode: 'every' });
  if (!values) return;
  if (values.extra.mode !== 'every' && values.extra.mode !== 'screen') {
    console.error(`--mode is every (-r, a heap sample after every iteration) or screen (the verdict's screen)\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const screen = values.extra.mode === 'screen';
  const { runs } = values;
  const cases = all.filter((entry) => values.only.includes(entry.module));
  const nodes = (values.extra.nodes ?? '').split(',').map((major) => ({ major, binary: nodeBinary(major) }));
  const busy = values.busy ? busyCore() : undefined;
  const table = new Map<string, Map<string, Outcome[]>>();
  const started = performance.now();
  let broken = 0;
  try {
    for (const entry of cases) {
      const key = `${entry.module} | ${entry.variant}`;
      const row = new Map<string, Outcome[]>();
      table.set(key, row);
      for (const { major, binary } of nodes) {
        const outcomes: Outcome[] = [];
        for (let run = 0; run < runs; run++) {
          const outcome = runCase(binary, entry, ITERATIONS, screen);
          outcomes.push(outcome);
          if (!outcome.ok) {
            broken++;
            // Kept whole: a one-off needs its per-class table to be understood.
            const kept = join(tmpdir(), `leakrun-fidelity-${entry.module}-${entry.variant}-node${major}-run${run + 1}.txt`);
            writeFileSync(kept, outcome.output);
            process.stderr.write(
              `${key} on Node ${major}, run ${run + 1}: ${outcome.why} (changes from iteration 2: ${outcome.changes.join(', ')}; output in ${kept})\n`,
            );
          }
        }
        row.set(major, outcomes);
        const seconds = outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0) / outcomes.length;
        process.stderr.write(`${key} on Node ${major}: ${describe(entry.variant, outcomes, screen)}, ${seconds.toFixed(1)} s a run\n`);
      }
    }
  } finally {
    busy?.kill();
  }
  const versions = nodes.map(({ binary }) => spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim());
  console.log(`| package | use | ${versions.map((version) => `Node ${version}`).join(' | ')} |`);
  console.log(`| --- | --- | ${versions.map(() => '---').join(' | ')} |`);
  for (const [key, row] of table) {
    const variant = key.endsWith('clean') ? 'clean' : 'leaky';
    console.log(`| ${key} | ${nodes.map(({ major }) => describe(variant, row.get(major) ?? [], screen)).join(' | ')} |`);
  }
  console.log(
    `\n${runs} runs of each case${busy ? ', one core kept busy' : ''}; ${broken} broke their rule; ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
  );
  if (values.check && broken > 0) process.exitCode = 1;
}

if (import.meta.filename === process.argv[1]) await main(process.argv.slice(2));
