/**
 * The doctest engine's front: run one markdown file and check its examples, the summary line of a
 * file, and `leakrun doctest FILE...`. `./suite.ts` loads it on first use.
 */
import { readFile } from 'node:fs/promises';
import type { Output } from '../types/index.ts';
import { normalizeOutput, outputMatches, resolveNormalizers } from './check.ts';
import { DoctestSyntaxError, parseDocFile } from './parse.ts';
import { errorReport, failureReport } from './mismatch.ts';
import { toPath } from './locations.ts';
import { DocScope, displayName } from './engine.ts';
import type { DocFileResult, DoctestOptions, ExampleProblem } from './types.ts';

const SEPARATOR = '-'.repeat(70);

/**
 * Runs every example of a markdown file in one shared scope and checks each one's output.
 * Examples go on after a failure or an error, as in zope, so one run reports every problem.
 * An example that throws is a failure-free match when its expected output has a line starting with
 * `Uncaught ` (what the Node REPL prints), and an error otherwise.
 *
 * @param path - a path relative to `options.cwd`, an absolute path, or a `file:` URL.
 * @returns the counts and reports; rejects only when the file cannot be read or a run-level
 *   normalizer name is unknown.
 *
 * @example
 * ```ts
 * const result = await runDocFile('docs/leaks.md', { normalizers: ['times'] });
 * if (!result.passed) console.log(result.report);
 * ```
 */
export async function runDocFile(path: string | URL, options: DoctestOptions = {}): Promise<DocFileResult> {
  const cwd = options.cwd ?? process.cwd();
  const file = toPath(path, cwd);
  const name = displayName(file, cwd);
  const text = await readFile(file, 'utf8');
  const runNormalizers = resolveNormalizers(options.normalizers ?? [], cwd);
  let parsed;
  try {
    parsed = parseDocFile(text, name);
  } catch (error) {
    if (!(error instanceof DoctestSyntaxError)) throw error;
    const problem: ExampleProblem = { kind: 'error', line: error.line, source: '', want: '', got: '', error, report: error.message };
    return summarize(file, name, 0, [problem]);
  }
  const normalizers = [...resolveNormalizers(parsed.normalizers, cwd), ...runNormalizers];
  const flags = [...parsed.flags, ...(options.flags ?? [])];
  const scope = new DocScope(file, name, cwd, options.importMap);
  const problems: ExampleProblem[] = [];
  for (const example of parsed.examples) {
    const outcome = await scope.run(example);
    const { source, want } = example;
    const { got, error } = outcome;
    if (error && (outcome.syntaxError || !/^Uncaught /m.test(want))) {
      const what = outcome.syntaxError ? 'example does not compile' : 'example raised an error';
      const line = outcome.errorLine ?? example.line;
      problems.push({
        kind: 'error',
        line,
        source,
        want,
        got,
        error,
        report: errorReport(name, example, line, what, outcome.printed, error),
      });
    } else if (!outputMatches(want, got, { normalizers, flags })) {
      const report = failureReport(name, example, got, normalizeOutput(want, normalizers), normalizeOutput(got, normalizers));
      problems.push({ kind: 'failure', line: example.line, source, want, got, error, report });
    }
  }
  return summarize(file, name, parsed.examples.length, problems);
}

function summarize(file: string, name: string, examples: number, problems: readonly ExampleProblem[]): DocFileResult {
  const failures = problems.filter((problem) => problem.kind === 'failure').length;
  return {
    file,
    name,
    examples,
    failures,
    errors: problems.length - failures,
    problems,
    report: problems.map((problem) => problem.report).join(`\n${SEPARATOR}\n`),
    passed: problems.length === 0,
  };
}

/** One line per file: `docs/a.md: 12 examples, 1 failed, 0 raised`. */
export function summaryLine(result: DocFileResult): string {
  const examples = `${result.examples} example${result.examples === 1 ? '' : 's'}`;
  return result.passed
    ? `${result.name}: ${examples} passed`
    : `${result.name}: ${examples}, ${result.failures} failed, ${result.errors} raised`;
}

/**
 * What `leakrun doctest FILE...` does: runs each file, prints a summary line per file and the
 * report of any that failed, and returns the exit code (0 when every example passed, else 1).
 * It never exits the process.
 */
export async function runDoctestCli(files: readonly string[], output: Output, options: DoctestOptions = {}): Promise<number> {
  const write = (text: string): void => {
    if (typeof output === 'function') output(text);
    else output.write(text);
  };
  if (files.length === 0) {
    write('leakrun doctest: no files given; usage: leakrun doctest FILE.md...\n');
    return 1;
  }
  let failed = false;
  for (const file of files) {
    try {
      const result = await runDocFile(file, options);
      write(`${summaryLine(result)}\n`);
      if (!result.passed) write(`${result.report}\n${SEPARATOR}\n`);
      failed ||= !result.passed;
    } catch (error) {
      write(`${file}: ${(error as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
