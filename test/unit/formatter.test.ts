import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortDescription } from '../../src/formatter/progress.ts';
import { ResultBuilder } from '../../src/runner/result.ts';
import type { RunEvent } from '../../src/types/index.ts';
import { assertExpected } from '../helpers/cli.ts';
import {
  assertionFailure,
  boom,
  iteration,
  options,
  pass,
  render,
  result,
  runEnd,
  setUp,
  stackError,
  tearDown,
  CWD,
} from '../helpers/formatter.ts';

const UNIT = 'leakrun.UnitTests';
const L1 = 'samplelayers.Layer1';
const id = (n: number): string => `test_${n} (sample.tests.test_sample.TestA)`;
const start = (overrides = {}): RunEvent => ({ type: 'run:start', options: options(overrides) });
const unitLayer: RunEvent = { type: 'layer:start', layer: UNIT, unit: true };

/** Unit tests with a failure, an error and a skip, then one layer; the shape most scenarios share. */
function mixedRun(): RunEvent[] {
  return [
    unitLayer,
    ...iteration(UNIT, 1, 1, [pass(id(1)), { id: id(2), fail: assertionFailure('TestA.test_2') }, pass(id(3), 0.0125)], 0.0205),
    { type: 'layer:start', layer: L1, unit: false },
    ...setUp(L1, 0.1234),
    ...iteration(L1, 1, 1, [{ id: id(4), error: boom('TestB.test_4') }, { id: id(5), skip: 'needs a database' }, pass(id(6), 12.5)], 12.75),
    { type: 'leftover:start' },
    ...tearDown(L1),
  ];
}

function mixedResult(): RunEvent {
  const problems = [
    { kind: 'failure' as const, phase: 'test' as const, test: id(2), error: new Error('x') },
    { kind: 'error' as const, phase: 'test' as const, test: id(4), error: new Error('y') },
  ];
  return runEnd(result({ tests: 6, failures: 1, errors: 1, skipped: 1, layers: 2 }, problems));
}

for (const [name, verbose] of [
  ['default', 0],
  ['v', 1],
  ['vv', 2],
  ['vvv', 3],
] as const) {
  test(`verbosity ${name}: failures, errors and skips as zope prints them at that level`, () => {
    const text = render([start({ verbose }), ...mixedRun(), mixedResult()], { verbose });
    assertExpected(`formatter-mixed-${name}`, text);
    // One blank line before every report and one after, whatever the verbosity.
    assert.ok(text.includes('\n\nFailure in test test_2 (sample.tests.test_sample.TestA)\nAssertionError [ERR_ASSERTION]'));
    assert.ok(text.includes('    at TestA.test_2 (tests/test_sample.ts:20:12)\n\n'));
    assert.ok(!text.includes('src/runner/repeat.ts') && !text.includes('node:internal'), 'leakrun and node frames are hidden');
    assert.equal(text.includes('Tests with failures:\n   test_2'), verbose > 0);
    assert.ok(text.includes('  Ran 3 tests with 0 failures, 1 errors and 1 skipped in 12.750 seconds.\n'));
    assert.ok(text.endsWith('Total: 6 tests, 1 failures, 1 errors and 1 skipped\n'));
  });
}

test('-v: dots wrap below 80 columns, and a report in the middle ends the line; dots go on below it', () => {
  const outcomes = Array.from({ length: 160 }, (_, index) =>
    index === 99 ? { id: id(index), fail: assertionFailure('TestA.test_99') } : pass(id(index)),
  );
  const text = render([unitLayer, ...iteration(UNIT, 1, 1, outcomes, 0.2)], { verbose: 1 });
  const lines = text.split('\n');
  assert.equal(lines[2], `    ${'.'.repeat(75)}`);
  assert.equal(lines[3], `    ${'.'.repeat(25)}`, "the failing test's own dot comes before its report");
  assert.equal(lines[4], '');
  assert.equal(lines[5], `Failure in test ${id(99)}`);
  assertExpected('formatter-dots-failure', text);
});

test('set-up errors print on the Set up line; tear-down errors too; CannotTearDown prints not supported', () => {
  const text = render([
    { type: 'layer:start', layer: 'app.Broken', unit: false },
    ...setUp('app.Broken', 0, boom('Broken.setUp')),
    { type: 'layer:not-run', layer: 'app.Broken', tests: [id(7), id(8)] },
    { type: 'layer:start', layer: 'app.Sticky', unit: false },
    ...setUp('app.Sticky', 0.002),
    ...iteration('app.Sticky', 1, 1, [pass(id(1))], 0.001),
    { type: 'layer:start', layer: 'app.Other', unit: false },
    ...tearDown('app.Sticky', 0, { notSupported: true }),
    ...setUp('app.Other', 0.0005),
    ...iteration('app.Other', 1, 1, [pass(id(2))], 0.001),
    { type: 'leftover:start' },
    ...tearDown('app.Other', 0, { error: stackError('TypeError', 'cannot close', [`Other.tearDown (${CWD}/layers.ts:9:3)`]) }),
    runEnd(result({ tests: 2, errors: 2, layers: 3 })),
  ]);
  assert.ok(
    text.includes(
      '  Set up app.Broken failed:\nError: boom\n    at Broken.setUp (tests/test_sample.ts:12:11)\n\n  Did not run 2 tests: app.Broken could not be set up.\nRunning app.Sticky tests:\n',
    ),
  );
  assert.ok(text.includes('  Tear down app.Sticky ... not supported\n'));
  assert.ok(text.includes('  Tear down app.Other failed:\nTypeError: cannot close\n    at Other.tearDown (layers.ts:9:3)\n\n'));
  assertExpected('formatter-layer-problems', text);
});

test('a problem reported while a Set up line is open closes it and the line is printed again', () => {
  const text = render([
    { type: 'layer:setup:start', layer: L1 },
    { type: 'run:problem', problem: { kind: 'error', phase: 'unhandled', test: id(1), error: boom('late') } },
    { type: 'layer:setup:end', layer: L1, seconds: 0.001 },
  ]);
  assert.equal(
    text,
    `  Set up ${L1} \n\nError in test ${id(1)}\nError: boom\n    at late (tests/test_sample.ts:12:11)\n\n  Set up ${L1} in 0.001 seconds.\n`,
  );
});

test('import failures come first, each module reported; they are listed again at the end and force Total', () => {
  const syntax = stackError(
    'SyntaxError',
    "Unexpected identifier 'x'",
    ['compileSourceTextModule (node:internal/modules/esm/utils:337:16)'],
    `file://${CWD}/tests/test_broken.mjs:3\nconst a b;\n        ^\n\nSyntaxError: Unexpected identifier 'x'`,
  );
  const imports = [
    { module: 'tests.test_broken', error: syntax },
    {
      module: 'tests.test_missing',
      error: stackError('Error', `Cannot find module '${CWD}/nope.ts'`, [`file://${CWD}/tests/test_missing.ts:1:1`]),
    },
  ];
  const text = render([
    start(),
    ...imports.map((failure): RunEvent => ({ type: 'import:failure', ...failure })),
    unitLayer,
    ...iteration(UNIT, 1, 1, [pass(id(1))], 0.001),
    runEnd(result({ tests: 1, errors: 2, layers: 1 }, [], imports)),
  ]);
  assert.ok(text.startsWith('Test-module import failures:\n\nModule: tests.test_broken\n\ntests/test_broken.mjs:3\n'));
  assert.ok(text.includes("Error: Cannot find module 'nope.ts'\n    at tests/test_missing.ts:1:1\n\n\nRunning unit tests:\n"));
  assert.ok(
    text.endsWith(
      '\nTest-modules with import problems:\n  tests.test_broken\n  tests.test_missing\nTotal: 1 tests, 0 failures, 2 errors\n',
    ),
  );
  assertExpected('formatter-import-failures', text);
});

test("--list-tests lists each layer's tests indented by two and prints nothing at the end", () => {
  const text = render(
    [
      start({ listTests: true }),
      { type: 'list:layer', layer: UNIT, tests: [id(1), id(2)] },
      { type: 'list:layer', layer: L1, tests: [id(3)] },
      runEnd(result({ tests: 0, layers: 0 })),
    ],
    { listTests: true },
  );
  assert.equal(text, `Listing ${UNIT} tests:\n  ${id(1)}\n  ${id(2)}\nListing ${L1} tests:\n  ${id(3)}\n`);
});

test('Total is left out when exactly one layer ran, and printed for none or several', () => {
  const oneLayer = [unitLayer, ...iteration(UNIT, 1, 1, [pass(id(1))], 0.001)];
  assert.ok(!render([...oneLayer, runEnd(result({ tests: 1, layers: 1 }))]).includes('Total'));
  assert.ok(render([runEnd(result({ tests: 0, layers: 0 }))]).includes('Total: 0 tests'));
  assert.ok(render([runEnd(result({ tests: 3, layers: 2 }))]).includes('Total: 3 tests, 0 failures, 0 errors\n'));
});

test("-v prints the level first (all levels with --all) and the shuffle seed in zope's words", () => {
  assert.equal(render([start()], { verbose: 1 }), 'Running tests at level 1\n');
  assert.equal(render([start()], { verbose: 1, atLevel: Infinity }), 'Running tests at all levels\n');
  assert.equal(render([start()], { shuffle: true, shuffleSeed: 42 }), 'Tests were shuffled using seed number 42.\n');
  assert.equal(render([start()], { verbose: 3, quiet: true }), '', '-q cancels -v');
});

test('-N: Iteration lines only when repeating; times of a minute or more print minutes as zope does', () => {
  const once = render(iteration(UNIT, 1, 1, [pass(id(1))], 0.001));
  assert.ok(!once.includes('Iteration'));
  const long = render(iteration(UNIT, 2, 3, [pass(id(1))], 125.5));
  assert.equal(long, 'Iteration 2\n  Ran 1 tests with 0 failures and 0 errors in 2 minutes 5.500 seconds.\n');
});

test("-p: zope's progress line, overwritten with carriage returns, interrupted by reports", () => {
  const outcomes = [pass(id(1)), { id: id(2), error: boom('TestA.test_2') }, pass(id(3)), pass(id(4))];
  const text = render([unitLayer, ...iteration(UNIT, 1, 1, outcomes, 0.004)], { progress: true });
  assert.ok(text.includes('  Running:\n    1/4 (25.0%)\r               \r    2/4 (50.0%)\n\nError in test'));
  assert.ok(text.includes('\n\n    3/4 (75.0%)\r               \r    4/4 (100.0%)\r                \r\n  Ran 4 tests'));
  assertExpected('formatter-progress', text);
  const verbose = render(
    [unitLayer, ...iteration(UNIT, 1, 1, [pass('test_with_a_rather_long_method_name (a.very.deeply.nested.module.path.TestCase)')], 0)],
    { progress: true, verbose: 1 },
  );
  const line = verbose.split('\n')[2]?.split('\r')[0] ?? '';
  assert.equal(line, '    1/1 (100.0%) test_with_a_rather_long_method_name (....module.path.TestCase)');
  assert.ok(line.length < 80);
});

test("progress names are squeezed as zope squeezes them (figures from zope's own function)", () => {
  assert.equal(shortDescription('x'.repeat(100), 20), ` ... ${'x'.repeat(15)}`);
  assert.equal(shortDescription('abc (defghijklmnopqrstuvwxyz)', 12), ' abc (...yz)');
  assert.equal(shortDescription('abcdefghijkl (x)', 8), ' abcd...');
  assert.equal(shortDescription('short (m)', 40), ' short (m)');
});

test("-c: zope's colours for headings, counts, times and stacks, in Node's escape codes", () => {
  const text = render([start({ verbose: 3, color: true }), ...mixedRun(), mixedResult()], { verbose: 3, color: true });
  // util.styleText's codes: each colour or modifier is opened and closed on its own.
  const green = (t: string): string => `\x1b[32m${t}\x1b[39m`;
  const bold = (colour: number, t: string): string => `\x1b[1m\x1b[${colour}m${t}\x1b[39m\x1b[22m`;
  assert.ok(text.includes('\nRunning unit tests:\n'), "headings keep the terminal's colour");
  assert.ok(
    text.includes(`${bold(31, 'Failure in test test_2 (sample.tests.test_sample.TestA)')}\n\x1b[31mAssertionError [ERR_ASSERTION]`),
  );
  assert.ok(text.includes(`    at ${bold(36, 'TestA.test_2')} (${bold(34, 'tests/test_sample.ts')}:${bold(31, '20')}:12)\n`));
  assert.ok(text.includes(` (${bold(35, '12.500 s')})`), 'slow tests stand out');
  assert.ok(text.includes(` (${bold(33, 'skipped: needs a database')})`));
  assert.ok(
    text.includes(`  Ran ${green('3')} tests with ${bold(31, '1')} failures and ${green('0')} errors in ${green('0.021')} seconds.\n`),
  );
  assert.ok(text.includes(`Total: ${green('6')} tests, ${bold(31, '1')} failures, ${bold(31, '1')} errors and ${bold(33, '1')} skipped\n`));
  assertExpected('formatter-color', text);
});

test('an event type this formatter does not know prints nothing', () => {
  assert.equal(render([{ type: 'layer:unknown' } as unknown as RunEvent]), '');
});

test('--fail-on-env-change: a change is printed as an error, Error in test Environment changed: LAYER, and counted in Total', () => {
  const change = { what: 'globalThis.cache', change: 'added' as const, after: 'an instance of Map' };
  const events: RunEvent[] = [
    unitLayer,
    ...iteration(UNIT, 1, 1, [pass(id(1))], 0.001),
    { type: 'layer:start', layer: L1, unit: false },
    ...setUp(L1),
    ...iteration(L1, 1, 1, [pass(id(2))], 0.001),
    { type: 'environment:change', layer: L1, iteration: 1, changes: [change] },
  ];
  const warning = `  Warning -- globalThis.cache was added by ${L1} (iteration 1): now an instance of Map\n`;
  // What is printed and what is counted come from the same events.
  const printed = (failOnEnvChange: boolean): string => {
    const builder = new ResultBuilder(1, false, failOnEnvChange);
    for (const event of events) builder.add(event);
    return render([...events, runEnd(builder.finish())], { failOnEnvChange });
  };
  const failed = printed(true);
  assert.ok(
    failed.includes(
      `  Ran 1 tests with 0 failures and 0 errors in 0.001 seconds.\n\nError in test Environment changed: ${L1}\n` +
        `EnvironmentError: iteration 1 of ${L1} changed the environment:\n${warning}\n`,
    ),
    failed,
  );
  assert.ok(failed.endsWith('Total: 2 tests, 0 failures, 1 errors\n'), failed);
  // Without it, the same change is a warning only.
  const warned = printed(false);
  assert.ok(warned.includes(`  Ran 1 tests with 0 failures and 0 errors in 0.001 seconds.\n${warning}`), warned);
  assert.ok(!warned.includes('Error in'));
  assert.ok(warned.endsWith('Total: 2 tests, 0 failures, 0 errors\n'), warned);
});
