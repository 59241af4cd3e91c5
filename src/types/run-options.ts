/**
 * The options of a run: what the option parser produces, the name filters in them, the usage
 * problems it reports instead, and the contract of the swappable option parser.
 */
import type { Shard } from './shard.ts';

/** The options of one run, after defaults and argv were merged and validated (docs/options.md). */
export interface RunOptions {
  /** Roots searched for test modules (`--path` and `--test-path`), absolute, in order given. */
  readonly paths: readonly string[];
  /** Module/directory stem pattern. Default `^tests$|\.test$`. */
  readonly testsPattern: RegExp;
  /** File pattern inside a matching directory. Default `^test`. */
  readonly testFilePattern: RegExp;
  /** `-s/--package`: dotted package prefixes. */
  readonly packages: readonly string[];
  /** `-m/--module` filters; a module is kept when any matches. */
  readonly modules: readonly NameFilter[];
  /** `-t/--test` filters on the printed test name; a test is kept when any matches. */
  readonly tests: readonly NameFilter[];
  /** `--layer` filters on layer names; a layer is kept when any matches. */
  readonly layers: readonly NameFilter[];
  /** `-u` (only unit tests), `-f` (only non-unit), or both kinds. */
  readonly unit: 'only' | 'exclude' | 'include';
  /** Highest level run; `Infinity` for `--all`. Default 1. */
  readonly atLevel: number;
  /** `--list-tests`: list the selected tests by layer, run nothing. */
  readonly listTests: boolean;
  /**
   * `--pass-with-no-tests`: a run whose filters select no test passes. Without it, such a run
   * fails with exit code 1 and a line naming the filters, so that a mistyped filter cannot pass CI.
   */
  readonly passWithNoTests: boolean;
  /**
   * Test files and directories named as arguments (absolute paths). When there are any, only the
   * test modules they name or hold are loaded: a named file whatever its name, and in a directory
   * the files that `testsPattern` and `testFilePattern` select. Empty for all of `paths`.
   */
  readonly files: readonly string[];
  /** `--require-unique`: fail before running when two selected tests share a printed name. */
  readonly requireUnique: boolean;
  /** `-v` count (0 by default; `-q` sets it to 0). */
  readonly verbose: number;
  /** `-q`. */
  readonly quiet: boolean;
  /** `-p`, or `--auto-progress` on a terminal. */
  readonly progress: boolean;
  /** `-c`, or `--auto-color` on a terminal. */
  readonly color: boolean;
  /** `-N`: iterations per layer. Default 1. */
  readonly repeat: number;
  /** `-r`: sample the heap after each iteration (also on with `--fail-on-leak`). */
  readonly reportRefcounts: boolean;
  /**
   * On with `--fail-on-leak` or `--leak-bisect` when `-r` is not given: each iteration is judged
   * by the sampler's cheap screen (a count of live objects) and heap snapshots are taken only to
   * confirm and explain growth it saw (docs/ci.md). Off, or absent, every iteration is sampled.
   */
  readonly leakScreen?: boolean | undefined;
  /**
   * `--fail-on-leak`: judge each layer's heap deltas after its iterations and fail a layer that
   * grew in every judged one (docs/ci.md). Without `-N`, the repeat count is `leakWarmups + 4`.
   */
  readonly failOnLeak: boolean;
  /**
   * `--fail-on-env-change`: an iteration that changes `globalThis`, `process.env` or the working
   * directory, or raises a `MaxListenersExceededWarning`, is an error (docs/leaks.md). Without it,
   * `-r` reports such changes as warnings.
   */
  readonly failOnEnvChange: boolean;
  /**
   * `--trace-leaks`: note where every timer, handle and request is created (an async hook), and
   * show it for a resource type that leaked. Costs time in every test; off by default.
   */
  readonly traceLeaks: boolean;
  /** `--leak-warmups`: how many deltas after the baseline are printed but not judged. Default 1. */
  readonly leakWarmups: number;
  /**
   * `--leak-max-repeat`: the most iterations a layer runs when its judged deltas disagree (some
   * grew, some did not): the verdict runs one more at a time and judges the latest window of as
   * many deltas as `-N` judged (docs/ci.md). Default `repeat` plus twice that window.
   */
  readonly leakMaxRepeat: number;
  /** `--leak-allow-undecided`: a layer whose deltas still disagree after `leakMaxRepeat` iterations does not fail the run. */
  readonly leakAllowUndecided: boolean;
  /**
   * `--leak-bisect-budget`: the most heap samples the search for a leaking layer's leaking tests
   * may take, its baseline included; 0 turns the search off. Default 20.
   */
  readonly leakBisectBudget: number;
  /** `--leak-bisect`: judge and search every layer's growth as `--fail-on-leak` does, without failing the run. */
  readonly leakBisect: boolean;
  /** `--leak-allow`: layers or tests whose leaks are reported as allowed and do not fail the run. */
  readonly leakAllow: readonly RegExp[];
  /** `--leak-ignore`: heap rows (type/class names) left out of the judged deltas. */
  readonly leakIgnore: readonly RegExp[];
  /** `--json FILE`: where to write the run as JSON at its end (absolute); `undefined` for nowhere. */
  readonly json: string | undefined;
  /**
   * `--html FILE`: where to write the run as one self-contained page at its end (absolute): per
   * layer, a plot of the heap's changes and what leaked (docs/leaks.md). `undefined` for nowhere.
   */
  readonly html: string | undefined;
  /**
   * `--xml DIR`: where to write the run as JUnit XML at its end, a file per layer (absolute; made
   * if missing); `undefined` for nowhere (docs/ci.md).
   */
  readonly xml: string | undefined;
  /**
   * `--reporter`: the formatter that prints the run: `text`, `events`, or a module (a path, or a
   * package name) whose default export (or `createFormatter` export) is a {@link FormatterFactory}.
   * `undefined` for `components.formatter`, else `text`.
   */
  readonly reporter: string | undefined;
  /** `-x`: stop after the first failure or error. */
  readonly stopOnError: boolean;
  /** `--timeout` in milliseconds per test; `undefined` for none. */
  readonly timeout: number | undefined;
  /** `--shuffle` or `--shuffle-seed`: each layer's tests in an order drawn from the seed. */
  readonly shuffle: boolean;
  /** The seed used when shuffling (given or drawn). */
  readonly shuffleSeed: number | undefined;
  /**
   * `--shard I/N`: run only the I-th of N shares of the selected tests (1-based), for one of N CI
   * machines (docs/ci.md); `undefined` for all of them.
   */
  readonly shard: Shard | undefined;
  /**
   * `-j N`: run up to N layers at once, each in a child process of its own, printing their output
   * in the usual layer order (docs/processes.md). 1, the default, runs every layer in this process.
   */
  readonly jobs: number;
  /** `--version`: print it, run nothing. */
  readonly version: boolean;
  /** `--help`: print the option parser's help, run nothing. */
  readonly help: boolean;
}

/** A compiled `--layer`/`-m`/`-t` pattern; a leading `!` negates it. */
export interface NameFilter {
  /** The pattern as given, `!` included. */
  readonly source: string;
  /** True when it began with `!`: names it matches are left out. */
  readonly negated: boolean;
  /** The compiled pattern, without the `!`. */
  readonly regexp: RegExp;
}

/** A usage problem: one line naming the option and the fix, and the exit code it leads to. */
export interface UsageProblem {
  /** One line naming the option and the fix, printed after `leakrun: error: `. */
  readonly message: string;
  /** 2 for a bad command line; 1 for a run that cannot go on as asked (`-r` without `-N`, `--require-unique`). */
  readonly exitCode: 1 | 2;
}

/** What an option parser is told about the run it parses for. */
export interface ParseContext {
  /** The directory relative paths are resolved against (`components.cwd`). */
  readonly cwd: string;
  /**
   * Whether the run's output (`components.output`) is a terminal: what `--auto-color` and
   * `--auto-progress` go by.
   */
  readonly terminal: boolean;
  /**
   * Whether to colour when the arguments do not say (no `-c`, `-C` or `--auto-color`'s own
   * choice): the CLI's reading of `FORCE_COLOR`, `NO_COLOR` and `TERM=dumb` (docs/options.md).
   * `undefined` colours a terminal only.
   */
  readonly color?: boolean | undefined;
  /**
   * Where the `defaults` came from (`components.defaultsSource`), such as `leakrun.config.json`:
   * a usage problem they cause names it. `undefined` when they were given in code.
   */
  readonly defaultsSource?: string | undefined;
}

/**
 * Turns the command line into {@link RunOptions}. A swappable part (docs/api.md).
 *
 * Its contract:
 * - `parse` reads `defaults` first and `argv` on top of them, and returns either complete options
 *   or one usage problem, whose message the runner prints after `leakrun: error: ` and whose exit
 *   code the run returns. Bad input is a usage problem, not a throw; a `parse` that throws ends the
 *   run before anything runs, with a usage error that names the option parser (exit 2).
 * - `help()` returns the text `--help` prints: every option `parse` accepts. It is called only
 *   when the options ask for help.
 * - Neither method writes anything; the runner prints.
 */
export interface OptionParser {
  /** The options `defaults` and then `argv` give, or the one usage problem they have. */
  parse(
    defaults: readonly string[],
    argv: readonly string[],
    context: ParseContext,
  ): { readonly options: RunOptions } | { readonly problem: UsageProblem };
  /** The text `--help` prints. */
  help(): string;
}
