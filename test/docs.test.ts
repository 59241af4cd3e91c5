// The documentation is executable (docs/api.md, the doctest engine): every docs/*.md file and the README run as doctests
// against the real runner, and a drifted expected line fails with the engine's report.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile, summaryLine } from '../src/doctest/index.ts';

const repo = resolve(import.meta.dirname, '..');
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

test('an expected line changed in leaks.md fails with file:line and a diff', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'leakrun-docs-'));
  try {
    const copy = join(dir, 'leaks.md');
    await copyFile(join(repo, 'docs/leaks.md'), copy);
    const lines = (await readFile(copy, 'utf8')).split('\n');
    const changed = lines.findIndex((line) => line === 'Iteration 2');
    assert.ok(changed > 0, 'docs/leaks.md has no expected line "Iteration 2"');
    lines[changed] = 'Iteration 9';
    await writeFile(copy, lines.join('\n'));
    // The report names the example by the line of its first prompt, above the changed output line.
    let prompt = changed;
    while (prompt > 0 && !(lines[prompt] ?? '').startsWith('> ')) prompt--;

    // The cwd stays the repository root, so the copy's commands find examples/sample as before.
    const result = await runDocFile(copy, { cwd: repo });
    assert.equal(result.passed, false);
    assert.equal(result.failures, 1, result.report);
    assert.equal(result.errors, 0, result.report);
    assert.match(result.report, new RegExp(`leaks\\.md:${prompt + 1}: example failed\\n`));
    assert.match(result.report, /\nDiff \(-expected \+got, numbered as lines of .*leaks\.md\):\n/);
    assert.match(result.report, /\n {4}-Iteration 9\n {4}\+Iteration 2\n/);
    assert.match(result.report, new RegExp(`\\n {4}@@ -${changed + 1 - 3},`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
