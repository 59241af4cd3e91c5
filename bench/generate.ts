/**
 * Writes the same trivial test suite in the dialect of each runner, so every tool parses,
 * registers and runs identical work: MODULES files of TESTS_PER_MODULE tests, each doing one
 * `assert.equal(1, 1)`. Every test is written out as its own line (no loops) so the source each
 * tool loads is the same size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MODULES = 20;
export const TESTS_PER_MODULE = 100;
export const TOTAL_TESTS = MODULES * TESTS_PER_MODULE;

/** The repository root, found from this file's location. */
export const repo = resolve(import.meta.dirname, '..');

/** The tools benchmarked, in the order tables print them. */
export type ToolName = 'leakrun' | 'node:test' | 'mocha' | 'uvu';

/** A generated suite for one tool: its directory and its module files in order. */
export interface GeneratedSuite {
  readonly dir: string;
  readonly files: readonly string[];
}

// Generated modules live outside the repository, so packages are imported by absolute URL; the
// bench imports the same URLs, which keeps one module instance per package in-process.
export const leakrunUrl = pathToFileURL(join(repo, 'dist/index.js')).href;
export const uvuUrl = import.meta.resolve('uvu');

const BODY = '() => { assert.equal(1, 1); }';

function testName(module: number, index: number): string {
  return `test_${String(module).padStart(2, '0')}_${String(index).padStart(3, '0')}`;
}

function lines(module: number, line: (name: string) => string): string {
  return Array.from({ length: TESTS_PER_MODULE }, (_, index) => line(testName(module, index))).join('\n');
}

const sources: Record<ToolName, (module: number) => string> = {
  leakrun: (module) =>
    [
      "import assert from 'node:assert/strict';",
      `import { suite, test } from ${JSON.stringify(leakrunUrl)};`,
      'export function testSuite() {',
      '  return suite([',
      lines(module, (name) => `    test('${name}', ${BODY}),`),
      '  ]);',
      '}',
      '',
    ].join('\n'),
  'node:test': (module) =>
    [
      "import assert from 'node:assert/strict';",
      "import { test } from 'node:test';",
      lines(module, (name) => `test('${name}', ${BODY});`),
      '',
    ].join('\n'),
  // mocha's describe/it are globals set up by its CLI; one describe per module mirrors leakrun's suite().
  mocha: (module) =>
    [
      "import assert from 'node:assert/strict';",
      `describe('mod${String(module).padStart(2, '0')}', () => {`,
      lines(module, (name) => `  it('${name}', ${BODY});`),
      '});',
      '',
    ].join('\n'),
  uvu: (module) =>
    [
      "import assert from 'node:assert/strict';",
      `import { test } from ${JSON.stringify(uvuUrl)};`,
      lines(module, (name) => `test('${name}', ${BODY});`),
      'test.run();',
      '',
    ].join('\n'),
};

/** Module file names; `.test` in the stem is what leakrun's default `--tests-pattern` looks for. */
export function moduleFileName(module: number): string {
  return `mod${String(module).padStart(2, '0')}.test.mjs`;
}

/** Writes one directory per tool under `root` and returns where each suite is. */
export function generateSuites(root: string): Record<ToolName, GeneratedSuite> {
  const make = (tool: ToolName, subdirectory: string): GeneratedSuite => {
    const dir = join(root, subdirectory);
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (let module = 0; module < MODULES; module++) {
      const file = join(dir, moduleFileName(module));
      writeFileSync(file, sources[tool](module));
      files.push(file);
    }
    return { dir, files };
  };
  return {
    leakrun: make('leakrun', 'leakrun'),
    'node:test': make('node:test', 'node-test'),
    mocha: make('mocha', 'mocha'),
    uvu: make('uvu', 'uvu'),
  };
}
