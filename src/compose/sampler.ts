/**
 * The heap sampler of a run with `-r` (docs/design-sampler.md): the caller's
 * (`components.sampler`), or V8's, naming classes by the dotted module name discovery gave their
 * file. Loaded only when counts are asked for: a run without `-r` never loads the sampler.
 */
import { pathToFileURL } from 'node:url';
import { KNOWN_GROWTH } from '../sampler/known.ts';
import type { ModuleFile } from '../runner/discovery.ts';
import type { Components, HeapSampler, KnownGrowth, RunOptions } from '../types/index.ts';

/**
 * The V8 sampler, naming classes by the dotted module name discovery gave their file
 * (`sample1.tests.test11.Thing`), other files under the same roots alike (`src.store.Session`),
 * and by the file's base name elsewhere.
 */
async function defaultSampler(
  modules: readonly ModuleFile[],
  knownGrowth: readonly KnownGrowth[],
  retainerPaths: boolean,
  screenFirst: boolean,
): Promise<HeapSampler> {
  const [{ V8HeapSnapshotSampler }, { defaultModuleName, moduleNameUnderRoots }] = await Promise.all([
    import('../sampler/v8.ts'),
    import('../sampler/count.ts'),
  ]);
  const names = new Map<string, string>();
  for (const module of modules) {
    names.set(module.file, module.name);
    names.set(pathToFileURL(module.file).href, module.name);
  }
  const underRoots = moduleNameUnderRoots(modules);
  return new V8HeapSnapshotSampler({
    moduleName: (url) => names.get(url) ?? underRoots(url) ?? defaultModuleName(url),
    knownGrowth: [...KNOWN_GROWTH, ...knownGrowth],
    retainerPaths,
    screenFirst,
  });
}

/** Whether the run shows retainer paths: at `-vv`, and under a verdict, which prints them for a leak. */
function tracesPaths(options: RunOptions): boolean {
  return options.verbose >= 2 || options.failOnLeak || options.leakBisect;
}

/** The run's sampler: the caller's, made if it gave a factory, or V8's for these modules. */
export async function startSampler(
  options: RunOptions,
  given: Components['sampler'],
  modules: readonly ModuleFile[],
  knownGrowth: readonly KnownGrowth[],
): Promise<HeapSampler> {
  if (given === undefined) return defaultSampler(modules, knownGrowth, tracesPaths(options), options.leakScreen === true);
  return typeof given === 'function' ? given() : given;
}
