import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';
import { ellipsisMatches, normalizeOutput, outputMatches, resolveNormalizers } from '../../src/doctest/check.ts';
import type { DoctestFlag, Normalizer } from '../../src/doctest/types.ts';

const cwd = resolve(import.meta.dirname, '../..');
const fixture = (name: string): string => resolve(cwd, 'test/fixtures/doctest', name);
const exact = { normalizers: [] as Normalizer[], flags: [] as DoctestFlag[] };

test('exact by default; trailing whitespace and trailing blank lines do not count', () => {
  const cases: [string, string, boolean][] = [
    ['a\nb', 'a\nb\n', true],
    ['a\nb', 'a  \nb\t\n\n', true],
    ['a\nb', 'a\n b', false],
    ['a b', 'a  b', false],
    ['', '', true],
    ['', 'x', false],
    ['x', '', false],
    ['a\n\nb', 'a\nb', false],
  ];
  for (const [want, got, expected] of cases) assert.equal(outputMatches(want, got, exact), expected, JSON.stringify([want, got]));
});

test('... matches any text, across lines, and nothing else', async () => {
  const cases: [string, string, boolean][] = [
    ['...', 'anything\nat all', true],
    ['...', '', true],
    ['a...z', 'az', true],
    ['a...z', 'a\nb\nz', true],
    ['a...z', 'a\nb\nz!', false],
    ['a...b...c', 'a-c-b-c', true],
    ['a...b...c', 'a-c-c', false],
    ['ab...ba', 'aba', false],
    ['x...', 'y', false],
  ];
  for (const [want, got, expected] of cases) assert.equal(ellipsisMatches(want, got), expected, JSON.stringify([want, got]));
  const result = await runDocFile(fixture('ellipsis.md'), { cwd });
  assert.equal(result.report, '');
  assert.equal(result.examples, 4);
});

test('NORMALIZE_WHITESPACE makes every run of whitespace one space, as an option or from front matter', async () => {
  const flags: DoctestFlag[] = ['NORMALIZE_WHITESPACE'];
  assert.ok(outputMatches('[ 1,\n  2 ]', '[ 1, 2 ]', { normalizers: [], flags }));
  assert.ok(!outputMatches('[ 1,\n  2 ]', '[ 1, 2 ]', exact));
  assert.ok(!outputMatches('[1, 2]', '[ 1, 2 ]', { normalizers: [], flags }));
  const result = await runDocFile(fixture('whitespace.md'), { cwd });
  assert.equal(result.report, '');
  assert.equal(result.examples, 2);
});

test('built-in normalizers: times and paths', () => {
  const [times, paths] = resolveNormalizers(['times', 'paths'], '/home/me/proj');
  assert.ok(times && paths);
  assert.equal(
    normalizeOutput('in 0.123 seconds, then 12.000 seconds, not 1.2 seconds', [times]),
    'in N.NNN seconds, then N.NNN seconds, not 1.2 seconds',
  );
  assert.equal(
    normalizeOutput('/home/me/proj/docs/a.md file:///home/me/proj/src/x.ts /home/me/proj /home/me/proj-old/b', [paths]),
    'docs/a.md src/x.ts . /home/me/proj-old/b',
  );
  assert.throws(() => resolveNormalizers(['dates' as 'times'], '/'), /unknown normalizer dates; built-in: times, paths/);
});

test('custom normalizers apply to both sides; a pattern without the g flag still replaces every match', () => {
  const ids: Normalizer = { name: 'ids', pattern: /id-\d+/, replacement: 'id-N' };
  assert.ok(outputMatches('id-1 and id-2', 'id-77 and id-8', { normalizers: [ids], flags: [] }));
  assert.ok(!outputMatches('id-1 and id-2', 'id-77 and id-8', exact));
  const words: Normalizer = { name: 'words', pattern: '(\\w+)@', replacement: '$1 at ' };
  assert.equal(normalizeOutput('me@ you@', [words]), 'me at  you at');
});

test('front-matter normalizers run; run-level ones add to them', async () => {
  const fromFile = await runDocFile(fixture('normalizers.md'), { cwd });
  assert.equal(fromFile.report, '');
  assert.equal(fromFile.examples, 3);
  const seconds: Normalizer = { name: 'seconds', pattern: /\d+\.\d+ seconds/, replacement: 'SOME seconds' };
  const withCustom = await runDocFile(fixture('times.md'), { cwd, normalizers: [seconds] });
  assert.ok(withCustom.passed, withCustom.report);
});
