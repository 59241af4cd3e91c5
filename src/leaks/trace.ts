/**
 * `--trace-leaks` (docs/leaks.md): where each live resource was created. An async hook notes the
 * stack of every timer, handle and request when it is created and forgets it when it is
 * destroyed, so that a leaked resource type can be shown with the code that keeps creating it.
 * Off by default: a hook with an `init` callback makes every async resource, promises included,
 * cost more (bench/verdict.ts measures how much).
 */
import { createHook } from 'node:async_hooks';
import { cleanStack } from '../text/stack.ts';
import { shared } from './shared-install.ts';
import type { ResourceCreation } from '../types/index.ts';

/** How many creation sites are kept for one leaked type, the most frequent first. */
const TOP_SITES = 3;

/** How many frames of a creation stack are kept. */
const FRAMES = 4;

/**
 * The live resources with their creation stacks, by async id. Its class name is one of the
 * sampler's own, so the stacks it keeps are not counted as the tests' growth.
 */
class LeakrunResourceTrace {
  readonly live = new Map<number, { readonly type: string; readonly stack: string }>();
}

let trace: LeakrunResourceTrace | undefined;

/** async_hooks names some types differently from `process.getActiveResourcesInfo()`. */
const ALIASES: Readonly<Record<string, string>> = { TCPSOCKETWRAP: 'TCPWRAP', PIPESOCKETWRAP: 'PIPEWRAP' };

function key(type: string): string {
  const upper = type.toUpperCase();
  return ALIASES[upper] ?? upper;
}

/** Starts noting creation stacks; returns the function that stops (the hook goes with the last user). */
export const traceResources: () => () => void = shared(() => {
  const current = new LeakrunResourceTrace();
  const hook = createHook({
    init(asyncId, type) {
      if (type === 'PROMISE') return;
      const holder = { stack: '' };
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 30;
      Error.captureStackTrace(holder);
      Error.stackTraceLimit = limit;
      current.live.set(asyncId, { type: key(type), stack: holder.stack });
    },
    destroy(asyncId) {
      current.live.delete(asyncId);
    },
  }).enable();
  trace = current;
  return () => {
    hook.disable();
    trace = undefined;
  };
});

/** The first frames of a creation stack that are the tests' code, relative to `cwd`. */
function site(stack: string, cwd: string): string {
  const error = new Error('created');
  error.stack = `Error: created\n${stack.split('\n').slice(1).join('\n')}`;
  const frames = cleanStack(error, cwd)
    .split('\n')
    .filter((line) => /^\s+at\s/.test(line))
    .slice(0, FRAMES)
    .map((line) => line.trim().replace(/^at\s+/, ''));
  return frames.join('\n');
}

/**
 * Where the live resources of `type` were created, grouped by creation site, the most frequent
 * first; empty when nothing is traced or no site is in the tests' code.
 */
export function creationSites(type: string, cwd: string): ResourceCreation[] {
  if (trace === undefined) return [];
  const counts = new Map<string, number>();
  const wanted = key(type);
  for (const resource of trace.live.values()) {
    if (resource.type !== wanted) continue;
    const where = site(resource.stack, cwd);
    if (where !== '') counts.set(where, (counts.get(where) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_SITES)
    .map(([stack, count]) => ({ count, stack }));
}
