import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heapDetailLine, heapSummaryLine, heapTable } from '../../src/formatter/heap.ts';
import { pathsTree } from '../../src/text/retainer-tree.ts';
import { assertExpected } from '../helpers/cli.ts';
import { diff, heapSample, iteration, options, pass, render, result, runEnd, setUp, tearDown } from '../helpers/formatter.ts';
import type { RunEvent } from '../../src/types/index.ts';

const L1 = 'samplelayers.Layer1';
const L11 = 'samplelayers.Layer11';
const L12 = 'samplelayers.Layer12';
const tests34 = Array.from({ length: 34 }, (_, index) => pass(`test_${index} (sample1.sampletests.test1.TestA)`));

function repeated(layer: string, seconds: readonly number[], total: number): RunEvent[] {
  return seconds.flatMap((time, index) => [
    ...iteration(layer, index + 1, seconds.length, tests34, time),
    heapSample(layer, index + 1, index === 0 ? undefined : diff(total, 0)),
  ]);
}

test("-N4 -r over two layers prints the seed document's walk-through line for line", () => {
  const text = render(
    [
      { type: 'run:start', options: options() },
      { type: 'layer:start', layer: L11, unit: false },
      ...setUp(L1),
      ...setUp(L11),
      ...repeated(L11, [0.013, 0.012, 0.012, 0.013], 100401),
      { type: 'layer:start', layer: L12, unit: false },
      ...tearDown(L11),
      ...setUp(L12),
      ...repeated(L12, [0.013, 0.012, 0.012, 0.012], 100411),
      { type: 'leftover:start' },
      ...tearDown(L12),
      ...tearDown(L1),
      runEnd(result({ tests: 68, layers: 2 })),
    ],
    { repeat: 4, reportRefcounts: true },
  );
  // The summary line keeps its trailing blanks, byte for byte as zope's `%-8d`/`%-6d` leave them.
  assert.ok(
    text.includes('Iteration 2\n  Ran 34 tests with 0 failures and 0 errors in 0.012 seconds.\n  sys refcount=100401   change=0     \n'),
  );
  assert.ok(text.endsWith('  Tear down samplelayers.Layer1 in 0.000 seconds.\nTotal: 68 tests, 0 failures, 0 errors\n'));
  assertExpected('formatter-seed-layers', text);
});

test('the -r -v table has the widths of docs/leaks.md, character for character', () => {
  const rows = [
    { name: '(heap number)', insts: 1, refs: 1 },
    { name: 'Array', insts: 1, refs: 1 },
    { name: 'leak.ClassicLeakable', insts: 1, refs: 1 },
    { name: 'leak.Leakable', insts: 1, refs: 1 },
  ];
  const expected = [
    '    Leak details, changes in instances and refcounts by type/class:',
    '    type/class                                               insts   refs',
    '    -------------------------------------------------------  -----   ----',
    '    (heap number)                                                1      1',
    '    Array                                                        1      1',
    '    leak.ClassicLeakable                                         1      1',
    '    leak.Leakable                                                1      1',
    '    -------------------------------------------------------  -----   ----',
    '    total                                                        4      4',
    '',
  ].join('\n');
  assert.equal(heapTable(diff(105668, 16, 95832, rows)), expected);
});

test('total sums each column, negative changes included; long names overflow rather than being cut', () => {
  const rows = [
    { name: 'int', insts: -1, refs: 0 },
    { name: 'x'.repeat(60), insts: 5, refs: -12 },
  ];
  const lines = heapTable(diff(0, 0, 0, rows)).split('\n');
  assert.equal(lines[3], `    int${' '.repeat(52)}     -1      0`);
  assert.equal(lines[4], `    ${'x'.repeat(60)}      5    -12`);
  assert.equal(lines[6], `    total${' '.repeat(50)}      4    -12`);
});

test("the summary lines are zope's %-8d / %-6d, including negative changes", () => {
  assert.equal(heapSummaryLine(diff(92506, 12)), '  sys refcount=92506    change=12    \n');
  assert.equal(heapSummaryLine(diff(100, -7)), '  sys refcount=100      change=-7    \n');
  assert.equal(heapDetailLine(diff(105668, 16, 95832)), '  sum detail refcount=95832    sys refcount=105668   change=16    \n');
});

test("known bounded growth that moved is told apart from the tests' own change; change= stays the whole heap's", () => {
  const timing = { name: 'node: resource timing buffer', insts: 14, refs: 18, known: true };
  const dateCache = { name: 'node: HTTP Date header cache', insts: -6, refs: -11, known: true };
  const leak = { name: 'leak.Leakable', insts: 1, refs: 6 };
  assert.equal(
    heapSummaryLine(diff(37400, 18, 37400, [timing])),
    '  sys refcount=37400    change=18     (yours 0; known: node: resource timing buffer +18)\n',
  );
  assert.equal(
    heapSummaryLine(diff(37413, 13, 37413, [dateCache, leak, timing])),
    '  sys refcount=37413    change=13     (yours +6; known: node: HTTP Date header cache -11, node: resource timing buffer +18)\n',
  );
  // Without known growth, or when its rows moved only in instances, the line is zope's, byte for byte.
  assert.equal(heapSummaryLine(diff(37400, 6, 37400, [leak])), '  sys refcount=37400    change=6     \n');
  assert.equal(heapSummaryLine(diff(37400, 0, 37400, [{ ...timing, refs: 0 }])), '  sys refcount=37400    change=0     \n');
  // At -v the table marks the known rows itself.
  assert.equal(heapDetailLine(diff(37400, 18, 37400, [timing])), '  sum detail refcount=37400    sys refcount=37400    change=18    \n');
});

test('-r -v: detail line and table from iteration 2, no table when nothing changed, nothing for the baseline', () => {
  const leak = [
    { name: 'leak.Leakable', insts: 1, refs: 1 },
    { name: 'Object', insts: 1, refs: 2 },
  ];
  const text = render(
    [
      { type: 'run:start', options: options() },
      { type: 'layer:start', layer: 'leakrun.UnitTests', unit: true },
      ...iteration('leakrun.UnitTests', 1, 3, [pass('testleak (leak.TestSomething)')], 0),
      heapSample('leakrun.UnitTests', 1, undefined),
      ...iteration('leakrun.UnitTests', 2, 3, [pass('testleak (leak.TestSomething)')], 0),
      heapSample('leakrun.UnitTests', 2, diff(105668, 16, 95832, leak)),
      ...iteration('leakrun.UnitTests', 3, 3, [pass('testleak (leak.TestSomething)')], 0),
      heapSample('leakrun.UnitTests', 3, diff(105668, 0, 95832)),
      runEnd(result({ tests: 1, layers: 1 })),
    ],
    { repeat: 3, reportRefcounts: true, verbose: 1 },
  );
  assert.ok(
    text.includes(
      'Iteration 3\n  Running:\n    .\n  Ran 1 tests with 0 failures and 0 errors in 0.000 seconds.\n  sum detail refcount=95832    sys refcount=105668   change=0     \n',
    ),
  );
  assert.equal(text.split('Leak details').length, 2, 'one table: iteration 2 only');
  assertExpected('formatter-leak-verbose', text);
});

test("a failed heap sample prints one clear line and the run's output goes on", () => {
  const text = render([
    ...iteration('leakrun.UnitTests', 2, 2, [pass('t (m)')], 0.5),
    { type: 'heap:error', layer: 'leakrun.UnitTests', iteration: 2, error: new Error('inspector session closed') },
    runEnd(result({ tests: 1, layers: 2 })),
  ]);
  assert.equal(
    text,
    'Iteration 2\n  Ran 1 tests with 0 failures and 0 errors in 0.500 seconds.\n  Heap sample failed: inspector session closed\nTotal: 1 tests, 0 failures, 0 errors\n',
  );
});

test('retainer paths: one tree per root, shared references drawn once, the growing one marked, each end counted', () => {
  const tuple = { edge: '[5]', target: 'Array', grows: false };
  const leaked = { edge: '.leaked', target: 'Array', grows: true };
  const paths = [
    {
      name: 'leak.Leakable',
      root: 'leak (module)',
      steps: [leaked, tuple, { edge: '[1]', target: 'leak.Leakable', grows: false }],
      objects: 6,
      added: 1,
    },
    { name: 'Array', root: 'leak (module)', steps: [leaked, tuple], objects: 6, added: 1 },
    // A row too big to group all its objects: the live count is not known.
    { name: 'Array', root: 'globalThis', steps: [{ edge: '.cache', target: 'Array', grows: false }], added: 1 },
  ];
  assert.equal(
    pathsTree(paths, '  '),
    [
      '  leak (module)',
      '  ╰─ .leaked → Array  ◀ grows',
      '     ╰─ [5] → Array  (1 new, 6 live)',
      '        ╰─ [1] → leak.Leakable  (1 new, 6 live)',
      '  globalThis',
      '  ╰─ .cache → Array  (1 new)',
      '',
    ].join('\n'),
  );
});
