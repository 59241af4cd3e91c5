/**
 * Extracts doctest examples from a markdown file (docs/api.md).
 *
 * Rules, in the order they are applied:
 * - Only fenced blocks whose info string is a language (`ts`, `typescript`, `js`, `javascript`)
 *   followed by the word `doctest` are read: ```` ```ts doctest ````. Other blocks are prose.
 * - Inside such a block, a line that is `>` or starts with `> ` begins an example; it must start in
 *   the block's first column (an indented `>` is output).
 * - A line starting with `... ` (three dots and a space) directly after a code line continues the
 *   code. A line that is exactly `...`, or any `...` line once output has begun, is output, so an
 *   ellipsis can open the expected output. Write code blank lines as nothing at all.
 * - Every other line up to the next prompt or the end of the block is expected output; trailing
 *   whitespace of each line and trailing blank lines are dropped (markdown editors strip them).
 * - Non-blank text before a block's first prompt is a syntax error, as is an unknown front-matter
 *   `doctest-*` key, flag or normalizer name.
 *
 * Front matter (a `---` block at the very top) may declare, one per line:
 * `doctest-options: NORMALIZE_WHITESPACE`, `doctest-normalize: times, paths` and, repeatable,
 * `doctest-normalizer: NAME /REGEX/FLAGS => REPLACEMENT`. Other keys are left to other tools.
 */
import type { DoctestExample, DoctestFlag, NormalizerSpec, ParsedDocFile } from './types.ts';
import { builtinNormalizerNames } from './check.ts';

const FLAGS: readonly DoctestFlag[] = ['NORMALIZE_WHITESPACE'];
const LANGS: Readonly<Record<string, 'ts' | 'js'>> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js' };
const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** A markdown file that cannot be read as a doctest; the message starts with `file:line:`. */
export class DoctestSyntaxError extends Error {
  /** The 1-based line of the markdown file the problem is on. */
  readonly line: number;
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'DoctestSyntaxError';
    this.line = line;
  }
}

/**
 * Parses a markdown doctest. `file` only names the file in error messages.
 *
 * @throws {@link DoctestSyntaxError} naming the line and the fix.
 */
export function parseDocFile(text: string, file = '<doctest>'): ParsedDocFile {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const declared = { flags: [] as DoctestFlag[], normalizers: [] as NormalizerSpec[] };
  const start = readFrontMatter(lines, file, declared);
  const examples: DoctestExample[] = [];
  for (let index = start; index < lines.length; index++) {
    const open = OPENING_FENCE.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    if (fence.startsWith('`') && info.includes('`')) continue; // inline code, not a fence
    const end = findClosingFence(lines, index + 1, fence);
    const words = info.trim().split(/\s+/);
    const lang = LANGS[words[0] ?? ''];
    if (lang && words.slice(1).includes('doctest')) {
      const body = lines.slice(index + 1, end).map((line) => stripIndent(line, indent.length));
      examples.push(...readBlock(body, index + 2, lang, file));
    }
    index = end;
  }
  return { examples, flags: declared.flags, normalizers: declared.normalizers };
}

function findClosingFence(lines: readonly string[], from: number, fence: string): number {
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  for (let index = from; index < lines.length; index++) {
    if (closing.test(lines[index] ?? '')) return index;
  }
  return lines.length; // an unclosed fence runs to the end of the document, as in CommonMark
}

function stripIndent(line: string, width: number): string {
  let cut = 0;
  while (cut < width && line[cut] === ' ') cut++;
  return line.slice(cut);
}

interface Draft {
  line: number;
  code: string[];
  want: string[];
}

function readBlock(body: readonly string[], firstLine: number, lang: 'ts' | 'js', file: string): DoctestExample[] {
  const examples: DoctestExample[] = [];
  let draft: Draft | undefined;
  let inCode = false;
  const finish = (): void => {
    if (!draft) return;
    const want = draft.want.map((line) => line.trimEnd());
    while (want.length > 0 && want[want.length - 1] === '') want.pop();
    examples.push({
      line: draft.line,
      source: draft.code.join('\n'),
      want: want.join('\n'),
      wantLine: draft.line + draft.code.length,
      lang,
    });
  };
  body.forEach((text, offset) => {
    if (text === '>' || text.startsWith('> ')) {
      finish();
      draft = { line: firstLine + offset, code: [text.slice(2)], want: [] };
      inCode = true;
    } else if (draft && inCode && text.startsWith('... ')) {
      draft.code.push(text.slice(4));
    } else if (draft) {
      draft.want.push(text);
      inCode = false;
    } else if (text.trim() !== '') {
      throw new DoctestSyntaxError(
        file,
        firstLine + offset,
        'text before the first `> ` prompt of a doctest block; start code lines with `> `',
      );
    }
  });
  finish();
  return examples;
}

function readFrontMatter(lines: readonly string[], file: string, into: { flags: DoctestFlag[]; normalizers: NormalizerSpec[] }): number {
  if (lines[0]?.trimEnd() !== '---') return 0;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trimEnd() === '---' || line.trimEnd() === '...') return index + 1;
    const entry = /^(doctest-[\w-]+)\s*:\s*(.*)$/.exec(line);
    if (!entry) continue;
    const [, key = '', value = ''] = entry;
    const fail = (message: string): never => {
      throw new DoctestSyntaxError(file, index + 1, message);
    };
    if (key === 'doctest-options') {
      for (const flag of listOf(value)) {
        if (!FLAGS.includes(flag as DoctestFlag)) fail(`unknown doctest option ${flag}; known: ${FLAGS.join(', ')}`);
        into.flags.push(flag as DoctestFlag);
      }
    } else if (key === 'doctest-normalize') {
      for (const name of listOf(value)) {
        if (!builtinNormalizerNames.includes(name as never)) {
          fail(`unknown normalizer ${name}; built-in: ${builtinNormalizerNames.join(', ')} (declare others with doctest-normalizer)`);
        }
        into.normalizers.push(name as NormalizerSpec);
      }
    } else if (key === 'doctest-normalizer') {
      const custom = /^([\w-]+)\s+\/(.+)\/([a-z]*)\s+=>\s?(.*)$/.exec(value.trim());
      if (!custom) fail('write doctest-normalizer as NAME /REGEX/FLAGS => REPLACEMENT');
      const [, name = '', source = '', regexFlags = '', replacement = ''] = custom ?? [];
      try {
        into.normalizers.push({ name, pattern: new RegExp(source, regexFlags), replacement });
      } catch (error) {
        fail(`normalizer ${name}: ${(error as Error).message}`);
      }
    } else {
      fail(`unknown front-matter key ${key}; known: doctest-options, doctest-normalize, doctest-normalizer`);
    }
  }
  throw new DoctestSyntaxError(file, 1, 'front matter opened with --- is never closed');
}

function listOf(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}
