/**
 * The text of a failing or erroring example: where it is (`file:line`), its source, what was
 * expected and what came out, and a unified diff whose expected-side numbers are lines of the
 * markdown file, so an editor can jump straight to the line that drifted.
 */
import type { DoctestExample } from './types.ts';

const INDENT = '    ';
const CONTEXT = 3;
// Past this many cells the quadratic table costs more than the diff is worth; print both sides whole.
const MAX_TABLE = 4_000_000;

/** Report of an example whose output did not match. `normalizedWant`/`normalizedGot` feed the diff. */
export function failureReport(name: string, example: DoctestExample, got: string, normalizedWant: string, normalizedGot: string): string {
  return [
    `${name}:${example.line}: example failed`,
    showSource(example),
    block('Expected', example.want),
    block('Got', got),
    `Diff (-expected +got, numbered as lines of ${name}):`,
    indent(unifiedDiff(lines(normalizedWant), lines(normalizedGot), example.wantLine)),
  ].join('\n');
}

/** Report of an example that raised, or did not compile, when its expected output said nothing of it. */
export function errorReport(name: string, example: DoctestExample, line: number, what: string, printed: string, error: Error): string {
  const parts = [`${name}:${line}: ${what}`, showSource(example)];
  if (printed.trim() !== '') parts.push(block('Printed before it', printed));
  parts.push(error.stack ?? `${error.name}: ${error.message}`);
  return parts.join('\n');
}

function showSource(example: DoctestExample): string {
  return example.source
    .split('\n')
    .map((line, index) => `${INDENT}${index === 0 ? '> ' : '... '}${line}`)
    .join('\n');
}

function block(title: string, text: string): string {
  const body = text.replace(/\n+$/, '');
  return body === '' ? `${title}: nothing` : `${title}:\n${indent(body)}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : INDENT + line))
    .join('\n');
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly text: string };

/**
 * A unified diff (`-` expected, `+` got) with three lines of context. Line numbers of both sides
 * start at `firstLine`, the file line where the expected output begins.
 */
export function unifiedDiff(want: readonly string[], got: readonly string[], firstLine = 1): string {
  const ops = diffLines(want, got);
  const changes = ops.flatMap((op, at) => (op.kind === ' ' ? [] : [at]));
  // Changes closer than two contexts apart share a hunk, as in diff -u.
  const groups: [number, number][] = [];
  for (const at of changes) {
    const last = groups[groups.length - 1];
    if (last && at - last[1] <= 2 * CONTEXT) last[1] = at;
    else groups.push([at, at]);
  }
  const count = (slice: readonly Op[], skip: Op['kind']): number => slice.filter((op) => op.kind !== skip).length;
  const range = (from: number, size: number): string => `${firstLine + from - (size === 0 ? 1 : 0)},${size}`;
  return groups
    .flatMap(([first, last]) => {
      const start = Math.max(0, first - CONTEXT);
      const hunk = ops.slice(start, Math.min(ops.length, last + 1 + CONTEXT));
      const before = ops.slice(0, start);
      const header = `@@ -${range(count(before, '+'), count(hunk, '+'))} +${range(count(before, '-'), count(hunk, '-'))} @@`;
      return [header, ...hunk.map((op) => `${op.kind}${op.text}`)];
    })
    .join('\n');
}

function diffLines(want: readonly string[], got: readonly string[]): Op[] {
  if (want.length * got.length > MAX_TABLE) {
    return [...want.map((text) => ({ kind: '-' as const, text })), ...got.map((text) => ({ kind: '+' as const, text }))];
  }
  // common[i][j]: length of the longest common subsequence of want[i:] and got[j:].
  const width = got.length + 1;
  const common = new Uint32Array((want.length + 1) * width);
  for (let i = want.length - 1; i >= 0; i--) {
    for (let j = got.length - 1; j >= 0; j--) {
      common[i * width + j] =
        want[i] === got[j]
          ? (common[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(common[(i + 1) * width + j] ?? 0, common[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < want.length || j < got.length) {
    if (i < want.length && j < got.length && want[i] === got[j]) {
      ops.push({ kind: ' ', text: want[i++] ?? '' });
      j++;
    } else if (i < want.length && (j === got.length || (common[(i + 1) * width + j] ?? 0) >= (common[i * width + j + 1] ?? 0))) {
      ops.push({ kind: '-', text: want[i++] ?? '' });
    } else {
      ops.push({ kind: '+', text: got[j++] ?? '' });
    }
  }
  return ops;
}
