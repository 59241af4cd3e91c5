// More Layer11 tests, in a nested package: printed as sample1.tests.test11.
import assert from 'node:assert/strict';
import { TestCase, suite, test, type SuiteSpec } from 'leakrun';
import { Layer11, assertInLayer } from '../../samplelayers.ts';

// setUp raises a flag and tearDown lowers it; a test seeing someone else's flag caught a missed tearDown.
const flags = { x: 0, y: 0, z: 0 };

function assertFlags(raised: 'x' | 'y' | 'z' | 'none'): void {
  assert.deepEqual(flags, { x: raised === 'x' ? 1 : 0, y: raised === 'y' ? 1 : 0, z: raised === 'z' ? 1 : 0 });
}

export class TestA extends TestCase {
  static override layer = Layer11;
  override setUp(): void {
    assertInLayer(Layer11);
    flags.x = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer11);
    flags.x = 0;
  }
  test_x1(): void {
    assert.equal(flags.x, 1);
    assertInLayer(Layer11);
  }
  test_y0(): void {
    assert.equal(flags.y, 0);
    assertInLayer(Layer11);
  }
  test_z0(): void {
    assertFlags('x');
    assertInLayer(Layer11);
  }
}

/** The classes, plus three function tests that take their layer from the suite. */
export function testSuite(): SuiteSpec {
  return suite({ layer: Layer11 }, [
    TestA,
    test('test_x0', () => {
      assertFlags('none');
      assertInLayer(Layer11);
    }),
    test('test_y0', () => assertInLayer(Layer11)),
    test('test_z0', () => {
      assert.equal(flags.z, 0);
      assertInLayer(Layer11);
    }),
  ]);
}
