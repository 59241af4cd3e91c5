/**
 * Calling test code without paying for promises it does not use. Most tests are synchronous; a
 * test that returns no promise finishes with the shared {@link DONE} promise, and the runner skips
 * its asynchronous guard for it. Hot path: runs once per test and iteration.
 */

/** The promise a test's `run()` returns when it finished synchronously and passed. */
export const DONE: Promise<void> = Promise.resolve();

/** Whether a value is a promise or another thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

function ignore(): void {}

/** Runs `fn`; synchronous success gives {@link DONE}, a synchronous throw a rejected promise. */
export function invoke(fn: () => unknown): Promise<void> {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return Promise.reject(error);
  }
  return isThenable(result) ? Promise.resolve(result).then(ignore) : DONE;
}

/** Runs `after` whatever `work` did, then settles like `work` (an error from `after` is dropped if `work` failed). */
function always(work: () => unknown, after: () => unknown): Promise<void> {
  let result: unknown;
  try {
    result = work();
  } catch (error) {
    return swallowThenThrow(after, error);
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      () => invoke(after),
      (error: unknown) => swallowThenThrow(after, error),
    );
  }
  return invoke(after);
}

function swallowThenThrow(after: () => unknown, error: unknown): Promise<never> {
  const thrown = (): never => {
    throw error;
  };
  try {
    const result = after();
    if (isThenable(result)) return Promise.resolve(result).then(thrown, thrown);
  } catch {
    // The test's own error is the one worth reporting.
  }
  return Promise.reject(error);
}

/** An xUnit test: `setUp`, the method, then `tearDown` even when the method failed. */
export function invokeTestCase(instance: { setUp(): unknown; tearDown(): unknown }, method: () => unknown): Promise<void> {
  const body = (): Promise<void> =>
    always(
      () => method.call(instance),
      () => instance.tearDown(),
    );
  let setUp: unknown;
  try {
    setUp = instance.setUp();
  } catch (error) {
    return Promise.reject(error);
  }
  return isThenable(setUp) ? Promise.resolve(setUp).then(body) : body();
}
