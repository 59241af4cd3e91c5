// Layer112 tests as exported TestCase classes; a sibling of Layer111 on the same bases.
import assert from 'node:assert/strict';
import { TestCase } from 'leakrun';
import { Layer112, assertInLayer } from '../samplelayers.ts';

// setUp raises a flag and tearDown lowers it; a test seeing someone else's flag caught a missed tearDown.
const flags = { x: 0, y: 0, z: 0 };

function assertFlags(raised: 'x' | 'y' | 'z' | 'none'): void {
  assert.deepEqual(flags, { x: raised === 'x' ? 1 : 0, y: raised === 'y' ? 1 : 0, z: raised === 'z' ? 1 : 0 });
}

export class TestA extends TestCase {
  static override layer = Layer112;
  override setUp(): void {
    assertInLayer(Layer112);
    flags.x = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer112);
    flags.x = 0;
  }
  test_x1(): void {
    assert.equal(flags.x, 1);
    assertInLayer(Layer112);
  }
  test_y0(): void {
    assert.equal(flags.y, 0);
    assertInLayer(Layer112);
  }
  test_z0(): void {
    assertFlags('x');
    assertInLayer(Layer112);
  }
}

export class TestB extends TestCase {
  static override layer = Layer112;
  override setUp(): void {
    assertInLayer(Layer112);
    flags.y = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer112);
    flags.y = 0;
  }
  test_x0(): void {
    assert.equal(flags.x, 0);
    assertInLayer(Layer112);
  }
  test_y1(): void {
    assert.equal(flags.y, 1);
    assertInLayer(Layer112);
  }
  test_z0(): void {
    assertFlags('y');
    assertInLayer(Layer112);
  }
}

export class TestC extends TestCase {
  static override layer = Layer112;
  override setUp(): void {
    assertInLayer(Layer112);
    flags.z = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer112);
    flags.z = 0;
  }
  test_x0(): void {
    assert.equal(flags.x, 0);
    assertInLayer(Layer112);
  }
  test_y0(): void {
    assert.equal(flags.y, 0);
    assertInLayer(Layer112);
  }
  test_z1(): void {
    assert.equal(flags.z, 1);
    assertInLayer(Layer112);
  }
}

export class TestNotMuch extends TestCase {
  static override layer = Layer112;
  test_1(): void {
    assertInLayer(Layer112);
  }
  test_2(): void {
    assertFlags('none');
    assertInLayer(Layer112);
  }
  test_3(): void {
    assertInLayer(Layer112);
  }
}
