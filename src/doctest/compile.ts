/**
 * Turns one example's source into the body of an async function the scope chain of run.ts can
 * evaluate: TypeScript's types removed (by Node's own type stripping where Node has it, else by
 * esbuild from the project's tsx), then, on acorn's syntax tree, static imports turned into awaited
 * dynamic imports, `import()` and `import.meta` routed to the doctest's helpers (evaluated code is
 * a script, where neither resolves relative to the markdown file), exports dropped, and a final
 * expression statement turned into `return [value]` (wrapped so a promise is shown as the REPL
 * shows it instead of being awaited).
 */
import * as nodeModule from 'node:module';
import { parse, type Node, type Options, type Program } from 'acorn';
import type * as Esbuild from 'esbuild';
import { TSX_FIX } from '../core/typescript.ts';

/** A syntax error in an example; `line` is 1-based within the example's source. */
export class ExampleSyntaxError extends SyntaxError {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'SyntaxError';
    this.line = line;
  }
}

type StripTypes = (code: string, options: { mode: 'strip' }) => string;
/** Node's own type stripping (22.13 and 23.2 on); @types/node 20 does not declare it. */
const stripTypeScriptTypes = (nodeModule as unknown as { stripTypeScriptTypes?: StripTypes }).stripTypeScriptTypes;

let esbuild: Promise<typeof Esbuild> | undefined;

// On a Node without type stripping, esbuild comes with the project's tsx (found from `cwd`). Loaded on first use.
function loadEsbuild(cwd: string): Promise<typeof Esbuild> {
  esbuild ??= Promise.resolve().then(() => {
    const load = nodeModule.createRequire(`${cwd}/noop.js`);
    try {
      return nodeModule.createRequire(load.resolve('tsx/package.json'))('esbuild') as typeof Esbuild;
    } catch (error) {
      throw new Error(
        `TypeScript doc examples need Node 22.13 or newer, which strips types itself, or tsx (this is Node ${process.versions.node}): ${TSX_FIX}`,
        { cause: error },
      );
    }
  });
  return esbuild;
}

/** What Node's type stripping cannot remove (an enum, a namespace…), in an example. */
class UnsupportedSyntax extends ExampleSyntaxError {}

/**
 * Node's stripping, without the `ExperimentalWarning` it emits on first use: the examples' output
 * is compared with the file, and the warning says nothing about them.
 */
function strip(source: string, stripTypes: StripTypes): string {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).startsWith('stripTypeScriptTypes')) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return stripTypes(source, { mode: 'strip' });
  } catch (error) {
    // Node puts the line first in the stack: `:2\nconst b = ;`.
    const line = Number(/^:(\d+)\n/.exec((error as Error).stack ?? '')?.[1] ?? 1);
    const message = (error as Error).message;
    if ((error as { code?: unknown }).code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') throw new UnsupportedSyntax(message, line);
    throw new ExampleSyntaxError(message, line);
  } finally {
    process.emitWarning = emit;
  }
}

async function transpile(compiler: typeof Esbuild, source: string): Promise<string> {
  try {
    // Keeps imports used only by later examples, which would otherwise look unused and vanish.
    const options = { loader: 'ts', format: 'esm', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } } as const;
    return (await compiler.transform(source, options)).code;
  } catch (error) {
    const first = (error as Partial<Esbuild.TransformFailure>).errors?.[0];
    if (!first) throw error;
    throw new ExampleSyntaxError(first.text, first.location?.line ?? 1);
  }
}

/**
 * The example as JavaScript: types stripped by Node, lines where they were; what stripping cannot
 * remove, and everything on a Node that cannot strip, compiled by esbuild from the project's tsx.
 */
async function javaScript(source: string, lang: 'ts' | 'js', cwd: string): Promise<string> {
  if (lang === 'js') return source;
  if (!stripTypeScriptTypes) return transpile(await loadEsbuild(cwd), source);
  try {
    return strip(source, stripTypeScriptTypes);
  } catch (error) {
    if (!(error instanceof UnsupportedSyntax)) throw error;
    const compiler = await loadEsbuild(cwd).catch(() => undefined);
    if (!compiler) {
      throw new ExampleSyntaxError(
        `${error.message.replace(/ in strip-only mode$/, '')} by Node's type stripping; tsx compiles it: ${TSX_FIX}`,
        error.line,
      );
    }
    return transpile(compiler, source);
  }
}

const PARSE_OPTIONS: Options = { ecmaVersion: 'latest', sourceType: 'module', allowReturnOutsideFunction: false, locations: true };

function parsed(code: string): Program {
  try {
    return parse(code, PARSE_OPTIONS);
  } catch (error) {
    const { message, loc } = error as Error & { loc?: { line: number } };
    throw new ExampleSyntaxError(message.replace(/ \(\d+:\d+\)$/, ''), loc?.line ?? 1);
  }
}

/**
 * Compiles an example. Like the Node REPL, a source that starts with `{` and ends with `}` is first
 * tried as an object literal.
 *
 * @throws {@link ExampleSyntaxError}
 */
export function compileExample(source: string, lang: 'ts' | 'js', cwd: string = process.cwd()): Promise<string> {
  // A file run again (`-N`) compiles nothing new, so later iterations allocate nothing in the
  // compiler and the heap report shows the examples, not the compiler. Failures are not kept.
  const key = `${lang}\0${source}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compile(source, lang, cwd);
    cache.set(key, compiled);
    compiled.catch(() => cache.delete(key));
  }
  return compiled;
}

const cache = new Map<string, Promise<string>>();

async function compile(source: string, lang: 'ts' | 'js', cwd: string): Promise<string> {
  const trimmed = source.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const literal = await javaScript(`(${source}\n)`, lang, cwd);
      return rewrite(literal, parse(literal, PARSE_OPTIONS));
    } catch {
      // A block, then.
    }
  }
  const code = await javaScript(source, lang, cwd);
  return rewrite(code, parsed(code));
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type AnyNode = Node & Record<string, unknown>;

/** The program with its imports, exports and final expression rewritten (see the file's comment). */
function rewrite(code: string, program: Program): string {
  const edits: Edit[] = [];
  const body = program.body as unknown as AnyNode[];
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') {
      edits.push({ start: statement.start, end: statement.end, text: rewriteImport(statement) });
      continue;
    }
    if (statement.type === 'ExportAllDeclaration') {
      edits.push({ start: statement.start, end: statement.end, text: '' });
      continue;
    }
    if (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') {
      // The declaration stays, as a binding of the shared scope; an export list goes.
      const declaration = statement.declaration as AnyNode | null;
      edits.push({ start: statement.start, end: declaration ? declaration.start : statement.end, text: '' });
      if (!declaration) continue;
    }
    routeImports(statement, edits);
  }
  // esbuild moves export lists to the end: the last statement is the last that is not one.
  const last = body.findLast(
    (statement) => statement.type !== 'ExportAllDeclaration' && !(statement.type === 'ExportNamedDeclaration' && !statement.declaration),
  );
  if (last?.type === 'ExpressionStatement') {
    // The statement's own text, parentheses included (the expression's node starts inside them).
    const end = code[last.end - 1] === ';' ? last.end - 1 : last.end;
    edits.push({ start: last.start, end: last.start, text: 'return [(' });
    edits.push({ start: end, end: last.end, text: '\n)];' });
  }
  // Insertions before replacements that start at the same place; none overlap otherwise.
  edits.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + code.slice(at);
}

/** `import(…)` and `import.meta` anywhere under `node`, to the doctest's `__doctest` helpers. */
function routeImports(node: AnyNode, edits: Edit[]): void {
  if (node.type === 'MetaProperty' && (node.meta as { name: string }).name === 'import') {
    edits.push({ start: node.start, end: node.end, text: '__doctest.meta' });
    return;
  }
  if (node.type === 'ImportExpression') edits.push({ start: node.start, end: node.start + 'import'.length, text: '__doctest.import' });
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) routeImports(item, edits);
    } else if (isNode(value)) routeImports(value, edits);
  }
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** An import's or attribute's name: an identifier, or a string (`import { "a b" as c }`). */
function nameOf(node: AnyNode): string {
  return node.type === 'Identifier' ? (node.name as string) : JSON.stringify(node.value);
}

/** `import a, { b as c } from "x"` → `const { default: a, b: c } = await __doctest.import("x");` */
function rewriteImport(statement: AnyNode): string {
  const specifier = JSON.stringify((statement.source as AnyNode).value);
  const attributes = (statement.attributes as AnyNode[] | undefined) ?? [];
  const pairs = attributes.map((attribute) => `${nameOf(attribute.key as AnyNode)}: ${JSON.stringify((attribute.value as AnyNode).value)}`);
  const load = `await __doctest.import(${specifier}${pairs.length > 0 ? `, { with: { ${pairs.join(', ')} } }` : ''})`;
  let namespace: string | undefined;
  const bindings: string[] = [];
  for (const specifierNode of statement.specifiers as AnyNode[]) {
    const local = (specifierNode.local as AnyNode).name as string;
    if (specifierNode.type === 'ImportNamespaceSpecifier') namespace = local;
    else if (specifierNode.type === 'ImportDefaultSpecifier') bindings.unshift(`default: ${local}`);
    else {
      const imported = nameOf(specifierNode.imported as AnyNode);
      bindings.push(imported === local ? local : `${imported}: ${local}`);
    }
  }
  const lines: string[] = [];
  if (namespace) lines.push(`const ${namespace} = ${load};`);
  if (namespace && bindings.length > 0) lines.push(`const { ${bindings.join(', ')} } = ${namespace};`);
  else if (bindings.length > 0) lines.push(`const { ${bindings.join(', ')} } = ${load};`);
  else if (!namespace) lines.push(`${load};`);
  return lines.join('\n');
}
