/**
 * Timers and abort signals. The clean test awaits a `setTimeout` that fires, clears a
 * `setInterval` after it has ticked, races work against a cleared deadline with
 * `AbortSignal.any` and an `'abort'` listener it removes again, and lets a short
 * `AbortSignal.timeout` fire. The misuse starts a polling
 * `setInterval` in every run and never clears it (it is `unref()`ed, so the process can still
 * exit): Node's timer list keeps each `Timeout`, its callback and what the callback captured.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Ticker {
  ticks: number;
  done: (() => void) | undefined;
}

function tick(ticker: Ticker): void {
  ticker.ticks += 1;
  if (ticker.ticks === 3) ticker.done?.();
}

async function tickThreeTimes(): Promise<number> {
  const ticker: Ticker = { ticks: 0, done: undefined };
  const three = new Promise<void>((resolve) => {
    ticker.done = resolve;
  });
  const interval = setInterval(tick, 1, ticker);
  try {
    await three;
  } finally {
    clearInterval(interval);
  }
  return ticker.ticks;
}

function onAbort(this: AbortSignal): void {
  throw new Error(`aborted unexpectedly: ${String(this.reason)}`);
}

/**
 * Races work against a deadline without leaving a timer behind: the deadline is a `setTimeout`
 * that the `finally` clears. (`AbortSignal.any([signal, AbortSignal.timeout(ms)])` would leave
 * the timeout's timer pending for `ms` after the test, and on Node 22 and later Node keeps the
 * signal with it; leakrun rightly counts such a pending timer as growth, as Deno's test
 * sanitizer would report it. docs/fidelity.md says more.)
 */
async function withDeadline(ms: number): Promise<string> {
  const controller = new AbortController();
  const deadline = new AbortController();
  const timer = setTimeout(abortDeadline, ms, deadline);
  const signal = AbortSignal.any([controller.signal, deadline.signal]);
  signal.addEventListener('abort', onAbort);
  try {
    await sleep(1);
    return signal.aborted ? 'aborted' : 'finished';
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

function abortDeadline(deadline: AbortController): void {
  deadline.abort(new DOMException('deadline passed', 'TimeoutError'));
}

async function clean(): Promise<void> {
  const started = performance.now();
  await sleep(5);
  assert.ok(performance.now() - started >= 4);
  assert.equal(await tickThreeTimes(), 3);
  assert.equal(await withDeadline(10_000), 'finished');

  // AbortSignal.timeout's timer is unref()ed: alone it would not keep the event loop running.
  const deadline = AbortSignal.timeout(1);
  const aborted = once(deadline, 'abort');
  await sleep(5);
  await aborted;
  assert.equal(deadline.aborted, true);
  assert.equal((deadline.reason as Error).name, 'TimeoutError');
}

interface Poller {
  polls: number;
  readonly target: string;
}

function poll(poller: Poller): void {
  poller.polls += 1;
}

let pollerNumber = 0;

function startPolling(target: string): Poller {
  const poller: Poller = { polls: 0, target };
  // The misuse: the interval's handle is dropped, so nothing can ever clear it.
  setInterval(poll, 60_000, poller).unref();
  return poller;
}

function leaky(): void {
  pollerNumber += 1;
  const poller = startPolling(`queue-${pollerNumber}`);
  assert.equal(poller.polls, 0);
  assert.equal(poller.target, `queue-${pollerNumber}`);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
