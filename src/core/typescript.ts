/**
 * How TypeScript files load (test modules, config files, reporters, doc examples' imports): with
 * the project's tsx when it has one, which compiles everything TypeScript allows (enums,
 * namespaces, parameter properties, JSX, tsconfig `paths`); else with Node's own type stripping
 * (Node 22.18 or newer), plus a resolve hook for the `./x.js` specifiers that TypeScript's NodeNext
 * style writes for `./x.ts`. On Node 20 without tsx nothing can load them, and each file says so.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The fix for what Node's type stripping cannot load. */
export const TSX_FIX = 'npm install --save-dev tsx';

/** How this process loads TypeScript, once chosen. */
export type TypeScriptLoader = 'tsx' | 'node' | 'none';

let chosen: Promise<TypeScriptLoader> | undefined;

/** What `module.registerHooks` (Node 22.15 and 23.5 on) takes; @types/node 20 does not have it. */
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null | undefined;
}
interface LoadResult {
  readonly format?: string | null | undefined;
  readonly source?: unknown;
}
type Resolve = (specifier: string, context: object, nextResolve: (specifier: string, context?: object) => ResolveResult) => ResolveResult;
type Load = (url: string, context: object, nextLoad: (url: string, context?: object) => LoadResult) => LoadResult;
type RegisterHooks = (hooks: { resolve?: Resolve; load?: Load }) => unknown;
/** `node:module`, loaded when a TypeScript file is first about to load: JavaScript-only runs do without it. */
type NodeModule = Pick<typeof import('node:module'), 'createRequire'> & { readonly registerHooks?: RegisterHooks };

/** Node strips types itself: 22.18 and 23.6 on, unless `--no-experimental-strip-types`. */
function nodeStripsTypes(registerHooks: RegisterHooks | undefined): registerHooks is RegisterHooks {
  return (process.features as { typescript?: string | false }).typescript === 'strip' && registerHooks !== undefined;
}

/**
 * The project's tsx ESM and CommonJS APIs, found as `file` would import them, if it has tsx: the
 * `import` entries of tsx's exports (`require.resolve` would give the CommonJS ones, which do not
 * load from an ES module).
 */
function projectTsx(nodeModule: NodeModule, file: string): { esm: string; cjs: string } | undefined {
  try {
    // From where the file really is, as its own imports resolve (a linked folder of tests finds the project it is in).
    const manifestPath = nodeModule.createRequire(realpathSync(file)).resolve('tsx/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
    const entry = (subpath: string): string => {
      const target = manifest.exports?.[subpath]?.import?.default;
      if (typeof target !== 'string') throw new Error(`tsx exports no ${subpath} for import`);
      return new URL(target, pathToFileURL(manifestPath)).href;
    };
    return { esm: entry('./esm/api'), cjs: entry('./cjs/api') };
  } catch {
    return undefined;
  }
}

/**
 * Makes TypeScript files loadable in this process, once: registers the project's tsx (as `file`,
 * the first TypeScript file to load, would import it), or Node's type stripping's hooks, and
 * resolves to which; `'none'` when neither is there. Only when a TypeScript file is about to be
 * imported, so that JavaScript-only runs pay for neither.
 */
export function ensureTypeScript(file: string): Promise<TypeScriptLoader> {
  chosen ??= choose(file);
  return chosen;
}

async function choose(file: string): Promise<TypeScriptLoader> {
  const nodeModule: NodeModule = await import('node:module');
  const tsx = projectTsx(nodeModule, file);
  if (tsx) {
    const [esm, cjs] = (await Promise.all([import(tsx.esm), import(tsx.cjs)])) as [{ register(): void }, { register(): void }];
    esm.register();
    cjs.register();
    return 'tsx';
  }
  const { registerHooks } = nodeModule;
  if (!nodeStripsTypes(registerHooks)) return 'none';
  registerHooks({ resolve: resolveTypeScriptSibling });
  return 'node';
}

/** The one-line problem of a TypeScript file this process cannot load: `src/cart.test.ts: …`. */
export function noTypeScriptError(file: string, cwd: string = process.cwd()): Error {
  const error = new Error(
    `${relative(cwd, file)}: TypeScript needs Node 22.18 or newer, which strips types itself, or tsx (this is Node ${process.versions.node}): ${TSX_FIX}`,
  );
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** `./store.js` written for `./store.ts`, as `tsc` with NodeNext resolution reads it. */
const resolveTypeScriptSibling: Resolve = (specifier, context, nextResolve) => {
  try {
    return nextResolve(specifier, context);
  } catch (error) {
    const relativeJs = /^\.{1,2}\/.*\.([mc]?)js$/.exec(specifier);
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND' || !relativeJs) throw error;
    try {
      return nextResolve(`${specifier.slice(0, -2)}ts`, context);
    } catch {
      throw error;
    }
  }
};

/**
 * What Node's type stripping could not remove, said in one line that names the file, the syntax
 * and the fix, instead of a code frame and Node's internals; `undefined` for any other error.
 * Node puts the file's path and line first in the stack.
 */
export function strippingError(error: unknown, cwd: string = process.cwd()): Error | undefined {
  if ((error as { code?: unknown } | undefined)?.code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') return undefined;
  const { message, stack = '' } = error as Error;
  const where = /^(?:file:\/\/)?(\/[^\n]*?):(\d+)\n/.exec(stack);
  const file = where ? `${relative(cwd, where[1] as string)}:${where[2]}` : 'a TypeScript file';
  const syntax = message.replace(/ in strip-only mode$/, '');
  const fixed = new SyntaxError(`${file}: ${syntax} by Node's type stripping; tsx compiles it: ${TSX_FIX}`);
  fixed.stack = `${fixed.name}: ${fixed.message}`;
  return fixed;
}
