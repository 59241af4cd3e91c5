/**
 * What a layer's tests change outside the heap (docs/leaks.md, "Changed globals and
 * environment"): the keys of `globalThis`, `process.env`, `process.cwd()`, and the
 * `MaxListenersExceededWarning`s Node raises while they run. Each iteration is compared with the
 * state just before it, so a change is reported once, by the iteration that made it.
 */
import { shared } from './shared-install.ts';
import type { EnvironmentChange } from '../types/index.ts';

/**
 * The state before an iteration. Its class name is one of the sampler's own, so that the heap
 * count, taken while the iteration's state is still held, neither counts it nor walks into it.
 */
class LeakrunEnvironmentState {
  readonly globals: ReadonlyMap<string | symbol, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;

  constructor() {
    const globals = new Map<string | symbol, string>();
    for (const key of Reflect.ownKeys(globalThis)) if (!nodesOwn(key)) globals.set(key, describeGlobal(key));
    this.globals = globals;
    this.env = { ...process.env };
    this.cwd = process.cwd();
  }
}

export type EnvironmentState = LeakrunEnvironmentState;

/**
 * What `globalThis[key]` holds, in a few words, without calling a getter. A class name follows a
 * fixed article (`an instance of User`): an article chosen by the name's first letter reads
 * `an User` and `a Hour`, since it is the sound that decides.
 */
function describeGlobal(key: string | symbol): string {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, key);
  if (descriptor === undefined) return 'nothing';
  if (!('value' in descriptor)) return 'an accessor';
  const value: unknown = descriptor.value;
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function${value.name ? ` ${value.name}` : ''}`;
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== '' && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return typeof value;
}

/**
 * Globals Node itself adds on first use, whoever uses them first: `fetch()` keeps its client
 * under `Symbol(undici.globalDispatcher.1)`.
 */
function nodesOwn(key: string | symbol): boolean {
  return typeof key === 'symbol' && /^(undici|nodejs)\./.test(key.description ?? '');
}

/** The state now. */
export function takeEnvironment(): EnvironmentState {
  return new LeakrunEnvironmentState();
}

/** Variables whose values may be secrets: their values are never printed or written. */
const SECRET = /token|secret|password|passwd|credential|auth|private|key/i;

function quoted(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return SECRET.test(name) ? '(hidden)' : JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** The changes from `before` to now, globals first, in name order. */
export function environmentChanges(before: EnvironmentState): EnvironmentChange[] {
  const after = takeEnvironment();
  const changes: EnvironmentChange[] = [];
  const globals = new Set([...before.globals.keys(), ...after.globals.keys()]);
  for (const key of globals) {
    const was = before.globals.get(key);
    const now = after.globals.get(key);
    if (was === undefined || now === undefined) {
      const what = typeof key === 'symbol' ? `globalThis[${String(key)}]` : `globalThis.${key}`;
      changes.push({ what, change: was === undefined ? 'added' : 'removed', before: was, after: now });
    }
  }
  const names = [...new Set([...Object.keys(before.env), ...Object.keys(after.env)])].sort();
  for (const name of names) {
    const was = before.env[name];
    const now = after.env[name];
    if (was === now) continue;
    changes.push({
      what: `process.env.${name}`,
      change: was === undefined ? 'added' : now === undefined ? 'removed' : 'changed',
      before: quoted(name, was),
      after: quoted(name, now),
    });
  }
  if (before.cwd !== after.cwd) changes.push({ what: 'process.cwd()', change: 'changed', before: before.cwd, after: after.cwd });
  return changes;
}

/**
 * The `MaxListenersExceededWarning`s raised since the last look. Its class name is one of the
 * sampler's own: the listener on `process` reaches it, and through it nothing else.
 */
class LeakrunWarningLog {
  readonly changes: EnvironmentChange[] = [];
}

let log: LeakrunWarningLog | undefined;

/**
 * Notes the `MaxListenersExceededWarning`s Node raises until the returned function is called (the
 * listener goes when the last user stops); {@link takeListenerWarnings} hands them out.
 */
export const watchListenerWarnings: () => () => void = shared(() => {
  const current = new LeakrunWarningLog();
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning')
      current.changes.push({ what: warning.name, change: 'raised', after: warning.message });
  };
  process.on('warning', onWarning);
  log = current;
  return () => {
    process.off('warning', onWarning);
    log = undefined;
  };
});

/** The warnings noted since the last call, as changes of the iteration that just ran. */
export function takeListenerWarnings(): EnvironmentChange[] {
  return log === undefined ? [] : log.changes.splice(0);
}
