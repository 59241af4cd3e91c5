/**
 * Resolves the specifiers an example imports as if the markdown file were a module: relative paths
 * from its directory, bare names from the `node_modules` above it, and a package's own name to the
 * package itself (self-reference). Node 20 offers no flag-free way to resolve from another parent
 * (`import.meta.resolve(specifier, parent)` needs a flag), so bare names are resolved here, with the
 * `import`, `node` and `default` export conditions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CONDITIONS = ['import', 'node', 'default'];

/**
 * The URL to `import()` for `specifier` written in `file`. `importMap` entries win; their values are
 * URLs, absolute paths or paths relative to `cwd`.
 */
export function resolveSpecifier(specifier: string, file: string, cwd: string, importMap: Readonly<Record<string, string>> = {}): string {
  const mapped = importMap[specifier];
  if (mapped !== undefined) return /^[a-z][a-z0-9+.-]+:/i.test(mapped) ? mapped : pathToFileURL(resolve(cwd, mapped)).href;
  if (isBuiltin(specifier) || /^[a-z][a-z0-9+.-]+:/i.test(specifier)) return specifier;
  if (specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier)) {
    return pathToFileURL(resolve(dirname(file), specifier)).href;
  }
  return resolveBare(specifier, dirname(file)) ?? pathToFileURL(createRequire(file).resolve(specifier)).href;
}

interface PackageJson {
  readonly name?: string;
  readonly exports?: unknown;
}

function resolveBare(specifier: string, from: string): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  const subpath = `.${specifier.slice(name.length)}`;
  for (let directory = from; ; directory = dirname(directory)) {
    const own = readPackage(join(directory, 'package.json'));
    if (own?.name === name && own.exports !== undefined) return exportTarget(directory, own.exports, subpath, specifier);
    const installed = join(directory, 'node_modules', name);
    const pkg = readPackage(join(installed, 'package.json'));
    if (pkg) return pkg.exports === undefined ? undefined : exportTarget(installed, pkg.exports, subpath, specifier);
    if (dirname(directory) === directory) return undefined;
  }
}

function readPackage(path: string): PackageJson | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

function exportTarget(root: string, exports: unknown, subpath: string, specifier: string): string {
  const isSubpathMap =
    typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  let target: string | undefined;
  if (!isSubpathMap) {
    target = subpath === '.' ? pickCondition(exports) : undefined;
  } else {
    const map = exports as Record<string, unknown>;
    if (subpath in map) {
      target = pickCondition(map[subpath]);
    } else {
      for (const [key, value] of Object.entries(map)) {
        const star = key.indexOf('*');
        if (star < 0 || !subpath.startsWith(key.slice(0, star)) || !subpath.endsWith(key.slice(star + 1))) continue;
        const middle = subpath.slice(star, subpath.length - (key.length - star - 1));
        target = pickCondition(value)?.replaceAll('*', middle);
        break;
      }
    }
  }
  if (target === undefined) {
    throw Object.assign(new Error(`${specifier}: not exported by ${join(root, 'package.json')}`), {
      code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  }
  return pathToFileURL(join(root, target)).href;
}

function pickCondition(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = pickCondition(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [condition, nested] of Object.entries(value)) {
    if (!CONDITIONS.includes(condition)) continue;
    const found = pickCondition(nested);
    if (found !== undefined) return found;
  }
  return undefined;
}
