/**
 * The run's child processes (docs/processes.md), started on first need: under `-j N`, when
 * another test runner shares this process, and after a layer that could not be torn down. The
 * code that runs them is loaded only then.
 */
import { hostRunner } from '../leaks/host-runner.ts';
import type { ChildLayers, ChildRunSpec } from '../processes/parent.ts';
import type { Components, RunOptions } from '../types/index.ts';

/**
 * Why every layer runs in a child process when it is not `-j N`: with `-r`, another test runner
 * shares this process, and its objects would be counted. Not when the caller gave a part (a
 * sampler, scheduler or repeat loop) that a child would not have.
 */
export function sharedProcess(options: RunOptions, components: Components): string | undefined {
  const given = components.sampler ?? components.scheduler ?? components.repeatLoop;
  const host = options.reportRefcounts && given === undefined ? hostRunner() : undefined;
  return host && `${host} shares this process, whose objects -r would count`;
}

/** A share of another run's plan (a child process's layer): exactly these tests, from these modules, once `turn` resolves. */
export interface Share {
  readonly tests: ReadonlySet<string>;
  readonly modules: ReadonlySet<string>;
  readonly turn: Promise<void>;
}

export class Children {
  readonly #spec: ChildRunSpec;
  #layers: ChildLayers | undefined;

  constructor(spec: ChildRunSpec) {
    this.#spec = spec;
  }

  /** The children, started now if they were not. */
  async layers(): Promise<ChildLayers> {
    const { ChildLayers } = await import('../processes/parent.ts');
    return (this.#layers ??= new ChildLayers(this.#spec, this.#spec.options.jobs));
  }

  /** Passes an interrupt to the child running a layer; false when none is. */
  interrupt(reason: string): boolean {
    return this.#layers?.interrupt(reason) ?? false;
  }

  /** Stops the children started ahead and never given a layer. */
  close(): void {
    this.#layers?.close();
  }
}
