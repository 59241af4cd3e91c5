/**
 * The fidelity corpus (fidelity/, docs/fidelity.md), each case once with -N4 on the Node running the tests:
 * a clean use of a real package shows no change from iteration 3 on but for known bounded
 * growth, and a misuse shows the same positive change on every iteration from 3 on.
 * `scripts/fidelity.ts --runs 20` measures the rates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { CHECK_ITERATIONS, changesOf, corpusCases, judge, runCase, verdictProblem } from '../../scripts/fidelity.ts';

test('the judge: known growth is left out, a clean use must stay at 0, a misuse must grow evenly', () => {
  const output = [
    '  sum detail refcount=100      sys refcount=100      change=20    ',
    '    node: resource timing buffer                                14     18  known',
    '    (string)                                                     1      2',
    '  sys refcount=118      change=18    ',
    '    node: resource timing buffer                                14     18  known',
  ].join('\n');
  assert.deepEqual(changesOf(output), { changes: [2, 0], known: [18, 18] });
  assert.equal(judge('clean', [5, 0, 0, 0, 0]), undefined);
  assert.equal(judge('clean', [0, 0, 0, 1, 0]), 'a clean use changed');
  assert.equal(judge('leaky', [3, 6, 6, 6, 6]), undefined);
  assert.equal(judge('leaky', [6, 6, 6, 7, 6]), 'a misuse grew unevenly');
  assert.equal(judge('leaky', [0, 0, 0, 0, 0]), 'a misuse showed no growth');
  assert.equal(judge('clean', [0, 0]), 'expected 5 samples, got 2');
  assert.equal(judge('leaky', [3, 6, 6], CHECK_ITERATIONS), undefined);
});

test('the verdict check: a clean use must pass; a misuse must fail as a leak, and for nothing else', () => {
  const leak =
    '  sys refcount=10 change=6\n  leakrun.UnitTests leaked [6, 6] references, sum=12\n    Thing  +1 insts +1 refs per iteration\n';
  const fine = '  leakrun.UnitTests leaked [1, 0] references, sum=1 (this is fine)\n';
  assert.equal(verdictProblem('clean', 0, ''), undefined);
  assert.equal(verdictProblem('clean', 0, fine), undefined);
  assert.equal(verdictProblem('clean', 1, leak), 'the verdict failed a clean use');
  assert.equal(verdictProblem('leaky', 1, leak), undefined);
  assert.equal(verdictProblem('leaky', 0, fine), 'the verdict passed a misuse');
  assert.equal(verdictProblem('leaky', 1, `${leak}\nError in test leaky (x)\n`), 'exit 1 with problems besides the leak');
});

/**
 * The majors scripts/nodes.js pins (its `VERSIONS`), read from its source: the script runs its
 * command line when imported. A share count that differs from the one it hands out would run some
 * cases twice and others never.
 */
function pinnedMajors(): string[] {
  const source = readFileSync(resolve(import.meta.dirname, '../../scripts/nodes.js'), 'utf8');
  const pins = /^const VERSIONS = \{([^}]*)\};$/m.exec(source)?.[1];
  if (pins === undefined) throw new Error('scripts/nodes.js: no `const VERSIONS = { … };` line to split the corpus by');
  return [...pins.matchAll(/(\d+):/g)].map((match) => match[1]!);
}

const cases = corpusCases();
// Each Node version takes its share of the corpus, so that all versions fit in CI's time and
// every case runs once: scripts/nodes.js gives the others shares 1 to n, and the main version,
// run by `npm test` itself, takes share 0 of the versions it will run (LEAKRUN_NODES, or else
// every version it pins, as there).
const versions = new Set([
  process.versions.node.split('.')[0],
  ...(process.env.LEAKRUN_NODES?.split(',') ?? pinnedMajors()).filter(Boolean),
]);
const [shareIndex = 0, shareCount = 1] = (process.env.LEAKRUN_VERSION_SHARE ?? `0/${versions.size}`).split('/').map(Number);
const share = cases.filter((_, at) => at % shareCount === shareIndex);

test('the corpus has at least 15 packages and at least 8 misuses', () => {
  assert.ok(new Set(cases.map((entry) => entry.module)).size >= 15, `${cases.length} cases`);
  assert.ok(cases.filter((entry) => entry.variant === 'leaky').length >= 8);
});

describe(`the corpus under -r on Node ${process.versions.node} (share ${shareIndex + 1} of ${shareCount})`, { concurrency: 2 }, () => {
  for (const entry of share) {
    test(`${entry.module}, ${entry.variant}, -N${CHECK_ITERATIONS}`, () => {
      const outcome = runCase(process.execPath, entry, CHECK_ITERATIONS);
      assert.equal(
        outcome.why,
        undefined,
        `${outcome.why}; changes from iteration 2: ${outcome.changes.join(', ')} (known: ${outcome.known.join(', ')})`,
      );
    });
  }
});
