import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file a doctest path or URL names, resolved against `cwd`. */
export function toPath(path: string | URL, cwd: string): string {
  if (path instanceof URL || path.startsWith('file:')) return fileURLToPath(path);
  return resolve(cwd, path);
}

/** `cwd`-relative, `/`-separated name of a file, as reports print it. */
export function displayName(file: string, cwd: string): string {
  const name = relative(cwd, file);
  return (name.startsWith('..') ? file : name).split(sep).join('/');
}
