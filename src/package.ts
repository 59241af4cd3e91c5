import { readFileSync } from 'node:fs';

/**
 * The package's root directory, as a `file:` URL ending in `/`. This module sits one level below
 * it in every layout: `src/package.ts` when run from source, and bundled into one of the flat
 * `dist/*.js` files when built; files found through `import.meta.url` are found from here.
 */
export const PACKAGE_URL: URL = new URL('..', import.meta.url);

/** Where the documentation is read on the web: the repository's `docs/` folder (package.json's `homepage`). */
export const DOCS_URL = 'https://github.com/leakrun/leakrun/blob/main/docs';

/** The package version, read from the package's own manifest. */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('package.json', PACKAGE_URL), 'utf8')) as { version: string };
  return manifest.version;
}
