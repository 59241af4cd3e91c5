/** `--reporter`: a built-in formatter by name, or a formatter factory loaded from a module. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { leakrun, repo } from '../helpers/cli.ts';

const layer11 = ['--path', 'examples/sample', '--layer', 'Layer11$', '-t', 'TestA'];

test('--reporter events: a JSON line per event, heap samples and errors included', () => {
  const run = leakrun([...layer11, '-N2', '-r', '--reporter', 'events']);
  assert.equal(run.status, 0, run.stderr);
  const events = run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
  assert.equal(events[0]?.type, 'run:start');
  assert.equal(events.at(-1)?.type, 'run:end');
  const start = events[0] as unknown as { options: { testsPattern: string; atLevel: number } };
  assert.equal(start.options.testsPattern, '^tests$|\\.test$');
  const sample = events.find((event) => event.type === 'heap:sample' && event.iteration === 2) as unknown as { diff: { change: number } };
  assert.equal(typeof sample.diff.change, 'number');
  assert.equal(events.filter((event) => event.type === 'test:pass').length, 12);

  const failing = leakrun(['--path', 'test/fixtures/problems', '-m', 'outcomes', '-t', 'fails', '--reporter', 'events']);
  assert.equal(failing.status, 1);
  const fail = failing.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; error?: { name: string; message: string; stack: string } })
    .find((event) => event.type === 'test:fail');
  assert.equal(fail?.error?.name, 'AssertionError');
  assert.match(fail?.error?.stack ?? '', /outcomes\.test\.ts:8:12/);
});

test('--reporter MODULE: a path or a package; its default or createFormatter export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-reporter-'));
  writeFileSync(
    join(dir, 'count.mjs'),
    "export default () => { let n = 0; return { write: (e) => e.type === 'test:pass' ? (n++, '') : e.type === 'run:end' ? `${n} passed\\n` : '' }; };\n",
  );
  const byPath = leakrun([...layer11, '--reporter', join(dir, 'count.mjs')]);
  assert.equal(byPath.status, 0, byPath.stderr);
  assert.equal(byPath.stdout, '6 passed\n');

  const tap = leakrun([...layer11, '--reporter', 'examples/reporters/tap.ts']);
  assert.match(tap.stdout, /^TAP version 14\nok 1 - test_x1 \(sample1\.tests\.test11\.TestA\)\n[\s\S]*\n1\.\.6\n$/);

  mkdirSync(join(dir, 'node_modules/leakrun-reporter-dots'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules/leakrun-reporter-dots/index.js'),
    "exports.createFormatter = () => ({ write: (e) => (e.type === 'test:pass' ? '.' : e.type === 'run:end' ? '\\n' : '') });\n",
  );
  writeFileSync(join(dir, 'node_modules/leakrun-reporter-dots/package.json'), '{"name": "leakrun-reporter-dots", "main": "index.js"}');
  symlinkSync(join(repo, 'examples'), join(dir, 'examples'));
  const byPackage = leakrun([...layer11, '--reporter', 'leakrun-reporter-dots'], { cwd: dir });
  assert.equal(byPackage.status, 0, byPackage.stderr);
  assert.equal(byPackage.stdout, '......\n');
});

test('a reporter that cannot be found, loaded or used is a usage error, and nothing runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-reporter-'));
  writeFileSync(join(dir, 'throws.mjs'), "throw new Error('no config here');\n");
  writeFileSync(join(dir, 'nothing.mjs'), 'export const x = 1;\n');
  for (const [reporter, message] of [
    ['nosuch', 'no such reporter: not one of text, events, nor a module found from the working directory'],
    [join(dir, 'throws.mjs'), 'failed to load: no config here'],
    [join(dir, 'nothing.mjs'), 'exports no formatter factory: export default (or export createFormatter) a function of'],
  ]) {
    const run = leakrun([...layer11, '--reporter', reporter as string]);
    assert.equal(run.status, 2, run.stdout);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.startsWith(`leakrun: error: --reporter ${reporter}: ${message}`), run.stderr);
  }
});
