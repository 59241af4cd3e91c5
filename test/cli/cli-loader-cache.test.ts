/**
 * Nothing the loader starts lands in a measured iteration (docs/design-sampler.md, "What the runner
 * leaves in the measured heap"). tsx, after its first compile, walks its disk cache folder
 * (`$TMPDIR/tsx-<uid>`) with `fs.promises.opendir` to prune old entries. When that walk ended
 * inside a judged iteration it freed about 40 references at once, so the README's quick-start leak
 * (+3 per run) once read `[-39, 3, 3]` on Node 24 and 26 and passed `--fail-on-leak`. Each case
 * here is what CI has: a test file no loader has compiled before, with a cold cache, and with a
 * large one, and checks every judged change, not only the exit code: a one-off drop that the
 * verdict sets aside would still be a count that was wrong.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { leakrun, repo } from '../helpers/cli.ts';

const work = mkdtempSync(join(tmpdir(), 'leakrun-loader-cache-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A project with leakrun and tsx installed (as links to this clone's), and the README's leaking test under a name never used before. */
function project(name: string): { dir: string; file: string } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  symlinkSync(repo, join(dir, 'node_modules', 'leakrun'));
  symlinkSync(join(repo, 'node_modules', 'tsx'), join(dir, 'node_modules', 'tsx'));
  const file = join('src', `cart-${name}-${process.pid}-${Date.now()}.test.ts`);
  writeFileSync(
    join(dir, file),
    `// ${file}: a file the loader has never compiled
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'leakrun';

class Cart {
  items: string[] = [];
}

const opened: Cart[] = [];

export const testSuite = () => [
  test('a new cart holds what is added to it', () => {
    const cart = new Cart();
    opened.push(cart);
    cart.items.push('tea');
    assert.deepEqual(cart.items, ['tea']);
  }),
];
`,
  );
  return { dir, file };
}

/** A temporary folder whose tsx cache holds `entries` files of this period (so none is pruned, and the walk reads them all). */
function temporaryFolder(entries: number): string {
  const dir = mkdtempSync(join(work, 'tmp-'));
  if (entries > 0) {
    const cache = join(dir, `tsx-${userInfo().uid}`);
    mkdirSync(cache);
    // tsx's entries are `<Date.now() / 1e8>-<hash>`; `touch` makes 60,000 in a fraction of the time a loop of writes takes.
    const period = Math.floor(Date.now() / 1e8);
    execFileSync('sh', ['-c', `seq -f '${period}-%040g' 1 ${entries} | xargs touch`], { cwd: cache });
  }
  return dir;
}

function changes(stdout: string): number[] {
  return [...stdout.matchAll(/change=(-?\d+)/g)].map((match) => Number(match[1]));
}

for (const [name, entries] of [
  ['cold', 0],
  ['large', 60_000],
] as const) {
  test(`a first run of a new test file with a ${name} loader cache: the leak is +3 in every judged iteration`, () => {
    const { dir, file } = project(name);
    const run = leakrun([file, '-r', '--fail-on-leak'], { cwd: dir, env: { TMPDIR: temporaryFolder(entries) }, timeout: 120_000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    // Iteration 2 is the warm-up; 3 to 5 are judged.
    assert.deepEqual(changes(run.stdout).slice(1), [3, 3, 3], run.stdout);
    assert.match(run.stdout, /leakrun\.UnitTests leaked \[3, 3, 3\] references, sum=9/);
  });
}
