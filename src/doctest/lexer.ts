/**
 * Splits esbuild's output into top-level statements. esbuild prints one top-level statement per
 * line and never breaks an expression across lines outside brackets, so a newline at bracket depth
 * zero, outside strings, templates and comments, ends a statement. That needs a lexer that knows
 * strings, template literals (with nested `${}`), comments and regex literals, and nothing more:
 * no parser ships with leakrun's runtime dependencies, and the REPL's approach (acorn) would add one.
 *
 * While scanning, `import(…)` and `import.meta` are rewritten to the doctest's own `__doctest`
 * helpers, because evaluated code is a script, where neither resolves relative to the markdown file.
 */

/** One top-level statement of transpiled code. */
export interface Statement {
  /** The statement's text, rewritten, including its trailing newline and comments. */
  readonly text: string;
  /** The first identifier-like word if the statement starts with one, else `''`. */
  readonly firstWord: string;
  /** The first character of code (not whitespace or comment), `''` for comment-only text. */
  readonly firstChar: string;
  /** Offset in `text` of the last depth-0 `;`, or -1. */
  readonly semicolon: number;
}

// After these words a `/` starts a regex, not a division.
const BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/** Splits `code` into top-level statements. */
export function splitStatements(code: string): Statement[] {
  const statements: Statement[] = [];
  let text = '';
  let firstWord = '';
  let firstChar = '';
  let semicolon = -1;
  let depth = 0;
  const templateDepths: number[] = [];
  let previous: 'none' | 'value' | 'operator' = 'none';
  let lineStart = true;
  let index = 0;

  const take = (end: number): void => {
    text += code.slice(index, end);
    index = end;
  };
  const flush = (): void => {
    if (text.trim() !== '') statements.push({ text, firstWord, firstChar, semicolon });
    text = '';
    firstWord = '';
    firstChar = '';
    semicolon = -1;
    previous = 'none';
  };
  // Scans template text from `index` (just after a backtick or a closing `}`) to its end or to `${`.
  const templateText = (): void => {
    let end = index;
    while (end < code.length) {
      if (code[end] === '\\') end += 2;
      else if (code[end] === '`') {
        take(end + 1);
        previous = 'value';
        return;
      } else if (code[end] === '$' && code[end + 1] === '{') {
        take(end + 2);
        templateDepths.push(depth);
        depth++;
        previous = 'operator';
        return;
      } else end++;
    }
    take(code.length);
  };

  while (index < code.length) {
    const char = code[index] ?? '';
    const next = code[index + 1] ?? '';
    if (char === '\n') {
      take(index + 1);
      lineStart = true;
      if (depth === 0) flush();
      continue;
    }
    if (/\s/.test(char)) {
      take(index + 1);
      continue;
    }
    if (char === '/' && next === '/') {
      const end = code.indexOf('\n', index);
      take(end < 0 ? code.length : end);
      continue;
    }
    if (char === '/' && next === '*') {
      const end = code.indexOf('*/', index + 2);
      take(end < 0 ? code.length : end + 2);
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    const first = firstChar === '';
    if (first) firstChar = char;
    if (char === '"' || char === "'") {
      take(endOfString(code, index));
      previous = 'value';
    } else if (char === '`') {
      take(index + 1);
      templateText();
    } else if (/[\p{ID_Start}$_\\]/u.test(char)) {
      const word = /^[\p{ID_Continue}$\\]+/u.exec(code.slice(index))?.[0] ?? char;
      const after = code.slice(index + word.length);
      const isProperty = /\.\s*$/.test(text) && !/\.\.\.\s*$/.test(text);
      if (word === 'import' && !isProperty && /^\s*\(/.test(after)) {
        text += '__doctest.import';
        index += word.length;
        if (first) firstWord = '__doctest';
      } else if (word === 'import' && !isProperty && /^\s*\.\s*meta\b/.test(after)) {
        text += '__doctest.meta';
        index += word.length + (/^\s*\.\s*meta/.exec(after)?.[0].length ?? 0);
        if (first) firstWord = '__doctest';
      } else {
        if (first) firstWord = word;
        take(index + word.length);
      }
      previous = BEFORE_EXPRESSION.has(word) && !isProperty ? 'operator' : 'value';
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next))) {
      take(index + (/^[\w.]+/.exec(code.slice(index))?.[0].length ?? 1));
      previous = 'value';
    } else if (char === '/') {
      // esbuild never starts a line with a division, so a `/` opening a line is a regex.
      if (previous !== 'value' || atLineStart) {
        take(endOfRegex(code, index));
        previous = 'value';
      } else {
        take(index + 1);
        previous = 'operator';
      }
    } else if (char === '(' || char === '[' || char === '{') {
      depth++;
      take(index + 1);
      previous = 'operator';
    } else if (char === ')' || char === ']' || char === '}') {
      depth = Math.max(0, depth - 1);
      take(index + 1);
      previous = 'value';
      if (char === '}' && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
        templateDepths.pop();
        templateText();
      }
    } else {
      if (char === ';' && depth === 0) semicolon = text.length;
      take(index + 1);
      previous = 'operator';
    }
  }
  flush();
  return statements;
}

function endOfString(code: string, start: number): number {
  const quote = code[start];
  let index = start + 1;
  while (index < code.length && code[index] !== quote && code[index] !== '\n') {
    index += code[index] === '\\' ? 2 : 1;
  }
  return Math.min(index + 1, code.length);
}

function endOfRegex(code: string, start: number): number {
  let index = start + 1;
  let inClass = false;
  while (index < code.length && code[index] !== '\n') {
    const char = code[index];
    if (char === '\\') index++;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) break;
    index++;
  }
  index++;
  while (index < code.length && /[a-z]/i.test(code[index] ?? '')) index++;
  return Math.min(index, code.length);
}
