/**
 * The global `fetch` (undici inside Node) against a `node:http` server that a layer starts on an
 * ephemeral loopback port. The clean use fetches and reads the whole body, so undici can return
 * the connection to its pool. The misuse is a response cache at module level: every run asks for a
 * URL with a query of its own (a request id, a timestamp, a cache-buster) and the cache keeps each
 * body under that URL forever, so it gains one entry, one key string and one body string per run.
 *
 * Node itself keeps one `PerformanceResourceTiming` entry per fetch in the performance timeline's
 * resource-timing buffer (250 entries by default; `performance.clearResourceTimings()` empties it,
 * `performance.setResourceTimingBufferSize()` changes the bound). That buffer grows with every
 * fetch until it is full, in the clean test too; it is bounded and not the test's doing.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite, test } from 'leakrun';
import type { SuiteSpec } from 'leakrun';

let server: http.Server | undefined;
let origin = '';

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const body = JSON.stringify({ path: url.pathname, q: url.searchParams.get('q') });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A `node:http` server on 127.0.0.1, port 0, for the whole layer. */
export class FetchServer {
  static layerName = 'fidelity.FetchServer';

  static async setUp(): Promise<void> {
    server = http.createServer(handle);
    // undici closes a pooled connection a second before the server's keep-alive timeout (5 s by
    // default) runs out. On a loaded machine an iteration can take that long, and then the next
    // one opens a new connection: the counts show the swap (+3, then -3) instead of the test's
    // own growth. A long timeout keeps one connection for the whole layer, as a real service
    // client under steady load does.
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async tearDown(): Promise<void> {
    const s = server;
    server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((resolve, reject) => s.close((err) => (err ? reject(err) : resolve())));
  }
}

async function clean(): Promise<void> {
  const res = await fetch(`${origin}/items?q=fixed`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const text = await res.text();
  assert.deepEqual(JSON.parse(text), { path: '/items', q: 'fixed' });
}

/** The misuse: a module-level response cache keyed by the full URL, never evicted. */
const responseCache = new Map<string, string>();
let requestId = 0;

async function cachedGet(url: string): Promise<string> {
  const hit = responseCache.get(url);
  if (hit !== undefined) return hit;
  const res = await fetch(url);
  const body = await res.text();
  responseCache.set(url, body);
  return body;
}

async function leaky(): Promise<void> {
  requestId += 1;
  const body = await cachedGet(`${origin}/items?q=req-${requestId}`);
  assert.deepEqual(JSON.parse(body), { path: '/items', q: `req-${requestId}` });
  assert.equal(responseCache.size, requestId);
}

/** Both tests in the `FetchServer` layer. */
export function testSuite(): SuiteSpec {
  return suite({ layer: FetchServer }, [test('clean', clean), test('leaky', leaky)]);
}
