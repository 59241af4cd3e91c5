/**
 * The one contract of everything that consumes a run's events (docs/api.md): the swappable
 * formatter, which turns events into text, the reporters built on it (the JSON, JUnit and HTML
 * reports, a `--reporter` module), and their factory.
 */
import type { RunEvent } from './run-events.ts';
import type { RunOptions } from './run-options.ts';
import type { RunResult } from './run-results.ts';

/**
 * Turns events into text. Stateful, one per run. A swappable part (docs/api.md).
 *
 * Its contract: `write` is called once per event, in the order of {@link RunEvent}, from
 * `run:start` to `run:end`, and returns the text the event produces (`''` for none), which the
 * runner writes to the output; text for an event that starts work (`…:start`) is written before the
 * work starts. It never runs or awaits anything. A `write` that throws or returns something other
 * than a string ends the run: the runner prints one error naming the formatter to the error
 * output, stops calling it, and the run ends with that problem (phase `runner`).
 */
export interface Formatter {
  /** The text for one event; `''` for none. */
  write(event: RunEvent): string;
}

/** What a formatter factory is told about the run's output. */
export interface FormatterContext {
  /** The run's options: verbosity, colour, progress, `-N`, `--list-tests`… */
  readonly options: RunOptions;
  /** Directory that printed paths are made relative to. */
  readonly cwd: string;
  /**
   * The width of the terminal the output goes to, in columns; `undefined` when it is not a
   * terminal. The text formatter fits its `-p` line into it, so that the line is rewritten in place.
   */
  readonly columns?: number | undefined;
}

/** Builds the reporter that prints a run (a formatter), or any other reporter of it. */
export type FormatterFactory = (context: FormatterContext) => Reporter;

/**
 * A consumer of the run's events. `write` gets each event in order and returns text for the
 * run's output (`''` for none); only the reporter that prints the run (`--reporter`, the text
 * formatter by default) has its text written, the others keep what they need. `end`, if there is
 * one, is called once after the run's last event and before `run:end`, with the result so far:
 * there a report writes its file. A `write` that throws breaks the contract; an `end` that throws
 * or rejects is an error of the run named after the reporter, and the run's output still comes.
 */
export interface Reporter extends Formatter {
  /** What it is, as a problem names it: `JSON report`. */
  readonly name?: string;
  /** Called once after the run's last event, before `run:end`, with the result so far: where a report writes its file. */
  end?(result: RunResult): void | Promise<void>;
}
