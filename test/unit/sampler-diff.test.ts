import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSamples } from '../../src/sampler/diff.ts';
import type { HeapSample } from '../../src/types/index.ts';

function sample(total: number, rows: Record<string, [insts: number, refs: number]>): HeapSample {
  return {
    total,
    byType: new Map(Object.entries(rows).map(([name, [insts, refs]]) => [name, { insts, refs }])),
  };
}

const cases: {
  title: string;
  previous: HeapSample;
  current: HeapSample;
  change: number;
  detailTotal: number;
  rows: [string, number, number][];
}[] = [
  {
    title: 'identical samples: no change, no rows',
    previous: sample(10, { Array: [2, 3], Object: [4, 7] }),
    current: sample(10, { Array: [2, 3], Object: [4, 7] }),
    change: 0,
    detailTotal: 10,
    rows: [],
  },
  {
    title: 'growth in two rows, the others unchanged and left out',
    previous: sample(20, { 'leak.Leakable': [1, 1], Array: [2, 2], Object: [5, 9] }),
    current: sample(22, { 'leak.Leakable': [2, 2], Array: [3, 3], Object: [5, 9] }),
    change: 2,
    detailTotal: 14,
    rows: [
      ['Array', 1, 1],
      ['leak.Leakable', 1, 1],
    ],
  },
  {
    title: 'a row only in the current sample counts from zero',
    previous: sample(5, { Object: [1, 5] }),
    current: sample(6, { Object: [1, 5], '(heap number)': [1, 1] }),
    change: 1,
    detailTotal: 6,
    rows: [['(heap number)', 1, 1]],
  },
  {
    title: 'a row gone from the current sample counts down to zero',
    previous: sample(8, { Object: [1, 5], Map: [1, 3] }),
    current: sample(5, { Object: [1, 5] }),
    change: -3,
    detailTotal: 5,
    rows: [['Map', -1, -3]],
  },
  {
    title: 'refs changed with insts unchanged is a row; so is insts changed with refs unchanged',
    previous: sample(10, { '(string)': [3, 3], Object: [2, 7] }),
    current: sample(11, { '(string)': [3, 4], Object: [3, 7] }),
    change: 1,
    detailTotal: 11,
    rows: [
      ['(string)', 0, 1],
      ['Object', 1, 0],
    ],
  },
  {
    title: 'rows sort by code unit: parentheses, then upper case, then lower case',
    previous: sample(0, {}),
    current: sample(4, { b: [1, 1], B: [1, 1], '(closure)': [1, 1], 'a.Z': [1, 1] }),
    change: 4,
    detailTotal: 4,
    rows: [
      ['(closure)', 1, 1],
      ['B', 1, 1],
      ['a.Z', 1, 1],
      ['b', 1, 1],
    ],
  },
  {
    title: 'total is taken from the samples, not recomputed from the rows',
    previous: sample(100, { Object: [1, 1] }),
    current: sample(103, { Object: [1, 1] }),
    change: 3,
    detailTotal: 1,
    rows: [],
  },
];

for (const c of cases) {
  test(c.title, () => {
    const diff = diffSamples(c.previous, c.current);
    assert.equal(diff.total, c.current.total);
    assert.equal(diff.change, c.change);
    assert.equal(diff.detailTotal, c.detailTotal);
    assert.deepEqual(
      diff.rows.map((row) => [row.name, row.insts, row.refs]),
      c.rows,
    );
  });
}
