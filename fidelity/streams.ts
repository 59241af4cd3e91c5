/**
 * `node:stream`, `node:zlib` and `node:crypto`. The clean test pipes `Readable.from(chunks)`
 * through `zlib.createGzip()` and `zlib.createGunzip()` into a collecting `Writable` with
 * `stream.promises.pipeline`, hashes the result with `createHash` and makes a `randomUUID()`. The
 * misuse subscribes to a long-lived, module-level event bus (a `PassThrough` that the app writes
 * its events to) with `.on('data', fn)` in every run and never unsubscribes: the bus's listener
 * list keeps each run's handler and what it captured.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const CHUNKS = Array.from({ length: 64 }, (_, i) => `line ${i}: ${'lorem ipsum '.repeat(8)}\n`);
const EXPECTED = CHUNKS.join('');
const EXPECTED_SHA = createHash('sha256').update(EXPECTED).digest('hex');

class Collect extends Writable {
  readonly parts: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.parts.push(chunk);
    callback();
  }
}

async function clean(): Promise<void> {
  const sink = new Collect();
  await pipeline(Readable.from(CHUNKS), zlib.createGzip(), zlib.createGunzip(), sink);
  const text = Buffer.concat(sink.parts).toString('utf8');
  assert.equal(text.length, EXPECTED.length);
  assert.equal(createHash('sha256').update(text).digest('hex'), EXPECTED_SHA);
  assert.match(randomUUID(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
}

/** The application's event bus: one stream for the life of the process. */
const events = new PassThrough({ objectMode: true });
events.setMaxListeners(0);

interface OrderEvent {
  readonly type: string;
  readonly id: number;
}

interface Seen {
  count: number;
  lastId: number;
}

function subscribe(): Seen {
  const seen: Seen = { count: 0, lastId: 0 };
  // The misuse: a subscription per run on the shared bus, never removed.
  events.on('data', (event: OrderEvent) => {
    seen.count += 1;
    seen.lastId = event.id;
  });
  return seen;
}

let eventNumber = 0;

function leaky(): void {
  const listeners = events.listenerCount('data');
  const seen = subscribe();
  eventNumber += 1;
  events.write({ type: 'order', id: eventNumber });
  assert.equal(seen.count, 1);
  assert.equal(seen.lastId, eventNumber);
  assert.equal(events.listenerCount('data'), listeners + 1);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
