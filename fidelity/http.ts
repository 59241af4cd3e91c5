/**
 * `node:http` client and server. A layer starts a server on an ephemeral loopback port; the clean
 * test sends a GET through a module-level `Agent` with `keepAlive: false` and a POST through a
 * keep-alive `Agent` made for the run and destroyed at its end, and reads both responses to the
 * end. The misuse attaches a `'request'` listener to the long-lived server in every run (to see
 * what the server received) and never removes it: the server's listener array keeps each run's
 * closure and the probe object it captured, one more of each per run.
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
let port = 0;

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, received: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

function runningServer(): http.Server {
  assert.ok(server, 'the HttpServer layer is not set up');
  return server;
}

/** A `node:http` server on 127.0.0.1, port 0, for the whole layer. */
export class HttpServer {
  static layerName = 'fidelity.HttpServer';

  static async setUp(): Promise<void> {
    server = http.createServer(handle);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  }

  static async tearDown(): Promise<void> {
    const s = server;
    server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((resolve, reject) => s.close((err) => (err ? reject(err) : resolve())));
  }
}

interface Reply {
  readonly status: number | undefined;
  readonly body: string;
}

/** Sends one request and reads the whole response. */
async function send(options: http.RequestOptions, payload?: string): Promise<Reply> {
  const req = http.request({ host: '127.0.0.1', port, ...options });
  if (payload !== undefined) req.write(payload);
  req.end();
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += chunk as string;
  return { status: res.statusCode, body };
}

const closingAgent = new http.Agent({ keepAlive: false });

async function clean(): Promise<void> {
  const got = await send({ path: '/status', agent: closingAgent });
  assert.equal(got.status, 200);
  assert.deepEqual(JSON.parse(got.body), { method: 'GET', url: '/status', received: '' });

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const posted = await send({ method: 'POST', path: '/echo', agent, headers: { 'content-type': 'text/plain' } }, 'hello');
    assert.equal(posted.status, 200);
    assert.deepEqual(JSON.parse(posted.body), { method: 'POST', url: '/echo', received: 'hello' });
  } finally {
    agent.destroy();
  }
}

interface Probe {
  seen: number;
  lastUrl: string;
}

function watchRequests(target: http.Server): Probe {
  const probe: Probe = { seen: 0, lastUrl: '' };
  // The misuse: a listener per run on a server that lives for the whole layer, never removed.
  target.on('request', (req: http.IncomingMessage) => {
    probe.seen += 1;
    probe.lastUrl = req.url ?? '';
  });
  return probe;
}

async function leaky(): Promise<void> {
  const probe = watchRequests(runningServer());
  const got = await send({ path: '/watched', agent: closingAgent });
  assert.equal(got.status, 200);
  assert.equal(probe.seen, 1);
  assert.equal(probe.lastUrl, '/watched');
}

/** Both tests in the `HttpServer` layer. */
export function testSuite(): SuiteSpec {
  return suite({ layer: HttpServer }, [test('clean', clean), test('leaky', leaky)]);
}
