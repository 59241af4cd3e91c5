/**
 * `--json FILE` (docs/ci.md): real runs' reports are valid against the repository's JSON Schema
 * (checked with Ajv) and say what the run said; the schema rejects what it should; a path that
 * cannot be written is a usage error before anything runs, and a report that cannot be written at
 * the end fails the run without losing its output.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { leakrun, repo } from '../helpers/cli.ts';
import type { RetainerPath } from '../../src/types/index.ts';

const schema = JSON.parse(readFileSync(resolve(repo, 'schema/report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const scratch = mkdtempSync(join(tmpdir(), 'leakrun-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  node: string;
  exitCode: number;
  totals: { tests: number; errors: number };
  layers: {
    name: string;
    iterations: { iteration: number; heap?: { change: number | null; rows: { name: string; insts: number; refs: number }[] } }[];
    verdict?: { outcome: string; deltas: number[]; iterations: number[]; grown: { name: string; paths?: RetainerPath[] }[] };
    attribution?: { leaking: { tests: string[]; refs: number }[]; samples: number };
  }[];
  problems: { kind: string; phase: string; test: string; error: { name: string; message: string } }[];
  importFailures: { module: string }[];
}

function valid(report: unknown): void {
  if (!validate(report)) assert.fail(`not valid: ${JSON.stringify(validate.errors, null, 2)}`);
}

test('the sample leak: the report is valid and holds the counts, the verdict and the leaking test', () => {
  const file = join(scratch, 'leak.json');
  const run = leakrun(['--path', 'examples/sample', '--tests-pattern', '^leak$', '-r', '--fail-on-leak', '--json', file]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  valid(report);
  assert.equal(report.node, process.version);
  assert.equal(report.exitCode, 1);
  const [layer] = report.layers;
  assert.equal(layer?.name, 'leakrun.UnitTests');
  assert.deepEqual(
    layer.iterations.map((iteration) => iteration.heap?.change),
    [null, ...(/change=(\d+)/g.exec(run.stdout) ? [...run.stdout.matchAll(/change=(\d+)/g)].map((match) => Number(match[1])) : [])],
  );
  assert.ok(layer.iterations[2]?.heap?.rows.some((row) => row.name === 'leak.Leakable' && row.insts === 1 && row.refs === 1));
  assert.deepEqual([layer.verdict?.outcome, layer.verdict?.deltas, layer.verdict?.iterations], ['leaked', [6, 6, 6], [3, 4, 5]]);
  assert.deepEqual(layer.attribution?.leaking, [{ tests: ['testleak (leak.TestSomething)'], refs: 6 }]);
  // What holds the Leakables: the module's array, which grows.
  const [path] = layer.verdict?.grown.find((row) => row.name === 'leak.Leakable')?.paths ?? [];
  assert.deepEqual(
    [path?.root, path?.steps[0], path?.steps.at(-1)?.target, path?.objects, path?.added],
    ['leak (module)', { edge: '.leaked', target: 'Array', grows: true }, 'leak.Leakable', 5, 1],
  );
  assert.deepEqual(
    report.problems.map(({ phase, test, error }) => [phase, test, error.name]),
    [['leak', 'Leak: leakrun.UnitTests', 'LeakError']],
  );
  // A reader that keeps only the problems (a JUnit file, a CI annotation) still sees what grew and who leaks.
  assert.match(
    report.problems[0]?.error.message ?? '',
    /^leakrun\.UnitTests leaked \[6, 6, 6\] references, sum=18\n(?: {2}.*\n)*? {2}leak\.Leakable \+1 insts \+1 refs per iteration\n/,
  );
  assert.match(
    report.problems[0]?.error.message ?? '',
    /\n {2}What holds the new objects:\n {4}leak \(module\)\n {4}╰─ \.leaked → Array {2}◀ grows\n/,
  );
  assert.match(report.problems[0]?.error.message ?? '', /\n {2}leaking test: testleak \(leak\.TestSomething\) \+6 refs per run$/);
});

test('a run with failures, errors and an import failure: the report is valid and lists them with their phases', () => {
  const file = join(scratch, 'problems.json');
  const run = leakrun(['--path', 'test/fixtures/phases', '--json', file]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  valid(report);
  const phases = new Set(report.problems.map((problem) => problem.phase));
  for (const phase of ['testSetUp', 'testTearDown', 'test', 'layerSetUp'])
    assert.ok(phases.has(phase), `${phase} in ${[...phases].join(', ')}`);
  assert.equal(report.totals.errors, report.problems.filter((problem) => problem.kind === 'error').length + report.importFailures.length);
});

test('the schema is not vacuous: a report with a field of the wrong kind or an unknown field is rejected', () => {
  const file = join(scratch, 'leak.json');
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report & Record<string, unknown>;
  for (const broken of [
    { ...report, formatVersion: 2 },
    { ...report, extra: true },
    { ...report, layers: [{ ...report.layers[0], verdict: { ...report.layers[0]?.verdict, outcome: 'maybe' } }] },
    { ...report, problems: [{ ...report.problems[0], phase: 'somewhere' }] },
  ]) {
    assert.equal(validate(broken), false, JSON.stringify(broken).slice(0, 200));
  }
});

test('a --json path that cannot be written is one usage line and exit 2, before anything runs', () => {
  mkdirSync(join(scratch, 'a-directory'), { recursive: true });
  const cases: [string, RegExp][] = [
    [join(scratch, 'missing', 'r.json'), /^leakrun: error: --json \S+: no such directory \S+; create it or give another path\n/],
    [join(scratch, 'a-directory'), /^leakrun: error: --json \S+: is a directory; give a file name\n/],
    ['package.json/r.json', /^leakrun: error: --json package\.json\/r\.json: no such directory \S+; create it or give another path\n/],
  ];
  for (const [path, message] of cases) {
    const run = leakrun(['--path', 'examples/sample', '--layer', 'Layer11$', '--json', path]);
    assert.equal(run.status, 2, path);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.split('\n').length, 3, run.stderr);
    assert.equal(run.stdout, '');
  }
});

test('a report that cannot be written at the end fails the run, and what ran is printed all the same', () => {
  const directory = join(scratch, 'goes-away');
  mkdirSync(directory);
  const run = leakrun(['--path', 'test/fixtures/report', '--json', join(directory, 'r.json')], { env: { LEAKRUN_REPORT_DIR: directory } });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /Ran 1 tests with 0 failures and 0 errors/);
  assert.match(run.stdout, /\nError in the JSON report\nError: ENOENT: no such file or directory/);
});

test('layers run in child processes (-j 2), one of which crashed: the report is valid, holds their counts and the subprocess error', () => {
  const file = join(scratch, 'jobs.json');
  const { status, stdout } = leakrun(['--path', 'test/fixtures/crash', '--layer', 'Segfault|Survivor|Exits', '-j', '2', '--json', file]);
  assert.equal(status, 1, stdout);
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report & { options: { jobs: number } };
  valid(report);
  assert.equal(report.options.jobs, 2);
  assert.deepEqual(
    report.layers.map((layer) => layer.name),
    ['crash.Exits', 'crash.Segfault', 'crash.Survivor'],
  );
  assert.deepEqual(report.totals, { tests: 5, failures: 0, errors: 3, skipped: 0 });
  const crash = report.problems.find((problem) => problem.phase === 'subprocess');
  assert.equal(crash?.test, 'subprocess for crash.Segfault');
  assert.equal(crash?.error.name, 'SubprocessError');
  // A child's problems keep their error's class name across the process boundary.
  assert.ok(report.problems.some((problem) => problem.error.name === 'ProcessExitCalled'));
});
