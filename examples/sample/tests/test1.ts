// Unit tests (no layer), a level-2 class, and one class in Layer1; collected through testSuite().
import assert from 'node:assert/strict';
import { TestCase, suite, test, type SuiteSpec } from 'leakrun';
import { Layer1, assertInLayer, assertNoLayer } from '../samplelayers.ts';

// Each TestCase's setUp raises one of these and its tearDown lowers it again, so a test that
// sees a raised flag it did not raise itself caught a missed tearDown.
const flags = { x: 0, y: 0, z: 0 };

/** Checks that only `raised` is up (1) and the other flags are down (0). */
function assertFlags(raised: 'x' | 'y' | 'none'): void {
  assert.deepEqual(flags, { x: raised === 'x' ? 1 : 0, y: raised === 'y' ? 1 : 0, z: 0 });
}

export class TestA extends TestCase {
  override setUp(): void {
    assertNoLayer();
    flags.x = 1;
  }
  override tearDown(): void {
    flags.x = 0;
  }
  test_x1(): void {
    assert.equal(flags.x, 1);
    assertNoLayer();
  }
  test_y0(): void {
    assert.equal(flags.y, 0);
  }
  test_z0(): void {
    assertFlags('x');
  }
}

/** The same three tests as TestA, but only at `--at-level 2` or `--all`. */
export class TestA2 extends TestA {
  static override level = 2;
}

export class TestB extends TestCase {
  override setUp(): void {
    flags.y = 1;
  }
  override tearDown(): void {
    flags.y = 0;
  }
  test_x0(): void {
    assert.equal(flags.x, 0);
  }
  test_y1(): void {
    assert.equal(flags.y, 1);
    assertNoLayer();
  }
  test_z0(): void {
    assertFlags('y');
  }
}

export class TestNotMuch extends TestCase {
  test_1(): void {
    assertFlags('none');
  }
  test_2(): void {
    assertFlags('none');
  }
  test_3(): void {
    assertNoLayer();
  }
}

/** The one layered class of this module: Layer1 must be set up, and nothing built on it. */
export class TestLayer1 extends TestCase {
  static override layer = Layer1;
  override setUp(): void {
    assertInLayer(Layer1);
    flags.x = 1;
  }
  override tearDown(): void {
    assertInLayer(Layer1);
    flags.x = 0;
  }
  test_x1(): void {
    assert.equal(flags.x, 1);
    assertInLayer(Layer1);
  }
  test_y0(): void {
    assertFlags('x');
    assertInLayer(Layer1);
  }
  test_z0(): void {
    assert.equal(flags.z, 0);
    assertInLayer(Layer1);
  }
}

/** Unit tests first, then the Layer1 class; the level-2 class is only collected, not run, by default. */
export function testSuite(): SuiteSpec {
  return suite([
    TestA,
    TestA2,
    TestB,
    TestNotMuch,
    test('test_x0', () => assertFlags('none')),
    test('test_y0', () => assertNoLayer()),
    test('test_z0', () => assert.equal(flags.z, 0)),
    TestLayer1,
  ]);
}
