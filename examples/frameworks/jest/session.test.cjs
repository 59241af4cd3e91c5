// Jest: `jest --config examples/frameworks/jest/jest.config.cjs`
const { toLeak } = require('leakrun/expect');
const { openAndClose, openAndForget } = require('../store.cjs');

expect.extend({ toLeak });

test('a session opened and closed leaves nothing behind', async () => {
  await expect(openAndClose).not.toLeak();
});

test('a session opened and never closed stays behind', async () => {
  await expect(openAndForget).not.toLeak();
});
