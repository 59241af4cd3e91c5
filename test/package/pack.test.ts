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
import { repo } from '../helpers/cli.ts';

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

function inProject(
  command: string,
  args: readonly string[],
  cwd = project,
  extra: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  delete env.NODE_TEST_CONTEXT;
  // A user's shell, not npm test's: npm's variables (npm_node_execpath and the rest) would make an
  // inner npx run the Node that runs npm test, whatever the PATH says.
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
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
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true, type: 'module' }, null, 2));
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

test('installing the tarball asks about no install script and brings no bundler', () => {
  // npm 11 lists every dependency with an install script that the project has not approved: none.
  assert.doesNotMatch(install.stderr, /install-scripts/, install.stderr);
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const installed = Object.keys(lock.packages).filter(Boolean);
  assert.deepEqual(
    installed.filter((path) => /node_modules\/(esbuild|@esbuild|tsx)(\/|$)/.test(path)),
    [],
    installed.join(', '),
  );
});

/** The environment of a command run on Node `major` (this one for 20): its binary first on the PATH, as `npx` and the bin's shebang find it. */
function onNode(major: string): Record<string, string> {
  if (major === process.versions.node.split('.')[0]) return {};
  const node = execFileSync(process.execPath, [join(repo, 'scripts/nodes.js'), 'path', major], { encoding: 'utf8' }).trim();
  return { PATH: `${dirname(node)}:${process.env.PATH ?? ''}` };
}

for (const major of ['24', '26']) {
  test(`the README's quick start works as written in the new project, on Node ${major}, which loads TypeScript itself`, () => {
    const [, [, source] = ['', ''], [, command] = ['', '']] = quickStart();
    const file = /^\/\/ (\S+)\n/.exec(source)?.[1];
    assert.ok(file, 'the example names its file in its first line');
    mkdirSync(join(project, dirname(file)), { recursive: true });
    writeFileSync(join(project, file), source);
    const [npx, ...args] = command.trim().split(/\s+/);
    assert.equal(npx, 'npx');
    const env = onNode(major);
    assert.match(inProject('npx', ['node', '--version'], project, env).stdout, new RegExp(`^v${major}\\.`));
    const run = inProject('npx', args, project, env);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const changes = [...run.stdout.matchAll(/sys refcount=\d+ +change=(-?\d+)/g)].map((match) => Number(match[1]));
    assert.deepEqual(changes, [3, 3, 3], run.stdout);
    assert.match(run.stdout, /\n {4}src\.cart\.test\.Cart {20,}1 +1\n/);
    assert.ok(readme.includes('src.cart.test.Cart                                           1      1'), 'the README shows that row');
    // The README's -v line is the one -v prints.
    assert.match(
      readme,
      /\n {2}sum detail refcount=\d+ +sys refcount=\d+ +change=3\n {4}Leak details, changes in instances and refcounts by type\/class:\n/,
    );
    assert.match(
      run.stdout,
      /\n {2}sum detail refcount=\d+ +sys refcount=\d+ +change=3 *\n {4}Leak details, changes in instances and refcounts by type\/class:\n/,
    );

    const judged = inProject('npx', ['leakrun', '--fail-on-leak'], project, env);
    assert.equal(judged.status, 1, judged.stdout + judged.stderr);
    assert.match(judged.stdout, /leaking test: a new cart holds what is added to it \(src\.cart\.test\) \+3 refs per run/);
    assert.match(judged.stdout, /src\.cart\.test \(module\)\n\s+╰─ \.opened → Array {2}◀ grows/);

    // Without the leaking line, every change is 0.
    writeFileSync(join(project, file), source.replace('    opened.push(cart);\n', ''));
    const clean = inProject('npx', args, project, env);
    assert.deepEqual(
      [...clean.stdout.matchAll(/change=(-?\d+)/g)].map((match) => Number(match[1])),
      [0, 0, 0],
      clean.stdout,
    );
    writeFileSync(join(project, file), source);
  });
}

test('on Node 20 without tsx, a TypeScript test file says in one line what to install; with tsx, a test with an enum loads', () => {
  const other = join(work, 'node20');
  mkdirSync(join(other, 'src'), { recursive: true });
  writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'node20', version: '1.0.0', private: true, type: 'module' }));
  const installed = inProject('npm', ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'], other);
  assert.equal(installed.status, 0, installed.stderr);
  const [, [, source] = ['', '']] = quickStart();
  writeFileSync(join(other, 'src/cart.test.ts'), source);
  const without = inProject('npx', ['leakrun', 'src/cart.test.ts'], other, onNode('20'));
  assert.equal(without.status, 1, without.stdout + without.stderr);
  assert.match(
    without.stdout,
    /\nError: src\/cart\.test\.ts: TypeScript needs Node 22\.18 or newer, which strips types itself, or tsx \(this is Node 20\.[\d.]+\): npm install --save-dev tsx\n\n/,
  );
  // tsx as the fix says, with its esbuild's install script blocked, as npm 12 does by default.
  const withTsx = inProject(
    'npm',
    ['install', '--save-dev', 'tsx', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    other,
  );
  assert.equal(withTsx.status, 0, withTsx.stderr);
  writeFileSync(
    join(other, 'src/colors.test.ts'),
    "import assert from 'node:assert/strict';\nimport { test } from 'leakrun';\n\nenum Color {\n  Red,\n  Green,\n}\n\nexport const testSuite = () => [test('an enum', () => assert.equal(Color[Color.Green], 'Green'))];\n",
  );
  for (const major of ['20', '26']) {
    const run = inProject('npx', ['leakrun', 'src/colors.test.ts', 'src/cart.test.ts', '-N3', '-r'], other, onNode(major));
    assert.equal(run.status, 0, `Node ${major}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /Ran 2 tests with 0 failures and 0 errors/);
    assert.deepEqual(
      [...run.stdout.matchAll(/change=(-?\d+)/g)].map((match) => Number(match[1])),
      [3, 3],
      run.stdout,
    );
  }
  // Without tsx, Node 26 names the file, the syntax and the fix in one line.
  rmSync(join(other, 'node_modules', 'tsx'), { recursive: true, force: true });
  const stripped = inProject('npx', ['leakrun', 'src/colors.test.ts'], other, onNode('26'));
  assert.equal(stripped.status, 1, stripped.stdout + stripped.stderr);
  assert.match(
    stripped.stdout,
    /\nSyntaxError: src\/colors\.test\.ts:4: TypeScript enum is not supported by Node's type stripping; tsx compiles it: npm install --save-dev tsx\n\n/,
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
