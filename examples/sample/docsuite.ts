/**
 * A markdown doctest as a leakrun test in a layer (`docFileSuite`). Not named like a test module,
 * so the default run of the sample tree leaves it out; `--tests-pattern ^docsuite$` loads it.
 *
 * @packageDocumentation
 */
import { docFileSuite, type TestSpec } from 'leakrun';
import { Layer11 } from './samplelayers.ts';

/** One test, `examples/sample/layered-doc.md` (named relative to the working directory), in Layer11. */
export function testSuite(): TestSpec {
  return docFileSuite(new URL('./layered-doc.md', import.meta.url), { layer: Layer11 });
}
