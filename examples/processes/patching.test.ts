// Layers for docs/processes.md: one patches a global it cannot put back, so the layers after it
// run in fresh child processes.
import assert from 'node:assert/strict';
import { CannotTearDown, suite, test, type SuiteSpec } from 'leakrun';

const realFetch = globalThis.fetch;

/** Replaces `fetch` with a fake for its tests. Other code kept the fake, so it cannot be undone. */
export class FakeNetwork {
  static layerName = 'patching.FakeNetwork';
  static setUp(): void {
    globalThis.fetch = async () => new Response('{"fake": true}');
  }
  static tearDown(): void {
    throw new CannotTearDown('modules captured the fake fetch; it cannot be taken back');
  }
}

/** Needs the real `fetch`: it fails in a process where FakeNetwork was set up. */
export class Mail {
  static layerName = 'patching.Mail';
}

export class Search {
  static layerName = 'patching.Search';
}

export function testSuite(): SuiteSpec {
  return suite([
    suite({ layer: FakeNetwork }, [
      test('test_fake_answer', async () => assert.deepEqual(await (await fetch('https://example.test')).json(), { fake: true })),
    ]),
    suite({ layer: Mail }, [test('test_real_fetch', () => assert.equal(globalThis.fetch, realFetch))]),
    suite({ layer: Search }, [
      test('test_index', () => {}),
      test('test_ranking', () => assert.equal(['b', 'a'].sort()[0], 'b')),
    ]),
  ]);
}
