/**
 * The contract of the swappable layer scheduler, which sets layers up and tears them down around
 * their tests, with the event sink and the hook guard it is handed.
 */
import type { RunEvent } from './run-events.ts';
import type { LayerNode } from './tests-and-layers.ts';

/** Sends an event to the formatter and to the result being built. */
export type Emit = (event: RunEvent) => void;

/**
 * Waits for a hook's promise under the run's guard: resolves or rejects like `work`, or rejects
 * instead (with `TestTimeout` or `NeverSettled`) when `work` outlives `--timeout` or can never
 * settle. `name` says whose hook it is (`Layer1.setUp`, `testSetUp`); a rejection that comes after
 * the guard gave up is reported under it.
 */
export type HookGuard = (name: string, work: Promise<unknown>) => Promise<unknown>;

/**
 * Orders layers, sets them up and tears them down around each layer's tests (docs/layers.md),
 * and runs each test inside its layers' per-test hooks. A swappable part (docs/api.md). The
 * runner calls `order` once, then for each layer in that order `enter`, then `aroundTest` for
 * every test the repeat loop runs, and `finish` once at the end, even when the run failed midway.
 * It awaits each call before the next. A method that throws (or rejects) ends the run: the error
 * is reported as the scheduler's, naming the method; what was measured so far is kept.
 */
export interface LayerScheduler {
  /**
   * Orders the layers that have tests (the default: unit tests first, then zope's
   * `order_by_bases`). Must return each given node exactly once.
   */
  order(layers: readonly LayerNode[]): LayerNode[];
  /**
   * Makes `layer` and all its bases set up, tearing down those it does not need first, and
   * emits `layer:setup:start`/`layer:setup:end` and `layer:teardown:start`/`layer:teardown:end`
   * around each hook it calls (an `error` on the end event when the hook threw). Each hook's
   * promise should be awaited through `guard`. Resolves to `true` once the layer is set up, to
   * `false` when a set-up failed (the layer's tests do not run), and to `'subprocess'` when a layer
   * it had to tear down first could not be (it threw `CannotTearDown`): it then sets nothing up,
   * and the runner runs this layer and every later one in fresh child processes, as zope does
   * (docs/processes.md). A scheduler that never resolves to `'subprocess'` keeps every layer in
   * this process.
   */
  enter(layer: LayerNode, emit: Emit, guard: HookGuard): Promise<boolean | 'subprocess'>;
  /**
   * Runs one test of `layer`: its layers' `testSetUp` hooks (bases first), then `body`, then
   * their `testTearDown` hooks (most derived first, all of them even when one threw), each
   * hook's promise through `guard`. Rejects with the first error of the set-up, the body or the
   * tear-down, in that order; the runner reports it as the test's outcome. `body` runs the test
   * under `--timeout` already; it is called at most once. For a synchronous test it returns a
   * settled promise that all such tests share: return it as it is when nothing follows the test,
   * rather than `await` it, since under the inspector V8 notes the awaiting function on the
   * awaited promise, and heap counts would then show the scheduler's state once.
   */
  aroundTest(layer: LayerNode, body: () => Promise<void>, guard: HookGuard): Promise<void>;
  /** Tears down everything still set up, most derived first, emitting as `enter` does. */
  finish(emit: Emit, guard: HookGuard): Promise<void>;
}
