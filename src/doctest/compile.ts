/**
 * Turns one example's source into the body of an async function the scope chain of run.ts can
 * evaluate: TypeScript removed by esbuild, static imports turned into awaited dynamic imports, and a
 * final expression statement turned into `return [value]` (wrapped so a promise is shown as the REPL
 * shows it instead of being awaited).
 */
import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';
import { splitStatements, type Statement } from './lexer.ts';

/** A syntax error in an example; `line` is 1-based within the example's source. */
export class ExampleSyntaxError extends SyntaxError {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'SyntaxError';
    this.line = line;
  }
}

let esbuild: Promise<typeof Esbuild> | undefined;

// esbuild comes with tsx, a runtime dependency; when a package manager does not hoist it, it is
// found next to tsx. Loaded on first use so importing leakrun stays cheap.
function loadEsbuild(): Promise<typeof Esbuild> {
  esbuild ??= Promise.resolve().then(() => {
    const load = createRequire(import.meta.url);
    try {
      return load('esbuild') as typeof Esbuild;
    } catch {
      try {
        return createRequire(load.resolve('tsx/package.json'))('esbuild') as typeof Esbuild;
      } catch (error) {
        throw new Error(
          `doctests need esbuild, which comes with tsx; install tsx next to leakrun (${(error as Error).message.split('\n')[0]})`,
          {
            cause: error,
          },
        );
      }
    }
  });
  return esbuild;
}

const STATEMENT_WORDS = new Set([
  'var',
  'let',
  'const',
  'function',
  'class',
  'if',
  'for',
  'while',
  'do',
  'switch',
  'try',
  'throw',
  'return',
  'break',
  'continue',
  'debugger',
  'with',
  'import',
  'export',
]);
const IDENTIFIER = String.raw`[\p{ID_Start}$_][\p{ID_Continue}$]*`;
const STRING = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`;
const IMPORT = new RegExp(
  String.raw`^import\s*(?:(${IDENTIFIER})\s*,?\s*)?(?:\*\s*as\s+(${IDENTIFIER})\s*|\{([^}]*)\}\s*)?(?:from\s*)?(${STRING})\s*(?:with\s*(\{[^}]*\}))?\s*;?\s*$`,
  'u',
);
const LEADING_TRIVIA = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/;

/**
 * Compiles an example. Like the Node REPL, a source that starts with `{` and ends with `}` is first
 * tried as an object literal.
 *
 * @throws {@link ExampleSyntaxError}
 */
export function compileExample(source: string, lang: 'ts' | 'js'): Promise<string> {
  // A file run again (`-N`) compiles nothing new, so later iterations allocate nothing in esbuild
  // and the heap report shows the examples, not the compiler. Failures are not kept.
  const key = `${lang}\0${source}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compile(source, lang);
    cache.set(key, compiled);
    compiled.catch(() => cache.delete(key));
  }
  return compiled;
}

const cache = new Map<string, Promise<string>>();

async function compile(source: string, lang: 'ts' | 'js'): Promise<string> {
  const { transform } = await loadEsbuild();
  const options: Esbuild.TransformOptions = {
    loader: lang,
    format: 'esm',
    target: `node${process.versions.node}`,
    // Keeps imports used only by later examples, which would otherwise look unused and vanish.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  };
  const trimmed = source.trim();
  let code: string | undefined;
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    code = await transform(`(${source}\n)`, options).then(
      (result) => result.code,
      () => undefined,
    );
  }
  try {
    code ??= (await transform(source, options)).code;
  } catch (error) {
    const first = (error as Partial<Esbuild.TransformFailure>).errors?.[0];
    if (!first) throw error;
    throw new ExampleSyntaxError(first.text, first.location?.line ?? 1);
  }
  const statements = splitStatements(code).filter((statement) => statement.firstWord !== 'export');
  const last = statements.findLastIndex((statement) => statement.firstChar !== '');
  return statements
    .map((statement, index) => {
      if (statement.firstWord === 'import') return rewriteImport(statement.text);
      if (index === last && isExpression(statement)) return returnValue(statement);
      return statement.text;
    })
    .join('');
}

function isExpression(statement: Statement): boolean {
  const { firstChar, firstWord } = statement;
  if (firstChar === '{' || firstChar === ';' || STATEMENT_WORDS.has(firstWord)) return false;
  const code = statement.text.replace(LEADING_TRIVIA, '');
  if (firstWord === 'async' && /^async\s+function\b/.test(code)) return false;
  return !new RegExp(`^${IDENTIFIER}\\s*:`, 'u').test(code); // a label
}

function returnValue(statement: Statement): string {
  const { text, semicolon } = statement;
  const end = semicolon >= 0 ? semicolon : text.trimEnd().length;
  return `return [(${text.slice(0, end)}\n)];${text.slice(end + (semicolon >= 0 ? 1 : 0))}`;
}

/** `import a, { b as c } from "x"` → `const { default: a, b: c } = await __doctest.import("x");` */
function rewriteImport(text: string): string {
  const match = IMPORT.exec(text.replace(LEADING_TRIVIA, ''));
  if (!match) throw new ExampleSyntaxError(`cannot rewrite this import for a doctest: ${text.trim()}`, 1);
  const [, defaultName, namespace, named, specifier = '', attributes] = match;
  const load = `await __doctest.import(${specifier}${attributes ? `, { with: ${attributes} }` : ''})`;
  const bindings = (named ?? '')
    .split(',')
    .map((binding) => binding.trim())
    .filter(Boolean)
    .map((binding) => binding.replace(/\s+as\s+/, ': '));
  if (defaultName) bindings.unshift(`default: ${defaultName}`);
  const lines: string[] = [];
  if (namespace) lines.push(`const ${namespace} = ${load};`);
  if (namespace && bindings.length > 0) lines.push(`const { ${bindings.join(', ')} } = ${namespace};`);
  else if (bindings.length > 0) lines.push(`const { ${bindings.join(', ')} } = ${load};`);
  else if (!namespace) lines.push(`${load};`);
  return `${lines.join('\n')}\n`;
}
