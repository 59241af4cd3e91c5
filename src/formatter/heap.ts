import type { HeapDiff } from '../types/index.ts';
import { left, right, signed } from '../text/numbers.ts';

const NAME_WIDTH = 55;
const COLUMN_WIDTH = 6;
const INDENT = '    ';

function row(name: string, insts: number | string, refs: number | string, known = false): string {
  return `${INDENT}${left(name, NAME_WIDTH)} ${right(insts, COLUMN_WIDTH)} ${right(refs, COLUMN_WIDTH)}${known ? '  known' : ''}\n`;
}

/**
 * ` (yours 0; known: node: resource timing buffer +18)` when rows of known bounded growth moved:
 * `change=` stays zope's, the whole heap's, and this says how much of it is the tests' own and
 * how much Node's or a library's bounded caches, which `-v` would mark `known` in its table.
 */
function knownNote(diff: HeapDiff): string {
  const known = diff.rows.filter((row) => row.known === true && row.refs !== 0);
  if (known.length === 0) return '';
  const yours = diff.change - known.reduce((sum, row) => sum + row.refs, 0);
  return ` (yours ${signed(yours)}; known: ${known.map((row) => `${row.name} ${signed(row.refs)}`).join(', ')})`;
}

/**
 * `  sys refcount=%-8d change=%-6d`, trailing spaces included, as the seed document prints it;
 * then, only when known bounded growth moved, what part of the change was the tests' own.
 */
export function heapSummaryLine(diff: HeapDiff): string {
  return `  sys refcount=${left(diff.total, 8)} change=${left(diff.change, 6)}${knownNote(diff)}\n`;
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
