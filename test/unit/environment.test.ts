/**
 * How an environment change names a global's value (docs/leaks.md, "Changed globals and
 * environment"), in this process: the state before, a global set, the changes after. A class name
 * never takes an article chosen by its first letter, which reads `an User`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentChanges, takeEnvironment } from '../../src/leaks/environment.ts';

class User {}
class Hour {}

const globals = globalThis as Record<string, unknown>;

/** What the change line says the global `key` holds once set to `value`. */
function describedAs(key: string, value: unknown): string | undefined {
  const before = takeEnvironment();
  globals[key] = value;
  try {
    return environmentChanges(before).find((change) => change.what === `globalThis.${key}`)?.after;
  } finally {
    delete globals[key];
  }
}

test("a global's value: its class after a fixed article, plain objects, functions and primitives by kind", () => {
  assert.equal(describedAs('leakrunUser', new User()), 'an instance of User');
  assert.equal(describedAs('leakrunHour', new Hour()), 'an instance of Hour');
  assert.equal(describedAs('leakrunArray', new Uint8Array(1)), 'an instance of Uint8Array');
  assert.equal(describedAs('leakrunMap', new Map()), 'an instance of Map');
  assert.equal(describedAs('leakrunPlain', { a: 1 }), 'an object');
  assert.equal(describedAs('leakrunBare', Object.create(null)), 'an object');
  assert.equal(
    describedAs('leakrunFunction', function onEvent() {}),
    'a function onEvent',
  );
  assert.equal(describedAs('leakrunCount', 3), 'number');
});
