// More Layer12 tests, in a nested package: printed as sample1.tests.test12.
import assert from 'node:assert/strict';
import { TestCase } from 'leakrun';
import { Layer12, assertInLayer } from '../../samplelayers.ts';

// setUp raises a flag and tearDown lowers it; a test seeing someone else's flag caught a missed tearDown.
const flags = { x: 0, y: 0, z: 0 };

function assertFlags(raised: 'x' | 'y' | 'z' | 'none'): void {
  assert.deepEqual(flags, { x: raised === 'x' ? 1 : 0, y: raised === 'y' ? 1 : 0, z: raised === 'z' ? 1 : 0 });
}

export class TestA extends TestCase {
  static override layer = Layer12;
  override setUp(): void {
    assertInLayer(Layer12);
    flags.x = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer12);
    flags.x = 0;
  }
  test_x1(): void {
    assert.equal(flags.x, 1);
    assertInLayer(Layer12);
  }
  test_y0(): void {
    assert.equal(flags.y, 0);
    assertInLayer(Layer12);
  }
  test_z0(): void {
    assertFlags('x');
    assertInLayer(Layer12);
  }
}

export class TestNotMuch extends TestCase {
  static override layer = Layer12;
  test_1(): void {
    assertInLayer(Layer12);
  }
  test_2(): void {
    assertFlags('none');
    assertInLayer(Layer12);
  }
  test_3(): void {
    assertInLayer(Layer12);
  }
}
