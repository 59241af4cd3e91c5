// A `.test` module outside any tests/ directory: printed as sample1.sample11.layered.test. One
// testSuite() mixes two unit tests with tests in two sibling layers, so a single module feeds
// three layers and the runner must split it.
import assert from 'node:assert/strict';
import { suite, test, type SuiteSpec } from 'leakrun';
import { Layer11, Layer12, assertInLayer, assertNoLayer, chainOf } from '../../samplelayers.ts';

/** Sibling layers share Layer1 and nothing else. */
function assertSiblingsApart(): void {
  assert.deepEqual(
    chainOf('Layer11').filter((name) => chainOf('Layer12').includes(name)),
    ['Layer1'],
  );
}

export function testSuite(): SuiteSpec {
  return suite([
    test('test_unit_no_layer', () => assertNoLayer()),
    test('test_unit_chains', () => assertSiblingsApart()),
    suite({ layer: Layer11 }, [
      test('test_in_layer11', () => assertInLayer(Layer11)),
      test('test_not_in_layer12', () => {
        assertInLayer(Layer11);
        assert.throws(() => assertInLayer(Layer12), /layers set up/);
      }),
      test('test_chain11', () => {
        assertInLayer(Layer11);
        assert.deepEqual(chainOf('Layer11'), ['Layer1', 'Layer11']);
      }),
    ]),
    suite({ layer: Layer12 }, [
      test('test_in_layer12', () => assertInLayer(Layer12)),
      test('test_not_in_layer11', () => {
        assertInLayer(Layer12);
        assert.throws(() => assertInLayer(Layer11), /layers set up/);
      }),
      test('test_chain12', () => {
        assertInLayer(Layer12);
        assert.deepEqual(chainOf('Layer12'), ['Layer1', 'Layer12']);
      }),
    ]),
  ]);
}
