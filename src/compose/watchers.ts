/**
 * What watches a whole run rather than a test (docs/leaks.md), as zope's features do: Node's
 * listener warnings, `--trace-leaks`'s async hook, the timers the tests start, and the heap
 * sampler. Each starts here and gives back how to stop it; the run keeps them in one list and
 * stops them all at its end, whatever happened.
 */
import { toError } from '../core/errors.ts';
import { watchListenerWarnings } from '../leaks/environment.ts';
import { settleRequests, watchTimers } from '../leaks/resources.ts';
import { traceResources } from '../leaks/trace.ts';
import { startSampler } from './sampler.ts';
import type { ModuleFile } from '../runner/discovery.ts';
import type { Components, Emit, HeapSampler, KnownGrowth, RunOptions } from '../types/index.ts';

/** Stops a watcher; never throws (a sampler that fails to close is reported as a problem). */
export type Stop = () => void | Promise<void>;

/**
 * Starts the run's watchers into `stops`; resolves to the sampler when counts are taken here
 * (`-r`, and the layers run in this process), once what the loader started has settled.
 */
export async function startWatchers(
  options: RunOptions,
  countsHere: boolean,
  sampling: {
    readonly given: Components['sampler'];
    readonly modules: readonly ModuleFile[];
    readonly knownGrowth: readonly KnownGrowth[];
  },
  emit: Emit,
  stops: Stop[],
): Promise<HeapSampler | undefined> {
  if (options.reportRefcounts || options.failOnEnvChange) stops.push(watchListenerWarnings());
  if (options.traceLeaks) stops.push(traceResources());
  if (!options.reportRefcounts || !countsHere) return undefined;
  stops.push(watchTimers());
  const sampler = await startSampler(options, sampling.given, sampling.modules, sampling.knownGrowth);
  stops.push(async () => {
    try {
      await sampler.close?.();
    } catch (error) {
      emit({ type: 'run:problem', problem: { kind: 'error', phase: 'sample', test: 'Heap sampler: close()', error: toError(error) } });
    }
  });
  // What the loader started as the modules loaded (tsx prunes its disk cache after its first
  // compile) ends before the first heap sample, not inside a judged iteration.
  await settleRequests();
  return sampler;
}
