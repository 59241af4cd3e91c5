/**
 * The package's root directory, as a `file:` URL ending in `/`. This module sits one level below
 * it in every layout: `src/package.ts` when run from source, and bundled into one of the flat
 * `dist/*.js` files when built; files found through `import.meta.url` are found from here.
 */
export const PACKAGE_URL: URL = new URL('..', import.meta.url);
