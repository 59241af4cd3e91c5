/**
 * `--shard I/N` (docs/ci.md): the shares of the sample tree cover every test exactly once, in the
 * unsharded order, with sizes that differ by one at most; a layer is set up only by the shards
 * that run its tests; bad shares are usage errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakrun } from '../helpers/cli.ts';

const sample = ['--path', 'examples/sample'];

/** The tests a run lists, by layer: `layer: test` lines in order. */
function listed(args: readonly string[]): string[] {
  const { status, stdout, stderr } = leakrun([...sample, '--list-tests', ...args]);
  assert.equal(stderr, '');
  assert.equal(status, 0, stdout);
  let layer = '';
  const tests: string[] = [];
  for (const line of stdout.split('\n')) {
    const heading = /^Listing (.+) tests:$/.exec(line);
    if (heading) layer = heading[1]!;
    else if (line.startsWith('  ')) tests.push(`${layer}: ${line.trim()}`);
  }
  return tests;
}

test('three shards run every test of the sample tree exactly once, in order, in shares of 33 or 34', () => {
  const all = listed([]);
  const shares = [1, 2, 3].map((index) => listed(['--shard', `${index}/3`]));
  assert.deepEqual(shares.flat(), all);
  assert.deepEqual(
    shares.map((share) => share.length),
    [33, 34, 34],
  );
  // The same cut on every machine.
  assert.deepEqual(listed(['--shard', '2/3']), shares[1]);
  // One shard is the whole run.
  assert.deepEqual(listed(['--shard', '1/1']), all);
});

test('a shard sets up only the layers of its own tests, and their bases', () => {
  const { stdout } = leakrun([...sample, '--shard', '1/3']);
  const setUp = [...stdout.matchAll(/^ {2}Set up (\S+) in/gm)].map((match) => match[1]);
  const run = new Set(listed(['--shard', '1/3']).map((line) => line.split(': ')[0]));
  for (const layer of run) if (layer !== 'leakrun.UnitTests') assert.ok(setUp.includes(layer), `${layer} is set up`);
  assert.ok(!setUp.includes('samplelayers.Layer122'), `a layer with no test in shard 1 is not set up: ${setUp.join(', ')}`);
});

test('a share that does not exist is a usage error, exit 2', () => {
  for (const bad of ['4/3', '0/3', '1/0', '2', 'a/b', '1/3/5']) {
    const { status, stderr } = leakrun([...sample, '--shard', bad]);
    assert.equal(status, 2, bad);
    assert.match(
      stderr,
      new RegExp(
        `^leakrun: error: --shard needs I/N with 1 <= I <= N, such as 1/3 for the first of three machines; got "${bad.replace('/', '\\/')}"\\n`,
      ),
    );
  }
});
