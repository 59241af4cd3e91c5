// Layers that fail, for docs/layers.md. Loaded only with --tests-pattern ^problems$, so a plain
// run of examples/layers stays green.
import assert from 'node:assert/strict';
import { CannotTearDown, suite, test, type SuiteSpec } from 'leakrun';

export class Broken {
  static layerName = 'problems.Broken';
  static setUp(): void {
    throw new Error('the mail server did not answer');
  }
}

export class Grumpy {
  static layerName = 'problems.Grumpy';
  static setUp(): void {}
  static tearDown(): void {
    throw new Error('could not drop the test schema');
  }
}

/** Patches a global it cannot restore, so its tearDown says so. */
export class Sticky {
  static layerName = 'problems.Sticky';
  /** The process the layer was set up in, so a later layer can tell where it runs. */
  static setUpIn: number | undefined;
  static setUp(): void {
    Sticky.setUpIn = process.pid;
  }
  static tearDown(): void {
    throw new CannotTearDown('the patched global cannot be restored');
  }
}

/** Ordered after Sticky by name; its test checks that it runs in a fresh process, where Sticky was never set up. */
export class Survivor {
  static layerName = 'problems.Survivor';
  static setUp(): void {}
  static tearDown(): void {}
}

export function testSuite(): SuiteSpec {
  return suite([
    suite({ layer: Broken }, [test('test_never_runs', () => assert.fail('a layer whose setUp failed runs no tests'))]),
    suite({ layer: Grumpy }, [test('test_grumpy', () => {})]),
    suite({ layer: Sticky }, [test('test_sticky', () => assert.equal(Sticky.setUpIn, process.pid))]),
    suite({ layer: Survivor }, [test('test_fresh_process', () => assert.equal(Sticky.setUpIn, undefined))]),
  ]);
}
