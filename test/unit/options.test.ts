import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { DefaultOptionParser, REFCOUNT_REPEAT_MESSAGE } from '../../src/runner/options.ts';
import type { RunOptions, UsageProblem } from '../../src/types/index.ts';

const cwd = resolve(import.meta.dirname, '../..');
const parser = new DefaultOptionParser();

function parse(defaults: string[], argv: string[] = []): RunOptions {
  const parsed = parser.parse(defaults, argv, { cwd, terminal: false });
  if ('problem' in parsed) assert.fail(`unexpected problem: ${parsed.problem.message}`);
  return parsed.options;
}

function problem(argv: string[]): UsageProblem {
  const parsed = parser.parse([], argv, { cwd, terminal: false });
  if (!('problem' in parsed)) assert.fail(`expected a usage problem for ${argv.join(' ')}`);
  return parsed.problem;
}

test('defaults: level 1, one iteration, the default patterns, the working directory', () => {
  const options = parse([]);
  assert.deepEqual(options.paths, [cwd]);
  assert.equal(options.repeat, 1);
  assert.equal(options.atLevel, 1);
  assert.equal(options.verbose, 0);
  assert.equal(options.unit, 'include');
  assert.equal(options.timeout, undefined);
  assert.equal(options.jobs, 1);
  assert.equal(parse(['-j4']).jobs, 4);
  assert.equal(parse(['--jobs', '2']).jobs, 2);
  assert.equal(options.testsPattern.source, '^tests$|\\.test$');
  assert.ok(options.testsPattern.test('tests') && options.testsPattern.test('math.test'));
  assert.ok(!options.testsPattern.test('mytests'));
  assert.equal(options.testFilePattern.source, '^test');
});

test('argv is parsed on top of defaults: scalars override, lists accumulate, -v counts add', () => {
  const options = parse(['--path', 'examples', '-N', '2', '-v', '--layer', 'A'], ['--path', 'src', '-N4', '-vv', '--layer=B']);
  assert.deepEqual(options.paths, [join(cwd, 'examples'), join(cwd, 'src')]);
  assert.equal(options.repeat, 4);
  assert.equal(options.verbose, 3);
  assert.deepEqual(
    options.layers.map((filter) => filter.source),
    ['A', 'B'],
  );
});

test('short options cluster and take attached values', () => {
  const options = parse(['-vvxN3', '-a2']);
  assert.equal(options.verbose, 2);
  assert.equal(options.stopOnError, true);
  assert.equal(options.repeat, 3);
  assert.equal(options.atLevel, 2);
});

test('! negates a filter; positional arguments are a module and a test pattern', () => {
  const options = parse(['--layer', '!Layer1', 'sample1', 'test_x']);
  assert.deepEqual(options.layers[0] && [options.layers[0].negated, options.layers[0].regexp.source], [true, 'Layer1']);
  assert.equal(options.modules[0]?.source, 'sample1');
  assert.equal(options.tests[0]?.source, 'test_x');
});

test('-u and -f select unit or layered tests; both together select everything, as zope does', () => {
  assert.equal(parse(['-u']).unit, 'only');
  assert.equal(parse(['-f']).unit, 'exclude');
  assert.equal(parse(['-u', '-f']).unit, 'include');
});

test('--all runs every level; -q overrides -v; the last colour choice wins', () => {
  assert.equal(parse(['--all']).atLevel, Infinity);
  assert.equal(parse(['-vvv', '-q']).verbose, 0);
  assert.equal(parse(['-c', '-C']).color, false);
  assert.equal(parse(['-C', '-c']).color, true);
});

test('--shuffle draws a seed; --shuffle-seed fixes it and implies --shuffle', () => {
  const drawn = parse(['--shuffle']);
  assert.equal(drawn.shuffle, true);
  assert.equal(typeof drawn.shuffleSeed, 'number');
  const fixed = parse(['--shuffle-seed', '42']);
  assert.equal(fixed.shuffle, true);
  assert.equal(fixed.shuffleSeed, 42);
  assert.equal(parse([]).shuffleSeed, undefined);
});

test('-r with -N below 2 is refused with zope message and exit code 1', () => {
  assert.deepEqual(problem(['-r']), { message: REFCOUNT_REPEAT_MESSAGE, exitCode: 1 });
  assert.deepEqual(problem(['-r', '-N1']), { message: REFCOUNT_REPEAT_MESSAGE, exitCode: 1 });
  assert.equal(parse(['-r', '-N2']).reportRefcounts, true);
});

const badInput: [string[], RegExp][] = [
  [['--pth', 'x'], /unknown option --pth \(did you mean --path\?\)/],
  [['--frobnicate'], /unknown option --frobnicate$/],
  [['-Z'], /unknown option -Z/],
  [['--path'], /--path needs a value/],
  [['-N'], /-N\/--repeat needs a value/],
  [['-N', 'four'], /-N\/--repeat needs a whole number, got "four"/],
  [['-N', '0'], /-N\/--repeat must be at least 1/],
  [['--timeout', '1.5'], /--timeout needs a whole number/],
  [['-j', '0'], /-j\/--jobs must be at least 1, got 0/],
  [['-j', 'many'], /-j\/--jobs needs a whole number, got "many"/],
  [['--layer', '('], /--layer: "\(" is not a valid regular expression/],
  [['-t', '[a'], /-t\/--test: "\[a" is not a valid regular expression/],
  [['--tests-pattern', '*x'], /--tests-pattern: "\*x" is not a valid regular expression/],
  [['--path', 'does/not/exist'], /--path does\/not\/exist: no such directory/],
  [['--path', 'package.json/tests'], /--path package\.json\/tests: no such directory/],
  [['--path', 'package.json'], /not a directory/],
  [['--list-tests=yes'], /--list-tests takes no value/],
  [['a', 'b', 'c'], /unexpected argument "c"/],
];

for (const [argv, expected] of badInput) {
  test(`bad input ${JSON.stringify(argv)} is one clear line and exit code 2`, () => {
    const found = problem(argv);
    assert.equal(found.exitCode, 2);
    assert.match(found.message, expected);
    assert.ok(!found.message.includes('\n'), 'one line');
  });
}

test('a --path that is a symlink to a directory is accepted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-options-'));
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  assert.deepEqual(parse(['--path', join(dir, 'link')]).paths, [join(dir, 'link')]);
  writeFileSync(join(dir, 'dangling-target'), '');
  symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
  assert.match(problem(['--path', join(dir, 'dangling')]).message, /no such directory/);
});
