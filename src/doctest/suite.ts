/**
 * The light half of the doctest API, exported from the package's main entry: building a test from
 * a doc file costs nothing until the test runs, so test modules that import `leakrun` do not load
 * the doctest engine (and its parser) unless they run a doctest.
 */
import { stackless } from '../core/errors.ts';
import type { TestSpec } from '../types/index.ts';
import { displayName, toPath } from './locations.ts';
import type { DocFileResult, DocFileSuiteOptions, DoctestOptions } from './types.ts';

/**
 * Runs every example of a markdown doctest file in one shared scope and reports how they went.
 * Loads the doctest engine on first use; the same function as `runDocFile` of `leakrun/doctest`.
 */
export async function runDocFile(path: string | URL, options: DoctestOptions = {}): Promise<DocFileResult> {
  const engine = await import('./files.ts');
  return engine.runDocFile(path, options);
}

/**
 * A leakrun test that runs a markdown doctest, as zope's `DocFileSuite`: one test per file, named
 * (and with a module part) by its path relative to the cwd at the time of the call. The test fails
 * with an `AssertionError`-named error carrying the report when an example's output differs, and
 * errors when an example raised.
 *
 * @example
 * ```ts
 * export function testSuite() {
 *   return [docFileSuite('docs/leaks.md', { layer: SampleTree, normalizers: ['times'] })];
 * }
 * ```
 */
export function docFileSuite(path: string | URL, options: DocFileSuiteOptions = {}): TestSpec {
  const cwd = options.cwd ?? process.cwd();
  const file = toPath(path, cwd);
  const name = displayName(file, cwd);
  const { layer, level, ...runOptions } = options;
  return {
    kind: 'test',
    name,
    module: name,
    layer,
    level,
    fn: async () => {
      const engine = await import('./files.ts');
      const result = await engine.runDocFile(file, { ...runOptions, cwd });
      if (result.passed) return;
      const error = new Error(`${engine.summaryLine(result)}\n${result.report}`);
      error.name = result.errors > 0 ? 'Error' : 'AssertionError';
      // The report already shows where each example failed; the engine's own frames would only add noise.
      throw stackless(error);
    },
  };
}
