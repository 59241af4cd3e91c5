/**
 * Iterations and the repeat loop: the counts and the result of one iteration of a layer, what the
 * repeat loop is given for a layer, and the contract of the swappable repeat loop.
 */
import type { HeapDiff, HeapSample } from './heap-samples.ts';
import type { EnvironmentChange, ResourceCounts } from './leak-verdicts.ts';
import type { LayerNode, Test } from './tests-and-layers.ts';

/** Counts of one iteration of one layer. */
export interface IterationCounts {
  /** Tests run, skipped ones included. */
  readonly tests: number;
  /** Tests that failed an assertion. */
  readonly failures: number;
  /** Tests that threw or rejected with anything else. */
  readonly errors: number;
  /** Tests that skipped themselves. */
  readonly skipped: number;
  /** Wall time of the iteration's tests, hooks included, heap sample excluded. */
  readonly seconds: number;
}

/** One iteration of one layer. */
export interface IterationResult extends IterationCounts {
  /** Its number, from 1. */
  readonly iteration: number;
  /** The heap sample taken after it, with `-r`. */
  readonly heap?: HeapSample | undefined;
  /** Its diff against the previous iteration's sample (from iteration 2 on). */
  readonly heapDiff?: HeapDiff | undefined;
  /**
   * When the verdict screened it instead of sampling (`--fail-on-leak` without `-r`, docs/ci.md):
   * the live objects after it, as `HeapSampler.screen` counted them.
   */
  readonly screen?: number | undefined;
  /** With `-r`, the active resources after it, by type (docs/leaks.md). */
  readonly resources?: ResourceCounts | undefined;
  /** With `-r` or `--fail-on-env-change`, what it changed outside the heap, if anything. */
  readonly environment?: readonly EnvironmentChange[] | undefined;
}

/**
 * What the repeat loop is given for one layer, which is set up when the loop starts and stays so
 * until it resolves.
 */
export interface LayerRun {
  /** The layer, set up with its bases. */
  readonly layer: LayerNode;
  /** The layer's selected tests, in the order to run them. */
  readonly tests: readonly Test[];
  /** The most iterations the loop may run: `-N`. */
  readonly repeat: number;
  /** True once the run must stop (`-x` saw a failure); the loop returns as soon as it sees it. */
  readonly shouldStop: () => boolean;
  /**
   * Runs one iteration: reports its start, runs `tests` (default: all of the layer's) in order,
   * each inside the scheduler's `aroundTest`, reports each test's outcome and the iteration's
   * counts, then takes the heap sample when `-r` is on. Resolves to the iteration's result, its
   * heap sample and diff included. Iterations are numbered from 1 in the order they are run.
   * Rejects with a contract error when called while another iteration is running, after the
   * loop's `run` has resolved, or more than `repeat` times.
   */
  runIteration(tests?: readonly Test[]): Promise<IterationResult>;
}

/**
 * Decides how many times a layer's tests run inside one set-up, and which. A swappable part
 * (docs/api.md). `run` calls `layerRun.runIteration()` one or more times, awaiting each, up to
 * `layerRun.repeat` times (the default runs exactly that many, or fewer when the run stops), and
 * resolves when it is done with the layer. Everything it runs is reported by the runner, so it
 * never emits events itself. If it rejects, or breaks the rules of `runIteration`, the run ends
 * with an error naming the repeat loop and the rule; the iterations that ran are kept.
 */
export interface RepeatLoop {
  /** Runs the iterations of one layer; resolves when the layer may be left. */
  run(layerRun: LayerRun): Promise<void>;
}
