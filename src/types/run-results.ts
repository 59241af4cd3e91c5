/**
 * What a run resolves to: its failures and errors (problems) and where they happened, each
 * layer's results, the interruption if there was one, and the `RunResult` of `run()`.
 */
import type { LeakAttribution, LeakVerdict } from './leak-verdicts.ts';
import type { IterationResult } from './repeat-loop.ts';
import type { UsageProblem } from './run-options.ts';

/** A failure (an assertion) or an error (anything else thrown or rejected). */
export type ProblemKind = 'failure' | 'error';

/** The part of running a test that failed: the test, or a per-test hook around it. */
export type TestPhase = 'test' | 'testSetUp' | 'testTearDown';

/**
 * Where a problem happened: in a `test` itself; in the per-test hooks around it (`testSetUp`,
 * `testTearDown`); in a layer's `setUp` or `tearDown` (`layerSetUp`, `layerTearDown`; a layer
 * whose bases cannot be resolved fails as its set-up); in a heap sample (`sample`, with `-r`: the
 * sampler rejected or broke its contract); outside any of these (`unhandled`: an
 * unhandled rejection, an uncaught exception, a test that rejected after it was given up); in a
 * child process that ran a layer and died or stopped answering (`subprocess`); or in
 * the runner itself or one of its parts (`runner`). Modules that fail to import are not problems
 * but `RunResult.importFailures`.
 */
export type ProblemPhase =
  | 'test'
  | 'testSetUp'
  | 'testTearDown'
  | 'layerSetUp'
  | 'layerTearDown'
  | 'sample'
  | 'leak'
  | 'environment'
  | 'unhandled'
  | 'subprocess'
  | 'runner';

/** A recorded failure or error of a test, a layer hook or the run itself. */
export interface Problem {
  /** `failure` for an assertion, `error` for anything else. */
  readonly kind: ProblemKind;
  /** Where it happened. */
  readonly phase: ProblemPhase;
  /**
   * The printed name: the test's, `Layer: samplelayers.Layer1.setUp` for a layer hook,
   * `Leak: samplelayers.Layer1` for a layer that leaked under `--fail-on-leak`,
   * `Unhandled rejection during …` outside a test; for the `runner` phase, the part that failed
   * (`repeat loop`, `scheduler`, `formatter`, `heap sampler`, or `runner` itself).
   */
  readonly test: string;
  /** The original throwable, normalised to an `Error`. */
  readonly error: Error;
  /** The layer name the problem happened in, if any. */
  readonly layer?: string | undefined;
  /** The iteration (1-based) it happened in. */
  readonly iteration?: number | undefined;
}

/** One layer's results. */
export interface LayerResult {
  /** The layer's printed name. */
  readonly name: string;
  /** The iterations that ran, in order; none when the layer could not be set up. */
  readonly iterations: readonly IterationResult[];
  /** With `--fail-on-leak`, the leak verdict on the layer. */
  readonly verdict?: LeakVerdict | undefined;
  /** For a leaking layer, which of its tests leak. */
  readonly attribution?: LeakAttribution | undefined;
}

/** Where a run was when it was interrupted. */
export interface Interruption {
  /** The abort reason when it is a string (`SIGINT`, `SIGTERM`), else `abort`. */
  readonly signal: string;
  /** The layer that was running, if any. */
  readonly layer: string | undefined;
  /** The test that was running, if any. */
  readonly test: string | undefined;
}

/** What `run()` resolves to. */
export interface RunResult {
  /** Tests run, each counted once (its last iteration). */
  readonly tests: number;
  /** Failures of every iteration. */
  readonly failures: number;
  /** Errors of every iteration, layer hooks and import problems included. */
  readonly errors: number;
  /** Tests that skipped themselves (their last iteration). */
  readonly skipped: number;
  /** Per layer, in the order they ran. */
  readonly layers: readonly LayerResult[];
  /** Every failure and error, in the order they happened. */
  readonly problems: readonly Problem[];
  /** Modules that could not be imported: the dotted name, and why. */
  readonly importFailures: readonly { readonly module: string; readonly error: Error }[];
  /** Per layer that did not run (its set-up failed, or an interrupt came before it started), the tests that did not run because of it. */
  readonly notRun: readonly { readonly layer: string; readonly tests: readonly string[] }[];
  /** The seed tests were shuffled with, if `--shuffle`. */
  readonly shuffleSeed?: number | undefined;
  /** The usage problem that stopped the run before anything ran. */
  readonly usageProblem?: UsageProblem | undefined;
  /** Set when the run was interrupted: it then failed, with exit code 143 for SIGTERM and 130 otherwise. */
  readonly interrupted?: Interruption | undefined;
  /** Whether anything went wrong: a problem, an import failure, a usage problem, an interrupt. */
  readonly failed: boolean;
  /** What the command line exits with: 0 passed, 1 failed, 2 bad usage, 130 interrupted, 143 interrupted by SIGTERM. */
  readonly exitCode: 0 | 1 | 2 | 130 | 143;
}
