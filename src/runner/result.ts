import { LeakError } from '../core/errors.ts';
import { environmentProblem, leakMessage } from '../text/leak-sentences.ts';
import type {
  Interruption,
  IterationResult,
  LayerResult,
  LeakAttribution,
  LeakVerdict,
  Problem,
  RunEvent,
  RunResult,
  UsageProblem,
} from '../types/index.ts';
import { LeakrunRecords, ordinaryMap } from '../sampler/records.ts';

type MutableIteration = { -readonly [K in keyof IterationResult]: IterationResult[K] };

interface MutableLayer {
  readonly name: string;
  readonly iterations: MutableIteration[];
  verdict?: LeakVerdict;
  attribution?: LeakAttribution;
}

/**
 * Builds the `RunResult` from the same events the formatter sees, so what is printed and what is
 * returned cannot disagree. Iteration records are allocated when a layer starts, for all `-N`
 * iterations at once.
 */
export class ResultBuilder {
  // Held through LeakrunRecords, which the heap counter neither counts nor walks into: what the
  // runner keeps per iteration (times, problems, samples) must not show as the tests' growth.
  readonly #layerRecords = new LeakrunRecords<MutableLayer>();
  readonly #problemRecords = new LeakrunRecords<Problem>();
  readonly #importRecords = new LeakrunRecords<{ module: string; error: Error }>();
  readonly #repeat: number;
  #iteration = 0;
  #interrupted: Interruption | undefined;
  readonly #notRunRecords = new LeakrunRecords<{ layer: string; tests: readonly string[] }>();

  /** Whether a leak verdict fails the run (`--fail-on-leak`), or is only reported (`--leak-bisect`). */
  readonly #failOnLeak: boolean;

  /** Whether a change of the environment fails the run (`--fail-on-env-change`), or is only reported. */
  readonly #failOnEnvChange: boolean;

  constructor(repeat: number, failOnLeak = false, failOnEnvChange = false) {
    this.#repeat = repeat;
    this.#failOnLeak = failOnLeak;
    this.#failOnEnvChange = failOnEnvChange;
  }

  get #layers(): MutableLayer[] {
    return this.#layerRecords.items;
  }

  get #problems(): Problem[] {
    return this.#problemRecords.items;
  }

  get #importFailures(): { module: string; error: Error }[] {
    return this.#importRecords.items;
  }

  get #notRun(): { layer: string; tests: readonly string[] }[] {
    return this.#notRunRecords.items;
  }

  get #layer(): MutableLayer | undefined {
    return this.#layers[this.#layers.length - 1];
  }

  add(event: RunEvent): void {
    switch (event.type) {
      case 'layer:start':
        this.#layers.push({ name: event.layer, iterations: [] });
        this.#reserve();
        break;
      case 'iteration:start':
        this.#iteration = event.iteration;
        break;
      case 'layer:extend':
      case 'layer:confirm':
        this.#reserve(event.upTo);
        break;
      case 'heap:screen':
        this.#slot(event.iteration).screen = event.objects;
        break;
      case 'iteration:end': {
        const record = this.#slot(event.iteration);
        Object.assign(record, event.counts);
        break;
      }
      case 'heap:sample': {
        const record = this.#slot(event.iteration);
        record.heap = event.sample;
        record.heapDiff = event.diff;
        break;
      }
      case 'resources:sample':
        this.#slot(event.iteration).resources = event.counts;
        break;
      case 'environment:change':
        this.#slot(event.iteration).environment = event.changes;
        if (this.#failOnEnvChange) this.#problems.push(environmentProblem(event));
        break;
      case 'test:fail':
      case 'test:error':
        this.#problems.push({
          kind: event.type === 'test:fail' ? 'failure' : 'error',
          phase: event.phase,
          test: event.test,
          error: event.error,
          layer: this.#layer?.name,
          iteration: this.#iteration,
        });
        break;
      case 'layer:setup:end':
      case 'layer:teardown:end':
        if (event.error) {
          const setUp = event.type === 'layer:setup:end';
          const test = `Layer: ${event.layer}.${setUp ? 'setUp' : 'tearDown'}`;
          this.#problems.push({
            kind: 'error',
            phase: setUp ? 'layerSetUp' : 'layerTearDown',
            test,
            error: event.error,
            layer: event.layer,
          });
        }
        break;
      case 'import:failure':
        this.#importFailures.push({ module: event.module, error: event.error });
        break;
      case 'run:problem':
        this.#problems.push(event.problem);
        break;
      case 'heap:error':
        this.#problems.push({
          kind: 'error',
          phase: 'sample',
          test: `Heap sample: ${event.layer}, iteration ${event.iteration}`,
          error: event.error,
          layer: event.layer,
          iteration: event.iteration,
        });
        break;
      case 'layer:verdict': {
        const { verdict, attribution } = event;
        const layer = this.#layers.findLast((candidate) => candidate.name === verdict.layer);
        if (layer) {
          layer.verdict = verdict;
          if (attribution) layer.attribution = attribution;
        }
        // A leak fails the run under --fail-on-leak, unless --leak-allow lets it pass; so do deltas
        // that never agreed, unless --leak-allow-undecided does.
        if ((verdict.outcome === 'leaked' || verdict.outcome === 'unsettled') && !verdict.allowed && this.#failOnLeak) {
          this.#problems.push({
            kind: 'error',
            phase: 'leak',
            test: `Leak: ${verdict.layer}`,
            error: new LeakError(leakMessage(verdict, attribution)),
            layer: verdict.layer,
          });
        }
        break;
      }
      case 'layer:not-run':
        this.#notRun.push({ layer: event.layer, tests: event.tests });
        break;
      case 'run:interrupted':
        this.#interrupted = event.interruption;
        break;
      default:
        break;
    }
  }

  /** Pre-allocates this layer's iteration records up to `upTo`; unused ones are dropped by `finish()`. */
  #reserve(upTo = this.#repeat): void {
    const layer = this.#layer as MutableLayer;
    for (let i = layer.iterations.length + 1; i <= upTo; i++) {
      layer.iterations.push({
        iteration: i,
        tests: -1,
        failures: 0,
        errors: 0,
        skipped: 0,
        seconds: 0,
        heap: undefined,
        heapDiff: undefined,
        resources: undefined,
        environment: undefined,
      });
    }
  }

  #slot(iteration: number): MutableIteration {
    const layer = this.#layer;
    const record = layer?.iterations[iteration - 1];
    if (!record) throw new Error(`iteration ${iteration} reported outside a layer's ${this.#repeat} iterations`);
    return record;
  }

  finish(usageProblem?: UsageProblem, shuffleSeed?: number): RunResult {
    const layers: LayerResult[] = this.#layers.map((layer) => ({
      name: layer.name,
      iterations: layer.iterations.filter((record) => record.tests >= 0).map(ordinaryIteration),
      ...(layer.verdict && { verdict: layer.verdict }),
      ...(layer.attribution && { attribution: layer.attribution }),
    }));
    let tests = 0;
    let skipped = 0;
    for (const layer of layers) {
      const last = layer.iterations[layer.iterations.length - 1];
      tests += last?.tests ?? 0;
      skipped += last?.skipped ?? 0;
    }
    const failures = this.#problems.filter((problem) => problem.kind === 'failure').length;
    const errors = this.#problems.length - failures + this.#importFailures.length;
    const failed = failures + errors > 0 || this.#interrupted !== undefined;
    const interruptCode = this.#interrupted?.signal === 'SIGTERM' ? 143 : 130;
    return {
      tests,
      failures,
      errors,
      skipped,
      layers,
      problems: this.#problems,
      importFailures: this.#importFailures,
      notRun: this.#notRun,
      shuffleSeed,
      usageProblem,
      interrupted: this.#interrupted,
      failed: failed || usageProblem !== undefined,
      exitCode: usageProblem ? usageProblem.exitCode : this.#interrupted ? interruptCode : failed ? 1 : 0,
    };
  }
}

/** An iteration record as callers get it: its resource counts an ordinary map (src/sampler/records.ts). */
function ordinaryIteration(record: MutableIteration): IterationResult {
  if (record.resources) ordinaryMap(record.resources);
  return record;
}

/** A result for a run that stopped before running anything. */
export function usageResult(problem: UsageProblem): RunResult {
  return new ResultBuilder(1).finish(problem);
}
