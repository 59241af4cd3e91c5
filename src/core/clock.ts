/**
 * Milliseconds on a monotonic clock with an arbitrary origin, for durations. Not
 * `performance.now()`: the first use of the `performance` global loads Node's whole perf_hooks
 * module graph, which costs a run that starts in a new process about 10 ms.
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Seconds elapsed since `started` (a {@link now} reading), as the output prints them. */
export function secondsSince(started: number): number {
  return (now() - started) / 1000;
}
