// Layer122 tests through testSuite(); runs after Layer121 while Layer12 stays set up.
import assert from 'node:assert/strict';
import { TestCase, suite, test, type SuiteSpec } from 'leakrun';
import { Layer122, assertInLayer } from '../samplelayers.ts';

// setUp raises a flag and tearDown lowers it; a test seeing someone else's flag caught a missed tearDown.
const flags = { x: 0, y: 0, z: 0 };

function assertFlags(raised: 'x' | 'y' | 'z' | 'none'): void {
  assert.deepEqual(flags, { x: raised === 'x' ? 1 : 0, y: raised === 'y' ? 1 : 0, z: raised === 'z' ? 1 : 0 });
}

export class TestA extends TestCase {
  static override layer = Layer122;
  override setUp(): void {
    assertInLayer(Layer122);
    flags.x = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer122);
    flags.x = 0;
  }
  test_x1(): void {
    assert.equal(flags.x, 1);
    assertInLayer(Layer122);
  }
  test_y0(): void {
    assert.equal(flags.y, 0);
    assertInLayer(Layer122);
  }
  test_z0(): void {
    assertFlags('x');
    assertInLayer(Layer122);
  }
}

export class TestB extends TestCase {
  static override layer = Layer122;
  override setUp(): void {
    assertInLayer(Layer122);
    flags.y = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer122);
    flags.y = 0;
  }
  test_x0(): void {
    assert.equal(flags.x, 0);
    assertInLayer(Layer122);
  }
  test_y1(): void {
    assert.equal(flags.y, 1);
    assertInLayer(Layer122);
  }
  test_z0(): void {
    assertFlags('y');
    assertInLayer(Layer122);
  }
}

export class TestNotMuch extends TestCase {
  static override layer = Layer122;
  test_1(): void {
    assertInLayer(Layer122);
  }
  test_2(): void {
    assertFlags('none');
    assertInLayer(Layer122);
  }
  test_3(): void {
    assertInLayer(Layer122);
  }
}

/** The classes, plus three function tests that take their layer from the suite. */
export function testSuite(): SuiteSpec {
  return suite({ layer: Layer122 }, [
    TestA,
    TestB,
    TestNotMuch,
    test('test_x0', () => {
      assertFlags('none');
      assertInLayer(Layer122);
    }),
    test('test_y0', () => assertInLayer(Layer122)),
    test('test_z0', () => {
      assert.equal(flags.z, 0);
      assertInLayer(Layer122);
    }),
  ]);
}
