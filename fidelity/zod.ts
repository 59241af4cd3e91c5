/**
 * zod@4. The clean test parses valid and invalid data with a schema built once at module level
 * (`parse`, `safeParse`, the issues of a failure). The misuse builds a schema per request and
 * registers it with an id in a module-level `z.registry()` (say, so that an OpenAPI generator can
 * find it later): a registry keeps schemas that have an id in a strong `Map` from id to schema, so
 * every run adds a schema, its shape and its checks for good.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { z } from 'zod';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const Order = z.object({
  id: z.uuid(),
  quantity: z.number().int().positive(),
  email: z.email(),
  tags: z.array(z.string()).max(3).default([]),
});

function clean(): void {
  const order = Order.parse({ id: '9b2c3a4e-1f6d-4c5b-8a7e-2d3f4a5b6c7d', quantity: 2, email: 'a@example.com' });
  assert.deepEqual(order.tags, []);
  assert.equal(order.quantity, 2);

  const bad = Order.safeParse({ id: 'nope', quantity: -1, email: 'x', tags: ['a', 'b', 'c', 'd'] });
  assert.equal(bad.success, false);
  const paths = bad.error?.issues.map((issue) => issue.path.join('.')).sort();
  assert.deepEqual(paths, ['email', 'id', 'quantity', 'tags']);
}

/** Schemas for the API documentation, by id; nothing ever removes one. */
const apiSchemas = z.registry<{ id: string; description: string }>();
let requestNumber = 0;

function payloadSchemaFor(requestId: string): z.ZodObject<{ sku: z.ZodString; count: z.ZodNumber }> {
  // The misuse: a fresh schema per request, registered under an id of its own.
  const schema = z.object({ sku: z.string().min(3), count: z.number().int() });
  schema.register(apiSchemas, { id: `Payload_${requestId}`, description: 'an order line' });
  return schema;
}

function leaky(): void {
  requestNumber += 1;
  const schema = payloadSchemaFor(`req${requestNumber}`);
  assert.deepEqual(schema.parse({ sku: 'abc', count: 3 }), { sku: 'abc', count: 3 });
  assert.equal(schema.safeParse({ sku: 'a', count: 1.5 }).success, false);
  assert.equal(apiSchemas.get(schema)?.id, `Payload_req${requestNumber}`);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
