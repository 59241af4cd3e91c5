/**
 * The resolve hook that gives a test file leakrun's node:test (`node-test-api.ts`) for
 * `node:test` and `test`: with `module.registerHooks` where Node has it (22.15 and 23.5 on; it
 * covers `require` too), else with `module.register` (Node 20: ES module imports only). Registered
 * once, and only when a test file mentions node:test, so that other runs pay nothing for it.
 */
import { pathToFileURL } from 'node:url';
import { PACKAGE_URL } from '../core/package.ts';
import { collectorFor, nodeTestApi } from './node-test.ts';

/** The URL of leakrun's node:test module: the built file, or the source when leakrun runs from it. */
function apiUrl(): string {
  return import.meta.url.endsWith('.ts')
    ? new URL('./node-test-api.ts', import.meta.url).href
    : new URL('dist/node-test-api.js', PACKAGE_URL).href;
}

type Resolved = { url: string; shortCircuit?: boolean };
type Next = (specifier: string, context?: object) => Resolved;

/**
 * The hook's rule: node:test and test, imported by anything but leakrun's own module, resolve to
 * that module with the importing file in its query. Self-contained: `module.register` gets its
 * source text, for the hooks' own thread.
 */
function redirect(specifier: string, parentURL: string | undefined, api: string): Resolved | undefined {
  if (specifier !== 'node:test' && specifier !== 'test') return undefined;
  if (parentURL === undefined || parentURL.startsWith(api)) return undefined;
  return { url: `${api}?file=${encodeURIComponent(parentURL)}`, shortCircuit: true };
}

let registered = false;

/** CommonJS's loader, as far as the `require` path uses it. */
interface CommonJsLoader {
  _load(request: string, parent: { filename?: string | null } | undefined, isMain: boolean): unknown;
}

/**
 * `require('node:test')` (and `'test'`) from a CommonJS file gives node:test's functions bound to
 * that file's collector. Through the loader's `_load`, which every `require` passes: Node 20's
 * `module.register` hooks never see `require`, and the hooks' per-file query would not survive it.
 */
function redirectRequire(loader: CommonJsLoader, nodeTest: { mock?: unknown; snapshot?: unknown }): void {
  const load = loader._load;
  loader._load = function (this: unknown, request, parent, isMain) {
    if ((request === 'node:test' || request === 'test') && typeof parent?.filename === 'string') {
      return nodeTestApi(collectorFor(pathToFileURL(parent.filename).href), nodeTest);
    }
    return load.call(this, request, parent, isMain);
  };
}

/** Redirects node:test to leakrun's collector from now on, in this process. */
export async function redirectNodeTest(): Promise<void> {
  if (registered) return;
  registered = true;
  const [moduleApi, nodeTest] = await Promise.all([import('node:module'), import('node:test')]);
  redirectRequire(moduleApi.default as unknown as CommonJsLoader, nodeTest);
  const api = apiUrl();
  const nodeModule = moduleApi as unknown as Pick<typeof import('node:module'), 'register'> & {
    registerHooks?: (hooks: { resolve: (specifier: string, context: { parentURL?: string }, next: Next) => Resolved }) => unknown;
  };
  if (nodeModule.registerHooks) {
    nodeModule.registerHooks({
      resolve: (specifier, context, next) => redirect(specifier, context.parentURL, api) ?? next(specifier, context),
    });
    return;
  }
  const source = `const redirect = ${redirect.toString()};
let api;
export function initialize(data) { api = data.api; }
export async function resolve(specifier, context, next) {
  return redirect(specifier, context.parentURL, api) ?? next(specifier, context);
}`;
  nodeModule.register(`data:text/javascript,${encodeURIComponent(source)}`, { data: { api } });
}

/** Whether a test file's source mentions node:test (`'node:test'` or `'test'` as a module name). */
export function mentionsNodeTest(source: string): boolean {
  return /\b(?:from|import|require)\s*\(?\s*['"](?:node:)?test['"]/.test(source);
}
