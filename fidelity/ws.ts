/**
 * ws@8. A layer runs an echo `WebSocketServer` on an ephemeral loopback port. The clean test
 * connects a client, sends a message, waits for the echo, closes the client and waits for its
 * `'close'` event and for the server to drop the connection from `wss.clients`. The misuse opens a
 * client per run and never closes it: the open socket keeps the client `WebSocket`, its receiver
 * and sender, and the server keeps its side of the connection in `wss.clients`. The layer's
 * tear-down terminates whatever clients are still connected, since `wss.close()` no longer does.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { suite, test } from 'leakrun';
import type { SuiteSpec } from 'leakrun';

let wss: WebSocketServer | undefined;
let url = '';

function echo(socket: WebSocket): void {
  socket.on('message', (data: RawData, isBinary: boolean) => socket.send(data, { binary: isBinary }));
}

function runningServer(): WebSocketServer {
  assert.ok(wss, 'the EchoServer layer is not set up');
  return wss;
}

/** An echo WebSocket server on 127.0.0.1, port 0, for the whole layer. */
export class EchoServer {
  static layerName = 'fidelity.EchoServer';

  static async setUp(): Promise<void> {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', echo);
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  }

  static async tearDown(): Promise<void> {
    const server = wss;
    wss = undefined;
    if (server === undefined) return;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }
}

/** Opens a client and waits for one echo of `text`. */
async function roundTrip(text: string): Promise<WebSocket> {
  const client = new WebSocket(url);
  await once(client, 'open');
  client.send(text);
  const [data] = (await once(client, 'message')) as [RawData];
  assert.equal(data.toString(), text);
  return client;
}

async function clean(): Promise<void> {
  const server = runningServer();
  const before = server.clients.size;
  const client = await roundTrip('ping');
  const closed = once(client, 'close');
  client.close(1000, 'done');
  const [code] = (await closed) as [number];
  assert.equal(code, 1000);
  // The client's 'close' does not wait for the server to drop its side of the connection; wait
  // until it has, so that no closing is still under way when the heap is counted.
  while (server.clients.size > before) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(server.clients.size, before);
}

async function leaky(): Promise<void> {
  const server = runningServer();
  const before = server.clients.size;
  // The misuse: the client is never closed; its open socket keeps it (and the server's side) alive.
  const client = await roundTrip('ping');
  assert.equal(client.readyState, WebSocket.OPEN);
  assert.equal(server.clients.size, before + 1);
}

/** Both tests in the `EchoServer` layer. */
export function testSuite(): SuiteSpec {
  return suite({ layer: EchoServer }, [test('clean', clean), test('leaky', leaky)]);
}
