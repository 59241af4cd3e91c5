/**
 * fastify@5 over real HTTP (not `inject`). A layer builds one app, `await app.listen({ port: 0,
 * host: '127.0.0.1' })`, and `await app.close()`s it at the end. The clean test requests a fixed
 * route with `node:http` and reads the reply. Fastify refuses new routes, hooks and decorators once
 * it is listening, so the misuse is in the app's own code: the `/orders` route tracks requests in
 * flight in a module-level `Map` from its `onRequest` hook, and the `onResponse` hook that should
 * delete them was never written. Every request to it leaves its fastify `Request`, the raw
 * `IncomingMessage` and what they point to in the map.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { suite, test } from 'leakrun';
import type { SuiteSpec } from 'leakrun';

let app: FastifyInstance | undefined;
let port = 0;

/** Requests the `/orders` route is handling, by request id; nothing ever deletes from it. */
const inFlight = new Map<string, FastifyRequest>();

async function trackRequest(request: FastifyRequest): Promise<void> {
  inFlight.set(request.id, request);
}

async function health(): Promise<{ ok: boolean }> {
  return { ok: true };
}

async function orders(request: FastifyRequest, reply: FastifyReply): Promise<{ orders: number[]; tracked: boolean }> {
  void reply.header('x-request-id', request.id);
  return { orders: [1, 2, 3], tracked: inFlight.has(request.id) };
}

/** One fastify app listening on 127.0.0.1, port 0, for the whole layer. */
export class FastifyApp {
  static layerName = 'fidelity.FastifyApp';

  static async setUp(): Promise<void> {
    const instance = Fastify({ logger: false });
    instance.get('/health', health);
    instance.get('/orders', { onRequest: trackRequest }, orders);
    await instance.listen({ port: 0, host: '127.0.0.1' });
    port = (instance.server.address() as AddressInfo).port;
    app = instance;
  }

  static async tearDown(): Promise<void> {
    const instance = app;
    app = undefined;
    if (instance !== undefined) await instance.close();
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
  assert.deepEqual(got.body, { ok: true });
}

async function leaky(): Promise<void> {
  const before = inFlight.size;
  const got = await getJson('/orders');
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { orders: [1, 2, 3], tracked: true });
  assert.equal(inFlight.size, before + 1);
}

/** Both tests in the `FastifyApp` layer. */
export function testSuite(): SuiteSpec {
  return suite({ layer: FastifyApp }, [test('clean', clean), test('leaky', leaky)]);
}
