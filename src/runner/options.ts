import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from './config.ts';
import { MODULE_EXTENSIONS, moduleFileExtension } from './discovery.ts';
import { DOCS_URL } from '../core/package.ts';
import { DEFAULT_BISECT_BUDGET, DEFAULT_WARMUPS, defaultLeakMaxRepeat, defaultLeakRepeat, minimumLeakRepeat } from '../leaks/verdict.ts';
import type { NameFilter, OptionParser, ParseContext, RunOptions, Shard, UsageProblem } from '../types/index.ts';

type Kind = 'flag' | 'count' | 'value' | 'list';

interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly kind: Kind;
  readonly metavar?: string;
  readonly help: string;
}

/** Every option leakrun knows, in the order `--help` lists them (docs/options.md). */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { long: 'path', kind: 'list', metavar: 'DIR', help: 'Search DIR for test modules; module names are relative to it. Repeatable.' },
  { long: 'test-path', kind: 'list', metavar: 'DIR', help: 'Like --path, for directories that hold only tests. Repeatable.' },
  { long: 'tests-pattern', kind: 'value', metavar: 'RE', help: 'Test module and directory stems to load (default: ^tests$|\\.test$).' },
  { long: 'test-file-pattern', kind: 'value', metavar: 'RE', help: 'Files to load inside a matching directory (default: ^test).' },
  { long: 'package', short: 's', kind: 'list', metavar: 'PKG', help: 'Only modules in this dotted package. Repeatable.' },
  { long: 'module', short: 'm', kind: 'list', metavar: 'RE', help: 'Only modules whose dotted name matches (! negates). Repeatable.' },
  { long: 'test', short: 't', kind: 'list', metavar: 'RE', help: 'Only tests whose printed name matches (! negates). Repeatable.' },
  { long: 'layer', kind: 'list', metavar: 'RE', help: 'Only layers whose name matches (! negates). Repeatable.' },
  { long: 'unit', short: 'u', kind: 'flag', help: 'Only the unit tests (tests without a layer).' },
  { long: 'non-unit', short: 'f', kind: 'flag', help: 'Only tests in layers.' },
  { long: 'at-level', short: 'a', kind: 'value', metavar: 'N', help: 'Run tests at levels up to N (default: 1).' },
  { long: 'all', kind: 'flag', help: 'Run tests at all levels.' },
  { long: 'list-tests', kind: 'flag', help: 'List the selected tests by layer; run nothing.' },
  { long: 'pass-with-no-tests', kind: 'flag', help: 'Exit 0 when the filters select no test (by default that is an error).' },
  { long: 'require-unique', kind: 'flag', help: 'Fail when two selected tests have the same name.' },
  { long: 'verbose', short: 'v', kind: 'count', help: 'More output; repeat for more (-v dots, -vv names, -vvv times).' },
  { long: 'quiet', short: 'q', kind: 'flag', help: 'Minimal output, overriding -v.' },
  { long: 'progress', short: 'p', kind: 'flag', help: 'Show progress.' },
  { long: 'no-progress', kind: 'flag', help: 'Do not show progress.' },
  { long: 'auto-progress', kind: 'flag', help: 'Show progress when the output is a terminal.' },
  { long: 'color', short: 'c', kind: 'flag', help: 'Colour the output, even on a pipe or with NO_COLOR.' },
  { long: 'no-color', short: 'C', kind: 'flag', help: 'Do not colour the output.' },
  { long: 'auto-color', kind: 'flag', help: 'Colour a terminal, unless NO_COLOR is set; FORCE_COLOR colours anything (default).' },
  { long: 'repeat', short: 'N', kind: 'value', metavar: 'N', help: "Run each layer's tests N times inside one set-up." },
  { long: 'report-refcounts', short: 'r', kind: 'flag', help: 'After each iteration, report heap counts (needs -N 2 or more).' },
  { long: 'fail-on-leak', kind: 'flag', help: 'Fail a layer whose heap grows in every judged iteration (implies -r; -N 5 unless given).' },
  {
    long: 'fail-on-env-change',
    kind: 'flag',
    help: 'Fail when an iteration changes globalThis, process.env or the working directory (-r only warns).',
  },
  {
    long: 'trace-leaks',
    kind: 'flag',
    help: 'With --fail-on-leak or --leak-bisect, show where leaked timers and handles were created (slower).',
  },
  { long: 'leak-warmups', kind: 'value', metavar: 'W', help: 'With --fail-on-leak, leave the first W deltas unjudged (default: 1).' },
  {
    long: 'leak-max-repeat',
    kind: 'value',
    metavar: 'N',
    help: 'When judged deltas disagree, run more iterations, N in all at most (default: -N plus twice the judged deltas).',
  },
  { long: 'leak-allow-undecided', kind: 'flag', help: 'Do not fail a layer whose judged deltas still disagree at --leak-max-repeat.' },
  {
    long: 'leak-bisect-budget',
    kind: 'value',
    metavar: 'N',
    help: 'Find the tests a leaking layer leaks in with at most N heap samples; 0: do not look (default: 20).',
  },
  { long: 'leak-bisect', kind: 'flag', help: 'Judge each layer and find its leaking tests without failing the run (implies -r).' },
  {
    long: 'leak-allow',
    kind: 'list',
    metavar: 'RE',
    help: 'Report leaks of matching layers or tests as allowed; they do not fail. Repeatable.',
  },
  {
    long: 'leak-ignore',
    kind: 'list',
    metavar: 'RE',
    help: 'Leave heap rows whose type/class name matches out of the verdict. Repeatable.',
  },
  { long: 'json', kind: 'value', metavar: 'FILE', help: 'Also write the whole run as JSON to FILE (docs/ci.md).' },
  {
    long: 'html',
    kind: 'value',
    metavar: 'FILE',
    help: 'Also write a page to look at: per layer, a plot of the heap changes and what leaked.',
  },
  { long: 'xml', kind: 'value', metavar: 'DIR', help: 'Also write JUnit XML to DIR, a file per layer (docs/ci.md).' },
  {
    long: 'reporter',
    kind: 'value',
    metavar: 'NAME',
    help: 'How to print the run: text (default), events (a JSON line per event), or a module exporting a formatter factory.',
  },
  { long: 'stop-on-error', short: 'x', kind: 'flag', help: 'Stop after the first failure or error.' },
  { long: 'timeout', kind: 'value', metavar: 'MS', help: 'Fail a test that runs longer than MS milliseconds.' },
  { long: 'shuffle', kind: 'flag', help: "Shuffle each layer's tests; the seed is printed." },
  { long: 'shuffle-seed', kind: 'value', metavar: 'N', help: 'Shuffle with this seed (implies --shuffle).' },
  {
    long: 'jobs',
    short: 'j',
    kind: 'value',
    metavar: 'N',
    help: 'Run up to N layers at once, each in a child process; output keeps the layer order (default: 1, in this process).',
  },
  { long: 'shard', kind: 'value', metavar: 'I/N', help: 'Run only the I-th of N equal shares of the tests, for one of N CI machines.' },
  { long: 'version', kind: 'flag', help: 'Print the version and exit.' },
  { long: 'help', short: 'h', kind: 'flag', help: 'Print this help and exit.' },
];

const byLong = new Map(OPTION_SPECS.map((spec) => [spec.long, spec]));
const byShort = new Map(OPTION_SPECS.filter((spec) => spec.short).map((spec) => [spec.short as string, spec]));

export const REFCOUNT_REPEAT_MESSAGE =
  'You must use the --repeat (-N) option to specify a repeat count greater than 1 when using the --report-refcounts (-r) option.';

/** Thrown inside the parser only; turned into a `UsageProblem` at its edge. */
class Usage extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Raw values in the order given: scalars keep the last, lists and counts accumulate. */
interface Raw {
  values: Map<string, string>;
  lists: Map<string, string[]>;
  flags: Map<string, number>;
  positional: string[];
  /** Long names in the order seen, so the last of --color/--no-color/--auto-color wins. */
  order: string[];
}

function nearest(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const spec of OPTION_SPECS) {
    const distance = editDistance(name, spec.long);
    if (distance < bestDistance) [best, bestDistance] = [spec.long, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function display(spec: OptionSpec): string {
  return spec.short ? `-${spec.short}/--${spec.long}` : `--${spec.long}`;
}

function record(raw: Raw, spec: OptionSpec, value: string | undefined): void {
  raw.order.push(spec.long);
  if (spec.kind === 'flag' || spec.kind === 'count') {
    raw.flags.set(spec.long, (raw.flags.get(spec.long) ?? 0) + 1);
  } else if (spec.kind === 'list') {
    const list = raw.lists.get(spec.long) ?? [];
    list.push(value as string);
    raw.lists.set(spec.long, list);
  } else {
    raw.values.set(spec.long, value as string);
  }
}

function takesValue(spec: OptionSpec): boolean {
  return spec.kind === 'value' || spec.kind === 'list';
}

function scan(args: readonly string[], raw: Raw): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      raw.positional.push(...args.slice(i + 1));
      return;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const spec = byLong.get(name);
      if (!spec) {
        const guess = nearest(name);
        throw new Usage(`unknown option --${name}${guess ? ` (did you mean --${guess}?)` : ''}`);
      }
      if (!takesValue(spec)) {
        if (eq !== -1) throw new Usage(`${display(spec)} takes no value; remove "=${arg.slice(eq + 1)}"`);
        record(raw, spec, undefined);
        continue;
      }
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new Usage(`${display(spec)} needs a value: ${display(spec)} ${spec.metavar}`);
      if (eq === -1 && value.startsWith('-') && value.length > 1 && spec.metavar !== 'RE' && !/^-\d/.test(value)) {
        throw new Usage(`${display(spec)} needs a value: ${display(spec)} ${spec.metavar} (got the option ${value})`);
      }
      record(raw, spec, value);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        const spec = byShort.get(letter);
        if (!spec) throw new Usage(`unknown option -${letter}${arg.length > 2 ? ` (in ${arg})` : ''}`);
        if (!takesValue(spec)) {
          record(raw, spec, undefined);
          continue;
        }
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) throw new Usage(`${display(spec)} needs a value: -${letter} ${spec.metavar}`);
        record(raw, spec, value);
        break;
      }
    } else {
      raw.positional.push(arg);
    }
  }
}

function regexp(option: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: /, '');
    throw new Usage(`${option}: "${source}" is not a valid regular expression (${reason}); fix or escape the pattern`);
  }
}

function filters(option: string, sources: readonly string[]): NameFilter[] {
  return sources.map((source) => {
    const negated = source.startsWith('!');
    return { source, negated, regexp: regexp(option, negated ? source.slice(1) : source) };
  });
}

function integer(option: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new Usage(`${option} needs a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min) throw new Usage(`${option} must be at least ${min}, got ${value}`);
  return value;
}

/** `--shard I/N`, checked: 1 ≤ I ≤ N. */
function shard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || count < 1 || index > count) {
    throw new Usage(`--shard needs I/N with 1 <= I <= N, such as 1/3 for the first of three machines; got "${text}"`);
  }
  return { index, count };
}

/** What is at `path`, or `undefined` when nothing can be (no entry, or a file where a directory should be). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function directories(cwd: string, option: string, dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    const absolute = resolve(cwd, dir);
    const stat = statOf(absolute);
    if (!stat) throw new Usage(`${option} ${dir}: no such directory; give an existing directory`);
    if (!stat.isDirectory()) throw new Usage(`${option} ${dir}: not a directory; give a directory of test modules`);
    return absolute;
  });
}

/**
 * The absolute path of `--xml DIR`, checked before anything runs: an existing directory, or one
 * that can be made in the nearest directory that exists.
 */
function reportDirectory(cwd: string, dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const absolute = resolve(cwd, dir);
  let existing = absolute;
  while (!statOf(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statOf(existing)?.isDirectory())
    throw new Usage(`--xml ${dir}: ${existing === absolute ? 'is a file' : `${existing} is a file`}; give a directory`);
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new Usage(`--xml ${dir}: cannot write in ${existing}; give a writable directory`);
  }
  return absolute;
}

/**
 * Arguments after the options: an existing file or directory (from the working directory) selects
 * test files, as in Jest, Vitest and Mocha; anything else is a zope-style pattern. An argument
 * that looks like a path (it has a `/`, or a module's extension) but names nothing is an error,
 * not a pattern that would match nothing.
 */
function positionals(cwd: string, args: readonly string[]): { files: string[]; patterns: string[] } {
  const files: string[] = [];
  const patterns: string[] = [];
  for (const arg of args) {
    const absolute = resolve(cwd, arg);
    const stat = statOf(absolute);
    if (stat?.isDirectory()) files.push(absolute);
    else if (stat?.isFile()) {
      if (!moduleFileExtension(basename(arg))) {
        throw new Usage(`${arg}: not a test module; leakrun loads ${[...MODULE_EXTENSIONS].join(', ')} files`);
      }
      files.push(absolute);
    } else if (arg.includes('/') || arg.includes(sep) || MODULE_EXTENSIONS.has(extname(arg))) {
      throw new Usage(`${arg}: no such file or directory; give an existing test file or directory, or a module pattern`);
    } else patterns.push(arg);
  }
  return { files, patterns };
}

/** The absolute path of `--json FILE` or `--html FILE`, checked to be writable before anything runs. */
function reportFile(cwd: string, option: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const absolute = resolve(cwd, file);
  const stat = statOf(absolute);
  if (stat?.isDirectory()) throw new Usage(`${option} ${file}: is a directory; give a file name`);
  const directory = dirname(absolute);
  if (!statOf(directory)?.isDirectory()) {
    throw new Usage(`${option} ${file}: no such directory ${directory}; create it or give another path`);
  }
  try {
    accessSync(stat ? absolute : directory, constants.W_OK);
  } catch {
    throw new Usage(`${option} ${file}: cannot write ${stat ? 'the file' : `in ${directory}`}; give a writable path`);
  }
  return absolute;
}

function toOptions(raw: Raw, context: ParseContext): RunOptions {
  const { cwd, terminal } = context;
  const flag = (name: string): boolean => (raw.flags.get(name) ?? 0) > 0;
  const list = (name: string): string[] => raw.lists.get(name) ?? [];
  const { files, patterns } = positionals(cwd, raw.positional);
  if (patterns.length > 2) {
    throw new Usage(
      `unexpected argument "${patterns[2]}"; at most a module pattern and a test pattern may follow the options, besides test files`,
    );
  }
  const [modulePositional, testPositional] = patterns;
  const failOnLeak = flag('fail-on-leak');
  const leakBisect = flag('leak-bisect');
  const judged = failOnLeak || leakBisect;
  const leakWarmups = integer('--leak-warmups', raw.values.get('leak-warmups'), 0) ?? DEFAULT_WARMUPS;
  const leakBisectBudget = integer('--leak-bisect-budget', raw.values.get('leak-bisect-budget'), 0) ?? DEFAULT_BISECT_BUDGET;
  // One sample would be the search's baseline with nothing to compare it to.
  if (leakBisectBudget === 1) {
    throw new Usage('--leak-bisect-budget 1 leaves the search a baseline and no check; give 0 to turn the search off, or 2 or more');
  }
  const givenRepeat = integer('-N/--repeat', raw.values.get('repeat'), 1);
  const repeat = givenRepeat ?? (judged ? defaultLeakRepeat(leakWarmups) : 1);
  // The sites are printed under a verdict's leaked resources; without a verdict nothing would show them.
  if (flag('trace-leaks') && !judged) {
    throw new Usage('--trace-leaks shows where leaked resources were created, under a leak verdict; add --fail-on-leak or --leak-bisect');
  }
  const reportRefcounts = flag('report-refcounts') || judged;
  // Asked for counts, a user gets them after every iteration; asked for a verdict, a screen.
  const leakScreen = judged && !flag('report-refcounts');
  if (judged && repeat < minimumLeakRepeat(leakWarmups)) {
    const warmups = leakWarmups === 1 ? '1 warm-up' : `${leakWarmups} warm-ups`;
    throw new Usage(
      `--${failOnLeak ? 'fail-on-leak' : 'leak-bisect'} needs -N ${minimumLeakRepeat(leakWarmups)} or more (baseline, ${warmups}, 2 judged deltas), got -N ${repeat}; leave -N out to run ${defaultLeakRepeat(leakWarmups)}`,
    );
  }
  if (reportRefcounts && repeat < 2) throw new Usage(REFCOUNT_REPEAT_MESSAGE, 1);
  const leakMaxRepeat = integer('--leak-max-repeat', raw.values.get('leak-max-repeat'), 1) ?? defaultLeakMaxRepeat(repeat, leakWarmups);
  if (leakMaxRepeat < repeat) {
    throw new Usage(`--leak-max-repeat ${leakMaxRepeat} is less than -N ${repeat}; give ${repeat} to run no more iterations than -N`);
  }
  const unit = flag('unit');
  const nonUnit = flag('non-unit');
  const quiet = flag('quiet');
  const shuffleSeed = integer('--shuffle-seed', raw.values.get('shuffle-seed'), 0);
  const shuffle = flag('shuffle') || shuffleSeed !== undefined;
  const lastOf = (names: readonly string[]): string | undefined => raw.order.findLast((name) => names.includes(name));
  const progressChoice = lastOf(['progress', 'no-progress', 'auto-progress']);
  const colorChoice = lastOf(['color', 'no-color', 'auto-color']);
  const paths = [...list('path'), ...list('test-path')];
  return {
    paths: directories(cwd, paths.length ? '--path' : 'the working directory', paths.length ? paths : ['.']),
    testsPattern: regexp('--tests-pattern', raw.values.get('tests-pattern') ?? '^tests$|\\.test$'),
    testFilePattern: regexp('--test-file-pattern', raw.values.get('test-file-pattern') ?? '^test'),
    packages: list('package').map((name) => name.replace(/[/\\]/g, '.')),
    modules: filters('-m/--module', [...list('module'), ...(modulePositional ? [modulePositional] : [])]),
    tests: filters('-t/--test', [...list('test'), ...(testPositional ? [testPositional] : [])]),
    layers: filters('--layer', list('layer')),
    unit: unit === nonUnit ? 'include' : unit ? 'only' : 'exclude',
    atLevel: flag('all') ? Infinity : (integer('-a/--at-level', raw.values.get('at-level'), 1) ?? 1),
    listTests: flag('list-tests'),
    passWithNoTests: flag('pass-with-no-tests'),
    files,
    requireUnique: flag('require-unique'),
    verbose: quiet ? 0 : (raw.flags.get('verbose') ?? 0),
    quiet,
    progress: !quiet && (progressChoice === 'progress' || (progressChoice === 'auto-progress' && terminal)),
    // -c and -C win; otherwise (or with --auto-color) the environment's choice, else the terminal's.
    color: colorChoice === 'color' || (colorChoice !== 'no-color' && (context.color ?? terminal)),
    repeat,
    reportRefcounts,
    leakScreen,
    failOnLeak,
    failOnEnvChange: flag('fail-on-env-change'),
    traceLeaks: flag('trace-leaks'),
    leakWarmups,
    leakMaxRepeat,
    leakAllowUndecided: flag('leak-allow-undecided'),
    leakBisectBudget,
    leakBisect,
    leakAllow: list('leak-allow').map((source) => regexp('--leak-allow', source)),
    leakIgnore: list('leak-ignore').map((source) => regexp('--leak-ignore', source)),
    json: reportFile(cwd, '--json', raw.values.get('json')),
    html: reportFile(cwd, '--html', raw.values.get('html')),
    xml: reportDirectory(cwd, raw.values.get('xml')),
    reporter: raw.values.get('reporter'),
    stopOnError: flag('stop-on-error'),
    timeout: integer('--timeout', raw.values.get('timeout'), 1),
    shuffle,
    shuffleSeed: shuffle ? (shuffleSeed ?? Math.floor(Math.random() * 2 ** 31)) : undefined,
    shard: shard(raw.values.get('shard')),
    jobs: integer('-j/--jobs', raw.values.get('jobs'), 1) ?? 1,
    version: flag('version'),
    help: flag('help'),
  };
}

function emptyRaw(): Raw {
  return { values: new Map(), lists: new Map(), flags: new Map(), positional: [], order: [] };
}

/** Whether `defaults` alone give the problem `error` (so that it is theirs, not the command line's). */
function sameProblem(defaults: readonly string[], context: ParseContext, error: Usage): boolean {
  const raw = emptyRaw();
  try {
    scan(defaults, raw);
    toOptions(raw, context);
    return false;
  } catch (alone) {
    return alone instanceof Usage && alone.message === error.message;
  }
}

/**
 * The default option parser: zope's options and semantics, with leakrun's error messages
 * (docs/options.md). A parser of one's own can wrap it to add options (docs/api.md).
 */
export class DefaultOptionParser implements OptionParser {
  /** leakrun's options from `defaults` and then `argv`, or the first usage problem met. */
  parse(
    defaults: readonly string[],
    argv: readonly string[],
    context: ParseContext,
  ): { readonly options: RunOptions } | { readonly problem: UsageProblem } {
    const raw = emptyRaw();
    // A problem the defaults make on their own is theirs: it names where they came from.
    const inDefaults = (error: Usage): { readonly problem: UsageProblem } => ({
      problem: {
        message: context.defaultsSource ? `in ${context.defaultsSource}: ${error.message}` : error.message,
        exitCode: error.exitCode,
      },
    });
    try {
      scan(defaults, raw);
    } catch (error) {
      if (error instanceof Usage) return inDefaults(error);
      throw error;
    }
    try {
      scan(argv, raw);
      return { options: toOptions(raw, context) };
    } catch (error) {
      if (!(error instanceof Usage)) throw error;
      if (defaults.length > 0 && (argv.length === 0 || sameProblem(defaults, context, error))) return inDefaults(error);
      return { problem: { message: error.message, exitCode: error.exitCode } };
    }
  }

  /** The usage line and every option, one line each. */
  help(): string {
    const lines = [
      'Usage: leakrun [options] [FILE|DIR...] [MODULE_RE [TEST_RE]]',
      '       leakrun doctest FILE.md...',
      '       leakrun merge FILE.json... [--json FILE]',
      '',
      'Runs the test modules under the working directory (or --path DIR), or only the FILEs and DIRs named.',
      '-N 4 runs each layer\'s tests 4 times in one set-up; -r then prints "sys refcount=R change=C" after each',
      'iteration: R live objects and references in the heap, C more than after the last. A leak grows every time.',
      `Defaults: ${CONFIG_FILE_NAMES.join(', ')} or the "leakrun" key of package.json.`,
      `Docs: ${DOCS_URL} (also in the package's docs/ folder).`,
      '',
      'Options:',
    ];
    for (const spec of OPTION_SPECS)
      lines.push(optionLine(`--${spec.long}${spec.metavar ? ` ${spec.metavar}` : ''}`, spec.help, spec.short));
    return `${lines.join('\n')}\n`;
  }
}

/** One option's line in `--help`: names in a 28-column field, then what it does. */
function optionLine(names: string, help: string, short?: string): string {
  return `  ${`${short ? `-${short}, ` : '    '}${names}`.padEnd(28)} ${help}`;
}
