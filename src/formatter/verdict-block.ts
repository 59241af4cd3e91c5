import type { GrownRow, LeakAttribution, LeakVerdict, ResourceCounts, ResourceLeak } from '../types/index.ts';
import { MIN_JUDGED } from '../leaks/verdict.ts';
import { growth, leakingLine, leakLine, resourceLeakLine, noLeakLine, undecidedLine } from '../text/leak-sentences.ts';
import type { Palette } from '../text/color.ts';
import { pathsTree } from '../text/retainer-tree.ts';

function grownLines(rows: readonly GrownRow[], verbose: number): string {
  const width = Math.max(0, ...rows.map((row) => row.name.length));
  const text = rows
    .map(({ name, insts, refs }) => `    ${name.padEnd(width)}  ${growth(insts)} insts ${growth(refs)} refs per iteration\n`)
    .join('');
  // The top path of each row; at -vv, every path traced.
  const paths = rows.flatMap((row) => (verbose >= 2 ? (row.paths ?? []) : (row.paths ?? []).slice(0, 1)));
  return paths.length === 0 ? text : `${text}    What holds the new objects of the last judged iteration:\n${pathsTree(paths, '      ')}`;
}

/** With `--trace-leaks`, where a leaked type's live resources were created. */
function creationLines(leak: ResourceLeak): string {
  return (leak.created ?? [])
    .map(({ count, stack }) => {
      const [first, ...rest] = stack.split('\n');
      return `    ${count} created at ${first}\n${rest.map((frame) => `      from ${frame}\n`).join('')}`;
    })
    .join('');
}

function iterationList(iterations: readonly number[]): string {
  return `${iterations.length === 1 ? 'iteration' : 'iterations'} ${iterations.join(', ')}`;
}

/**
 * The lines `--fail-on-leak` prints after a layer's iterations (docs/ci.md), in CPython
 * regrtest's words: a leak with the rows that grew in every judged delta; growth that is not a
 * leak with `(this is fine)`; deltas that never agreed, or too few, as undecided; a clean layer only at `-v`.
 */
export function verdictReport(palette: Palette, verdict: LeakVerdict, verbose: number): string {
  switch (verdict.outcome) {
    case 'leaked': {
      const line = (text: string): string =>
        verdict.allowed ? `  ${text} (allowed by --leak-allow)\n` : `${palette.paint('error', `  ${text}`)}\n`;
      let text = verdict.referencesLeaked ? line(leakLine(verdict)) + grownLines(verdict.grown, verbose) : '';
      for (const leak of verdict.resources) text += line(resourceLeakLine(verdict.layer, leak)) + creationLines(leak);
      return text;
    }
    case 'noisy':
      return `  ${noLeakLine(verdict)}\n`;
    case 'unsettled':
      return verdict.allowed
        ? `  ${undecidedLine(verdict)} (allowed by --leak-allow-undecided)\n`
        : `${palette.paint('error', `  ${undecidedLine(verdict)}`)}\n`;
    case 'clean':
      return verbose > 0 ? `  ${noLeakLine(verdict)}\n` : '';
    case 'undecided': {
      const judged = verdict.deltas.length === 1 ? '1 delta' : `${verdict.deltas.length} deltas`;
      const why =
        verdict.unjudged.length > 0
          ? `; not judged: ${iterationList(verdict.unjudged)}, in which a test failed or errored or the heap sample failed`
          : '';
      return `${palette.paint('error', `  Leak check of ${verdict.layer} undecided: ${judged} judged, ${MIN_JUDGED} needed${why}`)}\n`;
    }
  }
}

/** A set of tests in one line, or its size when it is long and `-v` is off. */
function testList(tests: readonly string[], verbose: number): string {
  return tests.length <= 3 || verbose > 0 ? tests.join(', ') : `${tests.length} tests (listed with -v)`;
}

/**
 * What the search for a leaking layer's tests found (docs/ci.md): each leaking test with its
 * growth per run (in the error colour unless `--leak-allow` allowed the leak), a leak that needs several tests as the set found, and why the search stopped
 * early with the tests it could not tell apart.
 */
export function attributionReport(palette: Palette, attribution: LeakAttribution, verbose: number, allowed = false): string {
  let text = '';
  for (const { tests, refs } of attribution.leaking) {
    const line = `  ${leakingLine(tests, refs, (all) => testList(all, verbose))}`;
    text += `${allowed ? line : palette.paint('error', line)}\n`;
  }
  if (attribution.stopped !== undefined) {
    const undecided = attribution.undecided.flat();
    const among = undecided.length > 0 ? `; the leak is among ${testList(undecided, verbose)}` : '';
    text += `  The search for the leaking tests stopped: ${attribution.stopped} (${attribution.samples} of ${attribution.budget})${among}\n`;
  } else if (verbose > 0) {
    const counts = attribution.counts === undefined ? '' : `${attribution.counts} counts of live objects and `;
    text += `  (found with ${counts}${attribution.samples} heap samples)\n`;
  }
  return text;
}

/**
 * The `-v` line after an iteration whose active resources changed (docs/leaks.md): each type that
 * changed, its change and its count now, as in `  Active resources changed: Timeout +1 (3)`.
 */
export function resourcesReport(counts: ResourceCounts, changes: ResourceCounts): string {
  const parts = [...changes].map(([type, change]) => `${type} ${change > 0 ? '+' : ''}${change} (${counts.get(type) ?? 0})`);
  return `  Active resources changed: ${parts.join(', ')}\n`;
}
