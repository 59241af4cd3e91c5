import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DoctestSyntaxError, parseDocFile } from '../../src/doctest/parse.ts';

const fence = '```';

test('a prompt starts an example; the lines after it are its expected output, with file line numbers', () => {
  const text = ['# Title', '', `${fence}ts doctest`, '> 1 + 1', '2', '> const a = 1', '', `${fence}`].join('\n');
  const { examples } = parseDocFile(text);
  assert.deepEqual(examples, [
    { line: 4, source: '1 + 1', want: '2', wantLine: 5, lang: 'ts' },
    { line: 6, source: 'const a = 1', want: '', wantLine: 7, lang: 'ts' },
  ]);
});

test('`... ` continues code only directly after a code line; `...` alone is output', () => {
  const text = [`${fence}js doctest`, '> function f() {', '...   return 1;', '... }', '> f()', '...', '... more output', `${fence}`].join(
    '\n',
  );
  const { examples } = parseDocFile(text);
  assert.equal(examples.length, 2);
  assert.equal(examples[0]?.source, 'function f() {\n  return 1;\n}');
  assert.equal(examples[0]?.lang, 'js');
  assert.equal(examples[1]?.source, 'f()');
  assert.equal(examples[1]?.want, '...\n... more output');
  assert.equal(examples[1]?.wantLine, 6);
});

test('expected output keeps inner blank lines and indentation, drops trailing whitespace and blank lines', () => {
  const text = [`${fence}ts doctest`, '> x', 'a  ', '', '  b', '', '', '> y', `${fence}`].join('\n');
  const { examples } = parseDocFile(text);
  assert.equal(examples[0]?.want, 'a\n\n  b');
  assert.equal(examples[1]?.want, '');
});

test('only `ts doctest` / `js doctest` blocks are read; other fences, even with prompts, are prose', () => {
  const text = [
    `${fence}ts`,
    '> not an example',
    fence,
    `${fence}sh doctest`,
    '> not either',
    fence,
    `~~~~typescript doctest`,
    '> 3',
    '3',
    '```',
    '> still inside the tilde fence',
    '~~~~',
    `  ${fence}javascript doctest`,
    '  > indented(fence)',
    '  out',
    `  ${fence}`,
  ].join('\n');
  const { examples } = parseDocFile(text);
  assert.deepEqual(
    examples.map((example) => [example.line, example.source, example.want, example.lang]),
    [
      [8, '3', '3\n```', 'ts'],
      [11, 'still inside the tilde fence', '', 'ts'],
      [14, 'indented(fence)', 'out', 'js'],
    ],
  );
});

test('front matter declares flags and normalizers, built-in and custom', () => {
  const text = [
    '---',
    'title: ignored',
    'doctest-options: NORMALIZE_WHITESPACE',
    'doctest-normalize: times, paths',
    'doctest-normalizer: ids /id-(\\d+)/i => ID',
    '---',
    `${fence}ts doctest`,
    '> 1',
    '1',
    fence,
  ].join('\n');
  const parsed = parseDocFile(text);
  assert.deepEqual(parsed.flags, ['NORMALIZE_WHITESPACE']);
  assert.deepEqual(parsed.normalizers.slice(0, 2), ['times', 'paths']);
  const custom = parsed.normalizers[2];
  assert.ok(typeof custom === 'object');
  assert.equal(custom.name, 'ids');
  assert.deepEqual(custom.pattern, /id-(\d+)/i);
  assert.equal(custom.replacement, 'ID');
  assert.equal(parsed.examples[0]?.line, 8);
});

test('syntax problems name the file, the line and the fix', () => {
  const cases: [string, RegExp][] = [
    [[`${fence}ts doctest`, 'stray text', '> 1', fence].join('\n'), /^doc\.md:2: text before the first `> ` prompt/],
    [['---', 'doctest-options: ELLIPSIS', '---'].join('\n'), /^doc\.md:2: unknown doctest option ELLIPSIS; known: NORMALIZE_WHITESPACE/],
    [['---', 'doctest-normalize: dates', '---'].join('\n'), /^doc\.md:2: unknown normalizer dates; built-in: times, paths/],
    [['---', 'doctest-normalizer: broken', '---'].join('\n'), /^doc\.md:2: write doctest-normalizer as NAME/],
    [['---', 'doctest-normaliser: times', '---'].join('\n'), /^doc\.md:2: unknown front-matter key doctest-normaliser/],
    [['---', 'doctest-options: NORMALIZE_WHITESPACE'].join('\n'), /^doc\.md:1: front matter opened with --- is never closed/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseDocFile(text, 'doc.md'),
      (error: unknown) => error instanceof DoctestSyntaxError && message.test(error.message),
    );
  }
});
