// Not run by Jest (its config takes *.test.cjs): `npm run typecheck` checks that `toLeak` is typed
// on Jest's `expect` with leak-matchers.d.ts, as a TypeScript Jest suite would use it.
import { expect, test } from '@jest/globals';
import { toLeak } from 'leakrun/expect';
import { openAndClose } from '../store.cjs';

expect.extend({ toLeak });

test('a session opened and closed leaves nothing behind', async () => {
  await expect(openAndClose).not.toLeak({ runs: 6, ignore: ['(string)'] });
});
