/**
 * Builds dist/: the declarations come from tsc (tsconfig.build.json), the JavaScript from esbuild,
 * bundled per entry point with the shared code split into chunks. One file per entry instead of
 * one per source module: Node's ESM loader resolves, reads and links each module separately, and
 * loading leakrun's ~25 modules was a third of an empty run's start-up (see bench/index.ts).
 *
 * All outputs are flat in dist/, one level below the package root, which src/core/package.ts relies on.
 *
 * `leakrun/assert` and `leakrun/expect` are also built as CommonJS (dist/assert.cjs, with the
 * declarations copied to dist/assert/index.d.cts, and the same for expect): Jest loads test files
 * as CommonJS and, on Node before 24.9, cannot `require()` an ES module.
 */
import { build } from 'esbuild';
import { copyFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
rmSync(new URL('dist', root), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    doctest: 'src/doctest/index.ts',
    sampler: 'src/sampler/index.ts',
    assert: 'src/assert/index.ts',
    expect: 'src/expect/index.ts',
    'sampler-worker': 'src/sampler/worker.ts',
    child: 'src/child.ts',
    'node-test-api': 'src/suites/node-test-api.ts',
    'mocha-api': 'src/suites/mocha-api.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
  // The doctest engine's import(url, options) loads the examples' modules at run time, as meant.
  logOverride: { 'unsupported-dynamic-import': 'silent' },
});
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: { assert: 'src/assert/index.ts', expect: 'src/expect/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  // src/core/package.ts finds the package root (and so the sampler's worker) from the module's URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  // import.meta.resolve is only reached when running from the .ts sources, never from this build.
  logOverride: { 'empty-import-meta': 'silent' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
for (const entry of ['assert', 'expect']) {
  copyFileSync(new URL(`dist/${entry}/index.d.ts`, root), new URL(`dist/${entry}/index.d.cts`, root));
}
