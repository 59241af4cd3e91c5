/**
 * The layers of a run's selected tests: tests grouped by layer node in discovery order, layers
 * that cannot be resolved kept apart (docs/layers.md), and the scheduler's order of the rest,
 * checked against its contract.
 */
import { ContractError, toError } from '../core/errors.ts';
import { createLayerResolver, layerName, unitTestsNode } from './layers.ts';
import type { Emit, Layer, LayerNode, LayerScheduler, Problem, Test } from '../types/index.ts';

/** Tests whose layer cannot be resolved (a cycle in its bases, a base that is not a layer). */
export interface BrokenLayer {
  readonly name: string;
  readonly error: Error;
  readonly tests: Test[];
}

/**
 * Groups tests by layer node, keeping discovery order within each layer. A layer that cannot be
 * resolved is kept apart with its error, so that only its tests are lost.
 */
export function byLayer(tests: readonly Test[]): { groups: Map<LayerNode, Test[]>; broken: BrokenLayer[] } {
  const resolve = createLayerResolver();
  const groups = new Map<LayerNode, Test[]>();
  const broken = new Map<Layer, BrokenLayer>();
  for (const test of tests) {
    let node: LayerNode;
    if (test.layer === undefined) {
      node = unitTestsNode();
    } else {
      const known = broken.get(test.layer);
      if (known !== undefined) {
        known.tests.push(test);
        continue;
      }
      try {
        node = resolve(test.layer);
      } catch (error) {
        broken.set(test.layer, { name: layerName(test.layer), error: toError(error), tests: [test] });
        continue;
      }
    }
    let group = groups.get(node);
    if (!group) groups.set(node, (group = []));
    group.push(test);
  }
  return { groups, broken: [...broken.values()] };
}

/** A layer that cannot be resolved fails as its set-up would. */
export function brokenLayerProblem({ name, error }: BrokenLayer): Problem {
  return { kind: 'error', phase: 'layerSetUp', test: `Layer: ${name}.setUp`, error, layer: name };
}

/** Reports a layer that cannot be resolved as a layer whose set-up failed, and its tests as not run. */
export function reportBrokenLayer({ name, error, tests }: BrokenLayer, emit: Emit): void {
  emit({ type: 'layer:start', layer: name, unit: false });
  emit({ type: 'layer:setup:start', layer: name });
  emit({ type: 'layer:setup:end', layer: name, seconds: 0, error });
  emit({ type: 'layer:not-run', layer: name, tests: tests.map((test) => test.id) });
}

/** The scheduler's order of the layers, checked: each layer that has tests exactly once. */
export function orderedLayers(scheduler: LayerScheduler, layers: readonly LayerNode[]): LayerNode[] {
  const ordered = scheduler.order(layers);
  const given = new Set(layers);
  if (
    !Array.isArray(ordered) ||
    ordered.length !== layers.length ||
    new Set(ordered).size !== layers.length ||
    !ordered.every((node) => given.has(node))
  ) {
    throw new ContractError('scheduler', 'order() must return each layer it was given exactly once');
  }
  return ordered;
}
