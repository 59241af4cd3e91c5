import { isMap } from 'node:util/types';
/**
 * The parent/child protocol (docs/processes.md): the messages a leakrun process and the child
 * processes that run its layers exchange over Node's IPC channel, with `serialization: 'advanced'`
 * (so maps, sets, regular expressions and typed arrays cross as they are). Errors and objects
 * with getters do not survive that serialization whole, so events are encoded first: an error
 * keeps its name, message, stack and own properties; an object keeps what its getters return.
 * Every message carries the protocol version; a child built for another one says so and stops.
 */
import type { KnownGrowth, RunEvent, RunOptions } from '../types/index.ts';

/** Raised whenever a message changes shape; a child of another version refuses to run. */
export const PROTOCOL_VERSION = 1;

/**
 * Parent → child: what to run. The child takes the parent's options as they are (parsed once, so
 * a shuffle seed or a custom parser's reading holds in every process), loads only these modules
 * and runs exactly these tests of `layer`, in this order before any shuffle.
 */
export interface RunMessage {
  readonly leakrun: number;
  readonly type: 'run';
  readonly options: RunOptions;
  readonly knownGrowth: readonly KnownGrowth[];
  readonly layer: string;
  /** Test ids. */
  readonly tests: readonly string[];
  /** Dotted names of the modules that define them. */
  readonly modules: readonly string[];
}

/**
 * Parent → child: run the layer now. Until then a child that got its `run` message only loads the
 * layer's modules (and starts its heap sampler), so that its turn starts without that wait.
 */
export interface GoMessage {
  readonly leakrun: number;
  readonly type: 'go';
}

/** Parent → child: the run was interrupted; stop as the parent does. */
export interface InterruptMessage {
  readonly leakrun: number;
  readonly type: 'interrupt';
  readonly reason: string;
}

export type ParentMessage = RunMessage | GoMessage | InterruptMessage;

/** Child → parent. */
export type ChildMessage =
  | { readonly leakrun: number; readonly type: 'ready' }
  /** A run event, encoded with {@link encode}. */
  | { readonly leakrun: number; readonly type: 'event'; readonly event: unknown }
  /** What the tests wrote to `process.stdout` (1) or `process.stderr` (2), in order with the events. */
  | { readonly leakrun: number; readonly type: 'output'; readonly stream: 1 | 2; readonly text: string }
  /** The child's run is over; it exits next. */
  | { readonly leakrun: number; readonly type: 'done'; readonly exitCode: number }
  /** The child could not run at all (another protocol version, a message it does not know). */
  | { readonly leakrun: number; readonly type: 'refused'; readonly reason: string };

const ERROR_TAG = '__leakrunError';
/** How deep the own properties of an error are followed (an error may hold a socket, a request…). */
const ERROR_DEPTH = 4;

interface EncodedError {
  readonly [ERROR_TAG]: 1;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly props: Record<string, unknown>;
}

/** An event made safe for the channel: see the module comment. */
export function encodeEvent(event: RunEvent): unknown {
  return encodeValue(event);
}

/** Any value made safe for the channel as {@link encodeEvent} does: functions and symbols are left out. */
export function encodeValue(value: unknown): unknown {
  return encode(value, new Set(), Infinity);
}

/** The event {@link encodeEvent} encoded, with its errors as `Error` objects again. */
export function decodeEvent(value: unknown): RunEvent {
  return decode(value) as RunEvent;
}

function encode(value: unknown, seen: Set<object>, depth: number): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (seen.has(value) || depth < 0) return undefined;
  seen.add(value);
  try {
    if (value instanceof Error) return encodeError(value, seen, Math.min(depth, ERROR_DEPTH));
    if (Array.isArray(value)) return value.map((item: unknown) => encode(item, seen, depth - 1));
    if (isMap(value)) return new Map([...value].map(([key, item]) => [key, encode(item, seen, depth - 1)]));
    if (value instanceof Set) return new Set([...value].map((item) => encode(item, seen, depth - 1)));
    if (value instanceof RegExp || value instanceof Date || ArrayBuffer.isView(value)) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = encode((value as Record<string, unknown>)[key], seen, depth - 1);
    // A class's getters (a heap sample's `paths`) are part of what it says.
    for (
      let proto = Object.getPrototypeOf(value) as object | null;
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto) as object | null
    ) {
      for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
        if (descriptor.get && !(key in out)) out[key] = encode((value as Record<string, unknown>)[key], seen, depth - 1);
      }
    }
    return out;
  } catch {
    // A property that throws when read: leave the value out rather than lose the event.
    return undefined;
  } finally {
    seen.delete(value);
  }
}

function encodeError(error: Error, seen: Set<object>, depth: number): EncodedError {
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key !== 'stack' && key !== 'message') props[key] = encode((error as unknown as Record<string, unknown>)[key], seen, depth - 1);
  }
  if (error.cause !== undefined && !('cause' in props)) props.cause = encode(error.cause, seen, depth - 1);
  return {
    [ERROR_TAG]: 1,
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    props,
  };
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  if (isMap(value)) return new Map([...value].map(([key, item]) => [key, decode(item)]));
  if (value instanceof Set) return new Set([...value].map(decode));
  if (value instanceof RegExp || value instanceof Date || ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  if (record[ERROR_TAG] === 1) {
    const encoded = record as unknown as EncodedError;
    const error = new Error(encoded.message);
    Object.defineProperty(error, 'name', { value: encoded.name, writable: true, configurable: true, enumerable: false });
    for (const [key, item] of Object.entries(encoded.props)) (error as unknown as Record<string, unknown>)[key] = decode(item);
    if (encoded.stack === undefined) delete error.stack;
    else error.stack = encoded.stack;
    return error;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = decode(record[key]);
  return out;
}
