/**
 * What a user coming from Jest, Vitest or Mocha types: test files and directories as arguments,
 * an empty selection as an error, `--help` for each command, and a bad default that names the
 * config file it came from.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { installTsx, leakrun, repo } from '../helpers/cli.ts';

/** A project with two test files in `src/`, one in `src/deep/`, and a module that is not a test. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-files-'));
  mkdirSync(join(dir, 'src/deep'), { recursive: true });
  const module = (name: string): string => `import { test } from 'leakrun';
export const testSuite = () => [test('${name} works', () => {})];
`;
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
  writeFileSync(join(dir, 'src/store.test.ts'), module('store'));
  writeFileSync(join(dir, 'src/cart.test.ts'), module('cart'));
  writeFileSync(join(dir, 'src/deep/price.test.ts'), module('price'));
  // Named as a file, a module runs whatever its name.
  writeFileSync(join(dir, 'src/checks.ts'), module('checks'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules/leakrun'));
  installTsx(dir);
  return dir;
}

/** The printed test names of a `-vv` run, in order. */
function ran(stdout: string): string[] {
  return [...stdout.matchAll(/^ {1}(\w+ works) \(/gm)].map((match) => match[1] as string);
}

test('a file argument runs exactly that file, a directory the test files under it; paths mix with patterns', () => {
  const cwd = project();
  const one = leakrun(['src/store.test.ts', '-vv'], { cwd });
  assert.equal(one.status, 0, one.stderr + one.stdout);
  assert.deepEqual(ran(one.stdout), ['store works']);
  assert.match(one.stdout, /\n {1}store works \(src\.store\.test\)/);
  assert.match(one.stdout, /\n {2}Ran 1 tests with 0 failures and 0 errors in /);

  const two = leakrun(['src/store.test.ts', './src/deep/', 'src/checks.ts', '-vv'], { cwd });
  assert.deepEqual(ran(two.stdout).sort(), ['checks works', 'price works', 'store works']);

  const directory = leakrun(['src', '-vv'], { cwd });
  assert.deepEqual(ran(directory.stdout).sort(), ['cart works', 'price works', 'store works']);

  // A name that is no path stays a module pattern, and narrows what the paths selected.
  const narrowed = leakrun(['src', 'cart', '-vv'], { cwd });
  assert.deepEqual(ran(narrowed.stdout), ['cart works']);

  // Under --path, module names stay relative to the root, whether a file is named or found.
  const rooted = leakrun(['--path', 'src', 'src/deep/price.test.ts', '--list-tests'], { cwd });
  assert.match(rooted.stdout, /\n {2}price works \(deep\.price\.test\)\n/);
});

test('a path that names nothing, or no test module, is a usage error naming it', () => {
  const cwd = project();
  const missing = leakrun(['src/gone.test.ts'], { cwd });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^leakrun: error: src\/gone\.test\.ts: no such file or directory; /);
  writeFileSync(join(cwd, 'notes.md'), '# notes\n');
  const markdown = leakrun(['notes.md'], { cwd });
  assert.equal(markdown.status, 2);
  assert.match(markdown.stderr, /^leakrun: error: notes\.md: not a test module; leakrun loads \.ts, \.mts, \.js, \.mjs files\n/);
  assert.equal(markdown.stdout, '');
});

test('no test selected: exit 1 with one line naming the filters, unless --pass-with-no-tests', () => {
  const cwd = project();
  const noModule = leakrun(['-m', 'nomatch'], { cwd });
  assert.equal(noModule.status, 1);
  assert.equal(
    noModule.stderr,
    'leakrun: error: no test modules in . selected by -m nomatch (test modules are files whose name matches ^tests$|\\.test$, ' +
      'and files matching ^test in directories so named); pass --pass-with-no-tests if none is expected\n',
  );
  const noTest = leakrun(['src', '-t', 'nothing', '--layer', 'x'], { cwd });
  assert.equal(noTest.status, 1);
  assert.equal(
    noTest.stderr,
    'leakrun: error: no tests selected: 3 test modules in src hold 3 tests, none left by -t nothing, --layer x; ' +
      'pass --pass-with-no-tests if none is expected\n',
  );
  // One module holds, in the singular.
  const oneModule = leakrun(['src/store.test.ts', '-t', 'nothing'], { cwd });
  assert.equal(oneModule.status, 1);
  assert.equal(
    oneModule.stderr,
    'leakrun: error: no tests selected: 1 test module in src/store.test.ts holds 1 test, none left by -t nothing; ' +
      'pass --pass-with-no-tests if none is expected\n',
  );
  const passed = leakrun(['-m', 'nomatch', '--pass-with-no-tests'], { cwd });
  assert.equal(passed.status, 0, passed.stderr);
  assert.match(passed.stdout, /Total: 0 tests, 0 failures, 0 errors/);
  const empty = leakrun([], { cwd: mkdtempSync(join(tmpdir(), 'leakrun-empty-')) });
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /^leakrun: error: no test modules in \. \(test modules are /);
});

test('--help tells what -N and -r show and where the docs and the config are; each command has its own', () => {
  const help = leakrun(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: leakrun \[options\] \[FILE\|DIR\.\.\.\] \[MODULE_RE \[TEST_RE\]\]\n/);
  assert.match(help.stdout, /\n-N 4 runs each layer's tests 4 times in one set-up; -r then prints "sys refcount=R change=C"/);
  assert.match(help.stdout, /\nDefaults: leakrun\.config\.json, .* or the "leakrun" key of package\.json\.\n/);
  assert.match(help.stdout, /\nDocs: https:\/\/github\.com\/leakrun\/leakrun\/blob\/main\/docs /);
  assert.match(help.stdout, /\n {6}--pass-with-no-tests +Exit 0 when the filters select no test/);

  const doctest = leakrun(['doctest', '--help']);
  assert.equal(doctest.status, 0);
  assert.match(doctest.stdout, /^Usage: leakrun doctest FILE\.md\.\.\.\n\nRuns the examples/);
  const option = leakrun(['doctest', '--verbose', 'x.md']);
  assert.equal(option.status, 2);
  assert.equal(option.stderr, 'leakrun: error: doctest has no option --verbose\nUsage: leakrun doctest FILE.md...\n');

  const merge = leakrun(['merge', '-h']);
  assert.equal(merge.status, 0);
  assert.match(merge.stdout, /^Usage: leakrun merge FILE\.json\.\.\. \[--json FILE\]\n\nReads the --json reports/);
});

test('a bad option from the config file names the file; the same problem from the command line does not', () => {
  const cwd = project();
  writeFileSync(join(cwd, 'leakrun.config.json'), JSON.stringify(['--colr']));
  const unknown = leakrun(['src'], { cwd });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^leakrun: error: in leakrun\.config\.json: unknown option --colr \(did you mean --color\?\)\n/);

  writeFileSync(join(cwd, 'leakrun.config.json'), JSON.stringify({ options: ['-m', '('] }));
  const pattern = leakrun(['src'], { cwd });
  assert.match(pattern.stderr, /^leakrun: error: in leakrun\.config\.json: -m\/--module: "\(" is not a valid regular expression/);

  writeFileSync(join(cwd, 'leakrun.config.json'), JSON.stringify(['-v']));
  const own = leakrun(['-m', '['], { cwd });
  assert.match(own.stderr, /^leakrun: error: -m\/--module: "\[" is not a valid regular expression/);

  // Defaults that need the command line's help name their source when it does not help.
  rmSync(join(cwd, 'leakrun.config.json'));
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ type: 'module', leakrun: ['-r'] }));
  const needsRepeat = leakrun(['src/cart.test.ts'], { cwd });
  assert.equal(needsRepeat.status, 1);
  assert.match(needsRepeat.stderr, /^leakrun: error: in the "leakrun" key of package\.json: You must use the --repeat \(-N\) option/);
  const helped = leakrun(['src/cart.test.ts', '-N2'], { cwd });
  assert.equal(helped.status, 0, helped.stderr);
  assert.match(helped.stdout, /sys refcount=/);
});
