/**
 * `examples/reporters/tap.ts`, a reporter in one file wired by `--reporter` alone (docs/api.md):
 * what it prints is valid TAP 14 as tap-parser (the parser of node-tap) reads it, and it passes
 * exactly when leakrun exits 0: failing tests, errors, a module that cannot be imported and a
 * leak under `--fail-on-leak` are failing points.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser, type FinalResults } from 'tap-parser';
import { leakrun } from '../helpers/cli.ts';

const tap = ['--reporter', 'examples/reporters/tap.ts'];

interface Parsed {
  readonly version: number | undefined;
  readonly results: FinalResults;
  /** Lines that are not TAP. */
  readonly extra: string[];
}

function parse(text: string): Parsed {
  const parser = new Parser({ strict: true });
  let version: number | undefined;
  let results: FinalResults | undefined;
  const extra: string[] = [];
  parser.on('version', (value: number) => (version = value));
  parser.on('extra', (line: string) => extra.push(line));
  parser.on('complete', (final: FinalResults) => (results = final));
  parser.end(text);
  assert.ok(results, 'the parser completed');
  return { version, results, extra };
}

test('passing, failing, erroring and skipped tests: TAP 14 with a plan, a YAML block per failure, a SKIP directive', () => {
  const { status, stdout, stderr } = leakrun([
    '--path',
    'test/fixtures/problems',
    '-m',
    'outcomes',
    '-t',
    'passes|fails|errors|skips',
    ...tap,
  ]);
  assert.equal(stderr, '');
  assert.equal(status, 1, stdout);
  const { version, results, extra } = parse(stdout);
  assert.equal(version, 14);
  assert.deepEqual(extra, []);
  assert.deepEqual(
    {
      ok: results.ok,
      count: results.count,
      pass: results.pass,
      fail: results.fail,
      skip: results.skip,
      plan: [results.plan.start, results.plan.end],
    },
    { ok: false, count: 4, pass: 2, fail: 2, skip: 1, plan: [1, 4] },
  );
  // No failure of the TAP itself (tap-parser reports malformed lines as failures with a tapError).
  assert.deepEqual(
    results.failures.filter((failure) => Boolean(failure.tapError)),
    [],
  );
  const failed = results.failures.map((failure) => [failure.name, failure.diag?.severity, failure.diag?.name]);
  assert.deepEqual(failed, [
    ['test_2_fails (outcomes.test.Outcomes)', 'fail', 'AssertionError'],
    ['test_3_errors (outcomes.test.Outcomes)', 'error', 'TypeError'],
  ]);
  assert.match(String(results.failures[0]?.diag?.message), /^Expected values to be strictly equal:\n\n2 !== 3\n/);
});

test('a clean run is a passing stream, a module that cannot be imported and a leak are failing points', () => {
  const clean = leakrun(['--path', 'examples/sample', '--layer', 'Layer11$', ...tap]);
  assert.equal(clean.status, 0, clean.stdout);
  const passed = parse(clean.stdout);
  assert.deepEqual([passed.version, passed.results.ok, passed.results.fail, passed.extra], [14, true, 0, []]);
  assert.ok(passed.results.count > 0);

  const broken = leakrun(['--path', 'test/fixtures/problems', '-m', 'broken_import', ...tap]);
  assert.equal(broken.status, 1, broken.stdout);
  const imported = parse(broken.stdout);
  assert.equal(imported.results.ok, false);
  assert.deepEqual(
    imported.results.failures.map((failure) => failure.name),
    ['import broken_import.test'],
  );

  const leak = leakrun(['--path', 'examples/sample', '--tests-pattern', '^leak$', '-N6', '--fail-on-leak', ...tap]);
  assert.equal(leak.status, 1, leak.stdout);
  const leaked = parse(leak.stdout);
  assert.equal(leaked.results.ok, false);
  const failure = leaked.results.failures.find((each) => each.name === 'Leak: leakrun.UnitTests');
  assert.ok(failure, leak.stdout);
  // Screened, then confirmed with heap samples over two more iterations.
  assert.match(String(failure.diag?.message), /^leakrun\.UnitTests leaked \[6, 6\] references, sum=12\n/);
});
