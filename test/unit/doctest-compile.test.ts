import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileExample } from '../../src/doctest/compile.ts';

test('import() and import.meta are routed to the doctest helpers, at any depth; properties named import are not', async () => {
  const code = await compileExample('f(x.import(1), import.meta.url, () => import("./m"), { import: 2 });', 'js');
  assert.equal(code, 'return [(f(x.import(1), __doctest.meta.url, () => __doctest.import("./m"), { import: 2 })\n)];');
});

test('statements spread over lines, past templates, regexes, strings and comments, compile as written', async () => {
  const source = [
    'const a = `x ${`inner ${1 + 2}\n`} y`;',
    'const r = /[/]\\/"\'`/g;',
    'const s = "// not a comment" + \'/* nor this */\';',
    'const d = (4) / 2',
    '  / 1;',
    'if (a) {',
    '  /re/.test(s);',
    '}',
    'else {',
    '  d;',
    '}',
    '/* multi',
    'line */ [a, r.source, s, d]',
  ].join('\n');
  const code = await compileExample(source, 'ts');
  assert.match(code, /return \[\(\[a, r\.source, s, d\]\n\)\];\s*$/);
  const run = new Function(`return (async () => { ${code} })()`) as () => Promise<unknown[]>;
  assert.deepEqual(await run(), [['x inner 3\n y', '[/]\\/"\'`', '// not a comment/* nor this */', 2]]);
});

test('exports: a declaration stays a binding of the scope, an export list goes', async () => {
  const code = await compileExample('export const a: number = 1;\nexport { a as b };\na', 'ts');
  assert.doesNotMatch(code, /export/);
  const run = new Function(`return (async () => { ${code} })()`) as () => Promise<unknown[]>;
  assert.deepEqual(await run(), [1]);
});

test('static imports become awaited dynamic imports bound with const', async () => {
  const code = await compileExample(
    "import d, { a, b as c, type T } from './x.ts'; import * as ns from 'y'; import e, * as ns2 from 'z'; import 'side'; import j from './j.json' with { type: 'json' }",
    'ts',
  );
  // One statement a line: esbuild (Node 20) writes them so, Node's stripping keeps the example's spaces.
  assert.equal(
    code.replace(/;\s+/g, ';\n').trim(),
    [
      'const { default: d, a, b: c } = await __doctest.import("./x.ts");',
      'const ns = await __doctest.import("y");',
      'const ns2 = await __doctest.import("z");',
      'const { default: e } = ns2;',
      'await __doctest.import("side");',
      'const { default: j } = await __doctest.import("./j.json", { with: { type: "json" } });',
    ].join('\n'),
  );
});

test('a final expression statement is returned wrapped; declarations, blocks and labels are not', async () => {
  const returned = async (source: string): Promise<boolean> => (await compileExample(source, 'ts')).includes('return [(');
  assert.equal(await returned('const a: number = 1; a + 1'), true);
  assert.equal(await returned('{ a: 1 }'), true); // an object literal, as in the REPL
  assert.equal(await returned('await Promise.resolve(1)'), true);
  assert.equal(await returned('const a = 1'), false);
  assert.equal(await returned('{ const a = 1; }'), false);
  assert.equal(await returned('async function f() {}'), false);
  assert.equal(await returned('outer: for (;;) break outer'), false);
  assert.equal(await returned('interface I { x: number }'), false);
});

test('a syntax error names its line within the example', async () => {
  await assert.rejects(
    compileExample('const a = 1\nconst b = ;', 'ts'),
    (error: Error & { line?: number }) => error.name === 'SyntaxError' && error.line === 2,
  );
});
