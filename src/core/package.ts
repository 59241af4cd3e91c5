import { readFileSync } from 'node:fs';

/**
 * The package's root directory, as a `file:` URL ending in `/`. Run from source this module is
 * `src/core/package.ts`, two levels below it; built, it is bundled into one of the flat `dist/*.js`
 * files, one level below. Files found through `import.meta.url` are found from here.
 */
export const PACKAGE_URL: URL = new URL(import.meta.url.endsWith('.ts') ? '../..' : '..', import.meta.url);

/** Where the documentation is read on the web: the repository's `docs/` folder (package.json's `homepage`). */
export const DOCS_URL = 'https://github.com/leakrun/leakrun/blob/main/docs';

/** The package version, read from the package's own manifest. */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('package.json', PACKAGE_URL), 'utf8')) as { version: string };
  return manifest.version;
}
