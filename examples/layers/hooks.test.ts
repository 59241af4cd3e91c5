// Tests for docs/layers.md: one unit test and tests in three layers; each records that it ran.
import { TestCase, suite, test, type SuiteSpec } from 'leakrun';
import { Api, Cache, Server, calls } from './layers.ts';

class TestApi extends TestCase {
  static override layer = Api;
  override setUp(): void { calls.push('    TestApi.setUp'); }
  override tearDown(): void { calls.push('    TestApi.tearDown'); }
  test_get(): void { calls.push('      test_get'); }
  test_post(): void { calls.push('      test_post'); }
}

export function testSuite(): SuiteSpec {
  return suite([
    test('test_unit', () => void calls.push('      test_unit')),
    suite({ layer: Server }, [test('test_ping', () => void calls.push('      test_ping'))]),
    TestApi,
    suite({ layer: Cache }, [test('test_hit', () => void calls.push('      test_hit'))]),
  ]);
}
