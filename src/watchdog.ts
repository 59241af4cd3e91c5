import { TestTimeout, toError } from './errors.ts';
import type { Problem } from './types.ts';

/** Thrown into a test whose promise can never settle: the event loop emptied while it waited. */
export class NeverSettled extends Error {
  constructor() {
    super('never settled: the event loop emptied while waiting for it (a promise nothing will resolve)');
    this.name = 'NeverSettled';
  }
}

/**
 * Guards a run against what tests do behind its back: unhandled rejections and uncaught
 * exceptions (reported as problems of the test that was running or had just finished), tests
 * that outlive `--timeout`, and tests awaiting a promise that can never settle.
 */
export class Watchdog {
  /** The test running now, if any. */
  current: string | undefined;
  /** The test that finished last. */
  last: string | undefined;
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly report: (problem: Problem) => void;
  private readonly onRejection = (reason: unknown): void => this.problem('Unhandled rejection', reason);
  private readonly onException = (error: unknown): void => this.problem('Uncaught exception', error);
  private readonly onBeforeExit = (): void => {
    for (const fail of [...this.waiting]) fail(new NeverSettled());
  };

  constructor(report: (problem: Problem) => void) {
    this.report = report;
  }

  install(): void {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    process.on('beforeExit', this.onBeforeExit);
  }

  uninstall(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
    process.off('beforeExit', this.onBeforeExit);
  }

  private problem(what: string, reason: unknown): void {
    const after = this.last ? `after ${this.last} finished` : '';
    const where = this.current ? `during ${this.current}${after && `, ${after}`}` : after || 'outside any test';
    this.report({ kind: 'error', test: `${what} ${where}`, error: toError(reason) });
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
      this.waiting.add(fail);
      if (timeout !== undefined) timer = setTimeout(() => fail?.(new TestTimeout(timeout)), timeout);
    });
    work.catch((error: unknown) => {
      if (gaveUp) this.report({ kind: 'error', test: `${name} rejected after it was given up`, error: toError(error) });
    });
    return Promise.race([work, guard]).finally(() => {
      if (timer) clearTimeout(timer);
      if (fail) this.waiting.delete(fail);
    });
  }
}
