/**
 * Output is live (docs/options.md): whatever announces work is on the output before that work
 * starts, so a test that hangs shows its name. A scheduler that wraps the default one looks at
 * what has been written at the moment it is asked to set a layer up or to run a test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefaultLayerScheduler, run } from '../../src/index.ts';
import type { Emit, HookGuard, LayerNode } from '../../src/index.ts';
import { repo } from '../helpers/cli.ts';

/** Runs Layer11 of the sample tree, noting the end of the output whenever work starts. */
async function outputAtWork(flags: string[]): Promise<{ atEnter: string[]; atTest: string[] }> {
  let text = '';
  const atEnter: string[] = [];
  const atTest: string[] = [];
  const scheduler = new (class extends DefaultLayerScheduler {
    override enter(layer: LayerNode, emit: Emit, guard: HookGuard): Promise<boolean | 'subprocess'> {
      atEnter.push(text);
      return super.enter(layer, emit, guard);
    }
    override aroundTest(layer: LayerNode, body: () => Promise<void>, guard: HookGuard): Promise<void> {
      atTest.push(text);
      return super.aroundTest(layer, body, guard);
    }
  })();
  const result = await run(['--path', 'examples/sample'], ['--layer', 'Layer11$', ...flags], {
    output: (chunk) => void (text += chunk),
    scheduler,
    cwd: repo,
  });
  assert.equal(result.exitCode, 0);
  return { atEnter, atTest };
}

test('with -vv, each test name is on the output when the test starts', async () => {
  const { atEnter, atTest } = await outputAtWork(['-vv']);
  assert.match(atEnter[0]!, /Running samplelayers\.Layer11 tests:\n$/);
  assert.equal(atTest.length, 18);
  for (const seen of atTest) assert.match(seen, /\n {1}test_\w+ \([\w.]+\)$/);
  // Each a different test: the newest name, not one left from before.
  assert.equal(new Set(atTest.map((seen) => seen.slice(seen.lastIndexOf('\n')))).size, 18);
});

test('with -p, each progress frame is on the output when its test starts', async () => {
  const { atTest } = await outputAtWork(['-p']);
  atTest.forEach((seen, at) => assert.match(seen, new RegExp(` ${at + 1}/18 \\( *\\d+\\.\\d%\\)$`)));
});

test('with -v, the dots are out as the tests start', async () => {
  const { atTest } = await outputAtWork(['-v']);
  atTest.forEach((seen, at) => assert.ok(seen.endsWith(`\n    ${'.'.repeat(at + 1)}`), JSON.stringify(seen.slice(-30))));
});
