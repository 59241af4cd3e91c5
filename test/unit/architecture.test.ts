/**
 * The shape of src/ (docs/architecture.md): every folder is on a floor of .dependency-cruiser.mjs;
 * no two `.ts` files share a stem, wherever they are, so that a file's name alone says which one
 * it is, in a stack trace, a search or a review (files named `index.ts` are the one exception:
 * each is its folder's front); and the dependency rules catch what they are for, run in process
 * through dependency-cruiser's API on a fixture tree that breaks each of them once.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration } from 'dependency-cruiser';

// The rules, as `npm run deps` reads them (a JavaScript module: dependency-cruiser takes no other).
const rules: string = '../../.dependency-cruiser.mjs';
const { default: config, FLOORS } = (await import(rules)) as {
  default: Required<Pick<IConfiguration, 'forbidden' | 'options'>>;
  FLOORS: string[][];
};

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

test('every folder of src/ is on a floor of .dependency-cruiser.mjs', () => {
  const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const onFloors = new Set(FLOORS.flat());
  assert.deepEqual(
    folders.map((entry) => entry.name).filter((name) => !onFloors.has(name)),
    [],
    'a folder of src/ on no floor: add it to FLOORS',
  );
});

test('the dependency rules find an import up a floor, an entry point imported and a type-only circle, naming both files', async () => {
  const baseDir = fileURLToPath(new URL('../fixtures/floors/', import.meta.url));
  const { tsConfig: _tsConfig, ...options } = config.options;
  const result = await cruise(['src'], { ...options, validate: true, ruleSet: { forbidden: config.forbidden }, baseDir });
  const output = result.output as Exclude<typeof result.output, string>;
  const found = output.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`).sort();
  assert.deepEqual(found, [
    'entry-points-imported-by-none: src/runner/main.ts → src/index.ts',
    'floor-text: src/text/words.ts → src/formatter/lines.ts',
    'no-circular: src/sampler/first.ts → src/sampler/second.ts',
  ]);
});
