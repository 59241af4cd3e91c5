/**
 * ajv@8. The clean test validates good and bad data with a validator compiled once at module
 * level. The misuse calls `ajv.compile()` on a schema object built per request (the same schema
 * written inline in a handler) on a shared `Ajv` instance: Ajv caches what it compiles in a `Map`
 * keyed by the schema object itself, so each fresh object is compiled again and its schema, its
 * generated validate function and its scope stay in that cache for the life of the instance.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import type { JSONSchemaType, ValidateFunction } from 'ajv';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

interface Item {
  sku: string;
  count: number;
  note?: string;
}

const itemSchema: JSONSchemaType<Item> = {
  type: 'object',
  properties: {
    sku: { type: 'string', minLength: 3 },
    count: { type: 'integer', minimum: 1 },
    note: { type: 'string', nullable: true },
  },
  required: ['sku', 'count'],
  additionalProperties: false,
};

const ajv = new Ajv({ allErrors: true });
const validateItem = ajv.compile(itemSchema);

/** The keywords that failed in the last call of `validate`, sorted. */
function failedKeywords(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((error) => error.keyword).sort();
}

function clean(): void {
  assert.equal(validateItem({ sku: 'abc', count: 2 }), true);
  assert.deepEqual(failedKeywords(validateItem), []);
  assert.equal(validateItem({ sku: 'a', count: 0, extra: true }), false);
  assert.deepEqual(failedKeywords(validateItem), ['additionalProperties', 'minLength', 'minimum']);
}

/** The schema as a handler would write it inline: a new object on every call. */
function lineSchema(): JSONSchemaType<Item> {
  return {
    type: 'object',
    properties: {
      sku: { type: 'string', minLength: 3 },
      count: { type: 'integer', minimum: 1 },
      note: { type: 'string', nullable: true },
    },
    required: ['sku', 'count'],
    additionalProperties: false,
  };
}

function leaky(): void {
  // The misuse: compiling per call on the shared instance; Ajv caches every schema object it sees.
  const validate = ajv.compile(lineSchema());
  assert.equal(validate({ sku: 'abc', count: 2 }), true);
  assert.equal(validate({ sku: 'abc', count: 0 }), false);
  assert.deepEqual(failedKeywords(validate), ['minimum']);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
