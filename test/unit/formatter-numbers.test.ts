import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixed, left, right } from '../../src/text/numbers.ts';

// Expected values are what CPython's '%.*f' % (digits, value) prints.
const CASES: readonly [number, number, string][] = [
  [6.25, 1, '6.2'],
  [18.75, 1, '18.8'],
  [0.0005, 3, '0.001'],
  [2.5, 0, '2'],
  [3.5, 0, '4'],
  [-0.0625, 3, '-0.062'],
  [0.25, 1, '0.2'],
  [0.125, 2, '0.12'],
  [12.75, 3, '12.750'],
  [(1 / 3) * 100, 1, '33.3'],
  [100, 1, '100.0'],
  [0, 3, '0.000'],
  [-2.5, 0, '-2'],
];

test("fixed() prints what Python's %.Nf prints, exact ties rounding to even", () => {
  for (const [value, digits, expected] of CASES) assert.equal(fixed(value, digits), expected, `${value} to ${digits}`);
});

test('left() and right() pad like %-Nd and %Nd and never cut', () => {
  assert.equal(left(42, 6), '42    ');
  assert.equal(right(-3, 6), '    -3');
  assert.equal(left(123456789, 8), '123456789');
});
