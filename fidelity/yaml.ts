/**
 * yaml@2, clean use only: `YAML.parse` of a small document and `YAML.stringify` of the result,
 * compared with the original value. Both calls build a document tree per run and return plain
 * values; the library keeps no per-call state, so nothing may stay behind.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const SOURCE = `
service: shop
replicas: 3
ports:
  - 8080
  - 8443
env:
  NODE_ENV: production
  DEBUG: false
ratio: 0.75
tags: [a, b, c]
`;

function roundTrip(source: string): { parsed: unknown; again: unknown; text: string } {
  const parsed: unknown = YAML.parse(source);
  const text = YAML.stringify(parsed);
  return { parsed, again: YAML.parse(text) as unknown, text };
}

async function clean(): Promise<void> {
  const { parsed, again, text } = roundTrip(SOURCE);
  assert.deepEqual(parsed, {
    service: 'shop',
    replicas: 3,
    ports: [8080, 8443],
    env: { NODE_ENV: 'production', DEBUG: false },
    ratio: 0.75,
    tags: ['a', 'b', 'c'],
  });
  assert.deepEqual(again, parsed);
  assert.match(text, /^replicas: 3$/m);
}

/** The clean round trip, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean)];
}
