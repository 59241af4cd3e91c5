/**
 * TypeScript in a project without tsx (src/core/typescript.ts): Node's own type stripping where Node
 * has it (22.18 and newer), with `./store.js` resolving to `./store.ts` as TypeScript's NodeNext
 * style writes it; a syntax stripping cannot remove, and a Node that cannot strip, each said in one
 * line that names the file and the fix. `npm test` runs this on every Node version it measures.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { leakrun, nodeStripsTypes, repo } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'leakrun-typescript-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'src'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(repo, join(dir, 'node_modules/leakrun'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
writeFileSync(join(dir, 'src/store.ts'), "export interface Item {\n  name: string;\n}\nexport const items: Item[] = [{ name: 'tea' }];\n");
writeFileSync(
  join(dir, 'src/store.test.ts'),
  "import assert from 'node:assert/strict';\nimport { test } from 'leakrun';\nimport { items, type Item } from './store.js';\n\nexport const testSuite = () => [\n  test('the store holds tea', () => {\n    const first: Item | undefined = items[0];\n    assert.equal(first?.name, 'tea');\n  }),\n];\n",
);
writeFileSync(
  join(dir, 'src/colors.test.ts'),
  "import { test } from 'leakrun';\n\nenum Color {\n  Red,\n}\n\nexport const testSuite = () => [test('an enum', () => void Color.Red)];\n",
);

test(`types stripped by Node ${process.versions.node} itself, ./store.js found as ./store.ts; or, without stripping, one line naming the fix`, () => {
  const run = leakrun(['src/store.test.ts', '-N2', '-r'], { cwd: dir });
  if (nodeStripsTypes) {
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Ran 1 tests with 0 failures and 0 errors/);
    assert.equal(run.stderr, '');
  } else {
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /\nError: src\/store\.test\.ts: TypeScript needs Node 22\.18 or newer, which strips types itself, or tsx \(this is Node [\d.]+\): npm install --save-dev tsx\n\n/,
    );
  }
});

test(
  'an enum without tsx: one line with the file, the line, the syntax and the fix',
  { skip: !nodeStripsTypes && 'this Node does not strip types: the test above checks its line' },
  () => {
    const run = leakrun(['src/colors.test.ts'], { cwd: dir });
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /\nModule: src\.colors\.test\n\nSyntaxError: src\/colors\.test\.ts:3: TypeScript enum is not supported by Node's type stripping; tsx compiles it: npm install --save-dev tsx\n\n/,
    );
  },
);
