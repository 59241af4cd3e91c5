/**
 * Which runner a project's tests are written for, and the files that runner would run: what
 * `npx leakrun` with no file, directory or `--path` runs in a project whose tests are Mocha's or
 * node:test's (docs/existing-suites.md).
 *
 * - **Mocha**: a `.mocharc.*` file, a `mocha` key in package.json, or a `test` script that runs
 *   `mocha`. Its options are read by the project's own Mocha (`mocha/lib/cli/options.js`, with the
 *   test script's arguments) and its files found by Mocha's own `collect-files.js`, so that
 *   leakrun runs the files Mocha would, in its order.
 * - **node:test**: a `test` script that runs `node --test` (its patterns, else Node's defaults) or
 *   borp (the `files` of `.borp.yaml`).
 *
 * The `test` script is followed through `npm run X` and `npm test`; `c8`, `nyc`, `npx`,
 * `cross-env` and `NAME=value` in front of the command are looked through.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { escapeRegExp } from '../text/regexp.ts';
import { MOCHA_DEFAULTS, toMilliseconds, type MochaSettings } from './mocha.ts';

/** A project's runner and what it would run. */
export type ProjectSuite =
  | {
      readonly runner: 'mocha';
      readonly files: readonly string[];
      readonly settings: MochaSettings;
      /** `--require`d modules, resolved, loaded before the files (their `mochaHooks` are root hooks). */
      readonly requires: readonly string[];
      /** `--ui`: which globals the files get. */
      readonly ui: 'bdd' | 'tdd';
      /** Where the runner was found, for messages: `.mocharc.yml`, `the test script` … */
      readonly source: string;
    }
  | {
      readonly runner: 'node:test';
      readonly files: readonly string[];
      /** `--import` and `--require` modules of the `node --test` command, loaded before the files. */
      readonly requires: readonly string[];
      readonly source: string;
    };

/** A project's settings that leakrun cannot honour, said in one line. */
export class ProjectSuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectSuiteError';
  }
}

const MOCHA_RC = ['.mocharc.js', '.mocharc.cjs', '.mocharc.yaml', '.mocharc.yml', '.mocharc.jsonc', '.mocharc.json'];

interface PackageJson {
  readonly scripts?: Record<string, string>;
  readonly mocha?: unknown;
}

function readPackage(cwd: string): PackageJson | undefined {
  const file = join(cwd, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** Splits a shell command into words: quotes and backslashes as a POSIX shell reads them, nothing expanded. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < command.length) word = (word ?? '') + command[++i];
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i];
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Wrappers looked through in front of a test command. */
const WRAPPERS = new Set(['npx', 'c8', 'nyc', 'cross-env', 'dotenv', 'env']);
const RUNNERS = new Set(['mocha', '_mocha', 'node', 'borp', 'npm']);

/** The runner a script runs, and its arguments; `npm run X` and `npm test` are followed. */
export function runnerCommand(
  scripts: Record<string, string>,
  name = 'test',
  seen: Set<string> = new Set(),
): { runner: 'mocha' | 'node' | 'borp'; args: string[] } | undefined {
  const script = scripts[name];
  if (script === undefined || seen.has(name)) return undefined;
  seen.add(name);
  for (const part of script.split(/&&|\|\||;/)) {
    const words = shellWords(part);
    let at = 0;
    // Environment assignments, wrappers and the wrappers' own options.
    while (at < words.length && !RUNNERS.has(words[at]!)) {
      const word = words[at]!;
      if (!/^\w+=/.test(word) && !WRAPPERS.has(word) && !word.startsWith('-')) break;
      at++;
    }
    const runner = words[at];
    const args = words.slice(at + 1);
    if (runner === 'npm') {
      const script = args[0] === 'test' || args[0] === 't' ? 'test' : args[0] === 'run' || args[0] === 'run-script' ? args[1] : undefined;
      const found = script === undefined ? undefined : runnerCommand(scripts, script, seen);
      if (found !== undefined) return found;
      continue;
    }
    if (runner === 'mocha' || runner === '_mocha') return { runner: 'mocha', args };
    if (runner === 'borp') return { runner: 'borp', args };
    if (runner === 'node' && args.some((arg) => arg === '--test')) return { runner: 'node', args };
  }
  return undefined;
}

/**
 * The runner the project at `cwd` runs its tests with, and the files it would run; `undefined`
 * when it is neither Mocha nor node:test (leakrun then finds its own test modules).
 */
export function projectSuite(cwd: string): ProjectSuite | undefined {
  const pkg = readPackage(cwd);
  const command = pkg?.scripts ? runnerCommand(pkg.scripts) : undefined;
  const rc = MOCHA_RC.find((name) => existsSync(join(cwd, name)));
  if (command?.runner === 'mocha' || rc !== undefined || pkg?.mocha !== undefined) {
    const source = command?.runner === 'mocha' ? 'the test script' : (rc ?? "package.json's mocha key");
    return mochaSuite(cwd, command?.runner === 'mocha' ? command.args : [], source);
  }
  if (command?.runner === 'node') return nodeTestSuite(cwd, command.args);
  if (command?.runner === 'borp') return borpSuite(cwd);
  return undefined;
}

type MochaOptions = Record<string, unknown> & { _: unknown[] };

/** The project's own Mocha, for its options and its file lookup. */
function projectMocha(cwd: string): {
  loadOptions: (argv: string[]) => MochaOptions;
  collectFiles: (options: object) => { files: string[]; unmatchedFiles?: unknown[] };
} {
  const require = createRequire(join(cwd, 'package.json'));
  try {
    // By path, not through the package's exports; Mocha 11 names them .js, Mocha 12 .cjs.
    const dir = dirname(require.resolve('mocha/package.json'));
    const load = (name: string): unknown =>
      require(join(dir, 'lib/cli', existsSync(join(dir, 'lib/cli', `${name}.cjs`)) ? `${name}.cjs` : `${name}.js`));
    return {
      loadOptions: (load('options') as { loadOptions: (argv: string[]) => MochaOptions }).loadOptions,
      collectFiles: load('collect-files') as (options: object) => { files: string[] },
    };
  } catch (error) {
    throw new ProjectSuiteError(
      `this project's tests are Mocha's, and leakrun reads Mocha's configuration with the project's own Mocha, which it could not load (${(error as Error).message.split('\n')[0]}); run npm install first`,
    );
  }
}

const list = (value: unknown): string[] =>
  value === undefined || value === false || value === null
    ? []
    : [value]
        .flat()
        .flatMap((item) => String(item).split(','))
        .filter((item) => item !== '');

/** A Mocha run's settings and files, as the project's Mocha reads them. */
export function mochaSuite(cwd: string, argv: readonly string[], source: string, spec?: readonly string[]): ProjectSuite {
  const mocha = projectMocha(cwd);
  const saved = process.cwd();
  // Mocha reads .mocharc.* and package.json from the working directory.
  if (saved !== cwd) process.chdir(cwd);
  try {
    const options = mocha.loadOptions([...argv]);
    const ui = String(options.ui ?? 'bdd');
    if (ui !== 'bdd' && ui !== 'tdd') throw new ProjectSuiteError(`Mocha's --ui ${ui} is not supported by leakrun; bdd and tdd are`);
    if (options.delay === true)
      throw new ProjectSuiteError("Mocha's --delay is not supported by leakrun: the files must register their tests as they load");
    const specs = spec ?? (options._.length > 0 ? options._.map(String) : ['./test']);
    const { files } = mocha.collectFiles({
      ignore: list(options.ignore),
      extension: list(options.extension),
      file: spec === undefined ? list(options.file) : [],
      recursive: options.recursive === true,
      sort: options.sort === true,
      spec: specs,
    });
    const timeout =
      options.timeout === false || options.timeout === 0
        ? 0
        : options.timeout === undefined
          ? MOCHA_DEFAULTS.timeout
          : toMilliseconds(options.timeout as number | string);
    const settings: MochaSettings = {
      timeout,
      retries: Number(options.retries ?? 0),
      checkLeaks: options['check-leaks'] === true,
      globals: list(options.global ?? options.globals),
    };
    const requires = list(options.require).map((request) => resolveRequire(cwd, request));
    return { runner: 'mocha', files: files.map((file) => resolve(cwd, file)), settings, requires, ui, source };
  } finally {
    if (saved !== cwd) process.chdir(saved);
  }
}

/** A `--require`/`--import` module as Mocha and Node find it: a file relative to the project, else a package. */
function resolveRequire(cwd: string, request: string): string {
  for (const candidate of [request, `${request}.js`, `${request}.cjs`, `${request}.mjs`]) {
    const path = resolve(cwd, candidate);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  try {
    return createRequire(join(cwd, 'package.json')).resolve(request);
  } catch {
    throw new ProjectSuiteError(`cannot find the module ${request} that the project's test command loads first`);
  }
}

/** Options of `node` that take the next word as their value. */
const NODE_VALUE_FLAGS = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
  '--env-file',
  '--conditions',
  '-C',
  '--input-type',
]);

/** What `node … --test [patterns]` runs: its patterns (or Node's defaults), its `--import`/`--require` modules. */
function nodeTestSuite(cwd: string, args: readonly string[]): ProjectSuite {
  const patterns: string[] = [];
  const requires: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (NODE_VALUE_FLAGS.has(flag)) {
      const value = inline ?? args[++i];
      if (value !== undefined && (flag === '--import' || flag === '--require' || flag === '-r')) requires.push(resolveRequire(cwd, value));
      continue;
    }
    if (!arg.startsWith('-')) patterns.push(arg);
  }
  return {
    runner: 'node:test',
    files: filesMatching(cwd, patterns.length > 0 ? patterns : nodeTestDefaults()),
    requires,
    source: 'the test script',
  };
}

/** node --test's default patterns (Node 22 and on; Node 20's search finds the same files); TypeScript where Node strips types by default. */
function nodeTestDefaults(): string[] {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const stripping = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
  const ext = stripping ? '{cjs,mjs,js,cts,mts,ts}' : '{cjs,mjs,js}';
  return [`**/*.test.${ext}`, `**/*-test.${ext}`, `**/*_test.${ext}`, `**/test-*.${ext}`, `**/test.${ext}`, `**/test/**/*.${ext}`];
}

/** borp's files: the `files` of `.borp.yaml` (or `.borp.yml`), else its default. */
function borpSuite(cwd: string): ProjectSuite {
  const config = ['.borp.yaml', '.borp.yml'].map((name) => join(cwd, name)).find((file) => existsSync(file));
  const patterns = config === undefined ? [] : yamlList(readFileSync(config, 'utf8'), 'files');
  return {
    runner: 'node:test',
    files: filesMatching(cwd, patterns.length > 0 ? patterns : ['test/**/*.test.{js,ts,cjs,mjs}']),
    requires: [],
    source: config === undefined ? 'borp' : relative(cwd, config),
  };
}

/** The list under `key:` in a small YAML file (`key: value`, `key: [a, b]` or `- item` lines). */
function yamlList(text: string, key: string): string[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => new RegExp(`^${key}\\s*:`).test(line));
  if (at < 0) return [];
  const unquote = (value: string): string => value.trim().replace(/^(['"])(.*)\1$/, '$2');
  const rest = lines[at]!.slice(lines[at]!.indexOf(':') + 1).trim();
  if (rest.startsWith('[')) return rest.slice(1, rest.lastIndexOf(']')).split(',').map(unquote).filter(Boolean);
  if (rest !== '') return [unquote(rest)];
  const items: string[] = [];
  for (const line of lines.slice(at + 1)) {
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item === null) break;
    items.push(unquote(item[1]!));
  }
  return items;
}

/** A glob as node --test and borp read it (`**`, `*`, `?`, `{a,b}`, `?(a|b)`), as a regular expression over `/`-separated paths. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?' && glob[i + 1] === '(') {
      const end = glob.indexOf(')', i);
      out += `(?:${glob
        .slice(i + 2, end)
        .split('|')
        .map(escapeRegExp)
        .join('|')})?`;
      i = end;
    } else if (char === '?') out += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', i);
      out += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map(escapeRegExp)
        .join('|')})`;
      i = end;
    } else out += escapeRegExp(char);
  }
  return new RegExp(`^${out}$`);
}

/** The files under `cwd` (node_modules and dot directories left out) that a pattern matches, sorted; a directory pattern matches the files under it. */
function filesMatching(cwd: string, patterns: readonly string[]): string[] {
  const regexps = patterns.map((pattern) => {
    const path = isAbsolute(pattern) ? relative(cwd, pattern) : pattern.replace(/^\.\//, '');
    const isDirectory = existsSync(resolve(cwd, path)) && statSync(resolve(cwd, path)).isDirectory();
    return globRegExp(isDirectory ? `${path.replace(/\/$/, '')}/**/*.{cjs,mjs,js}` : path);
  });
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(cwd, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && regexps.some((regexp) => regexp.test(path))) found.push(resolve(cwd, path.split('/').join(sep)));
    }
  };
  walk('');
  return found;
}
