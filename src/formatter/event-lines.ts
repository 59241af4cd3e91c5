import { isMap } from 'node:util/types';
import type { Formatter, FormatterContext } from '../types/index.ts';

/** JSON for what `JSON.stringify` cannot say: errors, patterns, maps and infinities. */
function plain(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, ...(value.stack !== undefined && { stack: value.stack }) };
  if (value instanceof RegExp) return value.source;
  if (isMap(value)) return Object.fromEntries(value);
  if (value === Infinity) return 'Infinity';
  return value;
}

/**
 * `--reporter events`: every run event as one line of JSON (newline-delimited JSON), in the
 * order the runner emits them, for tools that follow a run as it goes (docs/api.md). Errors
 * become `{ name, message, stack }`, patterns their source, maps objects.
 *
 * @example
 * ```ts
 * const formatter = createEventsFormatter({ options, cwd: process.cwd() });
 * formatter.write({ type: 'test:start', test: 'test_x1 (tests.test1.TestA)' });
 * // '{"type":"test:start","test":"test_x1 (tests.test1.TestA)"}\n'
 * ```
 */
export function createEventsFormatter(_context: FormatterContext): Formatter {
  return { write: (event) => `${JSON.stringify(event, plain)}\n` };
}
