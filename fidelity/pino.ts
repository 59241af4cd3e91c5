/**
 * pino@10, writing to an in-memory destination (any object with `write(line)`; no worker
 * transport). The clean test makes a child logger with the request's bindings, logs through it and
 * lets it go; the sink keeps only the last line. The misuse caches child loggers by request id in
 * a module-level `Map` (to reuse "the request's logger" elsewhere) and never evicts them: every run
 * leaves a child logger, its serialized bindings and its key behind.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

/** Keeps the last line written and a count, nothing more. */
class MemorySink {
  lines = 0;
  last = '';
  write(line: string): void {
    this.lines += 1;
    this.last = line;
  }
}

const sink = new MemorySink();
const logger = pino({ base: { service: 'shop' }, timestamp: false }, sink);

interface Line {
  level: number;
  service: string;
  reqId: string;
  msg: string;
  items?: number;
}

function lastLine(): Line {
  return JSON.parse(sink.last) as Line;
}

let requestNumber = 0;

function clean(): void {
  requestNumber += 1;
  const reqId = `r${requestNumber}`;
  const log = logger.child({ reqId });
  const before = sink.lines;
  log.info({ items: 3 }, 'order placed');
  log.debug('not written at the default level');
  assert.equal(sink.lines, before + 1);
  assert.deepEqual(lastLine(), { level: 30, service: 'shop', reqId, items: 3, msg: 'order placed' });
}

/** Child loggers by request id; nothing ever deletes one. */
const requestLoggers = new Map<string, Logger>();

function loggerFor(reqId: string): Logger {
  let log = requestLoggers.get(reqId);
  if (log === undefined) {
    log = logger.child({ reqId });
    requestLoggers.set(reqId, log);
  }
  return log;
}

function leaky(): void {
  requestNumber += 1;
  const reqId = `r${requestNumber}`;
  loggerFor(reqId).warn('payment retried');
  assert.deepEqual(lastLine(), { level: 40, service: 'shop', reqId, msg: 'payment retried' });
  assert.equal(loggerFor(reqId), requestLoggers.get(reqId));
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
