// node:test: `node --test examples/frameworks/node-test/`
import { test } from 'node:test';
import { assertNoLeaks } from 'leakrun/assert';
import { openAndClose, openAndForget } from '../store.cjs';

test('a session opened and closed leaves nothing behind', { timeout: 120_000 }, async () => {
  await assertNoLeaks(openAndClose);
});

test('a session opened and never closed stays behind', { timeout: 120_000 }, async () => {
  await assertNoLeaks(openAndForget);
});
