// The leak checks inside real frameworks (docs/frameworks.md): each runs examples/frameworks/,
// where the clean test must pass and the leaking one fail naming store.Session. The rates over
// 20 runs each come from scripts/frameworks.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOSTS, runHost } from '../../scripts/frameworks.ts';

for (const host of HOSTS) {
  test(`${host.name}: the leaking example fails naming store.Session, the clean one passes`, () => {
    const outcome = runHost(host);
    assert.ok(outcome.ok, `${outcome.why}\n${outcome.output}`);
  });
}
