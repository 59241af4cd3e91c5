/**
 * The resolve hook that gives a test file leakrun's node:test (`node-test-api.ts`) for
 * `node:test` and `test`, and leakrun's Mocha interface (`mocha-api.ts`) for `mocha`: with
 * `module.registerHooks` where Node has it (22.15 and 23.5 on; it covers `require` too), else with
 * `module.register` (Node 20: ES module imports only) and the CommonJS loader's `_load`. Registered
 * once, and only when a test file needs it, so that other runs pay nothing for it.
 */
import { pathToFileURL } from 'node:url';
import { PACKAGE_URL } from '../core/package.ts';
import { currentMochaInterface } from './mocha-registry.ts';
import { collectorFor, nodeTestApi } from './node-test.ts';

/** The URL of one of leakrun's stand-in modules: the built file, or the source when leakrun runs from it. */
function apiUrl(name: 'node-test-api' | 'mocha-api'): string {
  return import.meta.url.endsWith('.ts') ? new URL(`./${name}.ts`, import.meta.url).href : new URL(`dist/${name}.js`, PACKAGE_URL).href;
}

type Resolved = { url: string; shortCircuit?: boolean };
type Next = (specifier: string, context?: object) => Resolved;
interface Apis {
  readonly nodeTest: string;
  readonly mocha: string | undefined;
}

/**
 * The hook's rule: node:test and test, imported by anything but leakrun's own module, resolve to
 * that module with the importing file in its query; mocha (when a Mocha run is collecting) to
 * leakrun's Mocha interface. Self-contained: `module.register` gets its source text, for the
 * hooks' own thread.
 */
function redirect(specifier: string, parentURL: string | undefined, apis: Apis): Resolved | undefined {
  if (specifier === 'mocha' && apis.mocha !== undefined) return { url: apis.mocha, shortCircuit: true };
  if (apis.nodeTest === 'leakrun:none' || (specifier !== 'node:test' && specifier !== 'test')) return undefined;
  if (parentURL === undefined || parentURL.startsWith(apis.nodeTest)) return undefined;
  return { url: `${apis.nodeTest}?file=${encodeURIComponent(parentURL)}`, shortCircuit: true };
}

let registered = false;

/** CommonJS's loader, as far as the `require` path uses it. */
interface CommonJsLoader {
  _load(request: string, parent: { filename?: string | null } | undefined, isMain: boolean): unknown;
}

/** Whether `mocha` is redirected: once a Mocha run has asked, in this process. */
let mochaRedirected = false;

/**
 * `require('node:test')` (and `'test'`) from a CommonJS file gives node:test's functions bound to
 * that file's collector, and `require('mocha')` the Mocha interface collecting now. Through the
 * loader's `_load`, which every `require` passes: Node 20's `module.register` hooks never see
 * `require`, and the hooks' per-file query would not survive it.
 */
function redirectRequire(loader: CommonJsLoader, nodeTest: { mock?: unknown; snapshot?: unknown }): void {
  const load = loader._load;
  loader._load = function (this: unknown, request, parent, isMain) {
    if ((request === 'node:test' || request === 'test') && typeof parent?.filename === 'string') {
      return nodeTestApi(collectorFor(pathToFileURL(parent.filename).href), nodeTest);
    }
    if (mochaRedirected && request === 'mocha') {
      const found = currentMochaInterface();
      if (found !== undefined) return found;
    }
    return load.call(this, request, parent, isMain);
  };
}

type ModuleApi = Pick<typeof import('node:module'), 'register'> & {
  registerHooks?: (hooks: { resolve: (specifier: string, context: { parentURL?: string }, next: Next) => Resolved }) => unknown;
};

/** Registers a resolve hook that applies {@link redirect} with `apis`: in this thread where Node can, else in the hooks' thread. */
function registerRedirect(moduleApi: ModuleApi, apis: Apis): void {
  if (moduleApi.registerHooks) {
    moduleApi.registerHooks({
      resolve: (specifier, context, next) => redirect(specifier, context.parentURL, apis) ?? next(specifier, context),
    });
    return;
  }
  const source = `const redirect = ${redirect.toString()};
let apis;
export function initialize(data) { apis = data.apis; }
export async function resolve(specifier, context, next) {
  return redirect(specifier, context.parentURL, apis) ?? next(specifier, context);
}`;
  moduleApi.register(`data:text/javascript,${encodeURIComponent(source)}`, { data: { apis } });
}

/**
 * Redirects node:test (and with `mocha`, Mocha too, from then on) to leakrun's collectors, in this
 * process. Each hook is registered once.
 */
export async function redirectRunnerImports(mocha = false): Promise<void> {
  const moduleApi = await import('node:module');
  if (!registered) {
    registered = true;
    redirectRequire(moduleApi.default as unknown as CommonJsLoader, await import('node:test'));
    // A name that is never imported: this hook redirects node:test only.
    registerRedirect(moduleApi as unknown as ModuleApi, { nodeTest: apiUrl('node-test-api'), mocha: undefined });
  }
  if (mocha && !mochaRedirected) {
    mochaRedirected = true;
    registerRedirect(moduleApi as unknown as ModuleApi, { nodeTest: 'leakrun:none', mocha: apiUrl('mocha-api') });
  }
}

/** Whether a test file's source mentions node:test (`'node:test'` or `'test'` as a module name). */
export function mentionsNodeTest(source: string): boolean {
  return /\b(?:from|import|require)\s*\(?\s*['"](?:node:)?test['"]/.test(source);
}

/** Whether a test file's source imports Mocha (`require('mocha')`, `from 'mocha'`). */
export function mentionsMocha(source: string): boolean {
  return /\b(?:from|import|require)\s*\(?\s*['"]mocha['"]/.test(source);
}

/**
 * The runner a test file is written for when leakrun cannot load it: Jest's and Vitest's mocking
 * and globals exist only inside those runners. `undefined` for any other file.
 */
export function otherRunner(source: string): 'Jest' | 'Vitest' | undefined {
  if (/\b(?:from|import|require)\s*\(?\s*['"]vitest['"]|\bvi\.(?:mock|fn|spyOn|useFakeTimers|hoisted)\(/.test(source)) return 'Vitest';
  if (/\b(?:from|import|require)\s*\(?\s*['"]@jest\/globals['"]|\bjest\.(?:mock|fn|spyOn|useFakeTimers|requireActual)\(/.test(source))
    return 'Jest';
  return undefined;
}
