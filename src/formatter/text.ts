import type {
  Formatter,
  FormatterContext,
  HeapSample,
  Interruption,
  IterationCounts,
  ProblemKind,
  RunEvent,
  RunOptions,
} from '../types/index.ts';
import { createPalette, type Palette, type Role, SLOW_TEST_SECONDS } from '../text/color.ts';
import { heapReport } from './heap.ts';
import { pathsTree } from '../text/retainer-tree.ts';
import { fixed } from '../text/numbers.ts';
import { MAX_WIDTH, progressText } from './progress.ts';
import { cleanStack } from '../text/stack.ts';
import { attributionReport, resourcesReport, verdictReport } from './verdict-block.ts';
import { confirmLine, environmentLine, environmentProblem, extendLine, screenLine } from '../text/leak-sentences.ts';
import { MIN_JUDGED } from '../leaks/verdict.ts';
import { formatSeconds, problemName, ranLine, runSummary } from '../text/summary.ts';

const DOT_INDENT = '    ';
/** Dots per `-v` line, keeping the line short of the last column (which makes some terminals wrap). */
const DOTS_PER_LINE = MAX_WIDTH - 1 - DOT_INDENT.length;

type OpenHook = `${'setup' | 'teardown'}:${string}`;

/**
 * The default formatter: zope.testrunner's text output (docs/getting-started.md, docs/leaks.md). One instance per run; it keeps
 * only a few counters, so the memory it holds does not grow with the run and cannot show up in the
 * heap counts it prints.
 */
class TextFormatter implements Formatter {
  readonly #options: RunOptions;
  readonly #verbose: number;
  readonly #progress: boolean;
  /** The terminal's width, when the output is one: the `-p` line is fitted into it. */
  readonly #columns: number | undefined;
  readonly #palette: Palette;
  readonly #clean: (error: Error) => string;
  /** Something was written without its newline: dots, a `-vv` name, a progress line, `  Set up X `. */
  #lineOpen = false;
  #openHook: OpenHook | undefined;
  #dots = 0;
  #testsRun = 0;
  #testsTotal = 0;
  #width = 0;
  #lastWidth = 0;
  #importFailures = 0;
  #importGapPending = false;
  /** The layer started last. */
  #layer: string | undefined;

  constructor(context: FormatterContext) {
    this.#options = context.options;
    this.#verbose = context.options.quiet ? 0 : context.options.verbose;
    this.#progress = context.options.progress;
    this.#columns = context.columns;
    this.#palette = createPalette(context.options.color);
    this.#clean = (error) => cleanStack(error, context.cwd);
  }

  write(event: RunEvent): string {
    // zope ends the import-failure section with an extra blank line once the section is over.
    let gap = '';
    if (this.#importGapPending && event.type !== 'import:failure') {
      this.#importGapPending = false;
      gap = '\n';
    }
    return gap + this.#render(event);
  }

  #render(event: RunEvent): string {
    switch (event.type) {
      case 'run:start':
        return this.#runStart();
      case 'import:failure':
        return this.#importFailure(event.module, event.error);
      case 'list:layer':
        return `Listing ${event.layer} tests:\n${event.tests.map((test) => `  ${test}\n`).join('')}`;
      case 'layer:start':
        this.#layer = event.layer;
        return this.#closeLine() + this.#info(event.unit ? 'Running unit tests:' : `Running ${event.layer} tests:`);
      case 'layer:setup:start':
        return this.#openHookLine('setup', event.layer);
      case 'layer:setup:end':
        return this.#closeHookLine('setup', event.layer) + this.#hookOutcome(event.seconds, event.error, false);
      case 'layer:teardown:start':
        return this.#openHookLine('teardown', event.layer);
      case 'layer:teardown:end':
        return this.#closeHookLine('teardown', event.layer) + this.#hookOutcome(event.seconds, event.error, event.notSupported);
      case 'layer:not-run':
        // A layer that never started (the run was interrupted before it) is counted in the summary only.
        return event.layer === this.#layer ? this.#notRun(event.layer, event.tests) : '';
      case 'leftover:start':
        return this.#closeLine() + this.#info('Tearing down left over layers:');
      case 'layer:subprocess':
        return `${this.#closeLine()}  Running in a subprocess${event.reason ? ` (${event.reason})` : ''}.\n`;
      case 'iteration:start':
        return this.#iterationStart(event.iteration, event.of, event.tests);
      case 'test:start':
        return this.#testStart(event.test);
      case 'test:pass':
        return this.#testTime(event.seconds) + this.#stopTest();
      case 'test:skip':
        return this.#skipNote(event.reason) + this.#stopTest();
      case 'test:fail':
        return this.#testTime(event.seconds) + this.#problemBlock('failure', `test ${event.test}`, event.error);
      case 'test:error':
        return this.#testTime(event.seconds) + this.#problemBlock('error', `test ${event.test}`, event.error);
      case 'run:problem':
        return this.#problemBlock(event.problem.kind, problemName(event.problem), event.problem.error);
      case 'run:interrupted':
        return `${this.#closeLine()}${this.#palette.paint('error', interruptedLine(event.interruption))}\n`;
      case 'iteration:end':
        return this.#iterationEnd(event.counts);
      case 'heap:sample':
        return event.diff ? this.#closeLine() + heapReport(event.diff, this.#verbose) + this.#heapPaths(event.sample) : '';
      case 'layer:verdict':
        return (
          this.#closeLine() +
          verdictReport(this.#palette, event.verdict, this.#verbose) +
          (event.attribution ? attributionReport(this.#palette, event.attribution, this.#verbose, event.verdict.allowed) : '')
        );
      case 'layer:extend':
        return `${this.#closeLine()}  ${extendLine(event.deltas, event.window, event.upTo)}\n`;
      case 'heap:screen':
        return `${this.#closeLine()}${screenLine(event.objects, event.change, event.since)}\n`;
      case 'layer:confirm':
        return `${this.#closeLine()}  ${confirmLine(event.change, event.since, event.failed, MIN_JUDGED)}\n`;
      case 'resources:sample':
        return this.#verbose >= 1 && event.changes !== undefined && event.changes.size > 0
          ? this.#closeLine() + resourcesReport(event.counts, event.changes)
          : '';
      case 'environment:change': {
        // Under --fail-on-env-change the changes are an error of the run, printed as errors are.
        if (this.#options.failOnEnvChange) {
          const problem = environmentProblem(event);
          return this.#problemBlock(problem.kind, problemName(problem), problem.error);
        }
        return (
          this.#closeLine() +
          event.changes
            .map((change) => `${this.#palette.paint('error', `  ${environmentLine(event.layer, event.iteration, change)}`)}\n`)
            .join('')
        );
      }
      case 'heap:error':
        return `${this.#closeLine() + this.#palette.paint('error', `  Heap sample failed: ${event.error.message}`)}\n`;
      case 'run:end':
        return this.#options.listTests ? '' : this.#closeLine() + runSummary(this.#palette, event.result, this.#verbose);
      default:
        // Events from a newer runner (or a child process's stream) print nothing rather than `undefined`.
        return '';
    }
  }

  #info(message: string): string {
    return `${this.#palette.paint('info', message)}\n`;
  }

  /** At `-vv`, what holds the objects of the rows that grew in the iteration (docs/leaks.md). */
  #heapPaths(sample: HeapSample): string {
    if (this.#verbose < 2) return '';
    const paths = sample.paths ?? [];
    return paths.length === 0 ? '' : `    What holds the new objects:\n${pathsTree(paths, '      ')}`;
  }

  #closeLine(): string {
    if (!this.#lineOpen) return '';
    this.#lineOpen = false;
    this.#dots = 0;
    return '\n';
  }

  #runStart(): string {
    let text = '';
    if (this.#verbose > 0) {
      const level = this.#options.atLevel;
      text += this.#info(level === Infinity ? 'Running tests at all levels' : `Running tests at level ${level}`);
    }
    if (this.#options.shuffle && this.#options.shuffleSeed !== undefined) {
      text += this.#info(`Tests were shuffled using seed number ${this.#options.shuffleSeed}.`);
    }
    return text;
  }

  #importFailure(module: string, error: Error): string {
    const heading = this.#importFailures++ === 0 ? 'Test-module import failures:\n' : '';
    this.#importGapPending = true;
    const report = this.#palette.stack(this.#clean(error));
    return `${this.#closeLine()}${heading}\n${this.#palette.paint('error', `Module: ${module}`)}\n\n${report}\n\n`;
  }

  #openHookLine(phase: 'setup' | 'teardown', layer: string): string {
    const text = `${this.#closeLine()}  ${phase === 'setup' ? 'Set up' : 'Tear down'} ${layer} `;
    this.#lineOpen = true;
    this.#openHook = `${phase}:${layer}`;
    return text;
  }

  /** Nothing when the hook's line is still open; otherwise (something interrupted it) the line again. */
  #closeHookLine(phase: 'setup' | 'teardown', layer: string): string {
    const stillOpen = this.#lineOpen && this.#openHook === `${phase}:${layer}`;
    const text = stillOpen ? '' : this.#openHookLine(phase, layer);
    this.#lineOpen = false;
    this.#openHook = undefined;
    return text;
  }

  #hookOutcome(seconds: number, error: Error | undefined, notSupported: boolean | undefined): string {
    if (notSupported) return `... ${this.#palette.paint('suboptimal', 'not supported')}\n`;
    if (error) return `${this.#palette.paint('error', 'failed:')}\n${this.#palette.paint('error', this.#clean(error))}\n\n`;
    return `in ${formatSeconds(this.#palette, seconds)}.\n`;
  }

  /** `  Did not run 3 tests: X could not be set up.`, and with `-v` their names. */
  #notRun(layer: string, tests: readonly string[]): string {
    const names = this.#verbose > 0 ? tests.map((test) => `    ${test}\n`).join('') : '';
    return `${this.#closeLine()}  Did not run ${tests.length} tests: ${layer} could not be set up${names ? ':' : '.'}\n${names}`;
  }

  #iterationStart(iteration: number, of: number, tests: number): string {
    this.#testsRun = 0;
    this.#testsTotal = tests;
    this.#width = 0;
    this.#lastWidth = 0;
    let text = this.#closeLine();
    if (of > 1) text += this.#info(`Iteration ${iteration}`);
    if (this.#verbose > 0 || this.#progress) text += this.#info('  Running:');
    return text;
  }

  #testStart(name: string): string {
    this.#testsRun++;
    if (this.#progress) return this.#progressLine(name);
    if (this.#verbose === 1) return this.#dot();
    if (this.#verbose > 1) {
      this.#lineOpen = true;
      return ` ${name}`;
    }
    return '';
  }

  #dot(): string {
    let text = '';
    if (this.#lineOpen && this.#dots >= DOTS_PER_LINE) text += this.#closeLine();
    if (!this.#lineOpen) text += DOT_INDENT;
    this.#lineOpen = true;
    this.#dots++;
    return `${text}.`;
  }

  /** `    N/T (P%)`, overwriting the previous one with `\r`, blanks and `\r` as zope does. */
  #progressLine(name: string): string {
    const clear = this.#lastWidth ? `\r${' '.repeat(this.#lastWidth)}\r` : '';
    const total = Math.max(this.#testsTotal, this.#testsRun);
    const text = progressText(this.#testsRun, total, name, this.#verbose, this.#columns ?? MAX_WIDTH, this.#columns !== undefined);
    this.#width = text.length;
    this.#lineOpen = true;
    return clear + text;
  }

  /** ` (0.001 s)` after the name with `-vvv`. */
  #testTime(seconds: number): string {
    if (this.#verbose <= 2) return '';
    const role: Role = seconds >= SLOW_TEST_SECONDS ? 'slowTest' : 'number';
    const time = `${fixed(seconds, 3)} s`;
    this.#width += time.length + 3;
    return ` (${this.#palette.paint(role, time)})`;
  }

  #skipNote(reason: string): string {
    if (this.#verbose <= 1) return '';
    const label = this.#verbose > 2 ? `skipped: ${reason}` : 'skipped';
    this.#width += label.length + 3;
    return ` (${this.#palette.paint('skipped', label)})`;
  }

  #stopTest(): string {
    if (this.#progress) {
      this.#lastWidth = this.#width;
      return '';
    }
    return this.#verbose > 1 ? this.#closeLine() : '';
  }

  /** A blank line, `Failure in NAME` or `Error in NAME`, the cleaned stack, a blank line. */
  #problemBlock(kind: ProblemKind, name: string, error: Error): string {
    const heading = `${kind === 'failure' ? 'Failure' : 'Error'} in ${name}`;
    const text = `${this.#closeLine()}\n${this.#palette.paint('error', heading)}\n${this.#palette.stack(this.#clean(error))}\n\n`;
    this.#width = 0;
    this.#lastWidth = 0;
    return text;
  }

  #iterationEnd(counts: IterationCounts): string {
    let text = '';
    if (this.#progress && this.#lastWidth) text += `\r${' '.repeat(this.#lastWidth)}\r`;
    this.#lastWidth = 0;
    text += this.#closeLine();
    return text + ranLine(this.#palette, counts);
  }
}

/**
 * Builds leakrun's default formatter, which prints zope.testrunner's text output: layer set-up and
 * tear-down lines, `Iteration N`, `Ran N tests ...`, heap-count lines and tables, failure reports and
 * the closing summary. `write` is pure: it returns text and never writes, measures or waits.
 *
 * @example
 * ```ts
 * const formatter = createTextFormatter({ options, cwd: process.cwd() });
 * process.stdout.write(formatter.write({ type: 'layer:start', layer: 'app.Database', unit: false }));
 * ```
 */
export function createTextFormatter(context: FormatterContext): Formatter {
  return new TextFormatter(context);
}

/** `Interrupted by SIGINT while running T in layer L; …`: what the run was doing, and what comes next. */
function interruptedLine({ signal, layer, test }: Interruption): string {
  const where = test !== undefined ? ` while running ${test}` : '';
  const inLayer = layer !== undefined ? ` in ${layer}` : '';
  return `Interrupted by ${signal}${where}${inLayer}: tearing down, then stopping.`;
}
