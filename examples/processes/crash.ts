// Layers for docs/processes.md: a native crash, as a broken addon would cause, and a layer after it.
// Not named like a test module: only --tests-pattern ^crash$ loads it, and then with -j, in child processes.
import { suite, test, type SuiteSpec } from 'leakrun';

export class Native {
  static layerName = 'crash.Native';
}

export class Plain {
  static layerName = 'crash.Plain';
}

export function testSuite(): SuiteSpec {
  return suite([
    // What a segmentation fault in a native addon looks like from outside: the process is gone.
    suite({ layer: Native }, [test('test_addon', () => void process.kill(process.pid, 'SIGKILL'))]),
    suite({ layer: Plain }, [test('test_plain', () => {})]),
  ]);
}
