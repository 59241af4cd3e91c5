import type { HeapSample, TypeCount } from '../types.ts';
import type { HeapRow } from './count.ts';
import { LeakrunHeapSample } from './records.ts';

/** Rows as parallel columns: cheap to post from a worker, and reading them makes no objects. */
export interface RowColumns {
  readonly classNames: readonly string[];
  readonly scriptUrls: readonly string[];
  /** insts and refs per row, interleaved; 32-bit so they arrive as small integers, not heap numbers. */
  readonly counts: Uint32Array;
  /** How many rows, from the first, are known-growth rows. */
  readonly knownRows: number;
}

/** The columns of `rows`. */
export function rowColumns(rows: readonly HeapRow[]): RowColumns {
  const counts = new Uint32Array(rows.length * 2);
  rows.forEach((row, i) => {
    counts[2 * i] = row.insts;
    counts[2 * i + 1] = row.refs;
  });
  let knownRows = 0;
  while (rows[knownRows]?.known === true) knownRows++;
  return { classNames: rows.map((row) => row.className), scriptUrls: rows.map((row) => row.scriptUrl), counts, knownRows };
}

/**
 * Builds a sample from rows, naming classes `module.Class` where `moduleName` knows the script.
 * Rows that end up with the same name are added together; `total` is the sum of all refs.
 * Known-growth rows keep their names as they are and are listed in the sample's `known`.
 * `cache` (keyed by script URL and class name) lets repeated samples share their name strings.
 * It takes columns, not row objects: on the measured thread, an object literal per row would
 * give V8 a new shape after the first sample, and the shape's property names would show as new
 * strings in the second.
 */
export function qualifyRows(
  rows: RowColumns,
  moduleName: (scriptUrl: string) => string | undefined,
  cache: Map<string, string> = new Map(),
): HeapSample {
  const { classNames, scriptUrls, counts, knownRows } = rows;
  const byType = new Map<string, TypeCount>();
  const known = knownRows > 0 ? new Set(classNames.slice(0, knownRows)) : undefined;
  let total = 0;
  for (let row = 0; row < classNames.length; row++) {
    const className = classNames[row]!;
    const scriptUrl = scriptUrls[row]!;
    const insts = counts[2 * row]!;
    const refs = counts[2 * row + 1]!;
    const key = `${scriptUrl}\n${className}`;
    let name = cache.get(key);
    if (row < knownRows) name = className;
    else if (name === undefined) {
      const module = scriptUrl === '' ? undefined : moduleName(scriptUrl);
      name = module === undefined ? className : `${module}.${className}`;
      cache.set(key, name);
    }
    const before = byType.get(name);
    byType.set(name, before ? { insts: before.insts + insts, refs: before.refs + refs } : { insts, refs });
    total += refs;
  }
  return new LeakrunHeapSample(total, byType, known);
}
