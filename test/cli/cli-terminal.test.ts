/**
 * Colour and `-p` as a user sees them: in a real pseudo-terminal (util-linux's `script`, which
 * Debian always has), on a pipe, and under `NO_COLOR` and `FORCE_COLOR`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { leakrun, repo } from '../helpers/cli.ts';

const bin = resolve(repo, 'bin/leakrun.js');
const ESCAPE = '\x1b[';
const sample = ['--path', 'examples/sample', '--layer', 'Layer11$', '-m', 'test11'];

/** Runs leakrun in a pseudo-terminal `columns` wide; what the terminal received, as one string. */
function inTerminal(args: readonly string[], env: Record<string, string | undefined> = {}, columns = 50): string {
  const quoted = [process.execPath, bin, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawnSync('script', ['-qec', `stty cols ${columns} rows 24; ${quoted}`, '/dev/null'], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_DISABLE_COLORS: undefined, TERM: 'xterm', ...env },
  });
  if (child.error) throw child.error;
  assert.equal(child.status, 0, child.stdout + child.stderr);
  return child.stdout;
}

test('in a terminal, output is coloured and -p rewrites one line, fitted to the width', () => {
  const text = inTerminal([...sample, '-p', '-v'], {}, 50);
  assert.ok(text.includes(`${ESCAPE}32m15${ESCAPE}39m tests`), 'the counts are green');
  // The progress frames: each starts after a \r, none wider than the terminal, so none wraps.
  const running = text.slice(text.indexOf('Running:'), text.indexOf('  Ran '));
  const frames = running
    .split('\r')
    .map((frame) => frame.trim())
    .filter((frame) => /^\d+\/15 /.test(frame));
  assert.equal(frames.length, 15, running);
  assert.equal(frames[0]?.startsWith('1/15 (6.7%) test_x1'), true, frames[0]);
  assert.equal(frames[14]?.startsWith('15/15 (100.0%)'), true, frames[14]);
  for (const piece of running.split('\r')) {
    const frame = piece.slice(piece.lastIndexOf('\n') + 1);
    assert.ok(frame.length < 50, `wider than the terminal: ${JSON.stringify(frame)}`);
  }
  // A frame that would not fit is squeezed with zope's "...".
  const narrow = inTerminal([...sample, '-p', '-vv'], {}, 40);
  assert.match(narrow, /\n {4}1\/15 \(6\.7%\) test_x1 \(\.\.\.[\w.]+\)\r/);
});

test('NO_COLOR turns colour off in a terminal; -c turns it back on; FORCE_COLOR=0 turns it off', () => {
  assert.ok(!inTerminal(sample, { NO_COLOR: '1' }).includes(ESCAPE));
  assert.ok(inTerminal([...sample, '-c'], { NO_COLOR: '1' }).includes(ESCAPE));
  assert.ok(!inTerminal(sample, { FORCE_COLOR: '0' }).includes(ESCAPE));
  assert.ok(!inTerminal(sample, { TERM: 'dumb' }).includes(ESCAPE));
  assert.ok(!inTerminal([...sample, '-C']).includes(ESCAPE));
});

test('on a pipe, output is plain unless -c or FORCE_COLOR asks for colour', () => {
  const plainEnv = { NO_COLOR: undefined, FORCE_COLOR: undefined } as unknown as Record<string, string>;
  const piped = leakrun(sample, { env: plainEnv });
  assert.equal(piped.status, 0, piped.stderr);
  assert.ok(!piped.stdout.includes(ESCAPE));
  assert.ok(leakrun([...sample, '-c'], { env: plainEnv }).stdout.includes(`${ESCAPE}32m`));
  assert.ok(leakrun(sample, { env: { ...plainEnv, FORCE_COLOR: '1' } }).stdout.includes(`${ESCAPE}32m`));
  assert.ok(!leakrun([...sample, '--auto-color'], { env: plainEnv }).stdout.includes(ESCAPE));
});
