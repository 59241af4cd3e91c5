// The screen of `leakrun/assert` (docs/frameworks.md#the-screen): a check counts the live objects
// after the warm-ups and after its last run, and takes heap samples only when they differ. The
// checks run in a process of their own (test/fixtures/assert-screen/checks.mjs), against the
// built package, because the count is the whole process's. In `npm run test:nodes`: Node 22, 24, 26.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const repo = resolve(import.meta.dirname, '../..');

interface Check {
  readonly name: string;
  readonly leaked: boolean;
  readonly runs: number;
  readonly screen?: { since: number; until: number; objects: [number, number]; change: number };
  readonly changes: number[];
  readonly outcome: string;
  readonly deltas: number[];
  readonly screened?: boolean;
  readonly screenedDeltas?: number[];
  readonly message: string;
}

test('a clean function is judged on its counts, without a heap sample; growth is confirmed by samples of four more runs', () => {
  const child = spawnSync(process.execPath, [resolve(repo, 'test/fixtures/assert-screen/checks.mjs')], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(child.status, 0, child.stderr);
  // Node's ExperimentalWarning about v8.queryObjects is not the user's to see.
  assert.equal(child.stderr, '');
  const checks = new Map(
    child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Check)
      .map((check) => [check.name, check]),
  );
  const all = JSON.stringify([...checks.values()], null, 1);

  const clean = checks.get('clean')!;
  assert.deepEqual(
    [
      clean.leaked,
      clean.outcome,
      clean.screened,
      clean.runs,
      clean.changes,
      clean.screen?.change,
      clean.screen?.since,
      clean.screen?.until,
    ],
    [false, 'clean', true, 6, [], 0, 2, 6],
    all,
  );
  assert.equal(
    clean.message,
    'openAndClose: no leak over 6 runs, as many live objects after run 6 as after run 2 (screened, no heap snapshot)',
  );

  const leak = checks.get('leak')!;
  assert.deepEqual(
    [leak.leaked, leak.screen?.change, leak.screenedDeltas, leak.runs, leak.changes, leak.deltas, leak.screened],
    [true, 4, [4], 10, [1, 1, 1, 1], [1, 1, 1, 1], undefined],
    all,
  );
  const lines = leak.message.split('\n');
  assert.equal(lines[0], 'openOnly leaked [1, 1, 1, 1] references, sum=4 over 10 runs');
  assert.match(lines[1]!, /^ {2}checks\.Session +\+1 insts \+1 refs per run$/);
  assert.match(leak.message, /\.open → Map {2}◀ grows\n\s+╰─ \.table\[\d+\] → checks\.Session {2}\(1 new, 10 live\)\n/);
  assert.equal(lines.at(-1), '  (screened: the live objects changed by +4 from run 2 to run 6, so heap samples judged runs 7–10)');

  // What a function let go of once, between the counts, is a change: the samples then find it clean.
  const drops = checks.get('drops once')!;
  assert.deepEqual(
    [drops.leaked, drops.outcome, drops.screen?.change, drops.runs, drops.deltas],
    [false, 'clean', -3, 10, [0, 0, 0, 0]],
    all,
  );
  assert.match(
    drops.message,
    /^dropsOnce: no leak over 10 runs, judged deltas \[0, 0, 0, 0\]\n {2}\(screened: the live objects changed by -3 /,
  );

  // A function of another realm (a vm context, as Jest runs test files in) is sampled every run.
  const realm = checks.get('another realm')!;
  assert.deepEqual(
    [realm.leaked, realm.screen, realm.runs, realm.changes.length, realm.deltas],
    [true, undefined, 6, 5, [1, 1, 1, 1]],
    all,
  );

  // Asked not to screen, or given a sampler that cannot count: every run sampled, as before.
  for (const name of ['leak, screen: false', 'sampler without screen']) {
    const sampled = checks.get(name)!;
    assert.deepEqual(
      [sampled.leaked, sampled.screen, sampled.runs, sampled.changes.length, sampled.deltas],
      [true, undefined, 6, 5, [1, 1, 1, 1]],
      all,
    );
    assert.equal(sampled.message.split('\n')[0], 'openOnly leaked [1, 1, 1, 1] references, sum=4 over 6 runs');
  }
});
