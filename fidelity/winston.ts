/**
 * winston@3, logging to an in-memory `Writable` through a `Stream` transport. The clean test logs
 * through one logger created at module level. The misuse creates a logger per request (per job,
 * per test) whose transport has `handleExceptions: true` and never closes it: each such logger
 * registers its exception handler with `process.on('uncaughtException', ...)`, and only
 * `logger.close()` removes it, so the process's listener list keeps every logger, its transport
 * and its format pipeline alive (and Node warns once there are more than ten).
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import winston from 'winston';
import type { Logger } from 'winston';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

/** Keeps the last line written and a count, nothing more. */
class MemorySink extends Writable {
  lines = 0;
  last = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.lines += 1;
    this.last = chunk.toString();
    callback();
  }
}

const sink = new MemorySink();
const format = winston.format.combine(winston.format.label({ label: 'shop' }), winston.format.json());
const logger = winston.createLogger({ level: 'info', format, transports: [new winston.transports.Stream({ stream: sink })] });

interface Line {
  level: string;
  message: string;
  label: string;
  orderId?: number;
}

function lastLine(): Line {
  return JSON.parse(sink.last) as Line;
}

/** Waits until the sink has seen `count` lines (winston writes through streams, asynchronously). */
async function linesReach(count: number): Promise<void> {
  while (sink.lines < count) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function clean(): Promise<void> {
  const before = sink.lines;
  logger.info('order placed', { orderId: 7 });
  logger.debug('below the level, not written');
  await linesReach(before + 1);
  assert.equal(sink.lines, before + 1);
  assert.deepEqual(lastLine(), { level: 'info', message: 'order placed', label: 'shop', orderId: 7 });
}

function jobLogger(): Logger {
  // The misuse: a logger per job that handles uncaught exceptions and is never closed.
  return winston.createLogger({
    level: 'info',
    format,
    transports: [new winston.transports.Stream({ stream: sink, handleExceptions: true })],
  });
}

async function leaky(): Promise<void> {
  const before = sink.lines;
  const listeners = process.listenerCount('uncaughtException');
  const log = jobLogger();
  log.warn('job retried');
  await linesReach(before + 1);
  assert.deepEqual(lastLine(), { level: 'warn', message: 'job retried', label: 'shop' });
  assert.equal(process.listenerCount('uncaughtException'), listeners + 1);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
