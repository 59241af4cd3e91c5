import { Interrupted, ProcessExitCalled, TestTimeout, toError } from '../core/errors.ts';
import { now } from '../core/clock.ts';
import type { Problem } from '../types/index.ts';

/** Thrown into a test whose promise can never settle: the event loop emptied while it waited. */
export class NeverSettled extends Error {
  constructor() {
    super('never settled: the event loop emptied while waiting for it (a promise nothing will resolve)');
    this.name = 'NeverSettled';
  }
}

/**
 * Guards a run against what tests do behind its back: unhandled rejections and uncaught
 * exceptions (reported as problems of the test that was running or had just finished), calls of
 * `process.exit()` (turned into errors), tests that outlive `--timeout`, and tests awaiting a
 * promise that can never settle.
 */
export class Watchdog {
  /** The test running now, if any. */
  current: string | undefined;
  /** The test that finished last. */
  last: string | undefined;
  /** Every guarded wait: how to give it up, and its name. */
  readonly #waiting = new Map<(error: Error) => void, string>();
  /** Once interrupted: what interrupted the run, and when every guarded wait must end. */
  #interruption: { readonly what: string; readonly deadline: number; readonly bound: number } | undefined;
  readonly #report: (problem: Problem) => void;
  readonly #onRejection = (reason: unknown): void => this.#problem('Unhandled rejection', reason);
  readonly #onException = (error: unknown): void => this.#problem('Uncaught exception', error);
  readonly #onBeforeExit = (): void => {
    for (const fail of [...this.#waiting.keys()]) fail(new NeverSettled());
  };
  /** `process.exit` as it was before {@link Watchdog.install}. */
  #exit: typeof process.exit | undefined;
  /** A `process.exit()` call during the current test, kept in case the test catches what it threw. */
  #exitCall: ProcessExitCalled | undefined;
  /** Takes `process.exit`'s place while installed: the call becomes an error where it was made. */
  readonly #onExit = (code?: unknown): never => {
    const error = new ProcessExitCalled(code, this.current);
    if (this.current !== undefined) this.#exitCall ??= error;
    throw error;
  };

  constructor(report: (problem: Problem) => void) {
    this.#report = report;
  }

  install(): void {
    process.on('unhandledRejection', this.#onRejection);
    process.on('uncaughtException', this.#onException);
    process.on('beforeExit', this.#onBeforeExit);
    this.#exit = process.exit;
    process.exit = this.#onExit;
  }

  uninstall(): void {
    process.off('unhandledRejection', this.#onRejection);
    process.off('uncaughtException', this.#onException);
    process.off('beforeExit', this.#onBeforeExit);
    if (this.#exit !== undefined && process.exit === this.#onExit) process.exit = this.#exit;
    this.#exit = undefined;
  }

  /**
   * The `process.exit()` call the test that just ran made, if any, even if the test caught what
   * the call threw; forgotten once taken.
   */
  takeExitCall(): ProcessExitCalled | undefined {
    const call = this.#exitCall;
    this.#exitCall = undefined;
    return call;
  }

  #problem(what: string, reason: unknown): void {
    // A process.exit() from a callback is reported here, with the tests around it; not again as the current test's error.
    if (reason === this.#exitCall) this.#exitCall = undefined;
    const after = this.last ? `after ${this.last} finished` : '';
    const where = this.current ? `during ${this.current}${after && `, ${after}`}` : after || 'outside any test';
    this.#report({ kind: 'error', phase: 'unhandled', test: `${what} ${where}`, error: toError(reason) });
  }

  /**
   * Gives up every guarded wait now, with `Interrupted` (`what` interrupted the run), and from now
   * on gives up any later one that is still running `boundMs` after this call.
   */
  interrupt(what: string, boundMs: number): void {
    this.#interruption = { what, deadline: now() + boundMs, bound: boundMs };
    for (const [fail, name] of [...this.#waiting]) fail(new Interrupted(`${name} was interrupted by ${what}`));
  }

  /**
   * Resolves like `work`, but rejects with `TestTimeout` after `timeout` ms and with
   * `NeverSettled` if the event loop empties first. If `work` rejects after that, the late
   * rejection is reported as its own problem instead of going unhandled.
   */
  settle(name: string, work: Promise<unknown>, timeout: number | undefined): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    let fail: ((error: Error) => void) | undefined;
    let gaveUp = false;
    const guard = new Promise<never>((_, reject) => {
      fail = (error) => {
        gaveUp = true;
        reject(error);
      };
      this.#waiting.set(fail, name);
      const interruption = this.#interruption;
      const left = interruption === undefined ? Infinity : Math.max(0, interruption.deadline - now());
      if (interruption !== undefined && (timeout === undefined || left < timeout)) {
        const seconds = interruption.bound / 1000;
        timer = setTimeout(() => fail?.(new Interrupted(`${name} did not finish within ${seconds} s of ${interruption.what}`)), left);
      } else if (timeout !== undefined) {
        timer = setTimeout(() => fail?.(new TestTimeout(timeout)), timeout);
      }
    });
    work.catch((error: unknown) => {
      if (gaveUp)
        this.#report({ kind: 'error', phase: 'unhandled', test: `${name} rejected after it was given up`, error: toError(error) });
    });
    return Promise.race([work, guard]).finally(() => {
      if (timer) clearTimeout(timer);
      if (fail) this.#waiting.delete(fail);
    });
  }
}
