/**
 * The run's one stream of events (docs/api.md): every event goes, in order, to the result
 * builder and to each reporter; the printing reporter's text goes to the output, and what
 * announces work (a layer's set-up, a test's name, a progress frame) is out before the work
 * starts. The stream also keeps what the run's parts ask of it: whether to stop, and which layer
 * runs now. At the end the reporters write their files and the result is final.
 */
import { runnerProblem, toError } from '../core/errors.ts';
import { createSink, writerOf, type Sink } from '../core/sink.ts';
import { ResultBuilder, usageResult } from '../runner/result.ts';
import type { Emit, Output, Problem, Reporter, RunEvent, RunOptions, RunResult, UsageProblem } from '../types/index.ts';

export class RunStream {
  readonly #options: RunOptions;
  readonly #builder: ResultBuilder;
  readonly #sink: Sink;
  readonly #writeError: (text: string) => void;
  #printing: Reporter | undefined;
  #others: readonly Reporter[] = [];
  /** True once the run must stop: `-x`, a broken contract, an interrupt. */
  stop = false;
  /** Whether the run was interrupted. */
  interrupted = false;
  /** The layer that started last. */
  running: string | undefined;

  constructor(options: RunOptions, output: Output, errorOutput: Output) {
    this.#options = options;
    this.#writeError = writerOf(errorOutput);
    this.#builder = new ResultBuilder(options.repeat, options.failOnLeak, options.failOnEnvChange);
    this.#sink = createSink(output);
  }

  /** Sends the events to these reporters from now on, the printing one first. */
  use(reporters: readonly Reporter[]): void {
    [this.#printing, ...this.#others] = reporters;
  }

  readonly emit: Emit = (event: RunEvent) => {
    if (event.type === 'layer:start') this.running = event.layer;
    this.#builder.add(event);
    for (const reporter of this.#others) reporter.write(event);
    const text = this.#printing?.write(event) ?? '';
    this.#sink.write(text);
    if (text && event.type.endsWith(':start')) this.#sink.flush();
    if (this.#options.stopOnError && (event.type === 'test:fail' || event.type === 'test:error')) this.stop = true;
  };

  /**
   * An interrupt (Ctrl-C, `components.signal`): the run stops, saying what ran; a child running a
   * layer (`relayed`) says it itself. `test` is the test running now, if any.
   */
  interrupt(reason: string, relayed: boolean, test: string | undefined): void {
    if (this.interrupted) return;
    this.interrupted = this.stop = true;
    if (!relayed) this.emit({ type: 'run:interrupted', interruption: { signal: reason, layer: this.running, test } });
  }

  /** A problem of the run itself (`runner`, or the part whose contract broke); with `stop`, the run ends after the current layer. */
  readonly fail = (why: Error, stop = true): void => {
    if (stop) this.stop = true;
    this.emit({ type: 'run:problem', problem: runnerProblem(why) });
  };

  /** Sends buffered output, before work that may take a while or text written elsewhere. */
  readonly flush = (): void => this.#sink.flush();

  /**
   * A reporter that broke its contract: it cannot be trusted with its own problem, which goes to
   * the error output and is counted; the run stops.
   */
  readonly broke = (problem: Problem): void => {
    this.#writeError(`leakrun: error: ${problem.error.message}\n`);
    this.#builder.add({ type: 'run:problem', problem });
    this.stop = true;
  };

  /** A usage problem that keeps the run from running anything: said on the error output, after what was printed so far. */
  refuse(problem: UsageProblem): RunResult {
    this.#sink.flush();
    this.#writeError(`leakrun: error: ${problem.message}\n`);
    return usageResult(problem);
  }

  /** Ends the run: the reporters write what they keep, then `run:end` with the final result. */
  async end(usage: UsageProblem | undefined): Promise<RunResult> {
    const seed = this.#options.shuffleSeed;
    let result = this.#builder.finish(usage, seed);
    for (const reporter of [this.#printing, ...this.#others]) {
      try {
        await reporter?.end?.(result);
      } catch (error) {
        // What was measured is printed all the same; the run fails for the missing report.
        const problem: Problem = { ...runnerProblem(toError(error)), test: reporter?.name ?? 'reporter' };
        this.emit({ type: 'run:problem', problem });
        result = this.#builder.finish(usage, seed);
      }
    }
    this.emit({ type: 'run:end', result });
    this.#sink.flush();
    return result;
  }
}
