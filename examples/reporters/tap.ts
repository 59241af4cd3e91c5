/**
 * A reporter of one's own, for `leakrun --reporter examples/reporters/tap.ts`: the run as TAP
 * version 14 (https://testanything.org/tap-version-14-specification.html). One file and no edit
 * anywhere else: a reporter is a factory of `{ write(event) }` whose text is printed.
 *
 * Every test run is a test point (with `-N 3`, each test is three points), a failure or error
 * carries its message in a YAML block, a skip its reason as a directive. What fails outside a
 * test (a module that cannot be imported, a layer's set-up, a leak under `--fail-on-leak`, a
 * layer an interrupt kept from running) is a failing point too, so that the plan's count and the
 * run's verdict agree: the stream passes when, and only when, leakrun exits 0.
 */
import type { FormatterFactory, RunEvent } from 'leakrun';

/** A description as TAP wants it: `#` and `\` escaped, on one line. */
function description(text: string): string {
  return text.replace(/[\\#]/g, (character) => `\\${character}`).replace(/\s*\n\s*/g, ' ');
}

/**
 * A YAML block of diagnostics under a test point: two spaces in, between `---` and `...`. Values
 * are JSON strings, which YAML reads as they are: a message of several lines stays on one.
 */
function diagnostics(fields: Readonly<Record<string, string>>): string {
  const lines = Object.entries(fields).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`);
  return `  ---\n${lines.join('')}  ...\n`;
}

/** Where a test's own failures happen: those came as `test:fail` and `test:error` already. */
const TEST_PHASES = new Set(['test', 'testSetUp', 'testTearDown']);

const tap: FormatterFactory = () => {
  let count = 0;
  const point = (ok: boolean, name: string, rest = ''): string => `${ok ? 'ok' : 'not ok'} ${++count} - ${description(name)}${rest}\n`;
  const failed = (name: string, severity: string, error: Error): string =>
    point(false, name) + diagnostics({ severity, message: error.message, name: error.name });
  return {
    write(event: RunEvent): string {
      switch (event.type) {
        case 'run:start':
          return 'TAP version 14\n';
        case 'test:pass':
          return point(true, event.test);
        case 'test:skip':
          return point(true, event.test, ` # SKIP ${description(event.reason)}`);
        case 'test:fail':
          return failed(event.test, 'fail', event.error);
        case 'test:error':
          return failed(event.test, 'error', event.error);
        case 'run:end': {
          // What failed outside a test, as the result has it: each is a failing point.
          const { importFailures, problems, notRun, usageProblem, interrupted } = event.result;
          let text = importFailures.map((failure) => failed(`import ${failure.module}`, 'error', failure.error)).join('');
          for (const problem of problems.filter((each) => !TEST_PHASES.has(each.phase))) {
            text += failed(problem.test, problem.kind === 'failure' ? 'fail' : 'error', problem.error);
          }
          for (const layer of notRun) text += layer.tests.map((test) => point(false, test, ' # not run')).join('');
          if (interrupted) text += `# interrupted by ${interrupted.signal}\n`;
          if (usageProblem) text += `Bail out! ${description(usageProblem.message)}\n`;
          return `${text}1..${count}\n`;
        }
        default:
          return '';
      }
    },
  };
};

export default tap;
