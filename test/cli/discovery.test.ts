import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { discover, findModules, testsOfModule } from '../../src/runner/discovery.ts';
import { TestCase } from '../../src/index.ts';
import { layerName } from '../../src/runner/layers.ts';
import { DefaultOptionParser } from '../../src/runner/options.ts';
import { selectTests } from '../../src/runner/select.ts';
import type { RunOptions } from '../../src/types/index.ts';
import { leakrun } from '../helpers/cli.ts';

const root = resolve(import.meta.dirname, '../fixtures/discovery');

function options(...argv: string[]): RunOptions {
  const parsed = new DefaultOptionParser().parse(['--path', root], argv, { cwd: process.cwd(), terminal: false });
  if ('problem' in parsed) throw new Error(parsed.problem.message);
  return parsed.options;
}

test('modules are found in sorted order, named by their dotted path; node_modules, dot directories, .d.ts and non-matching files are skipped; a symlink loop ends', () => {
  assert.deepEqual(
    findModules(options()).map((module) => module.name),
    ['other.plain.test', 'pkg.inner.math.test', 'pkg.tests.test_alpha', 'pkg.tests.test_beta'],
  );
});

test('--tests-pattern matches file stems and directory names; --test-file-pattern picks files inside a matching directory', () => {
  assert.deepEqual(
    findModules(options('--tests-pattern', '^tests$', '--test-file-pattern', 'beta')).map((module) => module.name),
    ['pkg.tests.test_beta'],
  );
  assert.deepEqual(
    findModules(options('--tests-pattern', '^math')).map((module) => module.name),
    ['pkg.inner.math.test'],
  );
});

test('-m filters module names before import; -s restricts to a package', () => {
  assert.deepEqual(
    findModules(options('-m', 'alpha', '-m', 'plain')).map((module) => module.name),
    ['other.plain.test', 'pkg.tests.test_alpha'],
  );
  assert.deepEqual(
    findModules(options('-m', '!pkg')).map((module) => module.name),
    ['other.plain.test'],
  );
  assert.deepEqual(
    findModules(options('-s', 'pkg/inner')).map((module) => module.name),
    ['pkg.inner.math.test'],
  );
});

test('tests are collected from TestCase classes (test* methods sorted) and testSuite(), with layers and levels', async () => {
  const found = await discover(options());
  assert.deepEqual(found.importFailures, []);
  assert.deepEqual(
    found.tests.map((t) => [t.id, t.layer && (t.layer as { layerName: string }).layerName, t.level]),
    [
      ['test_js (other.plain.test.Plain)', undefined, 1],
      ['adds (pkg.inner.math.test)', undefined, 1],
      ['test_a (pkg.tests.test_alpha.TestAlpha)', undefined, 1],
      ['test_b (pkg.tests.test_alpha.TestAlpha)', undefined, 1],
      ['enters (pkg.tests.test_beta)', 'fixtures.Lobby', 1],
      ['deep (pkg.tests.test_beta)', 'fixtures.Lobby', 2],
    ],
  );
  for (const t of found.tests) await t.run();
});

test('levels, -u/-f, --layer and -t select among the collected tests', async () => {
  const { tests } = await discover(options());
  const ids = (...argv: string[]): string[] => selectTests(tests, options(...argv)).map((t) => t.name);
  assert.deepEqual(ids(), ['test_js', 'adds', 'test_a', 'test_b', 'enters']);
  assert.deepEqual(ids('--all'), ['test_js', 'adds', 'test_a', 'test_b', 'enters', 'deep']);
  assert.deepEqual(ids('-a', '2', '-f'), ['enters', 'deep']);
  assert.deepEqual(ids('-u'), ['test_js', 'adds', 'test_a', 'test_b']);
  assert.deepEqual(ids('--layer', 'Lobby$'), ['enters']);
  assert.deepEqual(ids('--layer', 'UnitTests'), ['test_js', 'adds', 'test_a', 'test_b']);
  assert.deepEqual(ids('-t', '^test_[ab]'), ['test_a', 'test_b']);
  assert.deepEqual(ids('-t', '!alpha'), ['test_js', 'adds', 'enters']);
});

test('a class with no static members is accepted as a layer and named by its class name', async () => {
  class Marker {}
  class InMarker extends TestCase {
    static override layer = Marker;
    test_marked(): void {}
  }
  const [found] = await testsOfModule({ InMarker }, 'marked');
  assert.equal(found?.id, 'test_marked (marked.InMarker)');
  assert.equal(found?.layer && layerName(found.layer), 'Marker');
});

test('a TypeScript module in a CommonJS package: its exported classes and its testSuite() are found', () => {
  // Before, import() gave only `{ default: module.exports }` here and the run found no tests.
  const { status, stdout, stderr } = leakrun(['--path', 'test/fixtures/commonjs', '--list-tests']);
  assert.equal(stderr, '');
  assert.equal(
    stdout,
    [
      'Listing leakrun.UnitTests tests:',
      '  testOne (tests.test_classes.TestInCommonJs)',
      '  testTwo (tests.test_classes.TestInCommonJs)',
      '  adds (tests.test_suite)',
      '',
    ].join('\n'),
  );
  assert.equal(status, 0);
});

test('two files with one module name: the first is loaded, the other is an import problem; a root given twice is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-duplicates-'));
  try {
    const module = "import assert from 'node:assert/strict';\nexport function testSuite() { return []; }\n";
    for (const file of ['a/tests/test_x.mjs', 'a/tests/test_x.js', 'b/tests/test_x.mjs', 'b/tests/test_y.mjs']) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), module);
    }
    const twice = leakrun(['--path', 'a', '--path', 'b'], { cwd: dir });
    assert.equal(twice.status, 1);
    assert.equal(
      twice.stdout,
      [
        'Test-module import failures:',
        '',
        'Module: tests.test_x',
        '',
        'Error: module name tests.test_x is taken by a/tests/test_x.js, so a/tests/test_x.mjs was not loaded; rename one of them',
        '',
        '',
        'Module: tests.test_x',
        '',
        'Error: module name tests.test_x is taken by a/tests/test_x.js, so b/tests/test_x.mjs was not loaded; rename one of them',
        '',
        '',
        '',
        'Test-modules with import problems:',
        '  tests.test_x',
        '  tests.test_x',
        'Total: 0 tests, 0 failures, 2 errors',
        '',
      ].join('\n'),
    );
    // Nothing is defined in b but the duplicate: an empty selection, let pass.
    const sameRoot = leakrun(['--path', 'b', '--path', 'b', '--pass-with-no-tests'], { cwd: dir });
    assert.equal(sameRoot.stdout, 'Total: 0 tests, 0 failures, 0 errors\n');
    assert.equal(sameRoot.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
