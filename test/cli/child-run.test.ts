import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInChild } from '../../src/index.ts';

// These run inside node:test, whose own objects would be counted by an in-process -r.
test('runInChild: a leaking layer fails its verdict in the child, with the JSON report and the output', async () => {
  const { exitCode, signal, timedOut, output, report } = await runInChild([
    '--path',
    'examples/sample',
    '--tests-pattern',
    '^leak$',
    '--fail-on-leak',
    '-N4',
  ]);
  assert.deepEqual([exitCode, signal, timedOut], [1, null, false]);
  assert.match(output, /leaked \[6, 6\] references, sum=12/);
  assert.ok(report, 'a report');
  assert.equal(report.format, 'leakrun-report');
  const [layer] = report.layers as { verdict: { outcome: string; deltas: number[] } }[];
  assert.deepEqual([layer!.verdict.outcome, layer!.verdict.deltas], ['leaked', [6, 6]]);
});

test('runInChild: a clean layer passes with change=0', async () => {
  const { exitCode, output, report } = await runInChild([
    '--path',
    'examples/sample',
    '--layer',
    'Layer11$',
    '-N4',
    '-r',
    '--fail-on-leak',
  ]);
  assert.equal(exitCode, 0, output);
  assert.match(output, /change=0 +\n.*change=0 +\n/s);
  assert.equal(report?.exitCode, 0);
});

test('runInChild: bad usage is exit code 2 with the message on stderr and no report; a timeout kills the child', async () => {
  const bad = await runInChild(['--no-such-option']);
  assert.equal(bad.exitCode, 2);
  assert.match(bad.errorOutput, /--no-such-option/);
  assert.equal(bad.report, undefined);
  const slow = await runInChild(['--path', 'examples/sample'], { timeout: 1, nodeArgs: ['--import', 'tsx'] });
  assert.equal(slow.timedOut, true);
  assert.equal(slow.signal, 'SIGTERM');
  assert.equal(slow.report, undefined);
});
