/**
 * Loaded before the tests of `npm run test:unit` (`--import`): they run in process, so starting a
 * child process is an error that names the place. A test that needs one belongs in test/cli/
 * (it runs the binary) or test/package/ (it checks what users get).
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const functions = childProcess as unknown as Record<string, (command: unknown, ...rest: unknown[]) => unknown>;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  const real = functions[name];
  functions[name] = function (this: unknown, command: unknown, ...rest: unknown[]) {
    // esbuild's own service process, which compiles TypeScript on a Node without type stripping
    // (the doctest compiler's fallback on Node 20), is part of the code under test, not a test's child.
    if (name === 'spawn' && typeof command === 'string' && /[\\/]esbuild(\.exe)?$/.test(command)) return real?.call(this, command, ...rest);
    throw new Error(`test/unit/ runs in process: child_process.${name}() was called; move this test to test/cli/ or test/package/`);
  };
}
// `import { spawn } from 'node:child_process'` in a module loaded after this sees the guard too.
syncBuiltinESMExports();
