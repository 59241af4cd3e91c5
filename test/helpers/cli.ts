import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'bin/leakrun.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Gives a throwaway project tsx, as `npm install --save-dev tsx` would (a link to this clone's):
 * what TypeScript files need on a Node without type stripping (Node 20).
 */
export function installTsx(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(resolve(repo, 'node_modules/tsx'), join(dir, 'node_modules/tsx'));
}

/** Whether this Node loads TypeScript itself (22.18 and newer), without tsx. */
export const nodeStripsTypes = (process.features as { typescript?: unknown }).typescript === 'strip';

/** Runs the real CLI in a child process from the repository root. */
export function leakrun(args: readonly string[], options: { cwd?: string; timeout?: number; env?: Record<string, string> } = {}): CliRun {
  const child = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repo,
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
  });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** Replaces what changes from run to run: times, heap counts' absolute values, line:column numbers in node's own frames. */
export function normalise(text: string): string {
  return text
    .replace(/\d+\.\d{3} seconds/g, 'N.NNN seconds')
    .replace(/\(\d+\.\d{3} s\)/g, '(N.NNN s)')
    .replaceAll(repo, '<repo>');
}

/**
 * Compares text with a stored expectation in test/expected/NAME.txt. With UPDATE_EXPECTED=1 the
 * file is written instead, as node's snapshot files are regenerated; without it, a missing file
 * fails the test.
 */
export function assertExpected(name: string, actual: string): void {
  const file = resolve(repo, 'test/expected', `${name}.txt`);
  if (process.env.UPDATE_EXPECTED === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  // A missing expectation is a failure, never silently written: it would pass whatever the output.
  if (!existsSync(file)) assert.fail(`missing expectation test/expected/${name}.txt; write it with UPDATE_EXPECTED=1 and review it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from test/expected/${name}.txt`);
}
