/**
 * Part 3 of `npm run bench:runner`: the start of a TypeScript suite, loaded both ways leakrun can
 * load it (src/core/typescript.ts). The same 20 `.test.ts` files of 100 tests each, in two projects
 * that differ only in whether tsx is installed, run by the leakrun CLI on the newest pinned Node
 * (it strips types itself): Node's type stripping; tsx with its disk cache warm, as on a
 * developer's machine; tsx with a cold cache (a temporary folder of its own per run), as on a CI
 * machine. Round-robin in one bench run, so the ratios are side by side.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULES, repo, TESTS_PER_MODULE, TOTAL_TESTS } from './generate.ts';
import { formatProcessTable, leakrunPassed, timeProcesses, type ToolCommand } from './runner.ts';

/** The Node version the variant runs on: the newest that scripts/nodes.js pins. */
const NODE_MAJOR = '26';

function typedModule(module: number): string {
  const tests = Array.from({ length: TESTS_PER_MODULE }, (_, index) => {
    const name = `test_${String(module).padStart(2, '0')}_${String(index).padStart(3, '0')}`;
    return `    test('${name}', (): void => {\n      const item: Item = { name: '${name}', count: ${index} };\n      assert.equal(item.count, ${index});\n    }),`;
  });
  return [
    "import assert from 'node:assert/strict';",
    "import { suite, test, type Test } from 'leakrun';",
    '',
    'interface Item {',
    '  readonly name: string;',
    '  readonly count: number;',
    '}',
    '',
    'export function testSuite(): Test[] {',
    '  return suite([',
    ...tests,
    '  ]);',
    '}',
    '',
  ].join('\n');
}

function project(root: string, name: string, withTsx: boolean): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  symlinkSync(repo, join(dir, 'node_modules/leakrun'));
  if (withTsx) symlinkSync(join(repo, 'node_modules/tsx'), join(dir, 'node_modules/tsx'));
  for (let module = 0; module < MODULES; module++) {
    writeFileSync(join(dir, 'src', `mod${String(module).padStart(2, '0')}.test.ts`), typedModule(module));
  }
  return dir;
}

/** Times the three ways and prints their table; resolves to whether every way could be measured. */
export function benchTypeScript(root: string, warmups: number, rounds: number): boolean {
  let node: string;
  try {
    node = execFileSync(process.execPath, [join(repo, 'scripts/nodes.js'), 'path', NODE_MAJOR], { encoding: 'utf8' }).trim();
  } catch (error) {
    console.log(`  not measured: no Node ${NODE_MAJOR} (${(error as Error).message.split('\n')[0]})`);
    return false;
  }
  if (!node.startsWith('/')) {
    console.log(`  not measured: ${node}`);
    return true;
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const stripped = project(root, 'ts-stripped', false);
  const compiled = project(root, 'ts-tsx', true);
  const warmCache = mkdtempSync(join(root, 'tsx-warm-'));
  const bin = (dir: string): string[] => [join(dir, 'node_modules/leakrun/bin/leakrun.js'), '--path', join(dir, 'src')];
  const commands: ToolCommand[] = [
    { tool: "Node's type stripping", node, args: bin(stripped), passed: leakrunPassed },
    { tool: 'tsx, warm cache', node, args: bin(compiled), passed: leakrunPassed, env: () => ({ TMPDIR: warmCache }) },
    {
      tool: 'tsx, cold cache',
      node,
      args: bin(compiled),
      passed: leakrunPassed,
      env: () => ({ TMPDIR: mkdtempSync(join(root, 'tsx-cold-')) }),
    },
  ];
  console.log(
    `  ${MODULES} .test.ts files of ${TESTS_PER_MODULE} typed tests on Node ${version}, ${warmups} warm-up + ${rounds} measured rounds, round-robin`,
  );
  const timings = timeProcesses(commands, { cwd: root, expected: TOTAL_TESTS, warmups, rounds });
  for (const timing of timings) if (timing.error !== undefined) console.log(`\n${timing.error}`);
  const table = formatProcessTable(timings, { base: "Node's type stripping", label: 'over stripping', over: true });
  console.log(table.replace(/^/gm, '  '));
  const measured = timings.every((timing) => timing.error === undefined);
  return measured;
}
