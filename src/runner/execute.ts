/**
 * The layers of a plan, run (docs/layers.md): in order in this process, each set up, repeated and
 * torn down; from the first layer this process cannot set up after another could not be torn
 * down, in child processes, as zope does. At the end the scheduler tears down what is still set
 * up, even when the run failed midway.
 */
import { layerGuard, runLayer, type LayerRunParts } from './layer-run.ts';
import { brokenLayerProblem, reportBrokenLayer } from './layer-groups.ts';
import type { Plan } from './plan.ts';
import type { Emit, LayerNode } from '../types/index.ts';

/** Runs `plan.ordered` from `from` on in child processes; `announced` when its first layer's start is out. */
export type Elsewhere = (from: number, announced: boolean) => Promise<void>;

/**
 * Runs the plan's layers: all of them `elsewhere` when `allElsewhere` (`-j N`, or another test
 * runner in this process), else here until a layer must move to a child process. `afterLayers`
 * runs once the last layer is done, before the scheduler's final tear-down.
 */
export async function runLayers(
  plan: Plan,
  parts: LayerRunParts,
  elsewhere: Elsewhere,
  allElsewhere: boolean,
  afterLayers: () => void,
): Promise<void> {
  for (const layer of plan.broken) reportBrokenLayer(layer, parts.emit);
  try {
    if (allElsewhere) await elsewhere(0, false);
    else {
      for (let i = 0; i < plan.ordered.length && !parts.shouldStop(); i++) {
        const node = plan.ordered[i]!;
        // zope's way after a layer that cannot be torn down: the rest runs in fresh processes.
        if ((await runLayer(node, plan.groups.get(node) ?? [], parts)) === 'subprocess') {
          await elsewhere(i, true);
          break;
        }
      }
    }
    afterLayers();
  } finally {
    // Even when the runner itself failed midway, fixtures it set up are torn down.
    await parts.scheduler.finish(parts.emit, layerGuard(parts.watchdog));
  }
}

/** The ids of a planned layer's tests. */
function testIds(plan: Plan, node: LayerNode): string[] {
  return (plan.groups.get(node) ?? []).map((test) => test.id);
}

/** `--list-tests`: the plan's layers and their tests, and the layers that cannot be resolved. */
export function listPlan(plan: Plan, emit: Emit): void {
  for (const layer of plan.broken) emit({ type: 'run:problem', problem: brokenLayerProblem(layer) });
  for (const node of plan.ordered) emit({ type: 'list:layer', layer: node.name, tests: testIds(plan, node) });
}

/**
 * After an interrupt: the layers after the last one that started never did, and their tests did
 * not run. Layers start in order, so they are those after `running`.
 */
export function reportNotRun(plan: Plan, running: string | undefined, emit: Emit): void {
  const next = plan.ordered.findIndex((node) => node.name === running) + 1;
  for (const node of plan.ordered.slice(next)) {
    emit({ type: 'layer:not-run', layer: node.name, tests: testIds(plan, node) });
  }
}
