import { inspect } from 'node:util';
import type { Problem } from '../types/index.ts';

/**
 * Thrown by a layer's `tearDown` when the layer cannot be torn down in this process.
 * The runner prints `Tear down NAME ... not supported` and goes on.
 */
export class CannotTearDown extends Error {
  constructor(message = 'This layer cannot be torn down') {
    super(message);
    this.name = 'CannotTearDown';
  }
}

/** Thrown by `skip(reason)`; the test is counted as skipped. */
export class SkipTest extends Error {
  /** Why, as printed with `-vv` and given in the `test:skip` event. */
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipTest';
    this.reason = reason;
  }
}

/** Thrown when a test runs longer than `--timeout`. */
export class TestTimeout extends Error {
  constructor(ms: number) {
    super(`Test timed out after ${ms} ms (--timeout ${ms})`);
    this.name = 'TestTimeout';
  }
}

/**
 * Drops the stack of an error whose message says all there is to say (a configuration mistake, a
 * broken contract): the frames would only show leakrun's own code. Returns the same error.
 */
export function stackless<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** Normalises any throwable to an `Error`, keeping the original as `cause` when it was not one. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && 'message' in value && 'stack' in value) {
    return value as Error;
  }
  return stackless(new Error(`Non-error thrown: ${inspect(value, { depth: 2, breakLength: Infinity })}`, { cause: value }));
}

/** True for assertion failures: node:assert, anything named `AssertionError`, or expect's `matcherResult`. */
export function isAssertion(error: Error): boolean {
  return error.name === 'AssertionError' || error.name.startsWith('AssertionError') || 'matcherResult' in error;
}

/** Errors recognised across copies of leakrun by name, not identity. */
export function isSkip(error: Error): error is SkipTest {
  return error.name === 'SkipTest';
}

export function isCannotTearDown(error: Error): boolean {
  return error.name === 'CannotTearDown';
}

/**
 * A swappable part (a repeat loop, a scheduler, …) did something its contract in `types.ts` rules
 * out. The message names the part and the rule; the stack would only show leakrun's own frames.
 */
export class ContractError extends Error {
  /** The part that broke its contract, e.g. `repeat loop`. */
  readonly part: string;

  constructor(part: string, rule: string) {
    super(`the ${part} broke its contract: ${rule}`);
    this.part = part;
    this.name = 'ContractError';
    stackless(this);
  }
}

/**
 * What a test or hook that was still running gets when the run is interrupted (Ctrl-C, or
 * `components.signal`), and what a hook gets that outlives the tear-down bound after it.
 */
export class Interrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Interrupted';
    stackless(this);
  }
}

/** An iteration changed the environment under `--fail-on-env-change`; the message lists the changes. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
    stackless(this);
  }
}

/**
 * The error of a layer that leaked under `--fail-on-leak` (docs/ci.md): its message is the
 * verdict's line, `samplelayers.Layer11 leaked [6, 6, 6] references, sum=18`. It has no stack:
 * the leak has no place in the code to point at.
 */
export class LeakError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeakError';
    stackless(this);
  }
}

/**
 * What `process.exit()` throws while leakrun runs tests (docs/api.md): the call would end the
 * whole run, with no word of which test made it and, for `process.exit(0)`, a passing exit code.
 * The test (or hook, or module) that calls it errors with this instead, and the run goes on. Its
 * stack shows where the call was made.
 */
export class ProcessExitCalled extends Error {
  /** The code it was called with; `undefined` for `process.exit()`. */
  readonly code: unknown;

  constructor(code: unknown, during: string | undefined) {
    super(`process.exit(${code === undefined ? '' : inspect(code)}) called${during === undefined ? '' : ` during ${during}`}`);
    this.name = 'ProcessExitCalled';
    this.code = code;
  }
}

/**
 * A problem of the run itself, named after the part it came from: the part whose contract was
 * broken (`repeat loop`, `formatter`, …), or `runner` for anything else.
 */
export function runnerProblem(error: Error): Problem {
  return { kind: 'error', phase: 'runner', test: error instanceof ContractError ? error.part : 'runner', error };
}
