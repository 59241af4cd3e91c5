/**
 * The sentences of the leak hunt (docs/ci.md, docs/leaks.md): the verdict's lines in regrtest's
 * words, a leaked resource with its fix, the leaking tests, the message of a `Leak: LAYER` error,
 * and a change of the environment. The verdict (src/leaks/verdict.ts) judges; the formatter, the
 * result, the reports and `leakrun/assert` say what it found with these, so they say it alike.
 */
import { EnvironmentError } from '../core/errors.ts';
import { signed } from './numbers.ts';
import { pathsTree } from './retainer-tree.ts';
import type { EnvironmentChange, LeakAttribution, LeakVerdict, Problem, ResourceLeak, RunEvent } from '../types/index.ts';

/** The verdict's line in regrtest's words: `samplelayers.Layer11 leaked [6, 6, 6] references, sum=18`. */
export function leakLine(verdict: LeakVerdict): string {
  return `${verdict.layer} leaked [${verdict.deltas.join(', ')}] references, sum=${verdict.sum}`;
}

/**
 * The line of a verdict that found no leak: `samplelayers.Layer11: no leak, judged deltas
 * [-39, 0, 0], sum=-39 (this is fine)` when they moved, `…: no leak, judged deltas [0, 0, 0]`.
 */
export function noLeakLine(verdict: LeakVerdict): string {
  if (verdict.screened) {
    const first = (verdict.iterations[0] ?? 1) - 1;
    return `${verdict.layer}: no leak, as many live objects after iteration ${verdict.iterations.at(-1)} as after iteration ${first} (screened, no heap snapshot)`;
  }
  const deltas = `${verdict.layer}: no leak, judged deltas [${verdict.deltas.join(', ')}]`;
  return verdict.deltas.every((delta) => delta === 0) ? deltas : `${deltas}, sum=${verdict.sum} (this is fine)`;
}

/**
 * What a screened iteration prints (docs/ci.md): `  live objects=12043`, the count of live objects
 * after it, and for the second count its change: `  live objects=12047    change=+4 since iteration 2`.
 */
export function screenLine(objects: number, change: number | undefined, since: number | undefined): string {
  const count = `  live objects=${objects}`;
  if (change === undefined) return count;
  return `${count.padEnd(24)} change=${signed(change)} since iteration ${since}`;
}

/**
 * The line that says heap snapshots will judge a layer the screen did not find clean:
 * `The live objects changed by +4 since iteration 2: heap snapshots from here, a baseline and 2 more iterations`.
 */
export function confirmLine(change: number | undefined, since: number, failed: boolean, iterations: number): string {
  const why = failed
    ? 'A test failed in a screened iteration'
    : change === undefined
      ? 'The live objects could not be counted'
      : `The live objects changed by ${signed(change)} since iteration ${since}`;
  return `${why}: heap snapshots from here, a baseline and ${iterations} more iterations`;
}

/**
 * The line of a verdict whose deltas never agreed: `Leak check of samplelayers.Layer11 undecided:
 * the latest 3 judged deltas still disagree after 11 iterations: [3, 0, 3]`.
 */
export function undecidedLine(verdict: LeakVerdict): string {
  const last = verdict.iterations.at(-1) ?? 0;
  return `Leak check of ${verdict.layer} undecided: the latest ${verdict.deltas.length} judged deltas still disagree after ${last} iterations: [${verdict.deltas.join(', ')}]`;
}

/**
 * The line that says a layer runs more iterations because its judged deltas disagree:
 * `The judged deltas [-39, 3, 3] disagree: up to 11 iterations until the latest 3 agree`.
 */
export function extendLine(deltas: readonly number[], window: number, upTo: number): string {
  return `The judged deltas [${deltas.join(', ')}] disagree: more iterations, up to ${upTo} in all, until the latest ${window} agree`;
}

/**
 * A resource type's leak with how to fix it:
 * `samplelayers.Layer11 leaked 1 Timeout per iteration: a timer started in these tests is never cleared (…)`.
 */
export function resourceLeakLine(layer: string, { type, deltas, hint }: ResourceLeak): string {
  const min = Math.min(...deltas);
  const max = Math.max(...deltas);
  return `${layer} leaked ${min === max ? min : `${min} to ${max}`} ${type} per iteration: ${hint}`;
}

/** `+1`, or `+1 to +3` when the growth varied. */
export function growth([min, max]: readonly [number, number]): string {
  return min === max ? `+${min}` : `+${min} to +${max}`;
}

/** One leaking test, or a set that leaks together, with its growth per run (docs/ci.md). */
export function leakingLine(
  tests: readonly string[],
  refs: number,
  list: (tests: readonly string[]) => string = (all) => all.join(', '),
): string {
  const which = tests.length === 1 ? `leaking test: ${tests[0]}` : `leaking tests, together: ${list(tests)}`;
  return `${which} +${refs} refs per run`;
}

/**
 * The message of a `Leak: LAYER` error: the verdict line, then the rows that grew and the leaking
 * tests the search found, one per line, so that a report that only keeps problems still names them.
 */
export function leakMessage(verdict: LeakVerdict, attribution?: LeakAttribution): string {
  if (verdict.outcome === 'unsettled') return undecidedLine(verdict);
  const lines = verdict.referencesLeaked ? [leakLine(verdict)] : [];
  for (const { name, insts, refs } of verdict.grown) lines.push(`  ${name} ${growth(insts)} insts ${growth(refs)} refs per iteration`);
  const paths = verdict.grown.flatMap((row) => row.paths?.slice(0, 1) ?? []);
  if (paths.length > 0) lines.push('  What holds the new objects:', pathsTree(paths, '    ').trimEnd());
  for (const leak of verdict.resources) lines.push(resourceLeakLine(verdict.layer, leak));
  for (const { tests, refs } of attribution?.leaking ?? []) lines.push(`  ${leakingLine(tests, refs)}`);
  return lines.join('\n');
}

/**
 * One change of the environment in regrtest's words, with what it was and is:
 * `Warning -- globalThis.cache was added by samplelayers.Layer11 (iteration 2): now an instance of Map`.
 */
export function environmentLine(layer: string, iteration: number, { what, change, before, after }: EnvironmentChange): string {
  const detail =
    change === 'added'
      ? `now ${after}`
      : change === 'removed'
        ? `was ${before}`
        : change === 'raised'
          ? `${after}`
          : `${before} before, ${after} after`;
  return `Warning -- ${what} was ${change} ${change === 'raised' ? 'in' : 'by'} ${layer} (iteration ${iteration}): ${detail}`;
}

/**
 * The error `Environment changed: LAYER` that an iteration's changes are under
 * `--fail-on-env-change`. The result counts it and the text formatter prints it, each from the same
 * `environment:change` event: no event of its own announces it. Its message's first line (what a
 * JUnit `message` shows) says what happened; the lines under it are the changes, in regrtest's words.
 */
export function environmentProblem(event: Extract<RunEvent, { type: 'environment:change' }>): Problem {
  const { layer, iteration, changes } = event;
  const lines = changes.map((change) => `\n  ${environmentLine(layer, iteration, change)}`).join('');
  return {
    kind: 'error',
    phase: 'environment',
    test: `Environment changed: ${layer}`,
    error: new EnvironmentError(`iteration ${iteration} of ${layer} changed the environment:${lines}`),
    layer,
    iteration,
  };
}
