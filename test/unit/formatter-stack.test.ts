import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { heapTable } from '../../src/formatter/heap.ts';
import { cleanStack, LEAKRUN_DIRS } from '../../src/text/stack.ts';
import { createTextFormatter } from '../../src/formatter/text.ts';
import type { HeapDiff, RunEvent } from '../../src/types/index.ts';
import { options, stackError } from '../helpers/formatter.ts';

const repo = resolve(import.meta.dirname, '../..');
const here = 'test/unit/formatter-stack.test.ts';

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected a throw');
}

const frames = (text: string): string[] => text.split('\n').filter((line) => /^\s+at /.test(line));

test("leakrun's own code is src/ and dist/ of this package", () => {
  assert.deepEqual(LEAKRUN_DIRS, [join(repo, 'src'), join(repo, 'dist')]);
});

test('an error thrown by node internals keeps its message, loses the node: frames, keeps ours relative', () => {
  const error = caught(() => readFileSync(join(repo, 'no-such-file.txt')));
  assert.ok(error.stack?.includes('(node:fs:'), 'the raw stack has node: frames');
  const cleaned = cleanStack(error, repo);
  assert.equal(cleaned.split('\n')[0], "Error: ENOENT: no such file or directory, open 'no-such-file.txt'");
  assert.ok(frames(cleaned).length >= 1);
  for (const frame of frames(cleaned)) assert.match(frame, new RegExp(`\\(${here.replaceAll('.', '\\.')}:\\d+:\\d+\\)$`));
});

test("node:internal frames go too (a constructor deep inside node), and the test runner's own", () => {
  const error = caught(() => new URL('not a url'));
  assert.ok(error.stack?.includes('(node:internal/url:'));
  assert.ok(error.stack?.includes('(node:internal/test_runner/'));
  const cleaned = cleanStack(error, repo);
  assert.ok(!cleaned.includes('node:'));
  assert.equal(cleaned.split('\n')[0], 'TypeError: Invalid URL');
  assert.equal(frames(cleaned).length, 3, 'the arrow, caught() and the test body');
  for (const frame of frames(cleaned)) assert.ok(frame.includes(`(${here}:`), frame);
});

test("frames inside src/ are dropped: an error raised by leakrun code shows the caller's frames only", () => {
  const error = caught(() => heapTable({ rows: null } as unknown as HeapDiff));
  assert.ok(error.stack?.includes(join(repo, 'src/formatter/heap.ts')), 'the raw stack starts in src/');
  const cleaned = cleanStack(error, repo);
  assert.ok(!cleaned.includes('src/formatter/heap.ts'));
  assert.ok(frames(cleaned).every((frame) => frame.includes(here) || frame.includes('<anonymous>')));
  assert.ok(frames(cleaned).some((frame) => frame.includes(here)));
});

test("a throw from code leakrun called back keeps that code's frame and cuts everything below leakrun", () => {
  const event = {
    get type(): never {
      throw new Error('from a getter');
    },
  } as unknown as RunEvent;
  const error = caught(() => createTextFormatter({ options: options(), cwd: repo }).write(event));
  assert.ok(error.stack?.includes('src/formatter/text.ts'));
  const cleaned = frames(cleanStack(error, repo));
  assert.match(cleaned[0] ?? '', /at Object\.get type \(test\/unit\/formatter-stack\.test\.ts:\d+:\d+\)$/);
  assert.equal(cleaned.length, 1, cleaned.join('\n'));
});

test("assert's multi-line message and diff are kept exactly", () => {
  const error = caught(() => assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 2, b: [1, 2] }));
  const raw = error.stack ?? '';
  const header = raw.slice(0, raw.search(/\n\s+at /));
  assert.ok(header.split('\n').length > 3, 'the diff spans lines');
  const cleaned = cleanStack(error, repo);
  assert.ok(cleaned.startsWith(`${header}\n    at `));
  assert.ok(cleaned.startsWith('AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:'));
});

test('paths and file:// URLs under cwd become relative; others stay absolute, URLs become paths; Promise.all markers go', () => {
  const url = pathToFileURL(join(repo, 'test/dir with space/a.test.ts')).href;
  const error = stackError('Error', `cannot load ${join(repo, 'x.ts')}`, [
    `fn (${url}:3:7)`,
    `${join(repo, 'examples/sample/tests/test1.ts')}:9:1`,
    'other (file:///opt/lib/mod.js:1:2)',
    `async Promise.all (index 0)`,
    `run (${join(repo, 'dist/run.js')}:10:3)`,
    `run (${join(repo, 'src/compose/run.ts')}:10:3)`,
    'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    'Module._compile (internal/modules/cjs/loader.js:1:1)',
  ]);
  assert.equal(
    cleanStack(error, repo),
    [
      'Error: cannot load x.ts',
      '    at fn (test/dir with space/a.test.ts:3:7)',
      '    at examples/sample/tests/test1.ts:9:1',
      '    at other (/opt/lib/mod.js:1:2)',
    ].join('\n'),
  );
});

test('errors without a stack print as Name: message; a cwd of / changes no path', () => {
  const bare = new RangeError('too far');
  bare.stack = '';
  assert.equal(cleanStack(bare, repo), 'RangeError: too far');
  const plain = stackError('Error', 'x', ['f (/a/b.ts:1:1)']);
  assert.equal(cleanStack(plain, '/'), 'Error: x\n    at f (/a/b.ts:1:1)');
});

test('frames below the runner (whoever called run()) are cut; a leakrun helper at the top keeps the user frames under it', () => {
  const inRunner = stackError('Error', 'boom', [
    `setUp (${join(repo, 'examples/layers/problems.ts')}:5:11)`,
    `call (${join(repo, 'dist/scheduler.js')}:20:3)`,
    `async run (${join(repo, 'dist/run.js')}:10:3)`,
    `async eval (${join(repo, 'docs/layers.md')}:40)`,
    `async TestContext.<anonymous> (${join(repo, 'test/docs.test.ts')}:24:20)`,
  ]);
  assert.equal(cleanStack(inRunner, repo), 'Error: boom\n    at setUp (examples/layers/problems.ts:5:11)');
  const fromHelper = stackError('SkipTest', 'later', [
    `skip (${join(repo, 'dist/testcase.js')}:30:11)`,
    `Test.test_a (${join(repo, 'test/a.test.ts')}:3:5)`,
    `invoke (${join(repo, 'dist/invoke.js')}:9:1)`,
    `main (${join(repo, 'scripts/caller.ts')}:1:1)`,
  ]);
  assert.equal(cleanStack(fromHelper, repo), 'SkipTest: later\n    at Test.test_a (test/a.test.ts:3:5)');
});
