/**
 * Contracts of the markdown doctest engine (docs/api.md): what the parser extracts, the options a run
 * takes, and what a checked file resolves to.
 */
import type { Layer } from '../types/index.ts';

/**
 * A named regex replacement applied to both the expected and the actual output before they are
 * compared, like zope's renormalizing checker. A string pattern is compiled with the `g` flag; a
 * `RegExp` without `g` gets it, so every occurrence is replaced.
 *
 * @example
 * ```ts
 * const pids: Normalizer = { name: 'pids', pattern: /pid \d+/, replacement: 'pid N' };
 * ```
 */
export interface Normalizer {
  /** Names it in reports and front matter. */
  readonly name: string;
  /** What to replace, in the expected and the actual output alike; a string matches literally, every occurrence. */
  readonly pattern: RegExp | string;
  /** As for `String.prototype.replace`: `$1` and `$<name>` refer to groups; a function gets the match and groups. */
  readonly replacement: string | ((match: string, ...groups: string[]) => string);
}

/** A built-in normalizer: `times` (`1.234 seconds` → `N.NNN seconds`), `paths` (cwd-absolute → relative). */
export type BuiltinNormalizerName = 'times' | 'paths';

/** A normalizer given by built-in name or in full. */
export type NormalizerSpec = BuiltinNormalizerName | Normalizer;

/** Comparison flags. `NORMALIZE_WHITESPACE` treats every run of whitespace, newlines included, as one space. */
export type DoctestFlag = 'NORMALIZE_WHITESPACE';

/**
 * Options of one doctest run. Normalizers and flags add to those the file declares in its front
 * matter; they never remove any.
 */
export interface DoctestOptions {
  /** Directory names are made relative to and the `paths` normalizer strips. Default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** Normalizers applied, after the file's own, to every example. */
  readonly normalizers?: readonly NormalizerSpec[] | undefined;
  /** Comparison flags applied to every example, besides the file's own. */
  readonly flags?: readonly DoctestFlag[] | undefined;
  /**
   * Specifiers imported by the examples that should load something else, e.g.
   * `{ leakrun: '/abs/src/index.ts' }` to document the sources rather than the build. Values are
   * absolute paths, paths relative to `cwd`, or URLs.
   */
  readonly importMap?: Readonly<Record<string, string>> | undefined;
}

/** Options of `docFileSuite()`: a run's options plus where the test sits. */
export interface DocFileSuiteOptions extends DoctestOptions {
  /** The layer the file's test runs in; none means the unit-tests layer. */
  readonly layer?: Layer | undefined;
  /** The level of the file's test; default 1. */
  readonly level?: number | undefined;
}

/** One example: the code after `> ` prompts and the output expected from it. */
export interface DoctestExample {
  /** 1-based line of the first `> ` line in the markdown file; continuation `k` is on `line + k`. */
  readonly line: number;
  /** The code with prompts removed, lines joined by `\n`. */
  readonly source: string;
  /** Expected output, trailing whitespace of each line and trailing blank lines removed. */
  readonly want: string;
  /** 1-based line where the expected output starts (the line after the code). */
  readonly wantLine: number;
  /** From the block's info string: `ts doctest` or `js doctest`. */
  readonly lang: 'ts' | 'js';
}

/** A parsed markdown file: its examples in order and what its front matter declares. */
export interface ParsedDocFile {
  /** The examples, in file order. */
  readonly examples: readonly DoctestExample[];
  /** The flags the front matter declares. */
  readonly flags: readonly DoctestFlag[];
  /** The normalizers the front matter declares, by name or in full. */
  readonly normalizers: readonly NormalizerSpec[];
}

/** An example that printed something else (`failure`) or raised unexpectedly (`error`). */
export interface ExampleProblem {
  /** `failure` when it printed something else, `error` when it raised unexpectedly. */
  readonly kind: 'failure' | 'error';
  /** 1-based line of the example (or of the syntax problem, for a file that does not parse). */
  readonly line: number;
  /** The example's code, prompts removed. */
  readonly source: string;
  /** What the file says it prints. */
  readonly want: string;
  /** What the example printed, including a final `Uncaught …` line when it threw. */
  readonly got: string;
  /** What it raised, for `error`. */
  readonly error?: Error | undefined;
  /** The human-readable report: `file:line`, source, expected, got and a diff, or the stack. */
  readonly report: string;
}

/** The outcome of running one markdown file. */
export interface DocFileResult {
  /** Absolute path. */
  readonly file: string;
  /** Path relative to the cwd, `/`-separated, as printed. */
  readonly name: string;
  /** Examples run. */
  readonly examples: number;
  /** Examples whose output differed. */
  readonly failures: number;
  /** Examples that threw, or did not compile. */
  readonly errors: number;
  /** The failures and errors, in file order. */
  readonly problems: readonly ExampleProblem[];
  /** Every problem's report, in file order; empty when the file passed. */
  readonly report: string;
  /** True when every example printed what the file says. */
  readonly passed: boolean;
}
