/**
 * Runs a bench program in a plain `node` process, without the TypeScript loader that `npm run
 * bench` starts under: the program's types are stripped with TypeScript's own transpiler into a
 * temporary `.mjs`, which must then import nothing but node built-ins and absolute URLs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';

/**
 * Strips `source`'s types into `dir`, runs it with `args`, its output going straight to ours, and
 * returns its exit status (`null` when it was killed).
 */
export function runIsolated(source: string, dir: string, args: readonly string[], timeoutMs: number): number | null {
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  const program = join(dir, basename(source).replace(/\.ts$/, '.mjs'));
  writeFileSync(program, outputText);
  const child = spawnSync(process.execPath, [program, ...args], { stdio: 'inherit', timeout: timeoutMs });
  if (child.error) throw child.error;
  return child.status;
}
