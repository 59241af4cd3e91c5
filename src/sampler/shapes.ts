/**
 * What the counts, the retainer walk and the naming of rows share, in a file of their own so that
 * none of them imports another for it: a row before it is named by module, the retainer paths as
 * the worker posts them, and the root a path has when it starts at a module.
 */

/** The root of a path that starts at a module; the worker posts the module's script beside it. */
export const MODULE_ROOT = 'module';

/** One row before module qualification. */
export interface HeapRow {
  /** The constructor name of objects, or the kind in parentheses (`(string)`). */
  readonly className: string;
  /** URL of the script that defined the class, when the snapshot tells; `''` otherwise. */
  readonly scriptUrl: string;
  /** Live objects in the row. */
  readonly insts: number;
  /** References counted to them (see countRows). */
  readonly refs: number;
  /** True for the row of a known-growth entry; such rows come first. */
  readonly known?: boolean;
}

/**
 * The paths as the worker posts them: JSON of arrays, not of objects. Objects that `JSON.parse`
 * makes on the measured thread get shapes of their own, and a shape that dies between samples
 * takes its property names with it, to be made anew, and counted, at the next parse.
 */
export type EncodedPaths = [
  row: number,
  paths: [
    objects: number,
    added: number,
    root: string,
    rootScript: string,
    steps: [edge: string, className: string, scriptUrl: string, grows: 0 | 1][],
  ][],
][];
