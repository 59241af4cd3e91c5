import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';
import { DocScope } from '../../src/doctest/engine.ts';
import type { DoctestExample } from '../../src/doctest/types.ts';

const cwd = resolve(import.meta.dirname, '../..');
const file = resolve(cwd, 'test/fixtures/doctest/scope.md');

function example(source: string, lang: 'ts' | 'js' = 'ts'): DoctestExample {
  return { line: 1, source, want: '', wantLine: 2, lang };
}

async function gotAll(sources: readonly string[]): Promise<string[]> {
  const scope = new DocScope(file, 'scope.md', cwd);
  const got: string[] = [];
  for (const source of sources) {
    const outcome = await scope.run(example(source));
    got.push(outcome.error ? `ERROR ${outcome.error.message}` : outcome.got);
  }
  return got;
}

test('scope.md: declarations, functions, classes, imports and TypeScript carry across examples and blocks', async () => {
  const result = await runDocFile(file, { cwd });
  assert.equal(result.report, '');
  assert.equal(result.examples, 32);
  assert.equal(result.name, 'test/fixtures/doctest/scope.md');
  assert.ok(result.passed);
});

test('each example sees the bindings of those before it, and only those', async () => {
  assert.deepEqual(await gotAll(['typeof later', 'const later = 1', 'later + 1']), ["'undefined'\n", '', '2\n']);
});

test('const stays const; a later example may shadow a name', async () => {
  const got = await gotAll(['const fixed = 1', 'fixed = 2', 'const fixed = "again"; fixed', 'fixed']);
  assert.equal(got[1], 'ERROR Assignment to constant variable.');
  assert.deepEqual(got.slice(2), ["'again'\n", "'again'\n"]);
});

test('what an example declared before it threw stays available', async () => {
  const got = await gotAll(['const kept = "yes"; throw new Error("stop")', 'kept']);
  assert.equal(got[0], 'ERROR stop');
  assert.equal(got[1], "'yes'\n");
});

test('examples run in strict mode without a module `this`', async () => {
  assert.deepEqual(await gotAll(['this', 'undeclared = 1']), ['', 'ERROR undeclared is not defined']);
});

test('the examples do not see the engine or leak into globals', async () => {
  const got = await gotAll(['const secret = 1', 'typeof DocScope', 'typeof compileExample']);
  assert.deepEqual(got.slice(1), ["'undefined'\n", "'undefined'\n"]);
  assert.equal((globalThis as Record<string, unknown>).secret, undefined);
});

test('importMap sends a specifier elsewhere, e.g. leakrun to its sources', async () => {
  const scope = new DocScope(file, 'scope.md', cwd, { leakrun: 'src/core/errors.ts' });
  await scope.run(example("import { toError } from 'leakrun'"));
  const outcome = await scope.run(example('toError(7).message'));
  assert.equal(outcome.got, "'Non-error thrown: 7'\n");
});
