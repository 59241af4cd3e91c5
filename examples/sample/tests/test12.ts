// Layer12 tests through testSuite(): two classes and three function tests.
import assert from 'node:assert/strict';
import { TestCase, suite, test, type SuiteSpec } from 'leakrun';
import { Layer12, assertInLayer } from '../samplelayers.ts';

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

export class TestB extends TestCase {
  static override layer = Layer12;
  override setUp(): void {
    assertInLayer(Layer12);
    flags.y = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer12);
    flags.y = 0;
  }
  test_x0(): void {
    assert.equal(flags.x, 0);
    assertInLayer(Layer12);
  }
  test_y1(): void {
    assert.equal(flags.y, 1);
    assertInLayer(Layer12);
  }
  test_z0(): void {
    assertFlags('y');
    assertInLayer(Layer12);
  }
}

/** The classes, plus three function tests that take their layer from the suite. */
export function testSuite(): SuiteSpec {
  return suite({ layer: Layer12 }, [
    TestA,
    TestB,
    test('test_x0', () => {
      assertFlags('none');
      assertInLayer(Layer12);
    }),
    test('test_y0', () => assertInLayer(Layer12)),
    test('test_z0', () => {
      assert.equal(flags.z, 0);
      assertInLayer(Layer12);
    }),
  ]);
}
