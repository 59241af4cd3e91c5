/**
 * `leakrun merge` (docs/ci.md): the reports of three shards merge into the `Total`, the problems
 * and the exit code of the unsharded run, and into one report that is valid against the schema;
 * files that are not reports are one clear line and exit 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { leakrun, repo } from '../helpers/cli.ts';

const schema = JSON.parse(readFileSync(resolve(repo, 'schema/report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const scratch = mkdtempSync(join(tmpdir(), 'leakrun-merge-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// The sample tree and the fixtures of every kind of problem (an import failure, a set-up that
// fails, a failing test), less the test that hangs for a minute.
const suite = ['--path', 'examples/sample', '--path', 'test/fixtures/problems', '-t', '!hangs'];

test('three shards merge into the Total, the problems and the exit code of the whole run', () => {
  const whole = leakrun([...suite, '--json', join(scratch, 'whole.json')]);
  const total = /\nTotal: .*\n/.exec(whole.stdout)?.[0];
  assert.ok(total, whole.stdout);
  const files = [1, 2, 3].map((index) => {
    const file = join(scratch, `shard-${index}.json`);
    leakrun([...suite, '--shard', `${index}/3`, '--json', file]);
    return file;
  });
  const merged = join(scratch, 'merged.json');
  const merge = leakrun(['merge', ...files, '--json', merged]);
  assert.equal(merge.stderr, '');
  assert.equal(merge.status, whole.status);
  assert.match(merge.stdout, /^\S+shard-1\.json \(shard 1\/3\): \d+ tests, \d+ failures, \d+ errors, exit code 1\n/);
  assert.ok(merge.stdout.endsWith(total.slice(1)), merge.stdout);
  // Each shard imports every module: a module that fails to import is listed, and counted, once.
  assert.equal((merge.stdout.match(/^ {2}broken_import\.test$/gm) ?? []).length, 1, merge.stdout);
  assert.match(merge.stdout, /\nTests with failures:\n {3}test_2_fails \(outcomes\.test\.Outcomes\)\n/);
  const report = JSON.parse(readFileSync(merged, 'utf8')) as { totals: unknown; merged: { shard: string }[]; exitCode: number };
  if (!validate(report)) assert.fail(`not valid: ${JSON.stringify(validate.errors, null, 2)}`);
  const wholeReport = JSON.parse(readFileSync(join(scratch, 'whole.json'), 'utf8')) as { totals: unknown };
  assert.deepEqual(report.totals, wholeReport.totals);
  assert.deepEqual(
    report.merged.map((input) => input.shard),
    ['1/3', '2/3', '3/3'],
  );
});

test('a file that is not a report, or is missing, is one line and exit 2', () => {
  const notJson = join(scratch, 'not.json');
  writeFileSync(notJson, 'hello');
  const other = join(scratch, 'other.json');
  writeFileSync(other, '{"format": "something-else"}');
  for (const [args, message] of [
    [[notJson], /^leakrun merge: error: \S+not\.json: not JSON; give the file a run wrote with --json\n$/],
    [[other], /^leakrun merge: error: \S+other\.json: not a leakrun report; give the file a run wrote with --json\n$/],
    [[join(scratch, 'missing.json')], /^leakrun merge: error: \S+missing\.json: no such file\n$/],
    [[], /^leakrun merge: error: give the --json reports to merge\nUsage: leakrun merge FILE\.json\.\.\. \[--json FILE\]\n$/],
    [['--bogus', notJson], /^leakrun merge: error: unknown option --bogus\n/],
  ] as const) {
    const { status, stdout, stderr } = leakrun(['merge', ...args]);
    assert.equal(status, 2, stderr);
    assert.equal(stdout, '');
    assert.match(stderr, message);
  }
});
