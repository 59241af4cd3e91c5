import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';
import { DocScope } from '../../src/doctest/engine.ts';

const cwd = resolve(import.meta.dirname, '../..');
const file = resolve(cwd, 'test/fixtures/doctest/async.md');

test('async.md: top-level await, and output written by timers before the example settles', async () => {
  const result = await runDocFile(file, { cwd });
  assert.equal(result.report, '');
  assert.equal(result.examples, 7);
});

test('output is captured until the example settles, and only until then', async () => {
  const scope = new DocScope(file, 'async.md', cwd);
  const run = (source: string) => scope.run({ line: 1, source, want: '', wantLine: 2, lang: 'ts' });
  const awaited = await run("await new Promise<void>((done) => setTimeout(() => { process.stdout.write('late\\n'); done(); }, 20))");
  assert.equal(awaited.got, 'late\n');

  const written: string[] = [];
  const original = process.stdout.write;
  const notAwaited = await run("setTimeout(() => console.log('after settling'), 10); 'returned'");
  process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
  try {
    await new Promise((done) => setTimeout(done, 40));
  } finally {
    process.stdout.write = original;
  }
  assert.equal(notAwaited.got, "'returned'\n");
  assert.deepEqual(written, ['after settling\n']);
});

test('a rejected promise that is awaited is the example throwing', async () => {
  const scope = new DocScope(file, 'async.md', cwd);
  const outcome = await scope.run({ line: 1, source: "await Promise.reject(new Error('rejected'))", want: '', wantLine: 2, lang: 'js' });
  assert.equal(outcome.error?.message, 'rejected');
  assert.equal(outcome.got, 'Uncaught Error: rejected\n');
});
