import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { otherRunner } from '../../src/suites/imports.ts';
import { globRegExp, projectSuite, runnerCommand, shellWords } from '../../src/suites/project.ts';

test('a test script is read as a shell reads it, and followed through npm run to its runner', () => {
  assert.deepEqual(shellWords(`mocha --grep "a b" 'c d' e\\ f`), ['mocha', '--grep', 'a b', 'c d', 'e f']);
  const scripts = {
    test: 'npm run lint && npm run test:unit && npm run test:typescript',
    lint: 'eslint',
    'test:unit': 'c8 --100 node --test',
    'test:typescript': 'tstyche',
  };
  assert.deepEqual(runnerCommand(scripts), { runner: 'node', args: ['--test'] });
  assert.deepEqual(runnerCommand({ test: 'NODE_ENV=test nyc --reporter=text mocha --require test/support/env test/' }), {
    runner: 'mocha',
    args: ['--require', 'test/support/env', 'test/'],
  });
  assert.deepEqual(runnerCommand({ test: 'npm run unit', unit: 'borp --reporter=tap' }), { runner: 'borp', args: ['--reporter=tap'] });
  assert.equal(runnerCommand({ test: 'node build.js && vitest run' }), undefined);
  assert.equal(runnerCommand({ test: 'npm run test', other: 'mocha' }), undefined, 'a script that runs itself ends');
});

test('globs as node --test and borp read them: **, *, ?, {a,b} and ?(a|b)', () => {
  const matches = (glob: string, path: string): boolean => globRegExp(glob).test(path);
  assert.ok(matches('**/*.test.{cjs,mjs,js}', 'a.test.js'));
  assert.ok(matches('**/*.test.{cjs,mjs,js}', 'test/deep/a.test.mjs'));
  assert.ok(!matches('**/*.test.{cjs,mjs,js}', 'test/a.test.ts'));
  assert.ok(matches('test/**/*.test.js', 'test/lib/x.test.js'));
  assert.ok(matches('**/*.test.?(c|m)js', 'x.test.cjs') && matches('**/*.test.?(c|m)js', 'x.test.js'));
  assert.ok(!matches('test/*.js', 'test/sub/a.js'));
});

test('a project whose test script runs node --test or borp: the files that runner would run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-project-'));
  mkdirSync(join(dir, 'test/lib'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/dep'), { recursive: true });
  for (const file of [
    'test/a.test.js',
    'test/lib/b.test.js',
    'test/helper.js',
    'src/c.test.mjs',
    'node_modules/dep/d.test.js',
    'e_test.cjs',
  ]) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
  const files = (): string[] => (projectSuite(dir)?.files ?? []).map((file) => relative(dir, file));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
  assert.equal(projectSuite(dir)?.runner, 'node:test');
  // Node's defaults: *.test.*, *_test.*, everything under test/; never node_modules.
  assert.deepEqual(files(), ['e_test.cjs', 'src/c.test.mjs', 'test/a.test.js', 'test/helper.js', 'test/lib/b.test.js']);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ scripts: { test: 'node --import ./test/helper.js --test "test/**/*.test.js"' } }),
  );
  assert.deepEqual(files(), ['test/a.test.js', 'test/lib/b.test.js']);
  assert.deepEqual(
    (projectSuite(dir)?.requires ?? []).map((file) => relative(dir, file)),
    ['test/helper.js'],
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'borp --coverage' } }));
  writeFileSync(join(dir, '.borp.yaml'), "files:\n  - 'test/lib/*.test.js'\n");
  assert.deepEqual(files(), ['test/lib/b.test.js']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run' } }));
  assert.equal(projectSuite(dir), undefined);
});

test("a Mocha project's settings and files come from the project's own Mocha, with the test script's arguments", () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-mocha-project-'));
  mkdirSync(join(dir, 'test/acceptance'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  for (const file of ['test/a.js', 'test/b.js', 'test/acceptance/c.js', 'test/support.js']) writeFileSync(join(dir, file), '');
  // The project's Mocha: this repository's, linked as the project's own.
  symlinkSync(new URL('../../node_modules/mocha', import.meta.url).pathname, join(dir, 'node_modules/mocha'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ scripts: { test: 'mocha --require test/support --check-leaks --timeout 5s test/ test/acceptance/' } }),
  );
  const project = projectSuite(dir);
  assert.equal(project?.runner, 'mocha');
  if (project?.runner !== 'mocha') return;
  assert.deepEqual(
    project.files.map((file) => relative(dir, file)),
    ['test/a.js', 'test/b.js', 'test/support.js', 'test/acceptance/c.js'],
  );
  assert.deepEqual(project.settings, { timeout: 5000, retries: 0, checkLeaks: true, globals: [] });
  assert.deepEqual(
    project.requires.map((file) => relative(dir, file)),
    ['test/support.js'],
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'mocha --ui qunit' } }));
  assert.throws(() => projectSuite(dir), {
    name: 'ProjectSuiteError',
    message: "Mocha's --ui qunit is not supported by leakrun; bdd and tdd are",
  });
});

test('files written for Jest or Vitest are told by their imports and their mocking calls', () => {
  assert.equal(otherRunner("import { test, expect } from 'vitest';"), 'Vitest');
  assert.equal(otherRunner("vi.mock('./db.js');"), 'Vitest');
  assert.equal(otherRunner("const { jest } = require('@jest/globals');"), 'Jest');
  assert.equal(otherRunner("jest.mock('./db');\ntest('x', () => {});"), 'Jest');
  assert.equal(otherRunner("import { test } from 'node:test';\nimport { toLeak } from 'leakrun/expect';"), undefined);
});
