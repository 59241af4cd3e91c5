import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { docFileSuite, runDoctestCli } from '../../src/doctest/index.ts';
import type { Layer } from '../../src/types/index.ts';

const cwd = resolve(import.meta.dirname, '../..');
const Docs: Layer = { layerName: 'test.Docs' };

test('docFileSuite: one test named by the cwd-relative path, with layer and level assignable', () => {
  const spec = docFileSuite('test/fixtures/doctest/scope.md', { cwd, layer: Docs, level: 2 });
  assert.equal(spec.kind, 'test');
  assert.equal(spec.name, 'test/fixtures/doctest/scope.md');
  assert.equal(spec.module, 'test/fixtures/doctest/scope.md');
  assert.equal(spec.layer, Docs);
  assert.equal(spec.level, 2);
  const byUrl = docFileSuite(pathToFileURL(resolve(cwd, 'test/fixtures/doctest/scope.md')), { cwd });
  assert.equal(byUrl.name, 'test/fixtures/doctest/scope.md');
  assert.equal(byUrl.layer, undefined);
});

test('a passing file is a passing test', async () => {
  await docFileSuite('test/fixtures/doctest/async.md', { cwd }).fn();
});

test('a mismatch is a failure: an AssertionError carrying the report', async () => {
  await assert.rejects(
    async () => docFileSuite('test/fixtures/doctest/failing.md', { cwd }).fn(),
    (error: Error) =>
      error.name === 'AssertionError' &&
      error.message.startsWith('test/fixtures/doctest/failing.md: 3 examples, 1 failed, 0 raised\n') &&
      error.message.includes('-Iteration 9') &&
      !error.stack?.includes('    at '),
  );
});

test('an unexpected exception is an error, not a failure', async () => {
  await assert.rejects(
    async () => docFileSuite('test/fixtures/doctest/raises.md', { cwd }).fn(),
    (error: Error) => error.name === 'Error' && error.message.includes('TypeError: boom'),
  );
});

test('run options reach the file: the times normalizer makes times.md pass', async () => {
  await assert.rejects(async () => docFileSuite('test/fixtures/doctest/times.md', { cwd }).fn());
  await docFileSuite('test/fixtures/doctest/times.md', { cwd, normalizers: ['times'] }).fn();
});

test('runDoctestCli prints a line per file, the reports of failing ones, and returns 0 or 1', async () => {
  const files = ['scope.md', 'ellipsis.md'].map((name) => resolve(cwd, 'test/fixtures/doctest', name));
  let text = '';
  const write = (chunk: string): void => {
    text += chunk;
  };
  assert.equal(await runDoctestCli(files, write, { cwd }), 0);
  assert.equal(text, 'test/fixtures/doctest/scope.md: 32 examples passed\ntest/fixtures/doctest/ellipsis.md: 4 examples passed\n');

  text = '';
  assert.equal(await runDoctestCli([...files, resolve(cwd, 'test/fixtures/doctest/failing.md')], { write }, { cwd }), 1);
  assert.match(
    text,
    /^test\/fixtures\/doctest\/failing\.md: 3 examples, 1 failed, 0 raised\ntest\/fixtures\/doctest\/failing\.md:5: example failed\n/m,
  );

  text = '';
  assert.equal(await runDoctestCli(['test/fixtures/doctest/missing.md'], write, { cwd }), 1);
  assert.match(text, /^test\/fixtures\/doctest\/missing\.md: ENOENT/);

  text = '';
  assert.equal(await runDoctestCli([], write), 1);
  assert.match(text, /no files given/);
});
