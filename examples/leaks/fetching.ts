/**
 * A clean test that fetches from a local server (`docs/leaks.md`, known bounded growth). Node
 * keeps a timing entry for every request in a buffer of 250; leakrun counts that buffer in a row
 * of its own and marks it `known`.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite, test } from 'leakrun';

let server: Server | undefined;
let origin = '';

/** A server on a free port of 127.0.0.1 that answers every request with the path it was asked for. */
export class LocalServer {
  static layerName = 'fetching.LocalServer';
  static async setUp(): Promise<void> {
    // No keep-alive: a pooled socket's idle timers would come and go between samples.
    server = createServer((request, response) => response.setHeader('connection', 'close').end(request.url));
    await new Promise<void>((listening) => server?.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  static async tearDown(): Promise<void> {
    await new Promise((closed) => server?.close(closed));
  }
}

export function testSuite(): ReturnType<typeof suite> {
  return suite({ layer: LocalServer }, [
    test('fetch', async () => {
      const response = await fetch(`${origin}/items`);
      assert.equal(await response.text(), '/items');
    }),
  ]);
}
