/**
 * Active resources after an iteration (docs/leaks.md, "Timers, handles and listeners"): the
 * handles, requests and timers Node reports as keeping the event loop alive, the timers that were
 * `unref()`ed (they no longer keep it alive, but they still fire and hold their closures), and the
 * listeners on `process`. A test that leaves one of them behind on every run shows as the same
 * positive change every iteration, as a leaked object does.
 */
import { ownMap } from '../sampler/records.ts';
import { now } from '../core/clock.ts';
import { shared } from './shared-install.ts';
import type { ResourceCounts } from '../types/index.ts';

/** How many turns of the event loop a count waits at most for resources to settle (Deno spins 16). */
export const SETTLE_TURNS = 16;

/** The prefix of the resource type that counts listeners for one event on `process`. */
const LISTENER_TYPE = 'process.on';

/** The resource type under which the listeners for `event` on `process` are counted: `process.on('exit') listener`. */
export function listenerType(event: string | symbol): string {
  return `${LISTENER_TYPE}('${String(event)}') listener`;
}

interface NodeTimeout {
  hasRef(): boolean;
  unref(): NodeTimeout;
  /** Set by Node once the timer has fired for the last time or was cleared. */
  _destroyed?: boolean;
}

/**
 * The timers that were `unref()`ed, held weakly. Its class name is one of the sampler's own, so
 * the heap count neither counts it nor walks into it.
 */
class LeakrunTimerWatch {
  readonly timers = new Set<WeakRef<NodeTimeout>>();
  readonly seen = new WeakSet<NodeTimeout>();
}

let watch: LeakrunTimerWatch | undefined;

/**
 * Starts noticing timers that are `unref()`ed, which `process.getActiveResourcesInfo()` leaves
 * out, by wrapping `unref` on Node's timer prototype. Returns the function that stops; the wrapper
 * is removed when the last user stops, so nested runs share one.
 */
export const watchTimers: () => () => void = shared(() => {
  const current = new LeakrunTimerWatch();
  const probe = setTimeout(() => undefined, 0) as unknown as NodeTimeout;
  clearTimeout(probe as unknown as NodeJS.Timeout);
  const prototype = Object.getPrototypeOf(probe) as NodeTimeout;
  const unref = Object.getOwnPropertyDescriptor(prototype, 'unref');
  watch = current;
  if (typeof unref?.value !== 'function') {
    return () => {
      watch = undefined;
    };
  }
  const original = unref.value as (this: NodeTimeout) => NodeTimeout;
  Object.defineProperty(prototype, 'unref', {
    ...unref,
    value: function unrefWatched(this: NodeTimeout): NodeTimeout {
      if (!current.seen.has(this)) {
        current.seen.add(this);
        current.timers.add(new WeakRef(this));
      }
      return original.call(this);
    },
  });
  return () => {
    Object.defineProperty(prototype, 'unref', unref);
    watch = undefined;
  };
});

/** The active resources by type, now. */
export function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (type: string, count = 1): void => {
    counts.set(type, (counts.get(type) ?? 0) + count);
  };
  for (const type of process.getActiveResourcesInfo()) add(type);
  if (watch) {
    for (const reference of watch.timers) {
      const timer = reference.deref();
      if (timer === undefined || timer._destroyed === true) watch.timers.delete(reference);
      else if (!timer.hasRef()) add('Timeout');
    }
  }
  for (const event of process.eventNames()) {
    const listeners = process.listenerCount(event);
    if (listeners > 0) add(listenerType(event), listeners);
  }
  return counts;
}

function same(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [type, count] of a) if (b.get(type) !== count) return false;
  return true;
}

/**
 * The counts once the event loop has settled: a resource that a test's last callbacks are about
 * to close (a socket ending, a file handle closing) is given up to {@link SETTLE_TURNS} turns,
 * and the count is taken when two turns in a row agree.
 */
export async function settledResources(): Promise<ResourceCounts> {
  let last = countResources();
  for (let turn = 0; turn < SETTLE_TURNS; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = countResources();
    if (same(now, last)) break;
    last = now;
  }
  // Kept for the iterations after: not counted by a screened one (src/sampler/records.ts).
  return ownMap(last);
}

/** The most time {@link settleRequests} waits, in milliseconds. */
export const SETTLE_REQUESTS_MS = 10_000;

/** Whether a resource type is a request (a file system call, a DNS lookup…) rather than a handle or a timer. */
function isRequest(type: string): boolean {
  return type.includes('Req');
}

/**
 * Waits until no request is pending for three turns of the event loop in a row, or
 * {@link SETTLE_REQUESTS_MS} have passed; resolves to whether it settled. Called once the test
 * modules are loaded and before a layer's first iteration, so that asynchronous work the loader
 * started (tsx walks and prunes its disk cache after its first compile, and writes each compiled
 * file to it) ends before the first heap sample, and cannot free its objects inside a judged
 * iteration (docs/design-sampler.md).
 */
export async function settleRequests(): Promise<boolean> {
  const until = now() + SETTLE_REQUESTS_MS;
  let quiet = 0;
  while (quiet < 3) {
    const pending = process.getActiveResourcesInfo().some(isRequest);
    if (now() > until) return !pending;
    quiet = pending ? 0 : quiet + 1;
    // While requests are pending, a short timer rather than an immediate: it does not spin a core.
    await new Promise((resolve) => (pending ? setTimeout(resolve, 1) : setImmediate(resolve)));
  }
  return true;
}

/** The types whose count changed from `before` to `after`, with the change, in name order. */
export function resourceChanges(before: ResourceCounts, after: ResourceCounts): Map<string, number> {
  const changes = new Map<string, number>();
  for (const type of new Set([...before.keys(), ...after.keys()])) {
    const change = (after.get(type) ?? 0) - (before.get(type) ?? 0);
    if (change !== 0) changes.set(type, change);
  }
  return ownMap(new Map([...changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** How to fix a leaked resource of `type`, in a few words. */
export function resourceHint(type: string): string {
  if (type.startsWith(LISTENER_TYPE)) {
    return 'a listener added to process in these tests is never removed (process.off / process.once)';
  }
  switch (type) {
    case 'Timeout':
      return 'a timer started in these tests is never cleared (clearInterval / clearTimeout)';
    case 'Immediate':
      return 'a setImmediate in these tests is never cleared (clearImmediate)';
    case 'TCPServerWrap':
    case 'PipeServerWrap':
      return 'a server started in these tests is never closed (server.close())';
    case 'TCPSocketWrap':
    case 'TCPWrap':
    case 'PipeWrap':
    case 'TLSWrap':
      return 'a connection opened in these tests is never closed (socket.end() / socket.destroy(), or close the agent or client)';
    case 'UDPWrap':
      return 'a UDP socket opened in these tests is never closed (socket.close())';
    case 'ProcessWrap':
      return 'a child process started in these tests never ends (child.kill(), or wait for its exit)';
    case 'FileHandle':
      return 'a file opened in these tests is never closed (filehandle.close())';
    case 'FSEventWrap':
    case 'StatWatcher':
      return 'a file watcher started in these tests is never closed (watcher.close() / fs.unwatchFile())';
    case 'MessagePort':
    case 'Worker':
      return 'a worker or message port opened in these tests is never closed (worker.terminate() / port.close())';
    default:
      return 'a resource opened in these tests is never closed';
  }
}
