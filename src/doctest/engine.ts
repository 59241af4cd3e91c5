/**
 * Runs the examples of one markdown file, in order, in one shared scope.
 *
 * How the scope is shared: every example is compiled to the body of an async arrow function and
 * evaluated with a *direct* `eval` made inside the previous example's arrow, so each example is a
 * nested scope of the one before. `const`, `let`, `class`, functions and rewritten imports of
 * earlier examples are therefore real bindings of an enclosing scope: closures, TDZ and `const`
 * behave as in a module, top-level `await` works (the body is async), a later example may shadow an
 * earlier name, and an example that throws keeps what it declared before throwing (its evaluator is
 * created as its first statement). The alternatives were worse: `vm` contexts are another realm
 * (`instanceof Error` and `Array` break across it), the REPL's global script scope leaks between
 * files and forbids redeclaring, and rewriting declarations into properties of a scope object
 * loses `const`, TDZ and closures over later reassignments, which nested scopes keep for free.
 */
import { Console } from 'node:console';
import { Buffer } from 'node:buffer';
import { dirname, sep } from 'node:path';
import { ensureTypeScript, noTypeScriptError } from '../core/typescript.ts';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { escapeRegExp } from '../text/regexp.ts';
import { stackless, toError } from '../core/errors.ts';
import { LeakrunRecords } from '../sampler/records.ts';
import { compileExample, ExampleSyntaxError } from './compile.ts';
import { resolveSpecifier } from './resolve.ts';
import type { DoctestExample } from './types.ts';

/** What running one example produced. */
export interface ExampleOutcome {
  /** Text written to stdout, then the REPL-style value, or an `Uncaught …` line if it threw. */
  readonly got: string;
  /** The text written to stdout alone. */
  readonly printed: string;
  /** What it threw or rejected with; a compile problem is a `SyntaxError`. */
  readonly error?: Error | undefined;
  /** The file line the error points at: the bad line for a syntax error, else the example's line. */
  readonly errorLine?: number | undefined;
  /** True when the example did not compile, so it never ran. */
  readonly syntaxError?: boolean | undefined;
}

type Evaluate = (code: string) => unknown;

interface Helpers {
  import(specifier: string, options?: ImportCallOptions): Promise<unknown>;
  readonly meta: { readonly url: string; readonly filename: string; readonly dirname: string; resolve(specifier: string): string };
  ev: Evaluate | undefined;
}

// Created by an indirect eval so the examples see globals and `__doctest`, nothing of this module.
const createRoot = (0, eval)('(function (__doctest) { "use strict"; return (__doctest_code) => eval(__doctest_code); })') as (
  helpers: Helpers,
) => Evaluate;

const ENGINE_DIR = dirname(fileURLToPath(import.meta.url));

/** The shared scope of one file's examples. */
export class DocScope {
  readonly #helpers: Helpers;
  readonly #name: string;
  readonly #cwd: string;
  #evaluate: Evaluate;

  /** `name` prints the file in stacks; `importMap` and `cwd` are as in `DoctestOptions`. */
  constructor(file: string, name: string, cwd: string, importMap: Readonly<Record<string, string>> = {}) {
    const resolveFrom = (specifier: string): string => resolveSpecifier(specifier, file, cwd, importMap);
    this.#helpers = {
      import: async (specifier, options) => {
        const target = resolveFrom(specifier);
        // An example may import the project's TypeScript, as a test module may.
        if (target.startsWith('file:') && /\.[mc]?ts$/.test(target) && (await ensureTypeScript(fileURLToPath(target))) === 'none') {
          throw noTypeScriptError(fileURLToPath(target), cwd);
        }
        return import(target, options);
      },
      meta: { url: pathToFileURL(file).href, filename: file, dirname: dirname(file), resolve: resolveFrom },
      ev: undefined,
    };
    this.#name = name;
    this.#cwd = cwd;
    this.#evaluate = createRoot(this.#helpers);
  }

  /** Runs one example after all those before it. Problems of the example are in the outcome; rejects only when TypeScript cannot be compiled here (Node 20 without tsx). */
  async run(example: DoctestExample): Promise<ExampleOutcome> {
    let body: string;
    try {
      body = await compileExample(example.source, example.lang, this.#cwd);
    } catch (error) {
      if (!(error instanceof ExampleSyntaxError)) throw error; // no compiler for TypeScript here: not the example's fault
      stackless(error);
      return { got: '', printed: '', error, errorLine: example.line + error.line - 1, syntaxError: true };
    }
    const code =
      `(async () => { __doctest.ev = (__doctest_code) => eval(__doctest_code);\n${body}\n})()\n` +
      `//# sourceURL=${this.#name}:${example.line}`;
    const capture = captureStdout();
    let result: unknown;
    let thrown: { readonly value: unknown } | undefined;
    let printed: string;
    try {
      this.#helpers.ev = undefined;
      const pending = this.#evaluate(code);
      if (this.#helpers.ev) this.#evaluate = this.#helpers.ev;
      result = await pending;
    } catch (error) {
      thrown = { value: error };
    } finally {
      printed = capture.stop();
    }
    if (thrown) {
      const got = joinLines(printed, `Uncaught ${describeThrown(thrown.value)}`);
      const error = toError(thrown.value);
      error.stack = this.#cleanStack(error.stack ?? `${error.name}: ${error.message}`);
      return { got, printed, error, errorLine: example.line };
    }
    const value = Array.isArray(result) ? result[0] : undefined;
    return { got: value === undefined ? printed : joinLines(printed, inspect(value, { showProxy: true })), printed };
  }

  // Frames of the engine, and of whatever called it below the example, say nothing about the
  // example; frames of examples name their file line.
  #cleanStack(stack: string): string {
    const position = `(${escapeRegExp(this.#name)}:\\d+):\\d+:\\d+`;
    const own = new RegExp(position);
    const lines = stack
      .split('\n')
      .filter((line) => !/^\s+at /.test(line) || !(line.includes(ENGINE_DIR + sep) || line.includes('__doctest.ev')));
    const lastOwn = lines.findLastIndex((line) => /^\s+at /.test(line) && own.test(line));
    return (lastOwn >= 0 ? lines.slice(0, lastOwn + 1) : lines).map((line) => line.replace(new RegExp(position, 'g'), '$1')).join('\n');
  }
}

/** The REPL's `Uncaught` line: an error's message lines without frames, any other value inspected. */
function describeThrown(value: unknown): string {
  if (value instanceof Error || (typeof value === 'object' && value !== null && 'stack' in value && 'message' in value)) {
    const error = value as Error;
    const head = (error.stack ?? '').split('\n');
    const firstFrame = head.findIndex((line) => /^\s+at /.test(line));
    return firstFrame > 0 ? head.slice(0, firstFrame).join('\n') : `${error.name}: ${error.message}`;
  }
  return inspect(value, { showProxy: true });
}

function joinLines(first: string, second: string): string {
  return first === '' || first.endsWith('\n') ? `${first}${second}\n` : `${first}\n${second}\n`;
}

/**
 * The `console` of examples while their output is captured: Node's, writing to `process.stdout`.
 * A host runner may have replaced the global one with its own (Vitest's writes to its own
 * channel), whose output the capture would never see. One for all examples, made once, so that
 * an example measured with -r does not count a new one each time.
 */
let exampleConsole: Console | undefined;

/**
 * Diverts `process.stdout.write` (which `console.log` goes through) until `stop()`, so output an
 * example writes asynchronously before its promise settles is caught too; and sets the global
 * `console` to one that writes there, whatever console a host runner had installed.
 */
function captureStdout(): { stop(): string } {
  const stream = process.stdout;
  const hostConsole = globalThis.console;
  globalThis.console = exampleConsole ??= new Console({ stdout: process.stdout, stderr: process.stderr });
  const ownWrite = Object.hasOwn(stream, 'write');
  const original = stream.write;
  // Reached only through LeakrunRecords, so an example that measures the heap with -r does not
  // count the output it has printed so far.
  const captured = new LeakrunRecords<string>();
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    const charset = typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined;
    captured.items.push(
      typeof chunk === 'string' && (charset === undefined || charset === 'utf8') ? chunk : Buffer.from(chunk as string, charset).toString(),
    );
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
  return {
    stop() {
      globalThis.console = hostConsole;
      if (ownWrite) stream.write = original;
      else Reflect.deleteProperty(stream, 'write');
      return captured.items.join('');
    },
  };
}

export { displayName } from './locations.ts';
