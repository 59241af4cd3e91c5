// The bundled sample tree (examples/sample) as a runner sees it by default: which modules are test
// modules, how many tests each layer gets, and that every level-1 test passes when the layers are
// driven by hand in zope's order, and fails when they are not. Needs `npm run build` (the sample
// modules import 'leakrun', which resolves to dist/).
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { discover, findModules } from '../../src/runner/discovery.ts';
import { DefaultOptionParser } from '../../src/runner/options.ts';
import type { RunOptions, Test } from '../../src/types/index.ts';
import {
  Layer1,
  Layer11,
  Layer111,
  Layer112,
  Layer12,
  Layer121,
  Layer122,
  Layerx,
  resetState,
  state,
} from '../../examples/sample/samplelayers.ts';

interface Hooked {
  setUp(): void;
  tearDown(): void;
  testSetUp(): void;
  testTearDown(): void;
}

const cwd = resolve(import.meta.dirname, '../..');

function options(argv: string[]): RunOptions {
  const parsed = new DefaultOptionParser().parse(['--path', 'examples/sample'], argv, { cwd, terminal: false });
  if ('problem' in parsed) assert.fail(parsed.problem.message);
  return parsed.options;
}

function layerName(t: Test): string {
  return (t.layer as { layerName?: string } | undefined)?.layerName ?? 'unit';
}

function countBy(tests: readonly Test[], key: (t: Test) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tests) counts[key(t)] = (counts[key(t)] ?? 0) + 1;
  return counts;
}

/** Runs one test between its layers' testSetUp (base first) and testTearDown (reverse). */
async function runInChain(t: Test, chain: readonly Hooked[]): Promise<void> {
  for (const layer of chain) layer.testSetUp();
  try {
    await t.run();
  } finally {
    for (const layer of [...chain].reverse()) layer.testTearDown();
  }
}

test('the default patterns pick the test modules and leave samplelayers, leak and clean out', () => {
  assert.deepEqual(
    findModules(options([])).map((module) => module.name),
    [
      'sample1.sample11.layered.test',
      'sample1.tests.test11',
      'sample1.tests.test12',
      'tests.test1',
      'tests.test11',
      'tests.test111',
      'tests.test112',
      'tests.test12',
      'tests.test121',
      'tests.test122',
    ],
  );
  assert.deepEqual(
    findModules(options(['--tests-pattern', '^leak$'])).map((module) => module.name),
    ['leak'],
  );
  assert.deepEqual(
    findModules(options(['--tests-pattern', '^clean$'])).map((module) => module.name),
    ['clean'],
  );
});

test('every module imports; Layer11 and Layer12 get the same number of tests', async () => {
  const found = await discover(options([]));
  assert.deepEqual(found.importFailures, []);
  const levelOne = found.tests.filter((t) => t.level === 1);
  assert.deepEqual(countBy(levelOne, layerName), {
    unit: 14,
    'samplelayers.Layer1': 3,
    'samplelayers.Layer11': 18,
    'samplelayers.Layer12': 18,
    'samplelayers.Layer111': 12,
    'samplelayers.Layer112': 12,
    'samplelayers.Layer121': 12,
    'samplelayers.Layer122': 12,
  });
  assert.deepEqual(
    found.tests.filter((t) => t.level !== 1).map((t) => `${t.level} ${t.id}`),
    ['2 test_x1 (tests.test1.TestA2)', '2 test_y0 (tests.test1.TestA2)', '2 test_z0 (tests.test1.TestA2)'],
  );
  assert.equal(new Set(found.tests.map((t) => t.id)).size, found.tests.length, 'printed names are unique');
});

test("in zope's layer order every level-1 test passes", async () => {
  resetState();
  const found = await discover(options([]));
  assert.deepEqual(found.importFailures, []);
  const tests = found.tests.filter((t) => t.level === 1);
  // Each step: the layer whose tests run, the layers torn down and set up first, and its chain.
  const plan: { name: string; down: Hooked[]; up: Hooked[]; chain: Hooked[] }[] = [
    { name: 'unit', down: [], up: [], chain: [] },
    { name: 'samplelayers.Layer1', down: [], up: [Layer1], chain: [Layer1] },
    { name: 'samplelayers.Layer11', down: [], up: [Layer11], chain: [Layer1, Layer11] },
    { name: 'samplelayers.Layer111', down: [], up: [Layerx, Layer111], chain: [Layer1, Layer11, Layerx, Layer111] },
    { name: 'samplelayers.Layer112', down: [Layer111], up: [Layer112], chain: [Layer1, Layer11, Layerx, Layer112] },
    { name: 'samplelayers.Layer12', down: [Layer112, Layerx, Layer11], up: [Layer12], chain: [Layer1, Layer12] },
    { name: 'samplelayers.Layer121', down: [], up: [Layer121], chain: [Layer1, Layer12, Layer121] },
    { name: 'samplelayers.Layer122', down: [Layer121], up: [Layer122], chain: [Layer1, Layer12, Layer122] },
  ];
  const problems: string[] = [];
  let ran = 0;
  for (const step of plan) {
    for (const layer of step.down) layer.tearDown();
    for (const layer of step.up) layer.setUp();
    for (const t of tests.filter((candidate) => layerName(candidate) === step.name)) {
      ran++;
      await runInChain(t, step.chain).catch((error: unknown) => problems.push(`${t.id}: ${String(error)}`));
    }
  }
  for (const layer of [Layer122, Layer12, Layer1]) layer.tearDown();
  assert.deepEqual(problems, []);
  assert.equal(ran, tests.length);
  assert.ok(ran > 100, `only ${ran} tests ran`);
  assert.deepEqual(state, { up: [], inTest: [] });
});

test('a layered test fails when a sibling layer is also set up or testSetUp was skipped', async () => {
  resetState();
  const tests = (await discover(options(['-m', '^tests\\.test11$']))).tests;
  assert.equal(tests.length, 9);
  Layer1.setUp();
  Layer11.setUp();
  Layer12.setUp();
  for (const t of tests) await assert.rejects(runInChain(t, [Layer1, Layer11]), /layers set up while/, t.id);
  Layer12.tearDown();
  for (const t of tests) await assert.rejects(t.run(), /layers in testSetUp while/, t.id);
  for (const t of tests) await runInChain(t, [Layer1, Layer11]);
  resetState();
});
