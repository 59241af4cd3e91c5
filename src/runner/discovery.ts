import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stackless, toError } from '../core/errors.ts';
import { invoke, invokeTestCase } from '../core/invoke.ts';
import { ensureTypeScript, noTypeScriptError, strippingError } from '../core/typescript.ts';
import { isTestCaseClass, type TestCase } from './testcase.ts';
import { nodeTests, takeCollector } from '../suites/node-test.ts';
import { mentionsMocha, mentionsNodeTest, otherRunner, redirectRunnerImports } from '../suites/imports.ts';
import { loadMochaRun } from '../suites/mocha-load.ts';
import { MOCHA_DEFAULTS } from '../suites/mocha.ts';
import { ProjectSuiteError, mochaSuite, projectSuite, type ProjectSuite } from '../suites/project.ts';
import type { Layer, NameFilter, RunOptions, SuiteMember, Test, UsageProblem } from '../types/index.ts';

/** The extensions of the files leakrun loads as test modules. */
export const MODULE_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.js', '.mjs']);
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts']);

/** A test module found on disk. */
export interface ModuleFile {
  /** Dotted name relative to its root, e.g. `sample1.tests.test11`. */
  readonly name: string;
  readonly file: string;
}

/** What discovery found: tests in module order, and the modules that failed to load. */
export interface Discovered {
  /** The modules selected for import, loaded or not. */
  readonly modules: readonly ModuleFile[];
  readonly tests: Test[];
  readonly importFailures: { readonly module: string; readonly error: Error }[];
  /** Why nothing was loaded: the project's runner is set up in a way leakrun cannot follow. */
  readonly usage?: UsageProblem | undefined;
}

/** A file name's module extension, or `undefined` for a file leakrun does not load (a `.d.ts` among them). */
export function moduleFileExtension(name: string): string | undefined {
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts')) return undefined;
  const ext = extname(name);
  return MODULE_EXTENSIONS.has(ext) ? ext : undefined;
}

function moduleName(root: string, file: string): string {
  const rel = relative(root, file);
  return rel
    .slice(0, rel.length - extname(rel).length)
    .split(sep)
    .join('.');
}

function sortedEntries(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isDirectory(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return statSync(join(dir, entry.name), { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(dir: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  return entry.isSymbolicLink() && (statSync(join(dir, entry.name), { throwIfNoEntry: false })?.isFile() ?? false);
}

/**
 * Walks each root in sorted order and returns the test modules: files whose stem matches
 * `--tests-pattern`, and files matching `--test-file-pattern` inside directories whose name matches
 * it. Skips `node_modules` and dot directories, and visits each real directory once, so symlink
 * loops end.
 *
 * With `options.files`, only those are searched: a named directory as the roots are, and a named
 * file whatever its name. Module names stay relative to the root that holds them (a directory or
 * file outside every root is named from itself or its own directory), so that a file gets the same
 * name whether it is named or found.
 *
 * Two different files with one module name (`tests/test_a.ts` and `tests/test_a.mjs`, or the same
 * relative path under two roots) cannot both be loaded: the first is kept and the others are put
 * in `duplicates`, when given. The same file found twice (a root given twice) is kept once.
 */
export function findModules(options: RunOptions, duplicates?: DuplicateModule[]): ModuleFile[] {
  const found: ModuleFile[] = [];
  const seenModules = new Map<string, string>();
  const add = (root: string, path: string): void => {
    const name = moduleName(root, path);
    const first = seenModules.get(name);
    if (first === undefined) {
      seenModules.set(name, path);
      found.push({ name, file: path });
    } else if (duplicates && selectsModule(options, name) && realpathSync(first) !== realpathSync(path)) {
      duplicates.push({ name, file: path, first });
    }
  };
  const walk = (root: string, start: string): void => {
    const visited = new Set<string>();
    const visit = (dir: string): void => {
      const real = realpathSync(dir);
      if (visited.has(real)) return;
      visited.add(real);
      const inTestDirectory = dir !== root && options.testsPattern.test(dir.slice(dir.lastIndexOf(sep) + 1));
      const subdirectories: string[] = [];
      for (const entry of sortedEntries(dir)) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const path = join(dir, entry.name);
        if (isDirectory(dir, entry)) {
          subdirectories.push(path);
          continue;
        }
        const ext = moduleFileExtension(entry.name);
        if (!ext || !isFile(dir, entry)) continue;
        const stem = entry.name.slice(0, -ext.length);
        if (options.testsPattern.test(stem) || (inTestDirectory && options.testFilePattern.test(stem))) add(root, path);
      }
      for (const subdirectory of subdirectories) visit(subdirectory);
    };
    visit(start);
  };
  if (options.files.length === 0) {
    for (const root of options.paths) walk(root, root);
  } else {
    for (const target of options.files) {
      const root = options.paths.find((path) => target === path || target.startsWith(path.endsWith(sep) ? path : path + sep));
      if (statSync(target).isDirectory()) walk(root ?? target, target);
      else add(root ?? dirname(target), target);
    }
  }
  return found.filter((module) => selectsModule(options, module.name));
}

/** Why a file written for Jest or Vitest is not loaded, and what to do instead: one line. */
function otherRunnerError(file: string, runner: 'Jest' | 'Vitest', cwd: string): Error {
  return stackless(
    new Error(
      `${relative(cwd, file)} is written for ${runner}, whose module mocking and globals exist only inside ${runner}; leakrun runs node:test and Mocha files unchanged, and inside ${runner} leakrun/expect checks a function for leaks (docs/frameworks.md)`,
    ),
  );
}

/** What a module that failed to load is reported with. */
async function importProblem(module: ModuleFile, error: unknown, cwd: string): Promise<Error> {
  return strippingError(error, cwd) ?? (await locateSyntaxError(module.file, toError(error)));
}

/**
 * The runner the project's tests are written for, when leakrun is to run what that runner would:
 * no file or directory named and no `--path` (docs/existing-suites.md). A Mocha project's named
 * files and directories are looked up as Mocha would.
 */
function suiteOfProject(options: RunOptions, cwd: string): ProjectSuite | undefined {
  const defaultPath = options.paths.length === 1 && options.paths[0] === cwd;
  if (!defaultPath) return undefined;
  const project = projectSuite(cwd);
  if (project === undefined || options.files.length === 0) return project;
  return project.runner === 'mocha' ? mochaSuite(cwd, [], project.source, options.files) : undefined;
}

/** The Mocha run's settings: the project's, or Mocha's defaults for test files that import mocha in a project that does not say. */
function mochaProject(project: ProjectSuite | undefined, cwd: string): Extract<ProjectSuite, { runner: 'mocha' }> {
  if (project?.runner === 'mocha') return project;
  return { runner: 'mocha', files: [], settings: MOCHA_DEFAULTS, requires: [], ui: 'bdd', source: cwd };
}

/** A project runner's files as test modules, named from the working directory, `-m` and `--package` applied. */
function projectModules(project: ProjectSuite, options: RunOptions, cwd: string): ModuleFile[] {
  return project.files.map((file) => ({ name: moduleName(cwd, file), file })).filter((module) => selectsModule(options, module.name));
}

/** A test module not loaded because an earlier file has its module name. */
export interface DuplicateModule extends ModuleFile {
  /** The file loaded under that name. */
  readonly first: string;
}

/** The import problem reported for a {@link DuplicateModule}: a message, no stack. */
function duplicateError({ name, file, first }: DuplicateModule): Error {
  return stackless(new Error(`module name ${name} is taken by ${first}, so ${file} was not loaded; rename one of them`));
}

/** zope's filter semantics: kept when any filter matches (a `!` filter matches what its pattern does not). */
export function matchesAny(filters: readonly NameFilter[], name: string): boolean {
  if (filters.length === 0) return true;
  return filters.some((filter) => filter.regexp.test(name) !== filter.negated);
}

function selectsModule(options: RunOptions, name: string): boolean {
  if (options.packages.length && !options.packages.some((pkg) => name === pkg || name.startsWith(`${pkg}.`))) {
    return false;
  }
  return matchesAny(options.modules, name);
}

interface Inherited {
  readonly layer: Layer | undefined;
  readonly level: number;
}

function testCaseTests(cls: typeof TestCase, module: string, inherited: Inherited, out: Test[]): void {
  const names = new Set<string>();
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name.startsWith('test') && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') {
        names.add(name);
      }
    }
  }
  const layer = cls.layer ?? inherited.layer;
  const level = cls.level ?? inherited.level;
  for (const name of [...names].sort()) {
    out.push({
      name,
      id: `${name} (${module}.${cls.name})`,
      module,
      layer,
      level,
      run() {
        const instance = new cls(name) as TestCase & Record<string, () => unknown>;
        return invokeTestCase(instance, instance[name] as () => unknown);
      },
    });
  }
}

function collect(member: unknown, module: string, inherited: Inherited, out: Test[]): void {
  if (isTestCaseClass(member)) {
    testCaseTests(member, module, inherited, out);
    return;
  }
  const spec = member as SuiteMember & { kind?: unknown };
  if (spec && typeof spec === 'object' && spec.kind === 'suite' && 'members' in spec) {
    const inner = { layer: spec.layer ?? inherited.layer, level: spec.level ?? inherited.level };
    for (const child of spec.members) collect(child, module, inner, out);
    return;
  }
  if (spec && typeof spec === 'object' && spec.kind === 'test' && 'fn' in spec) {
    const fn = spec.fn;
    const ownModule = spec.module ?? module;
    out.push({
      name: spec.name,
      id: spec.module !== undefined && spec.module === spec.name ? spec.name : `${spec.name} (${ownModule})`,
      module: ownModule,
      layer: spec.layer ?? inherited.layer,
      level: spec.level ?? inherited.level,
      run: () => invoke(fn),
    });
    return;
  }
  if (Array.isArray(member)) {
    for (const child of member) collect(child, module, inherited, out);
    return;
  }
  throw new TypeError(
    `testSuite() returned ${typeof member === 'object' ? JSON.stringify(member)?.slice(0, 80) : String(member)}, ` +
      'which is not a test: return suite(...), test(...), a TestCase class or an array of them',
  );
}

/** The tests a loaded module defines: its `testSuite()`, else its exported `TestCase` classes. */
export async function testsOfModule(namespace: Record<string, unknown>, module: string): Promise<Test[]> {
  const exports = moduleExports(namespace);
  const out: Test[] = [];
  const root = { layer: undefined, level: 1 };
  if (typeof exports.testSuite === 'function') {
    collect(await (exports.testSuite as () => unknown)(), module, root, out);
    return out;
  }
  for (const name of Object.keys(exports).sort()) {
    if (isTestCaseClass(exports[name])) collect(exports[name], module, root, out);
  }
  return out;
}

/**
 * What a module exports. A CommonJS module (a `.ts` file in a package without `"type": "module"`
 * is one) may reach `import()` as only `{ default: module.exports }`, when Node cannot see its
 * names; its tests are then the properties of `module.exports`.
 */
function moduleExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const commonJs = namespace.default;
  const onlyDefault = Object.keys(namespace).every((name) => name === 'default' || name === 'module.exports');
  return onlyDefault && typeof commonJs === 'object' && commonJs !== null ? (commonJs as Record<string, unknown>) : namespace;
}

/**
 * Node reports a syntax error in an imported module without saying where it is; `node --check`
 * does, so a JavaScript module that fails that way is checked once more to find the line.
 * (TypeScript modules already carry the location in the loader's message.)
 */
async function locateSyntaxError(file: string, error: Error): Promise<Error> {
  if (error.name !== 'SyntaxError' || TYPESCRIPT_EXTENSIONS.has(extname(file)) || error.stack?.includes(file)) return error;
  // Loaded only here: child_process and what it pulls in cost every run's start-up several ms.
  const { spawnSync } = await import('node:child_process');
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const location = check.stderr?.split(/\n\s*\n/)[0]?.trimEnd();
  if (!location?.startsWith(file)) return error;
  const located = new SyntaxError(error.message);
  located.stack = `${location}\n\n${error.name}: ${error.message}`;
  return located;
}

/**
 * Finds, imports and collects the tests of every selected module (or of those named in `only`); a
 * module that fails is reported, not fatal, with paths relative to `cwd`.
 */
export async function discover(options: RunOptions, only?: ReadonlySet<string>, cwd: string = process.cwd()): Promise<Discovered> {
  const duplicates: DuplicateModule[] = [];
  let project: ProjectSuite | undefined;
  try {
    project = suiteOfProject(options, cwd);
  } catch (error) {
    if (!(error instanceof ProjectSuiteError)) throw error;
    return { modules: [], tests: [], importFailures: [], usage: { message: error.message, exitCode: 2 } };
  }
  const found = project === undefined ? findModules(options, duplicates) : projectModules(project, options, cwd);
  // A child process loads only the modules of its layer's tests (their duplicates were the parent's to report).
  const modules = only ? found.filter((module) => only.has(module.name)) : found;
  if (only) duplicates.length = 0;
  const firstTypeScript = modules.find((module) => TYPESCRIPT_EXTENSIONS.has(extname(module.file)));
  const loader = firstTypeScript && (await ensureTypeScript(firstTypeScript.file));
  const sources = modules.map((module) => readFileSync(module.file, 'utf8'));
  // Files written for Jest or Vitest are refused in one line each, and the others load.
  const refused = new Map<ModuleFile, Error>();
  modules.forEach((module, at) => {
    const runner = otherRunner(sources[at]!);
    if (runner !== undefined) refused.set(module, otherRunnerError(module.file, runner, cwd));
  });
  const mocha = project?.runner === 'mocha' || sources.some(mentionsMocha);
  // Files written for node:test or Mocha get leakrun's collectors for them (docs/existing-suites.md).
  if (mocha || sources.some(mentionsNodeTest)) await redirectRunnerImports(mocha);
  // A node --test command's --import/--require modules load first; a Mocha run's load in loadMochaRun, for their root hooks.
  if (project?.runner === 'node:test') for (const request of project.requires) await import(pathToFileURL(request).href);
  const loaded = mocha
    ? [
        ...(await loadMochaRun(
          modules.filter((module) => !refused.has(module)),
          mochaProject(project, cwd),
          (file) => moduleName(cwd, file),
          (module, error) => importProblem(module, error, cwd),
        )),
        ...[...refused].map(([module, error]) => ({ module, error })),
      ]
    : await Promise.all(
        modules.map(async (module) => {
          const refusal = refused.get(module);
          if (refusal !== undefined) return { module, error: refusal };
          if (loader === 'none' && TYPESCRIPT_EXTENSIONS.has(extname(module.file)))
            return { module, error: noTypeScriptError(module.file, cwd) };
          try {
            const url = pathToFileURL(module.file).href;
            const exports = (await import(url)) as Record<string, unknown>;
            const collected = takeCollector(url);
            await collected?.loaded();
            if (collected !== undefined && collected.root.members.length > 0)
              return { module, tests: nodeTests(collected.root, module.name) };
            return { module, tests: await testsOfModule(exports, module.name) };
          } catch (error) {
            return { module, error: await importProblem(module, error, cwd) };
          }
        }),
      );
  const tests: Test[] = [];
  const importFailures: Discovered['importFailures'] = [];
  for (const entry of loaded) {
    if ('error' in entry) importFailures.push({ module: entry.module.name, error: entry.error });
    else tests.push(...entry.tests);
  }
  for (const module of duplicates) importFailures.push({ module: module.name, error: duplicateError(module) });
  // All of them, loaded or not: they name the classes a layer's modules import from the others.
  return { modules: found, tests, importFailures };
}
