/**
 * The leak verdict of `--fail-on-leak` (docs/ci.md): regrtest's rule on the judged deltas, the
 * warm-ups, iterations with failures left unjudged, known growth left out, the options that set
 * it, and what a verdict does to the output, the result and the exit code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../src/index.ts';
import type { HeapDiff, HeapDiffRow, HeapSample, HeapSampler, RunResult } from '../../src/index.ts';
import { judge, type IterationDelta } from '../../src/leaks/verdict.ts';
import { createPalette } from '../../src/text/color.ts';
import { attributionReport } from '../../src/formatter/verdict-block.ts';
import { repo } from '../helpers/cli.ts';

function diff(change: number, rows: HeapDiffRow[] = []): HeapDiff {
  return { total: 1000, change, detailTotal: 1000, rows };
}

/** Iteration 1 is the baseline; `changes[i]` is iteration i + 2's delta. */
function deltas(changes: readonly (number | HeapDiff)[], failed: readonly number[] = []): IterationDelta[] {
  return [
    { iteration: 1, failed: failed.includes(1), diff: undefined },
    ...changes.map((change, index) => ({
      iteration: index + 2,
      failed: failed.includes(index + 2),
      diff: typeof change === 'number' ? diff(change) : change,
    })),
  ];
}

test('the rule is regrtest’s: every judged delta 1 or more is a leak, every one 0 is clean; some grew and some did not is unsettled', () => {
  const cases: [number[], string][] = [
    [[9, 6, 6, 6], 'leaked'],
    [[0, 1, 1, 2], 'leaked'],
    [[0, 0, 0, 0], 'clean'],
    [[50, 0, 0, 0], 'clean'], // the warm-up delta is not judged
    [[0, -1, -1, -1], 'noisy'],
    [[0, -39, 0, 0], 'noisy'],
    [[0, 3, 0, 0], 'unsettled'],
    [[0, 8, -8, 1], 'unsettled'],
    [[0, 10, 1, 0], 'unsettled'],
    [[0, -39, 3, 3], 'unsettled'],
  ];
  for (const [changes, outcome] of cases) {
    const verdict = judge('L', deltas(changes), 1);
    assert.equal(verdict.outcome, outcome, `${changes.join(', ')}`);
    assert.deepEqual(verdict.iterations, [3, 4, 5]);
    assert.deepEqual(verdict.deltas, changes.slice(1));
    assert.equal(
      verdict.sum,
      changes.slice(1).reduce((a, b) => a + b, 0),
    );
  }
});

test('resources: a type that grew in every judged iteration is a leak, with its hint; one that came and went is not', () => {
  const withResources = (changes: readonly (Record<string, number> | undefined)[]): IterationDelta[] =>
    deltas(changes.map(() => 0)).map((delta, index) => {
      const resources = index === 0 ? undefined : changes[index - 1];
      return { ...delta, resources: resources && new Map(Object.entries(resources)) };
    });
  const timer = judge('L', withResources([{ Timeout: 3 }, { Timeout: 1 }, { Timeout: 1, TCPSocketWrap: 1 }, { Timeout: 2 }]), 1);
  assert.equal(timer.outcome, 'leaked');
  assert.equal(timer.referencesLeaked, false);
  assert.deepEqual(timer.grown, []);
  assert.deepEqual(timer.resources, [
    { type: 'Timeout', deltas: [1, 1, 2], hint: 'a timer started in these tests is never cleared (clearInterval / clearTimeout)' },
  ]);
  // A keep-alive socket that closed and reopened with the clock, and a count that went down: fine.
  const clock = judge('L', withResources([{}, { TCPSocketWrap: 1 }, { TCPSocketWrap: -1 }, { TCPSocketWrap: 1 }]), 1);
  assert.deepEqual([clock.outcome, clock.resources], ['clean', []]);
  assert.equal(judge('L', withResources([{}, { Timeout: -1 }, { Timeout: -1 }, { Timeout: -1 }]), 1).outcome, 'clean');
  // An iteration whose resources were not counted leaves them unjudged.
  assert.deepEqual(judge('L', withResources([{}, { Timeout: 1 }, undefined, { Timeout: 1 }]), 1).resources, []);
});

test('warm-ups: the first W deltas after the baseline are not judged', () => {
  assert.deepEqual(judge('L', deltas([7, 7, 0, 0, 0]), 2).deltas, [0, 0, 0]);
  assert.equal(judge('L', deltas([7, 7, 0, 0, 0]), 2).outcome, 'clean');
  assert.equal(judge('L', deltas([7, 7, 0, 0, 0]), 0).outcome, 'unsettled');
  assert.deepEqual(judge('L', deltas([7, 7, 0, 0, 0]), 0).iterations, [2, 3, 4, 5, 6]);
});

test('a window: only the latest judged deltas count, those before are set aside', () => {
  // The README's leak with a one-off drop of 42 references in its first judged iteration.
  const dropped = deltas([3, -39, 3, 3, 3, 3]);
  assert.equal(judge('L', dropped, 1, [], 3).outcome, 'leaked');
  assert.deepEqual(judge('L', dropped, 1, [], 3).deltas, [3, 3, 3]);
  assert.deepEqual(judge('L', dropped, 1, [], 3).iterations, [5, 6, 7]);
  assert.deepEqual(judge('L', dropped, 1, [], 3).setAside, [3, 4]);
  // A window still holding the drop is unsettled; a whole run without a window is judged whole.
  assert.equal(judge('L', dropped.slice(0, 5), 1, [], 3).outcome, 'unsettled');
  assert.deepEqual(judge('L', dropped, 1).setAside, []);
  // Iterations with failures are not in the window: it takes the latest judged ones.
  const failed = judge('L', deltas([3, -39, 3, 3, 3, 3], [6]), 1, [], 3);
  assert.deepEqual([failed.iterations, failed.setAside, failed.unjudged], [[4, 5, 7], [3], [6]]);
  assert.equal(failed.outcome, 'leaked');
});

test('an iteration with a failure, or without a sample, is not judged; fewer than two judged deltas is undecided', () => {
  const failing = judge('L', deltas([5, 5, 5, 5], [3, 4]), 1);
  assert.equal(failing.outcome, 'undecided');
  assert.deepEqual(failing.unjudged, [3, 4]);
  assert.deepEqual(failing.deltas, [5]);
  const twoLeft = judge('L', deltas([5, 5, 5, 5], [4]), 1);
  assert.equal(twoLeft.outcome, 'leaked');
  assert.deepEqual(twoLeft.iterations, [3, 5]);
  const noSample: IterationDelta[] = [...deltas([5, 5]), { iteration: 4, failed: false, diff: undefined }];
  assert.equal(judge('L', noSample, 1).outcome, 'undecided');
  assert.deepEqual(judge('L', noSample, 1).unjudged, [4]);
});

test('known growth is left out of each judged delta, and out of the grown rows', () => {
  const known: HeapDiffRow = { name: 'node: resource timing buffer', insts: 3, refs: 17, known: true };
  const verdict = judge('L', deltas([17, diff(17, [known]), diff(17, [known]), diff(17, [known])]), 1);
  assert.equal(verdict.outcome, 'clean');
  assert.deepEqual(verdict.deltas, [0, 0, 0]);
  const leaking: HeapDiffRow = { name: 'app.Session', insts: 1, refs: 2 };
  const both = judge('L', deltas([19, diff(19, [known, leaking]), diff(19, [known, leaking]), diff(19, [known, leaking])]), 1);
  assert.equal(both.outcome, 'leaked');
  assert.deepEqual(both.deltas, [2, 2, 2]);
  assert.deepEqual(both.grown, [{ name: 'app.Session', insts: [1, 1], refs: [2, 2] }]);
});

test('--leak-ignore rows are left out of each judged delta, as known growth is', () => {
  const cache: HeapDiffRow = { name: 'lib.Cache', insts: 1, refs: 3 };
  const rows = deltas([3, diff(3, [cache]), diff(3, [cache]), diff(3, [cache])]);
  assert.equal(judge('L', rows, 1).outcome, 'leaked');
  const ignored = judge('L', rows, 1, [/^lib\./]);
  assert.equal(ignored.outcome, 'clean');
  assert.deepEqual(ignored.deltas, [0, 0, 0]);
});

test('the grown rows are those that grew in every judged delta, with the range of their growth', () => {
  const row = (name: string, insts: number, refs: number): HeapDiffRow => ({ name, insts, refs });
  const verdict = judge(
    'L',
    deltas([
      diff(40, [row('Warm', 9, 9)]),
      diff(4, [row('Array', 1, 1), row('Item', 1, 2), row('Once', 1, 1)]),
      diff(5, [row('Array', 0, 1), row('Item', 2, 3)]),
      diff(3, [row('Array', 1, 1), row('Item', 1, 2), row('Shrinks', -1, -1)]),
    ]),
    1,
  );
  assert.equal(verdict.outcome, 'leaked');
  assert.deepEqual(verdict.grown, [
    { name: 'Array', insts: [0, 1], refs: [1, 1] },
    { name: 'Item', insts: [1, 2], refs: [2, 3] },
  ]);
});

/**
 * A sampler that reports the given totals in turn, with one row that changes as much: the
 * verdict's logic on exact figures. Real counting is in the CLI test below.
 */
function scripted(totals: readonly number[]): HeapSampler {
  let next = 0;
  return {
    sample(): Promise<HeapSample> {
      const total = totals[Math.min(next++, totals.length - 1)]!;
      return Promise.resolve({ total, byType: new Map([['app.Thing', { insts: total, refs: total }]]) });
    },
  };
}

async function quiet(argv: string[], sampler?: HeapSampler): Promise<{ result: RunResult; text: string; errors: string }> {
  let text = '';
  let errors = '';
  const result = await run(['--path', 'examples/sample', '--layer', 'Layer11$'], argv, {
    output: (chunk) => void (text += chunk),
    errorOutput: (chunk) => void (errors += chunk),
    cwd: repo,
    ...(sampler && { sampler }),
  });
  return { result, text, errors };
}

test('a leaking layer: the verdict line after its iterations, the grown rows, an error "Leak: LAYER" and exit code 1', async () => {
  const { result, text } = await quiet(['--fail-on-leak', '-N6', '-v'], scripted([100, 110, 113, 116, 119, 122]));
  assert.equal(result.exitCode, 1);
  assert.equal(result.errors, 1);
  assert.deepEqual(
    result.problems.map(({ kind, phase, test, error }) => [kind, phase, test, error.name, error.message]),
    [
      [
        'error',
        'leak',
        'Leak: samplelayers.Layer11',
        'LeakError',
        'samplelayers.Layer11 leaked [3, 3, 3, 3] references, sum=12\n  app.Thing +3 insts +3 refs per iteration',
      ],
    ],
  );
  assert.equal(result.layers[0]?.verdict?.outcome, 'leaked');
  assert.match(
    text,
    /change=3 {5}\n(?:.*\n)*? {2}samplelayers\.Layer11 leaked \[3, 3, 3, 3\] references, sum=12\n {4}app\.Thing {2}\+3 insts \+3 refs per iteration\n/,
  );
  // The verdict comes before the layer is torn down, and the summary lists it as an error.
  assert.ok(text.indexOf('leaked [3, 3, 3, 3]') < text.indexOf('Tear down samplelayers.Layer11'));
  assert.match(text, /Tests with errors:\n {3}Leak: samplelayers\.Layer11\n/);
});

test('growth that stops: the deltas disagree, one more iteration runs, the window is clean and passes; a clean layer says so only at -v', async () => {
  const settling = await quiet(['--fail-on-leak', '-N6'], scripted([100, 130, 131, 131, 131, 131]));
  assert.equal(settling.result.exitCode, 0);
  assert.match(
    settling.text,
    /change=0 {5}\n {2}The judged deltas \[1, 0, 0, 0\] disagree: more iterations, up to 14 in all, until the latest 4 agree\nIteration 7\n/,
  );
  const verdict = settling.result.layers[0]?.verdict;
  assert.deepEqual([verdict?.outcome, verdict?.iterations, verdict?.setAside], ['clean', [4, 5, 6, 7], [3]]);
  assert.equal(settling.result.layers[0]?.iterations.length, 7);
  assert.doesNotMatch(settling.text, /leaked/);
  const noisy = await quiet(['--fail-on-leak', '-N6'], scripted([100, 130, 129, 129, 129, 129]));
  assert.equal(noisy.result.exitCode, 0);
  assert.match(noisy.text, /\n {2}samplelayers\.Layer11: no leak, judged deltas \[-1, 0, 0, 0\], sum=-1 \(this is fine\)\n/);
  const clean = await quiet(['--fail-on-leak'], scripted([100, 130, 130]));
  assert.equal(clean.result.exitCode, 0);
  assert.equal(clean.result.layers[0]?.verdict?.outcome, 'clean');
  assert.doesNotMatch(clean.text, /leaked|no leak/);
  const verbose = await quiet(['--fail-on-leak', '-v'], scripted([100, 130, 130]));
  assert.match(verbose.text, /\n {2}samplelayers\.Layer11: no leak, judged deltas \[0, 0, 0\]\n/);
});

test('a one-off drop in a judged iteration: the window slides past it and the leak is caught', async () => {
  // +3 a run, and once 42 references freed together (a cache walk that ended).
  const { result, text } = await quiet(['--fail-on-leak'], scripted([100, 103, 64, 67, 70, 73, 76, 79]));
  assert.equal(result.exitCode, 1);
  assert.match(text, /The judged deltas \[-39, 3, 3\] disagree: more iterations, up to 11 in all, until the latest 3 agree\nIteration 6\n/);
  assert.match(text, /\n {2}samplelayers\.Layer11 leaked \[3, 3, 3\] references, sum=9\n/);
  assert.deepEqual(result.layers[0]?.verdict?.iterations, [4, 5, 6]);
  assert.doesNotMatch(text, /Iteration 7/);
});

test('deltas that never agree: undecided at --leak-max-repeat, a failure unless --leak-allow-undecided', async () => {
  const alternating = (): HeapSampler => scripted([100, 103, 103, 106, 106, 109, 109, 112, 112]);
  const undecided = await quiet(['--fail-on-leak', '--leak-max-repeat', '7'], alternating());
  assert.equal(undecided.result.exitCode, 1);
  assert.equal(undecided.result.layers[0]?.iterations.length, 7);
  assert.equal(undecided.result.layers[0]?.verdict?.outcome, 'unsettled');
  const message = 'Leak check of samplelayers.Layer11 undecided: the latest 3 judged deltas still disagree after 7 iterations: [0, 3, 0]';
  assert.match(undecided.text, new RegExp(`\\n  ${message.replace(/[[\]]/g, '\\$&')}\\n`));
  assert.deepEqual(
    undecided.result.problems.map(({ test, error }) => [test, error.message]),
    [['Leak: samplelayers.Layer11', message]],
  );
  const allowed = await quiet(['--fail-on-leak', '--leak-max-repeat', '7', '--leak-allow-undecided'], alternating());
  assert.equal(allowed.result.exitCode, 0);
  assert.match(allowed.text, /after 7 iterations: \[0, 3, 0\] \(allowed by --leak-allow-undecided\)\n/);
  // -N as the bound: no more iterations than asked for.
  const bounded = await quiet(['--fail-on-leak', '-N5', '--leak-max-repeat', '5'], alternating());
  assert.equal(bounded.result.layers[0]?.iterations.length, 5);
  assert.doesNotMatch(bounded.text, /more iterations/);
  assert.match(bounded.text, /still disagree after 5 iterations/);
});

test('without -N, --fail-on-leak runs the baseline, the warm-ups and three judged deltas, and samples each', async () => {
  const { result } = await quiet(['--fail-on-leak', '--leak-warmups', '2'], scripted([100]));
  assert.deepEqual(
    result.layers[0]?.iterations.map((iteration) => iteration.heap?.total),
    [100, 100, 100, 100, 100, 100],
  );
  assert.deepEqual(result.layers[0]?.verdict?.iterations, [4, 5, 6]);
  assert.equal(result.layers[0]?.verdict?.warmups, 2);
});

test('iterations with failures are not judged; too few judged deltas is undecided, said, and not a leak', async () => {
  let text = '';
  const result = await run(['--path', 'test/fixtures/verdict'], ['--fail-on-leak', '-N5'], {
    output: (chunk) => void (text += chunk),
    errorOutput: () => undefined,
    cwd: repo,
    sampler: scripted([100, 110, 120, 130, 140]),
  });
  assert.equal(result.layers[0]?.verdict?.outcome, 'undecided');
  assert.deepEqual(result.layers[0]?.verdict?.unjudged, [3, 4]);
  assert.deepEqual(
    result.problems.map((problem) => problem.phase),
    ['test', 'test'],
  );
  assert.match(
    text,
    /\n {2}Leak check of leakrun\.UnitTests undecided: 1 delta judged, 2 needed; not judged: iterations 3, 4, in which a test failed or errored or the heap sample failed\n/,
  );
});

test('bad verdict options are one clear usage line and exit code 2', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['--fail-on-leak', '-N3'],
      /^leakrun: error: --fail-on-leak needs -N 4 or more \(baseline, 1 warm-up, 2 judged deltas\), got -N 3; leave -N out to run 5\n/,
    ],
    [
      ['--fail-on-leak', '-N5', '--leak-warmups', '3'],
      /needs -N 6 or more \(baseline, 3 warm-ups, 2 judged deltas\), got -N 5; leave -N out to run 7\n/,
    ],
    [['--fail-on-leak', '--leak-warmups', '-1'], /^leakrun: error: --leak-warmups must be at least 0, got -1\n/],
    [['--fail-on-leak', '-N6', '--leak-max-repeat', '5'], /^leakrun: error: --leak-max-repeat 5 is less than -N 6; give 6 to run no more/],
    [['--fail-on-leak', '--leak-warmups', 'two'], /^leakrun: error: --leak-warmups needs a whole number, got "two"\n/],
    [['--fail-on-leak=yes'], /^leakrun: error: --fail-on-leak takes no value; remove "=yes"\n/],
    [['--fail-on-leak', '--leak-allow', '(x'], /^leakrun: error: --leak-allow: "\(x" is not a valid regular expression/],
    [['--fail-on-leak', '--leak-ignore', '[a'], /^leakrun: error: --leak-ignore: "\[a" is not a valid regular expression/],
    [['--leak-bisect', '-N2'], /^leakrun: error: --leak-bisect needs -N 4 or more/],
    [['--fail-on-leak', '--leak-bisect-budget', '-3'], /^leakrun: error: --leak-bisect-budget must be at least 0, got -3\n/],
    [
      ['--fail-on-leak', '--leak-bisect-budget', '1'],
      /^leakrun: error: --leak-bisect-budget 1 leaves the search a baseline and no check; give 0/,
    ],
  ];
  for (const [argv, message] of cases) {
    const { result, text, errors } = await quiet(argv);
    assert.equal(result.exitCode, 2, argv.join(' '));
    assert.match(errors, message, argv.join(' '));
    assert.equal(errors.split('\n').length, 3, errors);
    assert.equal(text, '');
  }
});

test('a leaking test is painted as an error unless --leak-allow allowed its layer', () => {
  const palette = createPalette(true);
  const attribution = {
    layer: 'leak.Layer',
    leaking: [{ tests: ['test_leak (leak.Tests)'], refs: 6 }],
    undecided: [],
    samples: 5,
    budget: 20,
    stopped: undefined,
  };
  const failing = attributionReport(palette, attribution, 0);
  const allowed = attributionReport(palette, attribution, 0, true);
  assert.equal(failing, `${palette.paint('error', '  leaking test: test_leak (leak.Tests) +6 refs per run')}\n`);
  assert.notEqual(failing, allowed);
  assert.equal(allowed, '  leaking test: test_leak (leak.Tests) +6 refs per run\n');
});

test('a grown row takes its retainer paths from the last judged sample, a replaced value left out beside growth', () => {
  const row = { name: 'leak.Leakable', insts: 1, refs: 1 };
  const step = (edge: string, target: string, grows = false): { edge: string; target: string; grows: boolean } => ({ edge, target, grows });
  const growing = {
    name: 'leak.Leakable',
    root: 'leak (module)',
    steps: [step('.leaked', 'Array', true), step('[4]', 'leak.Leakable')],
    objects: 5,
    added: 1,
  };
  const replaced = { name: 'leak.Leakable', root: 'globalThis', steps: [step('.last', 'leak.Leakable')], objects: 1, added: 1 };
  const other = { ...growing, name: 'Other' };
  const sample = (paths: HeapSample['paths']): HeapSample => ({ total: 0, byType: new Map(), paths });
  const iterations = deltas([diff(1, [row]), diff(1, [row]), diff(1, [row])]).map((delta, index) => ({
    ...delta,
    heap: sample(index === 3 ? [replaced, growing, other] : [replaced]),
  }));
  const verdict = judge('L', iterations, 1);
  assert.deepEqual(verdict.grown, [{ name: 'leak.Leakable', insts: [1, 1], refs: [1, 1], paths: [growing] }]);
});
