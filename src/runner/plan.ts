/**
 * The plan of a run (docs/selection.md): from the tests discovery found to the layers that run, in
 * order, with their tests. It selects (or takes an exact list of test ids: a share of another
 * run's plan), groups the tests by layer, has the scheduler order the layers, keeps the shard's
 * part, and says why nothing can run when a rule forbids it (`--require-unique`, no tests).
 */
import { byLayer, orderedLayers, type BrokenLayer } from './layer-groups.ts';
import { duplicateIds, noTestsMessage, selectTests, shardTests } from './select.ts';
import type { Discovered } from './discovery.ts';
import type { LayerNode, LayerScheduler, RunOptions, Test, UsageProblem } from '../types/index.ts';

export interface Plan {
  /** The layers that run, in the scheduler's order. */
  readonly ordered: readonly LayerNode[];
  readonly groups: ReadonlyMap<LayerNode, readonly Test[]>;
  /** Layers that cannot be resolved; a shard other than the first leaves them to the first. */
  readonly broken: readonly BrokenLayer[];
  /** Why nothing runs, when a rule forbids it: the run ends as any other, exit 1. */
  readonly usage?: UsageProblem;
}

/**
 * The plan of the tests `discovered` found. With `exactly`, those test ids run, whatever the
 * selection options say: the share of a parent's plan a child process runs.
 */
export function plan(
  discovered: Discovered,
  options: RunOptions,
  scheduler: LayerScheduler,
  cwd: string,
  exactly?: ReadonlySet<string>,
): Plan {
  const selected = exactly ? discovered.tests.filter((test) => exactly.has(test.id)) : selectTests(discovered.tests, options);
  const all = byLayer(selected);
  const inOrder = orderedLayers(scheduler, [...all.groups.keys()]);
  const { ordered, groups } = options.shard ? shardTests(inOrder, all.groups, options.shard) : { ordered: inOrder, groups: all.groups };
  // A layer that cannot be resolved is reported once: by the first shard.
  const broken = options.shard !== undefined && options.shard.index !== 1 ? [] : all.broken;
  const duplicates = options.requireUnique ? duplicateIds(selected) : [];
  if (discovered.usage !== undefined) return { ordered, groups, broken, usage: discovered.usage };
  if (duplicates.length > 0) {
    const message = `--require-unique: these tests are defined more than once: ${duplicates.join(', ')}`;
    return { ordered, groups, broken, usage: { message, exitCode: 1 } };
  }
  if (selected.length === 0 && !options.passWithNoTests && discovered.importFailures.length === 0) {
    const usage: UsageProblem = { message: noTestsMessage(options, cwd, discovered.modules.length, discovered.tests), exitCode: 1 };
    return { ordered, groups, broken, usage };
  }
  return { ordered, groups, broken };
}
