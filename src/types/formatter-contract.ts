/** The contract of the swappable formatter, which turns events into text, and of its factory. */
import type { RunEvent } from './run-events.ts';
import type { RunOptions } from './run-options.ts';

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

/** Builds a formatter for one run. */
export type FormatterFactory = (context: FormatterContext) => Formatter;
