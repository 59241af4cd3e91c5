import type { IterationCounts, Problem, ProblemKind, RunResult } from '../types/index.ts';
import type { Palette } from '../text/color.ts';
import { seconds as splitSeconds } from '../text/numbers.ts';

/** `0.013 seconds` (`2 minutes 5.000 seconds` from a minute on), the figures in the number colour. */
export function formatSeconds(palette: Palette, value: number): string {
  const { minutes, seconds } = splitSeconds(value);
  const paint = (text: string): string => palette.paint('number', text);
  return minutes === undefined ? `${paint(seconds)} seconds` : `${paint(String(minutes))} minutes ${paint(seconds)} seconds`;
}

/**
 * `  Ran N tests with F failures and E errors in X seconds.`, or with skipped tests
 * `  Ran N tests with F failures, E errors and S skipped in X seconds.` (docs/getting-started.md).
 */
export function ranLine(palette: Palette, { tests, failures, errors, skipped, seconds }: IterationCounts): string {
  const { paint, problemCount, skipCount } = palette;
  const counts = skipped > 0 ? `, ${problemCount(errors)} errors and ${skipCount(skipped)} skipped` : ` and ${problemCount(errors)} errors`;
  return `  Ran ${paint('number', String(tests))} tests with ${problemCount(failures)} failures${counts} in ${formatSeconds(palette, seconds)}.\n`;
}

/** `Total: N tests, F failures, E errors`, with ` and S skipped` when tests were skipped. */
export function totalLine(palette: Palette, { tests, failures, errors, skipped }: RunResult): string {
  const { paint, problemCount, skipCount } = palette;
  const skippedText = skipped > 0 ? ` and ${skipCount(skipped)} skipped` : '';
  return `Total: ${paint('number', String(tests))} tests, ${problemCount(failures)} failures, ${problemCount(errors)} errors${skippedText}\n`;
}

/**
 * What a problem's heading names after `Error in `: `test NAME` for a test or a layer hook,
 * `the repeat loop` (the part that failed) for the runner itself.
 */
export function problemName(problem: Problem): string {
  return problem.phase === 'runner' ? `the ${problem.test}` : `test ${problem.test}`;
}

function problemList(title: string, problems: readonly Problem[]): string {
  const names = problems.map((problem) => `   ${problem.test}\n`);
  return names.length > 0 ? `\n${title}\n${names.join('')}` : '';
}

/**
 * The end of a run in zope 8's order: the modules that failed to import, with `-v` the tests with
 * errors and those with failures, then `Total` — left out when exactly one layer ran, unless some
 * module failed to import.
 */
export function runSummary(palette: Palette, result: RunResult, verbose: number): string {
  let text = '';
  if (result.importFailures.length > 0) {
    text += `\nTest-modules with import problems:\n${result.importFailures.map((failure) => `  ${failure.module}\n`).join('')}`;
  }
  if (verbose > 0) {
    const inTests = (kind: ProblemKind): Problem[] =>
      result.problems.filter((problem) => problem.kind === kind && problem.phase !== 'runner');
    text += problemList('Tests with errors:', inTests('error'));
    text += problemList('Tests with failures:', inTests('failure'));
    text += problemList(
      'Errors in the runner:',
      result.problems.filter((problem) => problem.phase === 'runner'),
    );
  }
  text += notRepeatable(palette, result.problems);
  const tests = (entries: RunResult['notRun']): number => entries.reduce((sum, layer) => sum + layer.tests.length, 0);
  const interrupted = tests(notStarted(result));
  const notSetUp = tests(result.notRun) - interrupted;
  if (notSetUp > 0) text += `\n${palette.paint('error', `Did not run ${notSetUp} tests: their layers could not be set up.`)}\n`;
  if (interrupted > 0) {
    const gap = notSetUp > 0 ? '' : '\n';
    text += `${gap}${palette.paint('error', `Did not run ${interrupted} tests: the run was interrupted before their layers started.`)}\n`;
  }
  // A usage problem (--require-unique) stopped the run before any layer: no total to give.
  const ranLayers = result.usageProblem === undefined || result.layers.length > 0;
  if (ranLayers && (result.layers.length !== 1 || result.importFailures.length > 0)) text += totalLine(palette, result);
  return text;
}

/**
 * The tests that passed in the first iteration and failed in a later one (`-N`): worth knowing in
 * itself, as the test depends on state its first run left, or on being first (a warning emitted
 * once per process, a cache filled once). Said whatever the verbosity.
 */
export function notRepeatable(palette: Palette, problems: readonly Problem[]): string {
  const first = new Map<string, number>();
  for (const problem of problems) {
    if (problem.iteration === undefined || (problem.phase !== 'test' && problem.phase !== 'testSetUp' && problem.phase !== 'testTearDown'))
      continue;
    first.set(problem.test, Math.min(first.get(problem.test) ?? Infinity, problem.iteration));
  }
  const later = [...first].filter(([, iteration]) => iteration > 1);
  if (later.length === 0) return '';
  const lines = later.map(([test, iteration]) => `   ${test}: failed first in iteration ${iteration}\n`);
  return `\n${palette.paint('error', 'Not repeatable: these tests passed in iteration 1 and failed in a later one:')}\n${lines.join('')}`;
}

/**
 * The entries of `result.notRun` whose layer never started: an interrupt stopped the run before
 * it. The others are layers that started and could not be set up; a layer that starts has its
 * entry in `result.layers`, even when its set-up failed.
 */
export function notStarted(result: Pick<RunResult, 'layers' | 'notRun'>): RunResult['notRun'] {
  const started = new Set(result.layers.map((layer) => layer.name));
  return result.notRun.filter((entry) => !started.has(entry.layer));
}
