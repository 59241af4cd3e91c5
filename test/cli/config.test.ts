import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { installTsx, leakrun, nodeStripsTypes, repo } from '../helpers/cli.ts';

const leakrunUrl = pathToFileURL(join(repo, 'dist/index.js')).href;

/** A throwaway project with two test directories, so the config's --path choice is visible. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-config-'));
  for (const name of ['alpha', 'beta']) {
    mkdirSync(join(dir, name));
    writeFileSync(
      join(dir, name, `${name}.test.mjs`),
      `import { test } from '${leakrunUrl}';\nexport const testSuite = () => [test('${name}', () => {})];\n`,
    );
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('the "leakrun" key of package.json gives the defaults; the command line goes on top', () => {
  const cwd = project({ 'package.json': JSON.stringify({ name: 'x', leakrun: ['--path', 'alpha', '-vv'] }) });
  const run = leakrun([], { cwd });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /\n alpha \(alpha\.test\)\n/);
  assert.doesNotMatch(run.stdout, /beta/);
  const more = leakrun(['--path', 'beta'], { cwd });
  assert.match(more.stdout, /alpha \(alpha\.test\)\n beta \(beta\.test\)\n/);
});

test('a leakrun.config.json file wins over package.json; leakrun.config.js and .ts work too', () => {
  const json = project({
    'package.json': JSON.stringify({ name: 'x', leakrun: ['--path', 'alpha'] }),
    'leakrun.config.json': JSON.stringify(['--path', 'beta', '-vv']),
  });
  assert.match(leakrun([], { cwd: json }).stdout, /^Running tests at level 1\nRunning unit tests:\n {2}Running:\n beta \(beta\.test\)\n/);
  const js = project({ 'leakrun.config.mjs': "export default ['--path', 'alpha', '-vv'];\n" });
  assert.match(leakrun([], { cwd: js }).stdout, /\n alpha \(alpha\.test\)\n/);
  const config = { 'leakrun.config.ts': "const args: string[] = ['--path', 'beta', '-vv'];\nexport default args;\n" };
  const ts = project(config);
  installTsx(ts);
  assert.match(leakrun([], { cwd: ts }).stdout, /\n beta \(beta\.test\)\n/);
  // Without tsx: Node's type stripping where it has it; else one line that names the fix.
  const stripped = leakrun([], { cwd: project(config) });
  if (nodeStripsTypes) assert.match(stripped.stdout, /\n beta \(beta\.test\)\n/);
  else {
    assert.equal(stripped.status, 2);
    assert.match(
      stripped.stderr,
      /^leakrun: error: leakrun\.config\.ts: TypeScript needs Node 22\.18 or newer, which strips types itself, or tsx \(this is Node [\d.]+\): npm install --save-dev tsx\n/,
    );
  }
});

test('a configuration that is not an argument list is one clear error and exit code 2', () => {
  const cwd = project({ 'package.json': JSON.stringify({ name: 'x', leakrun: '--path alpha' }) });
  const run = leakrun([], { cwd });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    'leakrun: error: the "leakrun" key of package.json must be a list of command-line arguments, e.g. ["--path", "src"]\n',
  );
  const object = leakrun([], { cwd: project({ 'package.json': JSON.stringify({ name: 'x', leakrun: { path: 'alpha' } }) }) });
  assert.equal(object.status, 2);
  assert.match(object.stderr, /^leakrun: error: the "leakrun" key of package.json has an unknown key "path": the keys are "options" /);
  const broken = leakrun([], { cwd: project({ 'leakrun.config.json': '["--path",' }) });
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /^leakrun: error: .*leakrun\.config\.json: /);
});

test('a configuration object gives options and known growth; the -v table marks that row known', () => {
  const cwd = project({
    'cache.test.mjs':
      `import { test } from '${leakrunUrl}';\n` +
      `const boundedCache = [];\n` +
      `export const testSuite = () => [test('fills', () => { if (boundedCache.length < 100) boundedCache.push({ at: boundedCache.length }); })];\n`,
    'leakrun.config.json': JSON.stringify({
      options: ['--tests-pattern', '^cache\\.test$'],
      knownGrowth: [
        { name: 'app: bounded cache', variables: ['boundedCache'], why: 'keeps up to 100 entries', clear: 'boundedCache.length = 0' },
      ],
    }),
  });
  const run = leakrun(['-N3', '-r', '-v'], { cwd });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /\n {4}app: bounded cache +1 +1 {2}known\n/);
  assert.doesNotMatch(run.stdout, /\n {4}Object /, 'the entries are counted in the known row, not as Object');
});

test('a configuration object with a bad key or a bad known-growth entry is one clear error', () => {
  const badKey = leakrun([], { cwd: project({ 'leakrun.config.json': JSON.stringify({ option: ['-v'] }) }) });
  assert.equal(badKey.status, 2);
  assert.equal(
    badKey.stderr,
    'leakrun: error: leakrun.config.json has an unknown key "option": the keys are "options" (command-line arguments) and "knownGrowth"\n',
  );
  const badEntry = leakrun([], {
    cwd: project({ 'package.json': JSON.stringify({ name: 'x', leakrun: { knownGrowth: [{ name: 'pool', why: 'w' }] } }) }),
  });
  assert.equal(badEntry.status, 2);
  assert.equal(
    badEntry.stderr,
    'leakrun: error: the "leakrun" key of package.json.knownGrowth[0] ("pool") needs "variables", "classes" or "timers": what holds the growth\n',
  );
});
