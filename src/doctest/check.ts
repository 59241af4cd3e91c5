/**
 * Compares what an example printed with what its file expects (docs/api.md).
 *
 * Both sides go through the same steps: line endings to `\n`, trailing whitespace of every line and
 * trailing blank lines dropped (markdown editors strip them, so keeping them would make files fail
 * after an innocent save), then each normalizer in order, then, with `NORMALIZE_WHITESPACE`, every
 * run of whitespace collapsed to one space. The results must be equal, except that `...` in the
 * expected text matches any text, newlines included.
 */
import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeRegExp } from '../text/regexp.ts';
import type { BuiltinNormalizerName, DoctestFlag, Normalizer, NormalizerSpec } from './types.ts';

/** Names accepted wherever a normalizer may be given by name. */
export const builtinNormalizerNames: readonly BuiltinNormalizerName[] = ['times', 'paths'];

const ELLIPSIS = '...';

/**
 * Turns names into normalizers. `paths` depends on `cwd`: `cwd + '/'` and its `file://` URL are
 * removed and `cwd` alone becomes `.`, so `/home/me/proj/docs/a.md` prints as `docs/a.md`.
 *
 * @throws Error for an unknown name, listing the known ones.
 */
export function resolveNormalizers(specs: readonly NormalizerSpec[], cwd: string): Normalizer[] {
  return specs.map((spec) => {
    if (typeof spec !== 'string') return spec;
    if (spec === 'times') return { name: 'times', pattern: /\d+\.\d{3} seconds/g, replacement: 'N.NNN seconds' };
    if (spec === 'paths') return pathsNormalizer(cwd);
    throw new Error(`unknown normalizer ${String(spec)}; built-in: ${builtinNormalizerNames.join(', ')}`);
  });
}

function pathsNormalizer(cwd: string): Normalizer {
  const root = cwd.endsWith(sep) ? cwd.slice(0, -1) : cwd;
  const alternatives = [pathToFileURL(root).href, root].map(escapeRegExp).join('|');
  // What follows the root decides: a separator is eaten with it, nothing path-like means the root
  // itself (`.`), and a word character means a sibling such as `/proj-old`, left alone.
  return {
    name: 'paths',
    pattern: new RegExp(`(?:${alternatives})(?:([/\\\\])|(?![\\w.-]))`, 'g'),
    replacement: (_match, separator) => (separator ? '' : '.'),
  };
}

/** Applies the line cleanup and the normalizers, not the whitespace flag. Used for diffs too. */
export function normalizeOutput(text: string, normalizers: readonly Normalizer[]): string {
  let result = cleanLines(text);
  for (const { pattern, replacement } of normalizers) {
    const global =
      typeof pattern === 'string' ? new RegExp(pattern, 'g') : pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    result = typeof replacement === 'string' ? result.replace(global, replacement) : result.replace(global, replacement);
  }
  return cleanLines(result);
}

function cleanLines(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** Options of {@link outputMatches}. */
export interface MatchOptions {
  /** Applied to the expected and the actual output alike, in order. */
  readonly normalizers: readonly Normalizer[];
  /** How to compare: `NORMALIZE_WHITESPACE` treats every run of whitespace as one space. */
  readonly flags: readonly DoctestFlag[];
}

/** True when `got` matches `want` under the rules above. */
export function outputMatches(want: string, got: string, options: MatchOptions): boolean {
  let expected = normalizeOutput(want, options.normalizers);
  let actual = normalizeOutput(got, options.normalizers);
  if (options.flags.includes('NORMALIZE_WHITESPACE')) {
    expected = expected.replace(/\s+/g, ' ').trim();
    actual = actual.replace(/\s+/g, ' ').trim();
  }
  return expected === actual || (expected.includes(ELLIPSIS) && ellipsisMatches(expected, actual));
}

/**
 * `...` matches any text. The first and last pieces are anchored; the middle ones are found left to
 * right, each as early as possible, which is enough because any later match of a piece only leaves
 * less room for the pieces after it.
 */
export function ellipsisMatches(want: string, got: string): boolean {
  const pieces = want.split(ELLIPSIS);
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  if (first.length + last.length > got.length || !got.startsWith(first) || !got.endsWith(last)) return false;
  let position = first.length;
  const end = got.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = got.indexOf(piece, position);
    if (found < 0 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
}
