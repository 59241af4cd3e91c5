/**
 * leakrun as a user installs it: the package is packed as it is published (scripts/pack.js),
 * installed from the tarball into an empty project, and the README's quick start is run there,
 * word for word. Needs `npm` and the npm cache that `npm ci` filled (nothing is downloaded when
 * the cache holds leakrun's dependencies).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { repo } from './helpers/cli.ts';

const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'leakrun-pack-test-'));
const project = join(work, 'project');
let tarball = '';
let install: { stdout: string; stderr: string };

/** The code blocks of the README's quick start, in order: `[info, text]`. */
function quickStart(): [string, string][] {
  const section = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
  return [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((match) => [match[1] ?? '', match[2] ?? '']);
}

function inProject(command: string, args: readonly string[], cwd = project): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.NODE_TEST_CONTEXT;
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env });
  if (child.error) throw child.error;
  return child;
}

before(() => {
  // The README's command (npm runs the `prepack` guard before a script named `pack`), without its
  // build: `npm test` has built dist/, and other tests read it while this one runs.
  assert.match(readme, /`npm run pack` builds and packs the package/);
  const packed = inProject('npm', ['run', 'pack', '--silent', '--', '--out', work, '--no-build'], repo);
  assert.equal(packed.status, 0, packed.stderr);
  tarball = packed.stdout.trim().split('\n').at(-1) ?? '';
  assert.match(tarball, /leakrun-[\d.]+\.tgz$/);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true }, null, 2));
  const [installCommand] = quickStart();
  assert.equal(installCommand?.[1].trim(), 'npm install --save-dev leakrun');
  // The README's command, with the tarball for the registry's name.
  const installed = inProject('npm', ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund']);
  assert.equal(installed.status, 0, installed.stderr);
  install = installed;
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the published manifest has no scripts, and says where the code, the docs and the issues are', () => {
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<
    string,
    unknown
  >;
  assert.equal(manifest.scripts, undefined);
  assert.equal(manifest.devDependencies, undefined);
  assert.match(String((manifest.repository as { url: string }).url), /^git\+https:\/\/github\.com\/leakrun\/leakrun\.git$/);
  assert.match(String(manifest.homepage), /^https:\/\//);
  assert.match(String((manifest.bugs as { url: string }).url), /\/issues$/);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  for (const file of ['package/LICENSE', 'package/docs/getting-started.md', 'package/dist/cli.js', 'package/bin/leakrun.js']) {
    assert.ok(files.includes(file), `${file} is in the package`);
  }
  assert.ok(!files.some((file) => file.endsWith('.map') || file.startsWith('package/src/')), 'no sources or maps');
  // The README's links work from the registry's page: none is relative.
  const published = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' });
  assert.ok(published.includes('](https://github.com/leakrun/leakrun/blob/main/docs/getting-started.md)'));
  assert.deepEqual(
    [...published.matchAll(/\]\((?!https:|#)([^)]+)\)/g)].map((match) => match[1]),
    [],
  );
});

test('installing the tarball runs and asks about no script of leakrun', () => {
  // npm 11 lists every dependency with an install script that the project has not approved.
  // The only one is esbuild's postinstall, which comes with tsx (the TypeScript loader); leakrun
  // itself has none, and nothing else it depends on does.
  const warned = [...install.stderr.matchAll(/^npm warn install-scripts {3}(\S+)@/gm)].map((match) => match[1]);
  assert.ok(!warned.includes('leakrun'), install.stderr);
  assert.deepEqual(
    warned.filter((name) => name !== 'esbuild'),
    [],
    install.stderr,
  );
});

test("the README's quick start works as written in the new project", () => {
  const [, [, source] = ['', ''], [, command] = ['', '']] = quickStart();
  const file = /^\/\/ (\S+)\n/.exec(source)?.[1];
  assert.ok(file, 'the example names its file in its first line');
  mkdirSync(join(project, dirname(file)), { recursive: true });
  writeFileSync(join(project, file), source);
  const [npx, ...args] = command.trim().split(/\s+/);
  assert.equal(npx, 'npx');
  const run = inProject('npx', args);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const changes = [...run.stdout.matchAll(/sys refcount=\d+ +change=(-?\d+)/g)].map((match) => Number(match[1]));
  assert.deepEqual(changes, [3, 3, 3], run.stdout);
  assert.match(run.stdout, /\n {4}src\.cart\.test\.Cart {20,}1 +1\n/);
  assert.ok(readme.includes('src.cart.test.Cart                                           1      1'), 'the README shows that row');

  const judged = inProject('npx', ['leakrun', '--fail-on-leak']);
  assert.equal(judged.status, 1, judged.stdout + judged.stderr);
  assert.match(judged.stdout, /leaking test: a new cart holds what is added to it \(src\.cart\.test\) \+3 refs per run/);
  assert.match(judged.stdout, /src\.cart\.test \(module\)\n\s+╰─ \.opened → Array {2}◀ grows/);

  // Without the leaking line, every change is 0.
  writeFileSync(join(project, file), source.replace('    opened.push(cart);\n', ''));
  const clean = inProject('npx', args);
  assert.deepEqual(
    [...clean.stdout.matchAll(/change=(-?\d+)/g)].map((match) => Number(match[1])),
    [0, 0, 0],
    clean.stdout,
  );
});

test('with install scripts blocked (npm 12 blocks them by default), the quick start still works', () => {
  const blocked = join(work, 'blocked');
  mkdirSync(join(blocked, 'src'), { recursive: true });
  writeFileSync(join(blocked, 'package.json'), JSON.stringify({ name: 'blocked', version: '1.0.0', private: true }));
  const installed = inProject(
    'npm',
    ['install', '--save-dev', tarball, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    blocked,
  );
  assert.equal(installed.status, 0, installed.stderr);
  const [, [, source] = ['', '']] = quickStart();
  writeFileSync(join(blocked, 'src/cart.test.ts'), source);
  const run = inProject('npx', ['leakrun', 'src/cart.test.ts', '-N3', '-r'], blocked);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(
    [...run.stdout.matchAll(/change=(-?\d+)/g)].map((match) => Number(match[1])),
    [3, 3],
  );
});

test('the subpaths resolve under moduleResolution node10 as under node16', () => {
  const check = join(project, 'types-check');
  mkdirSync(check);
  const source = [
    "import { run } from 'leakrun';",
    "import { assertNoLeaks } from 'leakrun/assert';",
    "import { toLeak } from 'leakrun/expect';",
    "import { runDocFile } from 'leakrun/doctest';",
    "import { V8HeapSnapshotSampler } from 'leakrun/sampler';",
    'export const parts = [run, assertNoLeaks, toLeak, runDocFile, V8HeapSnapshotSampler];',
    '',
  ].join('\n');
  // node16 reads the package's `exports` (an ES module imports it); node10 reads `typesVersions`.
  writeFileSync(join(check, 'check.ts'), source);
  writeFileSync(join(check, 'check.mts'), source);
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  for (const [resolution, module, file] of [
    ['node10', 'commonjs', 'check.ts'],
    ['node16', 'node16', 'check.mts'],
  ] as const) {
    const options = ['--noEmit', '--strict', '--skipLibCheck', '--moduleResolution', resolution, '--module', module, '--types', 'node'];
    const typeRoots = ['--typeRoots', join(repo, 'node_modules/@types')];
    const checked = spawnSync(process.execPath, [tsc, ...options, ...typeRoots, join(check, file)], { cwd: project, encoding: 'utf8' });
    assert.equal(checked.status, 0, `${resolution}: ${checked.stdout}${checked.stderr}`);
  }
});

test('a plain npm pack in the clone refuses, saying to run npm run pack', () => {
  const refused = inProject('npm', ['pack', '--dry-run', '--pack-destination', work], repo);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /run npm run pack, which stages the published package/);
});
