/**
 * One naming scheme for modules: the command line names a source module under a --path root by
 * its dotted path there, as it names the test modules it finds, in the heap table and in retainer
 * paths (`src.store.Session`, `src.store (module)`, beside `src.cart.test`), not by the file's base
 * name. `moduleNameUnderRoots` is the scheme, checked alone too.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { moduleNameUnderRoots } from '../../src/sampler/count.ts';
import { leakrun } from '../helpers/cli.ts';

test('a source module beside a test module is named by its path under the root, in the table and the paths', () => {
  const { status, stdout, stderr } = leakrun(['--path', 'test/fixtures/paths/names', '--tests-pattern', '\\.test$', '-N3', '-r', '-vv']);
  assert.equal(stderr, '');
  assert.equal(status, 0, stdout);
  const third = stdout.slice(stdout.indexOf('Iteration 3'));
  assert.match(third, /\n {4}src\.cart\.test\.Cart {2,}1 {6}1\n {4}src\.store\.Session {2,}1 {6}1\n/, third);
  assert.match(
    third,
    /\n {6}src\.store \(module\)\n {6}╰─ \.sessions → Array {2}◀ grows\n {9}╰─ \[2\] → src\.store\.Session {2}\(1 new, 3 live\)\n/,
    third,
  );
  assert.match(third, /\n {6}src\.cart\.test \(module\)\n {6}╰─ \.opened → Array {2}◀ grows\n/, third);
});

test('moduleNameUnderRoots: the dotted path under the root of a found module; nothing elsewhere', () => {
  const root = resolve('project');
  const name = moduleNameUnderRoots([{ name: 'src.cart.test', file: join(root, 'src', 'cart.test.ts') }]);
  assert.equal(name(pathToFileURL(join(root, 'src', 'store.ts')).href), 'src.store');
  assert.equal(name(join(root, 'lib', 'deep', 'util.mjs')), 'lib.deep.util');
  assert.equal(name(`${pathToFileURL(join(root, 'src', 'store.ts')).href}?v=2`), 'src.store');
  // Where discovery never looks, and outside the root: the caller's fallback.
  assert.equal(name(join(root, 'node_modules', 'pkg', 'index.js')), undefined);
  assert.equal(name(join(root, '.cache', 'x.js')), undefined);
  assert.equal(name(join(resolve('elsewhere'), 'store.ts')), undefined);
  assert.equal(name('node:internal/timers'), undefined);
});
