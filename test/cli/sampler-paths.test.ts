import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { RetainerPath } from '../../src/types/index.ts';

/** The samples' paths a fixture prints: in a child process, a heap that holds nothing of the test runner. */
function samplesOf(fixture: string): (RetainerPath[] | null)[] {
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../fixtures/paths', fixture)], {
      cwd: resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
      timeout: 120_000,
    }),
  ) as (RetainerPath[] | null)[];
}

const samples = samplesOf('holders.ts');

/** A path in one line: `root .edge → Target ◀ … [2] → Class`. */
function drawn(path: RetainerPath): string {
  return [path.root, ...path.steps.map(({ edge, target, grows }) => `${edge} → ${target}${grows ? ' ◀' : ''}`)].join(' ');
}

function pathsOf(sample: number, name: string, from = samples): { drawn: string; objects: number | undefined; added: number }[] {
  return (from[sample] ?? [])
    .filter((path) => path.name === name)
    .map((path) => ({ drawn: drawn(path), objects: path.objects, added: path.added }));
}

const third: [string, string][] = [
  ['holders.InExport', 'holders (module) .exported → Array ◀ [2] → holders.InExport'],
  ['holders.InModule', 'holders (module) .kept → Array ◀ [2] → holders.InModule'],
  ['holders.InMap', 'holders (module) .byRun → Map ◀ .table[12] → holders.InMap'],
  ['holders.InClosure', 'holders (module) .keep → (anonymous)() .held → Array ◀ [2] → holders.InClosure'],
  ['holders.InGlobal', 'globalThis .leakrunPathsFixture → Array ◀ [2] → holders.InGlobal'],
  [
    'holders.InListener',
    'holders (module) .bus → EventEmitter ._events → Object .event → Array ◀ [2] → (anonymous)() .listener → holders.InListener',
  ],
];

for (const [name, path] of third) {
  test(`retainer paths: ${name} is held along its holder, the growing reference marked`, () => {
    assert.deepEqual(pathsOf(2, name), [{ drawn: path, objects: 3, added: 1 }]);
  });
}

// A module's top-level binding is in the module's scope only when a function captures it (`.kept`
// above, `.entries` in plain CommonJS, `.archive` in tsx's): the scope of a function inside a
// module whose bindings nothing captures is not the module's, and the path goes on to what holds
// that function.
const scopes: [string, string][] = [
  ['ledger.Entry', 'ledger (module) .entries → Array ◀ [2] → ledger.Entry'],
  ['archive.Archived', 'archive (module) .archive → Array ◀ [2] → archive.Archived'],
  [
    'mailer.Sent',
    'globalThis .leakrunPathsMail → EventEmitter ._events → Object .send → (anonymous)() .this → mailer.Mailer .sent → Array ◀ [2] → mailer.Sent',
  ],
  [
    'holders.Posted',
    'globalThis .leakrunPathsPost → EventEmitter ._events → Object .post → (anonymous)() .this → postbox.Postbox .posted → Array ◀ [2] → holders.Posted',
  ],
  [
    'holders.Watched',
    'globalThis .leakrunPathsPost → EventEmitter ._events → Object .watch → Array ◀ [2] → (anonymous)() .entry → holders.Watched',
  ],
];

for (const [name, path] of scopes) {
  test(`retainer paths: ${name} starts at a module only through the module's own scope`, () => {
    assert.deepEqual(pathsOf(2, name), [{ drawn: path, objects: 3, added: 1 }]);
  });
}

test('retainer paths: the objects of a linked list share one path, which counts them all', () => {
  // Node keeps the timers of a duration in a ring, which the search enters from both ends.
  const timers = 'node:timers (module) .timerListMap → Object [3600000] → TimersList ◀ ._idleNext → Timeout';
  assert.deepEqual(pathsOf(1, 'Timeout'), [{ drawn: timers, objects: 2, added: 1 }], 'sample 2');
  assert.deepEqual(pathsOf(2, 'Timeout'), [{ drawn: timers, objects: 3, added: 1 }], 'sample 3');
  // What the timers hold shares their path too: a heap number per timer and field, all 3 live.
  const numbers = pathsOf(2, '(heap number)').filter(({ drawn }) => drawn.startsWith(`${timers} `));
  assert.ok(numbers.length > 0);
  for (const { objects, added } of numbers) assert.equal(objects, 3 * added);
});

test('retainer paths: a number field is named as the property it is, or as those it may be', () => {
  // V8's snapshot leaves double fields unnamed; `id`, a small integer, is as unnamed as `at`.
  assert.deepEqual(
    pathsOf(2, '(heap number)', samplesOf('fields.ts')).sort((a, b) => (a.drawn < b.drawn ? -1 : 1)),
    [
      { drawn: 'fields (module) .numbered → Array ◀ [2] → Object .id or .at → (heap number)', objects: 3, added: 1 },
      { drawn: 'fields (module) .stamped → Array ◀ [2] → Object .at → (heap number)', objects: 3, added: 1 },
      { drawn: 'fields (module) .wide → Array ◀ [2] → Object .until → (heap number)', objects: 3, added: 1 },
    ],
  );
});

test('retainer paths: each path counts the live objects along it and the new ones', () => {
  for (const [sample, objects] of [
    [0, 1],
    [1, 2],
  ] as const) {
    assert.deepEqual(
      pathsOf(sample, 'holders.InModule').map(({ objects: live, added }) => [live, added]),
      [[objects, 1]],
      `sample ${sample + 1}`,
    );
  }
});

test('retainer paths: none when no row grew since the previous sample', () => {
  assert.equal(samples[3], null);
});

test('retainer paths: not traced for a sample asked without them; the next one counts only its own new objects', () => {
  assert.equal(samples[4], null);
  assert.deepEqual(
    pathsOf(5, 'holders.InModule').map(({ objects, added }) => [objects, added]),
    [[5, 1]],
  );
});
