/**
 * Packs leakrun as it is published: `npm run pack [-- --out DIR] [-- --no-build]` prints the
 * tarball's path.
 *
 * The package is packed from a staging folder, not from the repository, so that what users
 * install is only what they need:
 * - a manifest without `scripts` and `devDependencies` (no lifecycle script of ours runs, or is
 *   warned about, when it is installed);
 * - the README with its links made absolute, so that they work on the registry's page and in
 *   an editor's preview of `node_modules/leakrun/README.md`;
 * - `bin/`, `dist/` (no source maps), `schema/`, `docs/` and the licence.
 *
 * Publishing is `npm publish <the tarball>`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The published manifest's fields, in this order; everything else (scripts, devDependencies) stays home. */
const PUBLISHED = [
  'name',
  'version',
  'description',
  'keywords',
  'homepage',
  'bugs',
  'repository',
  'license',
  'type',
  'engines',
  'bin',
  'exports',
  'types',
  'typesVersions',
  'files',
  'dependencies',
  'peerDependencies',
  'peerDependenciesMeta',
];

/** The repository's web address for a file or folder on the main branch (`docs/ci.md`, `examples`). */
function webAddress(path) {
  const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return `${repository}/blob/main/${path.replace(/^\.\//, '')}`;
}

/** The README with `[text](relative/path)` links made absolute; `#anchors` and URLs stay as they are. */
export function publishedReadme(text) {
  return text.replace(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g, (_, path) => `](${webAddress(path)})`);
}

export function publishedManifest() {
  const out = {};
  for (const field of PUBLISHED) if (manifest[field] !== undefined) out[field] = manifest[field];
  out.files = [...manifest.files, 'docs'];
  return out;
}

/** Stages the package and packs it into `out`; returns the tarball's path. */
export function pack({ out = root, build = true } = {}) {
  if (build) execFileSync(process.execPath, [join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
  const stage = mkdtempSync(join(tmpdir(), 'leakrun-pack-'));
  try {
    for (const path of ['bin', 'dist', 'schema', 'docs', 'LICENSE']) {
      cpSync(join(root, path), join(stage, path), { recursive: true, filter: (source) => !source.endsWith('.map') });
    }
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(publishedManifest(), null, 2)}\n`);
    writeFileSync(join(stage, 'README.md'), publishedReadme(readFileSync(join(root, 'README.md'), 'utf8')));
    mkdirSync(out, { recursive: true });
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', resolve(out)], {
        cwd: stage,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    return join(resolve(out), packed[0].filename);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-build': { type: 'boolean' } } });
  console.log(pack({ out: values.out ?? root, build: !values['no-build'] }));
}
