import type { KnownGrowth } from '../types/index.ts';

/**
 * The built-in list of known bounded growth: rows that grow for reasons outside the tested code
 * and stop at a bound. docs/leaks.md explains each entry; a run adds its own through
 * `Components.knownGrowth` or the configuration's `knownGrowth`.
 */
export const KNOWN_GROWTH: readonly KnownGrowth[] = [
  {
    // Node's lib/internal/perf/observe.js: the same names on Node 20, 22 and 24.
    name: 'node: resource timing buffer',
    variables: ['resourceTimingBuffer', 'resourceTimingSecondaryBuffer'],
    why:
      'Node keeps a PerformanceResourceTiming entry for every fetch() (and other undici request) ' +
      'until its buffer holds 250 (performance.setResourceTimingBufferSize changes the bound)',
    clear: 'performance.clearResourceTimings()',
  },
  {
    // Node's lib/internal/http.js (utcDate): the same names on Node 20, 22 and 24. Node 26 also
    // keeps the whole `Date: …\r\n` line (utcDateHeader) in utcHeaderCache, which the same
    // resetCache timer clears.
    name: 'node: HTTP Date header cache',
    variables: ['utcCache', 'node:internal/http#utcHeaderCache'],
    timers: ['node:internal/http#resetCache'],
    why:
      "Node's HTTP server formats the Date header once per wall-clock second and keeps it (and, from " +
      "Node 26, the header line built from it), with an unref'd timer that drops it at the next second: " +
      'two strings and their parts, one timer and its list at most, there or not depending on when the sample falls',
  },
  {
    // undici's lib/util/timers.js, bundled in Node as node:internal/deps/undici/undici: the same
    // names on Node 20, 22 and 24.
    name: 'node: undici fast timers',
    variables: ['node:internal/deps/undici/undici#fastTimers'],
    timers: ['node:internal/deps/undici/undici#onTick'],
    why:
      "fetch() (undici) keeps its connections' timeouts in one array that a single unref'd timer " +
      'sweeps every half second: a cleared timeout stays in the array until the next sweep, and the ' +
      'timer and its list stop when the array is empty, so both are there or not depending on when ' +
      'the sample falls; the array holds at most a few timeouts per open connection',
  },
  {
    // Node's lib/internal/test_runner/harness.js: the same name on Node 20, 22 and 24.
    name: 'node:test: async resources',
    variables: ['node:internal/test_runner/harness#testResources'],
    why:
      'node:test maps every live async resource (a timer, a socket, an immediate) to the test that ' +
      'made it, to name that test in a late error, and drops the entry when the resource is ' +
      'destroyed: one entry per live resource, there or not depending on when the sample falls',
  },
];

/**
 * Checks entries given by a caller or a configuration file and returns them, or throws a
 * `TypeError` that names `where` and the fix.
 */
export function checkKnownGrowth(value: unknown, where: string): KnownGrowth[] {
  if (!Array.isArray(value)) throw new TypeError(`${where} must be a list of entries like { name, variables, why }`);
  return value.map((entry: unknown, at) => {
    const here = `${where}[${at}]`;
    if (typeof entry !== 'object' || entry === null) throw new TypeError(`${here} must be an object like { name, variables, why }`);
    const { name, variables, classes, timers, why, clear } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new TypeError(`${here} needs a "name": the row it is counted in`);
    if (typeof why !== 'string' || why === '') throw new TypeError(`${here} ("${name}") needs a "why": why it grows and where it stops`);
    if (clear !== undefined && typeof clear !== 'string') throw new TypeError(`${here} ("${name}"): "clear" must be a string`);
    const names = (list: unknown, key: string): string[] | undefined => {
      if (list === undefined) return undefined;
      if (Array.isArray(list) && list.every((item) => typeof item === 'string' && item !== '')) return list as string[];
      throw new TypeError(`${here} ("${name}"): "${key}" must be a list of names`);
    };
    const vars = names(variables, 'variables');
    const kinds = names(classes, 'classes');
    const callbacks = names(timers, 'timers');
    if (!vars?.length && !kinds?.length && !callbacks?.length) {
      throw new TypeError(`${here} ("${name}") needs "variables", "classes" or "timers": what holds the growth`);
    }
    return { name, variables: vars, classes: kinds, timers: callbacks, why, clear: clear as string | undefined };
  });
}
