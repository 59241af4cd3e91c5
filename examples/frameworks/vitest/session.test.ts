// Vitest: `vitest run --config examples/frameworks/vitest/vitest.config.ts` (add `--pool threads` for worker threads)
import { expect, test } from 'vitest';
import { toLeak } from 'leakrun/expect';
import { openAndClose, openAndForget } from '../store.cjs';

expect.extend({ toLeak });

test('a session opened and closed leaves nothing behind', async () => {
  await expect(openAndClose).not.toLeak();
});

test('a session opened and never closed stays behind', async () => {
  await expect(openAndForget).not.toLeak();
});
