/**
 * The first step of `run()`: the command line and the caller's parts turned into the run's
 * options, or a usage problem (docs/options.md). An option parser that throws breaks its contract,
 * and that is a usage problem too: the run cannot start.
 */
import { ContractError, toError } from '../core/errors.ts';
import { checkKnownGrowth } from '../sampler/known.ts';
import type { Components, KnownGrowth, OptionParser, Output, RunOptions, UsageProblem } from '../types/index.ts';

/** What a run starts from once its command line is read. */
export interface Parsed {
  readonly options: RunOptions;
  /** The caller's known growth (`components.knownGrowth`), checked. */
  readonly knownGrowth: readonly KnownGrowth[];
}

/** Whether `output` is a terminal, as `process.stdout` is when nothing is piped. */
export function isTerminal(output: Output): boolean {
  return typeof output === 'object' && (output as { isTTY?: unknown }).isTTY === true;
}

/** `defaults`, then `argv` on top, read by the parser; `components.knownGrowth` checked as a usage problem. */
export function parseRunOptions(
  parser: OptionParser,
  defaults: readonly string[],
  argv: readonly string[],
  components: Components,
  cwd: string,
): { problem: UsageProblem } | Parsed {
  let knownGrowth: KnownGrowth[];
  try {
    knownGrowth = checkKnownGrowth(components.knownGrowth ?? [], 'components.knownGrowth');
  } catch (error) {
    return { problem: { message: (error as Error).message, exitCode: 2 } };
  }
  const context = {
    cwd,
    terminal: isTerminal(components.output ?? process.stdout),
    ...(components.defaultsSource !== undefined && { defaultsSource: components.defaultsSource }),
    ...(components.color !== undefined && { color: components.color }),
  };
  let parsed: ReturnType<OptionParser['parse']>;
  try {
    parsed = parser.parse(defaults, argv, context);
  } catch (error) {
    const rule = `parse() must return a usage problem, not throw (it threw ${toError(error).message})`;
    return { problem: { message: new ContractError('option parser', rule).message, exitCode: 2 } };
  }
  return 'problem' in parsed ? parsed : { options: parsed.options, knownGrowth };
}
