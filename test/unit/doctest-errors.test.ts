import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runDocFile } from '../../src/doctest/index.ts';

const cwd = resolve(import.meta.dirname, '../..');
const file = resolve(cwd, 'test/fixtures/doctest/raises.md');

test('an unexpected exception is an error with its stack, pointing at the example lines', async () => {
  const result = await runDocFile(file, { cwd });
  assert.equal(result.examples, 9);
  assert.equal(result.failures, 0);
  assert.equal(result.errors, 2);
  const [raised] = result.problems;
  assert.equal(raised?.kind, 'error');
  assert.equal(raised?.line, 6);
  assert.equal(raised?.error?.name, 'TypeError');
  assert.equal(
    raised?.report,
    [
      'test/fixtures/doctest/raises.md:6: example raised an error',
      "    > console.log('printed first'); boom()",
      'Printed before it:',
      '    printed first',
      'TypeError: boom',
      '    at boom (test/fixtures/doctest/raises.md:5)',
      '    at eval (test/fixtures/doctest/raises.md:6)',
      '    at eval (test/fixtures/doctest/raises.md:6)',
    ].join('\n'),
  );
});

test('an example that does not compile is an error at its line, and the file goes on', async () => {
  const result = await runDocFile(file, { cwd });
  const broken = result.problems[1];
  assert.equal(broken?.kind, 'error');
  assert.equal(broken?.line, 15);
  // The parser's own words (acorn's for JavaScript, Node's or esbuild's for TypeScript) follow.
  assert.match(
    broken?.report ?? '',
    /^test\/fixtures\/doctest\/raises\.md:15: example does not compile\n {4}> const broken = ;\nSyntaxError: Unexpected token$/,
  );
  // `after + 1` on line 16 printing 26 passed, so the example after the broken one ran.
  assert.equal(result.problems.length, 2);
});

test('an exception whose expected output has an `Uncaught` line is checked like output', async () => {
  const result = await runDocFile(file, { cwd });
  // Lines 8 and 10 throw RangeError and 42 and expect it; neither is a problem.
  assert.deepEqual(
    result.problems.map((problem) => problem.line),
    [6, 15],
  );
});

test('a different exception than the expected `Uncaught` line is a failure with a diff', async () => {
  const result = await runDocFile(resolve(cwd, 'test/fixtures/doctest/uncaught.md'), { cwd });
  assert.equal(result.failures, 1);
  assert.equal(result.errors, 0);
  assert.equal(result.problems[0]?.got, 'Uncaught TypeError: actual message\n');
  assert.match(result.report, /^ {4}-Uncaught TypeError: expected message\n {4}\+Uncaught TypeError: actual message$/m);
});
