/** The events the runner reports, in order, from `run:start` to `run:end`: all a formatter sees. */
import type { HeapDiff, HeapSample } from './heap-samples.ts';
import type { EnvironmentChange, LeakAttribution, LeakVerdict, ResourceCounts } from './leak-verdicts.ts';
import type { IterationCounts } from './repeat-loop.ts';
import type { RunOptions } from './run-options.ts';
import type { Interruption, Problem, RunResult, TestPhase } from './run-results.ts';

/**
 * Everything the runner reports, in order. A formatter consumes these and nothing else.
 * Events are plain data and never carry functions or live layers.
 */
export type RunEvent =
  | { readonly type: 'run:start'; readonly options: RunOptions }
  | { readonly type: 'import:failure'; readonly module: string; readonly error: Error }
  | { readonly type: 'list:layer'; readonly layer: string; readonly tests: readonly string[] }
  | { readonly type: 'layer:start'; readonly layer: string; readonly unit: boolean }
  | { readonly type: 'layer:setup:start'; readonly layer: string }
  | { readonly type: 'layer:setup:end'; readonly layer: string; readonly seconds: number; readonly error?: Error | undefined }
  | { readonly type: 'layer:teardown:start'; readonly layer: string }
  | {
      readonly type: 'layer:teardown:end';
      readonly layer: string;
      readonly seconds: number;
      readonly error?: Error | undefined;
      /** The layer threw `CannotTearDown`. */
      readonly notSupported?: boolean | undefined;
    }
  | {
      /** The tests of a layer that did not run: its set-up or a base's failed, or the run was interrupted before it started. */
      readonly type: 'layer:not-run';
      readonly layer: string;
      readonly tests: readonly string[];
    }
  | {
      /**
       * The layer runs in a child process of its own (docs/processes.md): after a layer could not be
       * torn down, under `-j N`, or for `-r` beside another test runner. Comes after its `layer:start`; the child's events for the
       * layer follow, relayed as they arrive.
       */
      readonly type: 'layer:subprocess';
      readonly layer: string;
      /**
       * Why, when it is neither of those: `run()` with `-r` in a process that another test runner
       * shares (docs/frameworks.md), such as `Vitest shares this process`.
       */
      readonly reason?: string | undefined;
    }
  | { readonly type: 'leftover:start' }
  | {
      readonly type: 'iteration:start';
      readonly layer: string;
      readonly iteration: number;
      readonly of: number;
      /** How many tests this iteration will run. */
      readonly tests: number;
    }
  | { readonly type: 'test:start'; readonly test: string }
  | { readonly type: 'test:pass'; readonly test: string; readonly seconds: number }
  | { readonly type: 'test:skip'; readonly test: string; readonly seconds: number; readonly reason: string }
  | { readonly type: 'test:fail'; readonly test: string; readonly seconds: number; readonly error: Error; readonly phase: TestPhase }
  | { readonly type: 'test:error'; readonly test: string; readonly seconds: number; readonly error: Error; readonly phase: TestPhase }
  | {
      /**
       * The run was interrupted (`components.signal`; Ctrl-C or SIGTERM for the `leakrun`
       * command): what was running when it happened. The run stops waiting for it, tears down
       * what is set up and ends with `run:end`.
       */
      readonly type: 'run:interrupted';
      readonly interruption: Interruption;
    }
  | {
      /** A problem outside a test's own run: an unhandled rejection after it finished, a timeout's late settle. */
      readonly type: 'run:problem';
      readonly problem: Problem;
    }
  | {
      readonly type: 'iteration:end';
      readonly layer: string;
      readonly iteration: number;
      readonly of: number;
      readonly counts: IterationCounts;
    }
  | {
      readonly type: 'heap:sample';
      readonly layer: string;
      readonly iteration: number;
      readonly sample: HeapSample;
      /** `undefined` for the first iteration, the baseline. */
      readonly diff: HeapDiff | undefined;
    }
  | {
      /**
       * With `--fail-on-leak` or `--leak-bisect` and without `-r`, after each iteration the verdict
       * screens (docs/ci.md): the sampler's count of live objects, in place of a heap sample.
       */
      readonly type: 'heap:screen';
      readonly layer: string;
      readonly iteration: number;
      /** The live objects after the iteration (`HeapSampler.screen`). */
      readonly objects: number;
      /** Their change since the previous count; `undefined` for the first. */
      readonly change: number | undefined;
      /** The iteration after which the previous count was taken; `undefined` for the first. */
      readonly since: number | undefined;
    }
  | {
      /**
       * The screen did not find the layer clean: its live objects changed over the judged
       * iterations, a test failed in them, or a count failed. Before the next iteration, the layer
       * takes a heap sample, and samples each iteration from then on, so that the verdict judges
       * exact counts and shows what grew (docs/ci.md).
       */
      readonly type: 'layer:confirm';
      readonly layer: string;
      /** The change in live objects over the judged iterations; `undefined` when a count failed. */
      readonly change: number | undefined;
      /** The iteration after which the first count was taken: the change is since then. */
      readonly since: number;
      /** A test failed or errored in a judged iteration. */
      readonly failed: boolean;
      /** The most iterations the layer runs in all, the ones that confirm included. */
      readonly upTo: number;
    }
  | { readonly type: 'heap:error'; readonly layer: string; readonly iteration: number; readonly error: Error }
  | {
      /**
       * With `-r` or `--fail-on-env-change`, after an iteration that changed the environment
       * (docs/leaks.md), before its heap sample.
       */
      readonly type: 'environment:change';
      readonly layer: string;
      readonly iteration: number;
      readonly changes: readonly EnvironmentChange[];
    }
  | {
      /**
       * With `-r`, after each iteration's heap sample: the active resources counted just before
       * it, once the event loop had settled (docs/leaks.md).
       */
      readonly type: 'resources:sample';
      readonly layer: string;
      readonly iteration: number;
      readonly counts: ResourceCounts;
      /** The types whose count changed since the previous iteration; `undefined` for the first. */
      readonly changes: ResourceCounts | undefined;
    }
  | {
      /**
       * With `--fail-on-leak` or `--leak-bisect`, after a layer's last iteration, when its judged
       * deltas disagree (some grew, some did not): more iterations follow, one at a time, until
       * the latest `window` deltas agree or `upTo` iterations have run (docs/ci.md).
       */
      readonly type: 'layer:extend';
      readonly layer: string;
      /** The judged deltas that disagree. */
      readonly deltas: readonly number[];
      /** How many of the latest deltas the verdict judges. */
      readonly window: number;
      /** The most iterations the layer runs in all (`--leak-max-repeat`). */
      readonly upTo: number;
    }
  | {
      /**
       * With `--fail-on-leak` or `--leak-bisect`, after a layer's last iteration and before
       * anything tears it down; for a leaking layer, after the search for its leaking tests.
       */
      readonly type: 'layer:verdict';
      readonly verdict: LeakVerdict;
      /** For a leaking layer, which of its tests leak; none when the search is off. */
      readonly attribution?: LeakAttribution | undefined;
    }
  | { readonly type: 'run:end'; readonly result: RunResult };

/** The event type names. */
export type RunEventType = RunEvent['type'];
