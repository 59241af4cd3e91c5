import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';
import { unifiedDiff } from '../../src/doctest/mismatch.ts';

const cwd = resolve(import.meta.dirname, '../..');

test('a failing example reports file:line, its source, expected, got and a diff numbered by file line', async () => {
  const result = await runDocFile(resolve(cwd, 'test/fixtures/doctest/failing.md'), { cwd });
  assert.equal(result.examples, 3);
  assert.equal(result.failures, 1);
  assert.equal(result.errors, 0);
  assert.equal(result.problems[0]?.line, 5);
  assert.equal(result.problems[0]?.got, 'Iteration 1\nIteration 2\nIteration 3\n');
  assert.equal(
    result.report,
    [
      'test/fixtures/doctest/failing.md:5: example failed',
      "    > console.log(lines.join('\\n'))",
      'Expected:',
      '    Iteration 1',
      '    Iteration 9',
      '    Iteration 3',
      'Got:',
      '    Iteration 1',
      '    Iteration 2',
      '    Iteration 3',
      'Diff (-expected +got, numbered as lines of test/fixtures/doctest/failing.md):',
      '    @@ -6,3 +6,3 @@',
      '     Iteration 1',
      '    -Iteration 9',
      '    +Iteration 2',
      '     Iteration 3',
    ].join('\n'),
  );
});

test('unified diff: context of three lines, nearby changes share a hunk, far ones do not', () => {
  const want = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
  const got = ['a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'L', 'm'];
  assert.equal(
    unifiedDiff(want, got, 40),
    ['@@ -40,5 +40,5 @@', ' a', '-b', '+B', ' c', ' d', ' e', '@@ -48,4 +48,5 @@', ' i', ' j', ' k', '-l', '+L', '+m'].join('\n'),
  );
  assert.equal(unifiedDiff(['a', 'b', 'c'], ['a', 'x', 'c']), ['@@ -1,3 +1,3 @@', ' a', '-b', '+x', ' c'].join('\n'));
  assert.equal(unifiedDiff([], ['x'], 5), ['@@ -4,0 +5,1 @@', '+x'].join('\n'));
  assert.equal(unifiedDiff(['same'], ['same']), '');
});
