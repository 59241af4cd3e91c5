/** The `Components` of `run()`: replacements for its swappable parts, and where its text goes. */
import type { FormatterFactory } from './reporter-contract.ts';
import type { HeapSampler, KnownGrowth } from './heap-samples.ts';
import type { LayerScheduler } from './layer-scheduler.ts';
import type { RepeatLoop } from './repeat-loop.ts';
import type { OptionParser } from './run-options.ts';

/** Where text goes: a writable stream or a function. */
export type Output = { write(text: string): unknown } | ((text: string) => void);

/** Replacements for any of the swappable parts; each defaults to leakrun's own. */
export interface Components {
  /** Parses the command line; default `DefaultOptionParser`. */
  readonly optionParser?: OptionParser;
  /** Sets layers up and tears them down, and runs each test in its hooks; default `DefaultLayerScheduler`. */
  readonly scheduler?: LayerScheduler;
  /** Decides a layer's iterations; default `DefaultRepeatLoop`. */
  readonly repeatLoop?: RepeatLoop;
  /** A sampler, or a factory called once per run that uses `-r`. */
  readonly sampler?: HeapSampler | (() => HeapSampler);
  /**
   * Known bounded growth the default sampler counts in rows of their own, besides the built-in
   * `KNOWN_GROWTH`. Not used by a sampler given in `sampler`.
   */
  readonly knownGrowth?: readonly KnownGrowth[];
  /** Turns events into text; default `createTextFormatter`. */
  readonly formatter?: FormatterFactory;
  /** Default `process.stdout`. */
  readonly output?: Output;
  /**
   * Interrupts the run when aborted, as Ctrl-C does the `leakrun` command: the run reports what
   * was running (`run:interrupted`), stops waiting for it, tears the layers down with every hook
   * given at most 5 s from the interrupt, and ends with the summary so far. The abort reason, when
   * a string, names the signal: `'SIGTERM'` gives exit code 143, anything else 130.
   */
  readonly signal?: AbortSignal;
  /** Where usage problems go. Default `process.stderr`. */
  readonly errorOutput?: Output;
  /** Directory relative paths and printed paths are resolved against. Default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * Where `defaults` came from, named in a usage problem they cause: the CLI gives the config
   * file's name (`leakrun.config.json`, or `the "leakrun" key of package.json`).
   */
  readonly defaultsSource?: string;
  /**
   * Whether to colour when the arguments do not say; the CLI sets it from `FORCE_COLOR`,
   * `NO_COLOR` and `TERM=dumb`. Default: colour when `output` is a terminal.
   */
  readonly color?: boolean;
}
