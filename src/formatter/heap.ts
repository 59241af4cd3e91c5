import type { HeapDiff } from '../types.ts';
import { left, right } from './numbers.ts';

const NAME_WIDTH = 55;
const COLUMN_WIDTH = 6;
const INDENT = '    ';

function row(name: string, insts: number | string, refs: number | string, known = false): string {
  return `${INDENT}${left(name, NAME_WIDTH)} ${right(insts, COLUMN_WIDTH)} ${right(refs, COLUMN_WIDTH)}${known ? '  known' : ''}\n`;
}

/** `  sys refcount=%-8d change=%-6d`, trailing spaces included, as the seed document prints it. */
export function heapSummaryLine(diff: HeapDiff): string {
  return `  sys refcount=${left(diff.total, 8)} change=${left(diff.change, 6)}\n`;
}

/** The `-v` form: `  sum detail refcount=%-8d sys refcount=%-8d change=%-6d`. */
export function heapDetailLine(diff: HeapDiff): string {
  return `  sum detail refcount=${left(diff.detailTotal, 8)} sys refcount=${left(diff.total, 8)} change=${left(diff.change, 6)}\n`;
}

/**
 * The per-type table of docs/leaks.md: the rows of `diff` (already filtered and sorted by the
 * differ) between dashed separators, then a `total` row summing both columns; a known-growth row
 * ends in `known`. Empty when no row changed.
 */
export function heapTable(diff: HeapDiff): string {
  if (diff.rows.length === 0) return '';
  const separator = row('-'.repeat(NAME_WIDTH), '-----', '----');
  let text = `${INDENT}Leak details, changes in instances and refcounts by type/class:\n`;
  text += row('type/class', 'insts', 'refs') + separator;
  let insts = 0;
  let refs = 0;
  for (const entry of diff.rows) {
    text += row(entry.name, entry.insts, entry.refs, entry.known === true);
    insts += entry.insts;
    refs += entry.refs;
  }
  return text + separator + row('total', insts, refs);
}

/** What a `heap:sample` with a diff prints: the summary line, or with `-v` the detail line and table. */
export function heapReport(diff: HeapDiff, verbose: number): string {
  return verbose >= 1 ? heapDetailLine(diff) + heapTable(diff) : heapSummaryLine(diff);
}
