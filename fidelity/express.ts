/**
 * express@5. A layer builds one app, `app.listen(0, '127.0.0.1')`, and closes its server at the
 * end. The clean test requests a fixed route with `node:http` and reads the JSON reply. The misuse
 * registers a new route on the shared app in every run (`app.get('/r' + n, ...)`, as a test that
 * mounts a stub endpoint of its own would): the router's stack gains one `Layer` and one `Route`,
 * with their handler, path matcher and path string, per run, and never loses them.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express, Request, Response } from 'express';
import { suite, test } from 'leakrun';
import type { SuiteSpec } from 'leakrun';

let app: Express | undefined;
let server: Server | undefined;
let port = 0;

function health(_req: Request, res: Response): void {
  res.json({ ok: true, service: 'shop' });
}

/** One express app listening on 127.0.0.1, port 0, for the whole layer. */
export class ExpressApp {
  static layerName = 'fidelity.ExpressApp';

  static async setUp(): Promise<void> {
    app = express();
    app.get('/health', health);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  }

  static async tearDown(): Promise<void> {
    const s = server;
    server = undefined;
    app = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((resolve, reject) => s.close((err) => (err ? reject(err) : resolve())));
  }
}

const agent = new http.Agent({ keepAlive: false });

async function getJson(path: string): Promise<{ status: number | undefined; body: unknown }> {
  const req = http.get({ host: '127.0.0.1', port, path, agent });
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return { status: res.statusCode, body: JSON.parse(text) as unknown };
}

async function clean(): Promise<void> {
  const got = await getJson('/health');
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { ok: true, service: 'shop' });
}

let routeNumber = 0;

async function leaky(): Promise<void> {
  assert.ok(app, 'the ExpressApp layer is not set up');
  routeNumber += 1;
  const path = `/r${routeNumber}`;
  // The misuse: a stub route added to the shared app by every run, never removed.
  app.get(path, (_req: Request, res: Response) => {
    res.json({ stub: path });
  });
  const got = await getJson(path);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { stub: path });
}

/** Both tests in the `ExpressApp` layer. */
export function testSuite(): SuiteSpec {
  return suite({ layer: ExpressApp }, [test('clean', clean), test('leaky', leaky)]);
}
