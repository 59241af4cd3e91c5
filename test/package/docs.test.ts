// The documentation is executable (docs/api.md, the doctest engine): every docs/*.md file and the README run as doctests
// against the real runner, and a drifted expected line fails with the engine's report.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile, summaryLine } from '../../src/doctest/index.ts';

const repo = resolve(import.meta.dirname, '../..');
// The examples show plain output; node:test sets FORCE_COLOR for its children when it runs on a
// terminal, and the examples' own leakrun children would inherit it.
delete process.env.FORCE_COLOR;
// Listed, not named, so a new doc is checked without touching this file.
const docs = readdirSync(join(repo, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/${name}`);

test('docs/ holds the documentation this suite checks', () => {
  assert.ok(docs.includes('docs/leaks.md'), `docs found: ${docs.join(', ')}`);
});

for (const file of [...docs, 'README.md']) {
  test(`${file}: every example prints what the file says`, async () => {
    const result = await runDocFile(file, { cwd: repo });
    if (!result.passed) assert.fail(`${summaryLine(result)}\n${result.report}`);
  });
}

test('an expected line changed in a document fails with file:line and a diff', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'leakrun-docs-'));
  try {
    // A short document of the same kind as docs/leaks.md: one example runs the real command.
    const copy = join(dir, 'drift.md');
    const lines = [
      '# Drift',
      '',
      'Some prose.',
      '',
      '```ts doctest',
      "> import { execFileSync } from 'node:child_process'",
      "> const list = (...args: string[]) => console.log(execFileSync(process.execPath, ['bin/leakrun.js', '--path', 'examples/sample', ...args], { encoding: 'utf8' }).trimEnd())",
      "> list('--layer', 'Layer111$', '-t', 'TestA', '--list-tests')",
      'Listing samplelayers.Layer111 tests:',
      '  test_x1 (tests.test111.TestA)',
      '  test_y9 (tests.test111.TestA)',
      '  test_z0 (tests.test111.TestA)',
      '```',
      '',
    ];
    await writeFile(copy, lines.join('\n'));
    const changed = lines.indexOf('  test_y9 (tests.test111.TestA)');
    const prompt = lines.findLastIndex((line, at) => at < changed && line.startsWith('> '));

    // The cwd is the repository root, so the command finds bin/ and examples/sample.
    const result = await runDocFile(copy, { cwd: repo });
    assert.equal(result.passed, false);
    assert.equal(result.failures, 1, result.report);
    assert.equal(result.errors, 0, result.report);
    assert.match(result.report, new RegExp(`drift\\.md:${prompt + 1}: example failed\\n`));
    assert.match(result.report, /\nDiff \(-expected \+got, numbered as lines of .*drift\.md\):\n/);
    assert.match(result.report, /\n {4}- {2}test_y9 \(tests\.test111\.TestA\)\n {4}\+ {2}test_y0 \(tests\.test111\.TestA\)\n/);
    // The hunk starts three lines above the change, or at the example's first expected line.
    const output = lines.indexOf('Listing samplelayers.Layer111 tests:');
    assert.match(result.report, new RegExp(`\\n {4}@@ -${Math.max(changed + 1 - 3, output + 1)},`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
