let registered = false;

/**
 * Registers tsx's loaders, ESM and CommonJS, once per process and only when a TypeScript file is
 * about to be imported, so JavaScript-only runs do not pay for it.
 */
export async function ensureTypeScript(): Promise<void> {
  if (registered) return;
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
  registered = true;
}
