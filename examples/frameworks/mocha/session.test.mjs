// Mocha: `mocha --config examples/frameworks/mocha/.mocharc.json` (its `spec` names this file)
import { assertNoLeaks } from 'leakrun/assert';
import { openAndClose, openAndForget } from '../store.cjs';

describe('sessions', function () {
  this.timeout(120_000);

  it('a session opened and closed leaves nothing behind', async () => {
    await assertNoLeaks(openAndClose);
  });

  it('a session opened and never closed stays behind', async () => {
    await assertNoLeaks(openAndForget);
  });
});
