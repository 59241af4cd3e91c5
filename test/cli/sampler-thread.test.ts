import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { HeapDiff } from '../../src/types/index.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/thread');

interface Recorded {
  phase: 'clean' | 'leak';
  run: number;
  diff: HeapDiff;
  attempts: number;
}

test('a sampler made in a worker thread counts that thread, not the main thread growing beside it', () => {
  const stdout = execFileSync(process.execPath, [resolve(fixtures, 'thread.mjs')], { encoding: 'utf8', timeout: 120_000 });
  const { diffs, mainKept } = JSON.parse(stdout) as { diffs: Recorded[]; mainKept: number };
  assert.ok(mainKept > 20, `the main thread kept ${mainKept} objects meanwhile`);
  for (const { phase, run, diff, attempts } of diffs) {
    assert.equal(attempts, 1, `${phase} run ${run}: one snapshot per sample`);
    assert.ok(diff.total > 5000, `${phase} run ${run}: a worker's heap holds thousands of references`);
    assert.ok(!diff.rows.some((row) => row.name.includes('MainOnly')), `${phase} run ${run}: no row of the main thread's class`);
    if (run < 3) continue;
    if (phase === 'clean') {
      assert.equal(diff.change, 0, `clean run ${run}: change`);
      assert.deepEqual(diff.rows, [], `clean run ${run}: rows`);
    } else {
      assert.equal(diff.change, 3, `leak run ${run}: change`);
      assert.deepEqual(diff.rows, [{ name: 'thread.WorkerOnly', insts: 3, refs: 3 }], `leak run ${run}: rows`);
    }
  }
  assert.equal(diffs.filter((d) => d.run >= 3).length, 8);
});

test('under the permission model without the inspector, samplers in both threads refuse with one line, and the process lives', () => {
  const major = Number(process.versions.node.split('.')[0]);
  const flag = major >= 22 ? '--permission' : '--experimental-permission';
  const stdout = execFileSync(
    process.execPath,
    ['--no-warnings', flag, '--allow-fs-read=*', '--allow-worker', resolve(fixtures, 'refused.mjs')],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const lines = stdout.trimEnd().split('\n');
  const refusal =
    /^leakrun cannot take heap snapshots in this process: Node's permission model denies the inspector \(allow it with --allow-inspector, on Node 24 and later, or run without --permission\)$/;
  assert.equal(lines.length, 2, stdout);
  assert.match(lines[0]!.replace(/^main: /, ''), refusal);
  assert.match(lines[1]!.replace(/^worker: /, ''), refusal);
  assert.ok(lines[0]!.startsWith('main: ') && lines[1]!.startsWith('worker: '), stdout);
});
