import type { HeapSample, RetainerPath, TypeCount } from '../types/index.ts';
import { MODULE_ROOT, type EncodedPaths, type HeapRow } from './shapes.ts';
import { LeakrunHeapSample, LeakrunRetainerPath, LeakrunRetainerStep } from './records.ts';

/** Rows as parallel columns: cheap to post from a worker, and reading them makes no objects. */
export interface RowColumns {
  readonly classNames: readonly string[];
  readonly scriptUrls: readonly string[];
  /** insts and refs per row, interleaved; 32-bit so they arrive as small integers, not heap numbers. */
  readonly counts: Uint32Array;
  /** How many rows, from the first, are known-growth rows. */
  readonly knownRows: number;
  /** Retainer paths of the rows that grew, as {@link EncodedPaths}; `''` or absent for none. */
  readonly paths?: string;
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
  const { classNames, scriptUrls, counts, knownRows, paths } = rows;
  const byType = new Map<string, TypeCount>();
  const known = knownRows > 0 ? new Set(classNames.slice(0, knownRows)) : undefined;
  const name = (row: number): string =>
    row < knownRows ? classNames[row]! : qualifiedName(classNames[row]!, scriptUrls[row]!, moduleName, cache);
  let total = 0;
  for (let row = 0; row < classNames.length; row++) {
    const insts = counts[2 * row]!;
    const refs = counts[2 * row + 1]!;
    const rowName = name(row);
    const before = byType.get(rowName);
    byType.set(rowName, before ? { insts: before.insts + insts, refs: before.refs + refs } : { insts, refs });
    total += refs;
  }
  const traced = paths === undefined || paths === '' ? undefined : () => namedPaths(paths, name, moduleName, cache);
  return new LeakrunHeapSample(total, byType, known, traced);
}

/** `module.Class` where `moduleName` knows the script, else the class name; cached by script and class. */
function qualifiedName(
  className: string,
  scriptUrl: string,
  moduleName: (scriptUrl: string) => string | undefined,
  cache: Map<string, string>,
): string {
  const key = `${scriptUrl}\n${className}`;
  let name = cache.get(key);
  if (name === undefined) {
    const module = scriptUrl === '' ? undefined : moduleName(scriptUrl);
    name = module === undefined ? className : `${module}.${className}`;
    cache.set(key, name);
  }
  return name;
}

/** The worker's paths ({@link EncodedPaths}) with rows, classes and modules named as the counts name them. */
function namedPaths(
  json: string,
  rowName: (row: number) => string,
  moduleName: (scriptUrl: string) => string | undefined,
  cache: Map<string, string>,
): RetainerPath[] {
  const named: RetainerPath[] = [];
  for (const [row, paths] of JSON.parse(json) as EncodedPaths) {
    for (const [objects, added, root, rootScript, steps] of paths) {
      const rootName = root === MODULE_ROOT ? `${moduleName(rootScript) ?? rootScript} (module)` : root;
      const drawn = steps.map(
        ([edge, className, scriptUrl, grows]) =>
          new LeakrunRetainerStep(edge, scriptUrl === '' ? className : qualifiedName(className, scriptUrl, moduleName, cache), grows === 1),
      );
      named.push(new LeakrunRetainerPath(rowName(row), rootName, drawn, objects < 0 ? undefined : objects, added));
    }
  }
  return named;
}
