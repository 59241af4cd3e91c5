/**
 * The reporters of a run (docs/api.md): the one that prints it (`--reporter`, a caller's
 * `components.formatter`, or the text formatter), then one per report file asked for (`--json`,
 * `--xml`, `--html`). All take the same events through the same contract ({@link Reporter}); each
 * is checked, so that one that breaks it is reported and dropped and the run still ends cleanly.
 */
import { ContractError, runnerProblem, toError } from '../core/errors.ts';
import { chooseFormatter } from '../formatter/choose.ts';
import type { Components, Output, Problem, Reporter, RunOptions, UsageProblem } from '../types/index.ts';
import { isTerminal } from './read-options.ts';

/**
 * The report files options ask for, each a reporter of its own. Each report's module loads only
 * when it is asked for: a run without one does not compile them at start-up (bench/runner.ts).
 */
async function reportFiles(options: RunOptions, cwd: string): Promise<Reporter[]> {
  const { json, html, xml } = options;
  const reporters = await Promise.all([
    json === undefined ? undefined : import('../reports/json.ts').then((report) => report.createJsonReporter(options, json)),
    html === undefined ? undefined : import('../reports/html.ts').then((report) => report.createHtmlReporter(options, html)),
    xml === undefined ? undefined : import('../reports/junit.ts').then((report) => report.createJUnitReporter(options, xml, cwd)),
  ]);
  return reporters.filter((reporter) => reporter !== undefined);
}

/**
 * A reporter that keeps its contract: `write` returns a string and does not throw. The first time
 * it breaks it, `broke` is told and the reporter is not called again.
 */
function checked(reporter: Reporter, broke: (problem: Problem) => void): Reporter {
  let broken = false;
  return {
    ...(reporter.name !== undefined && { name: reporter.name }),
    write(event) {
      if (broken) return '';
      let text: unknown;
      let rule: string | undefined;
      try {
        text = reporter.write(event);
        if (typeof text !== 'string')
          rule = `write() must return a string ('' for nothing); it returned ${text === null ? 'null' : typeof text} for a ${event.type} event`;
      } catch (error) {
        rule = `write() must not throw; it threw on a ${event.type} event: ${toError(error).message}`;
      }
      if (rule === undefined) return text as string;
      broken = true;
      broke(runnerProblem(new ContractError('formatter', rule)));
      return '';
    },
    ...(reporter.end !== undefined && { end: (result) => reporter.end?.call(reporter, result) }),
  };
}

/**
 * The run's reporters, the one that prints first; a usage problem when `--reporter` names none
 * that loads. `broke` hears of a reporter that broke its contract.
 */
export async function chooseReporters(
  options: RunOptions,
  components: Components,
  cwd: string,
  output: Output,
  broke: (problem: Problem) => void,
): Promise<{ readonly reporters: readonly Reporter[] } | { readonly problem: UsageProblem }> {
  const chosen = await chooseFormatter(options.reporter, components.formatter, cwd);
  if ('problem' in chosen) return chosen;
  // The terminal's width, which the text formatter fits its -p line into.
  const columns = isTerminal(output) ? (output as { columns?: unknown }).columns : undefined;
  const context = { options, cwd, ...(typeof columns === 'number' && columns > 0 && { columns }) };
  const reporters = [chosen.factory(context), ...(await reportFiles(options, cwd))];
  return { reporters: reporters.map((reporter) => checked(reporter, broke)) };
}
