/**
 * Tests that change what every later test sees: one installs a global registry, one switches the
 * time zone for good. docs/leaks.md runs this module with `-r`.
 */
import { TestCase } from 'leakrun';

const scope = globalThis as typeof globalThis & { pluginRegistry?: Set<string> };

export class TestSettings extends TestCase {
  testRegistersPlugin(): void {
    scope.pluginRegistry ??= new Set();
    scope.pluginRegistry.add('markdown');
  }

  testFormatsInUtc(): void {
    process.env.TZ = 'UTC';
  }
}
