/**
 * The shape of src/: no two `.ts` files share a stem, wherever they are, so
 * that a file's name alone says which one it is, in a stack trace, a search or a review. Files
 * named `index.ts` are the one exception: each is its folder's front.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** The stems of src/'s `.ts` files (index.ts left out) that more than one file has, each with its paths. */
function clashingStems(): Map<string, string[]> {
  const byStem = new Map<string, string[]>();
  for (const path of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!path.endsWith('.ts') || basename(path) === 'index.ts') continue;
    const stem = basename(path, '.ts');
    byStem.set(stem, [...(byStem.get(stem) ?? []), join('src', path)]);
  }
  return new Map([...byStem].filter(([, paths]) => paths.length > 1));
}

test('no two .ts files under src/ share a stem (index.ts excepted)', () => {
  const clashes = clashingStems();
  const lines = [...clashes].map(([stem, paths]) => `  ${stem}: ${paths.sort().join(', ')}`);
  assert.equal(clashes.size, 0, `files under src/ that share a stem (rename all but one):\n${lines.join('\n')}`);
});
