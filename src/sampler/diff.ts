import type { HeapDiff, HeapDiffRow, HeapSample, TypeCount } from '../types/index.ts';
import { LeakrunHeapDiff } from './records.ts';

const NONE: TypeCount = { insts: 0, refs: 0 };

/**
 * Compares two heap samples the way docs/leaks.md prints them: `change` is the difference of the
 * totals, `detailTotal` the sum of refs over every row of `current`, and `rows` the per-name
 * differences (current minus previous) of the rows whose insts or refs changed, sorted by name.
 * A name present on one side only counts as zero on the other; a row that either sample lists in
 * `known` is marked `known`. The result is one of leakrun's own
 * records, which the default sampler leaves out of its counts.
 *
 * @example
 * ```ts
 * const diff = diffSamples(first, second);
 * if (diff.change !== 0) console.log(diff.rows);
 * ```
 */
export function diffSamples(previous: HeapSample, current: HeapSample): HeapDiff {
  const names = new Set<string>([...previous.byType.keys(), ...current.byType.keys()]);
  const rows: HeapDiffRow[] = [];
  for (const name of names) {
    const before = previous.byType.get(name) ?? NONE;
    const after = current.byType.get(name) ?? NONE;
    const insts = after.insts - before.insts;
    const refs = after.refs - before.refs;
    if (insts === 0 && refs === 0) continue;
    rows.push(previous.known?.has(name) || current.known?.has(name) ? { name, insts, refs, known: true } : { name, insts, refs });
  }
  // Code-unit order, not locale order: the table must read the same on every machine.
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let detailTotal = 0;
  for (const count of current.byType.values()) detailTotal += count.refs;
  return new LeakrunHeapDiff(current.total, current.total - previous.total, detailTotal, rows);
}
