/**
 * `--xml DIR`: the run as JUnit XML, one file per layer (docs/ci.md), in the dialect CI servers
 * read (Jenkins' `junit-10.xsd`, which GitLab, GitHub's test-report actions and Azure also
 * accept). Built from the run's events, so a test's every iteration is seen, and from its result,
 * which holds what belongs to a layer: hook errors, the heap samples and the leak verdict.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fixed } from '../text/numbers.ts';
import { cleanStack } from '../text/stack.ts';
import { notStarted } from '../text/summary.ts';
import { LeakrunRecords } from '../sampler/records.ts';
import type { LayerResult, Problem, Reporter, RunEvent, RunOptions, RunResult } from '../types/index.ts';

/** One test of one layer, over all its iterations. */
interface Case {
  readonly name: string;
  readonly classname: string;
  seconds: number;
  /** `failure` and `error` elements, in the order they happened. */
  readonly problems: { readonly kind: 'failure' | 'error'; readonly iteration: number; readonly error: Error }[];
  /** The reason, when the test skipped itself in its last iteration. */
  skipped: string | undefined;
}

/** What one layer ran: its name, its tests in first-run order, and when it started. */
interface Suite {
  readonly name: string;
  readonly started: Date;
  readonly cases: Map<string, Case>;
}

/** The name and class of a printed test name: `test_x1 (sample1.tests.test11.TestA)`. */
function split(test: string): { name: string; classname: string } {
  const match = /^(.*) \(([^()]*)\)$/.exec(test);
  return match ? { name: match[1] as string, classname: match[2] as string } : { name: test, classname: '' };
}

// Characters XML 1.0 cannot hold at all: C0 controls but tab, newline and carriage return, and
// lone surrogates. ANSI escapes lose their ESC and stay readable.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text or an attribute value, escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}

/** Element text: like an attribute value, but newlines stay. */
function escapeText(text: string): string {
  return escapeXml(text).replace(/&#10;/g, '\n');
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/**
 * A `failure` or `error` element: the error's name as its type, its first line as its message,
 * and as text its stack as the text output prints it (leakrun's own frames left out, paths
 * relative to `cwd`).
 */
function problemElement(kind: 'failure' | 'error', error: Error, cwd: string, prefix = ''): string {
  const message = `${prefix}${error.message.split('\n')[0] ?? ''}`;
  const text = cleanStack(error, cwd);
  return `      <${kind}${attributes({ type: error.name, message })}>${escapeText(text)}</${kind}>\n`;
}

/** A `skipped` element with its reason as text (the older schemas allow no attribute on it). */
function skippedElement(reason: string): string {
  return `      <skipped>${escapeText(reason)}</skipped>\n`;
}

/** The layer's own properties: its iterations, heap samples and leak verdict. */
function properties(layer: LayerResult | undefined): string {
  const entries: [string, string][] = [];
  if (layer) {
    entries.push(['leakrun.iterations', String(layer.iterations.length)]);
    for (const iteration of layer.iterations) {
      const diff = iteration.heapDiff;
      if (diff) entries.push([`leakrun.heap.iteration.${iteration.iteration}`, `sys refcount=${diff.total} change=${diff.change}`]);
      else if (iteration.heap) entries.push([`leakrun.heap.iteration.${iteration.iteration}`, `sys refcount=${iteration.heap.total}`]);
      if (iteration.screen !== undefined)
        entries.push([`leakrun.screen.iteration.${iteration.iteration}`, `live objects=${iteration.screen}`]);
    }
    const { verdict, attribution } = layer;
    if (verdict) {
      entries.push(['leakrun.verdict', verdict.allowed ? `${verdict.outcome} (allowed)` : verdict.outcome]);
      entries.push(['leakrun.verdict.deltas', verdict.deltas.join(',')]);
      if (verdict.screened) entries.push(['leakrun.verdict.screened', 'true']);
    }
    for (const { tests, refs } of attribution?.leaking ?? [])
      entries.push(['leakrun.leaking-test', `${tests.join(' + ')} +${refs} refs per run`]);
  }
  if (entries.length === 0) return '';
  const lines = entries.map(([name, value]) => `      <property${attributes({ name, value })}/>\n`).join('');
  return `    <properties>\n${lines}    </properties>\n`;
}

/**
 * Collects a run's events; at its end, `files()` gives each layer's XML. Layer hooks that
 * failed, a leak verdict that failed and heap samples that failed are test cases of their own
 * (`Layer: X.setUp`, `Leak: X`), as they are problems of their own in the text output; tests of
 * a layer that could not be set up are skipped test cases.
 */
export class JUnitReport {
  // Held through LeakrunRecords, which the heap counter neither counts nor walks into: what the
  // report keeps of each test during the run (its time, a skip's reason, a failure's error) must
  // not show as the tests' growth, nor lead the paths drawn for it through the report.
  readonly #suites = new LeakrunRecords<Suite>();
  #layer: string | undefined;
  #iteration = 1;

  add(event: RunEvent): void {
    switch (event.type) {
      case 'layer:start':
        this.#layer = event.layer;
        if (!this.#suite(event.layer)) this.#suites.items.push({ name: event.layer, started: new Date(), cases: new Map() });
        break;
      case 'iteration:start':
        this.#layer = event.layer;
        this.#iteration = event.iteration;
        break;
      case 'test:pass':
      case 'test:skip':
      case 'test:fail':
      case 'test:error': {
        const found = this.#case(event.test);
        if (!found) break;
        found.seconds += event.seconds;
        found.skipped = event.type === 'test:skip' ? event.reason : undefined;
        if (event.type === 'test:fail' || event.type === 'test:error') {
          found.problems.push({ kind: event.type === 'test:fail' ? 'failure' : 'error', iteration: this.#iteration, error: event.error });
        }
        break;
      }
      default:
        break;
    }
  }

  #suite(layer: string | undefined): Suite | undefined {
    return this.#suites.items.find((suite) => suite.name === layer);
  }

  #case(test: string): Case | undefined {
    const suite = this.#suite(this.#layer);
    if (!suite) return undefined;
    let found = suite.cases.get(test);
    if (!found) {
      found = { ...split(test), seconds: 0, problems: [], skipped: undefined };
      suite.cases.set(test, found);
    }
    return found;
  }

  /** File name → XML, for the finished run: one per layer, one for import failures, one for the run's own problems. */
  files(result: RunResult, repeat: number, cwd: string): Map<string, string> {
    const files = new Map<string, string>();
    const host = hostname();
    const layerProblem = (problem: Problem): boolean =>
      problem.phase !== 'test' && problem.phase !== 'testSetUp' && problem.phase !== 'testTearDown';
    const interrupted = new Set(notStarted(result).map((entry) => entry.layer));
    const names = new Set([
      ...this.#suites.items.map((suite) => suite.name),
      ...result.layers.map((layer) => layer.name),
      ...result.notRun.map((entry) => entry.layer),
    ]);
    for (const name of names) {
      const suite = this.#suite(name) ?? { name, started: new Date(), cases: new Map<string, Case>() };
      const layer = result.layers.find((candidate) => candidate.name === name);
      let body = '';
      const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 };
      const testcase = (test: Case | { name: string; classname: string; seconds: number }, inner: string): void => {
        counts.tests++;
        counts.seconds += test.seconds;
        const attrs = attributes({ name: test.name, classname: test.classname, time: fixed(test.seconds, 3) });
        body += inner ? `    <testcase${attrs}>\n${inner}    </testcase>\n` : `    <testcase${attrs}/>\n`;
      };
      for (const test of suite.cases.values()) {
        const failed = test.problems.some((problem) => problem.kind === 'error') ? 'errors' : test.problems.length ? 'failures' : undefined;
        if (failed) counts[failed]++;
        else if (test.skipped !== undefined) counts.skipped++;
        const prefix = (iteration: number): string => (repeat > 1 ? `iteration ${iteration}: ` : '');
        // The schema's order: skipped, then errors, then failures.
        const elements = (kind: 'failure' | 'error'): string =>
          test.problems
            .filter((problem) => problem.kind === kind)
            .map((problem) => problemElement(kind, problem.error, cwd, prefix(problem.iteration)))
            .join('');
        const skipped = !failed && test.skipped !== undefined ? skippedElement(test.skipped) : '';
        testcase(test, skipped + elements('error') + elements('failure'));
      }
      for (const problem of result.problems.filter((candidate) => candidate.layer === name && layerProblem(candidate))) {
        counts[problem.kind === 'failure' ? 'failures' : 'errors']++;
        testcase({ name: problem.test, classname: name, seconds: 0 }, problemElement(problem.kind, problem.error, cwd));
      }
      const why = interrupted.has(name) ? 'the run was interrupted before it started' : 'could not be set up';
      for (const test of result.notRun.find((entry) => entry.layer === name)?.tests ?? []) {
        counts.skipped++;
        testcase({ ...split(test), seconds: 0 }, skippedElement(`not run: ${name} ${why}`));
      }
      files.set(`TEST-${fileName(name)}.xml`, document(name, suite.started, host, counts, properties(layer) + body));
    }
    const others: [string, { name: string; classname: string; problem: Problem | { kind: 'error'; error: Error } }[]][] = [
      [
        'leakrun.ImportFailures',
        result.importFailures.map(({ module, error }) => ({ name: module, classname: module, problem: { kind: 'error', error } })),
      ],
      [
        'leakrun.Run',
        // A test's problems are in its layer's file; what is left is the run's own.
        result.problems
          .filter((problem) => layerProblem(problem) && (problem.layer === undefined || !names.has(problem.layer)))
          .map((problem) => ({ name: problem.test, classname: 'leakrun.Run', problem })),
      ],
    ];
    for (const [name, entries] of others) {
      if (entries.length === 0) continue;
      const counts = { tests: entries.length, failures: 0, errors: 0, skipped: 0, seconds: 0 };
      let body = '';
      for (const { name: test, classname, problem } of entries) {
        counts[problem.kind === 'failure' ? 'failures' : 'errors']++;
        body += `    <testcase${attributes({ name: test, classname, time: '0.000' })}>\n${problemElement(problem.kind, problem.error, cwd)}    </testcase>\n`;
      }
      files.set(`TEST-${fileName(name)}.xml`, document(name, new Date(), host, counts, body));
    }
    return files;
  }
}

/** A layer name as a file name: anything but letters, digits, `.`, `-` and `_` becomes `_`. */
function fileName(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}

function document(
  name: string,
  started: Date,
  host: string,
  counts: { tests: number; failures: number; errors: number; skipped: number; seconds: number },
  body: string,
): string {
  const time = fixed(counts.seconds, 3);
  const totals = { tests: counts.tests, failures: counts.failures, errors: counts.errors };
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites${attributes({ name: 'leakrun', ...totals, time })}>\n` +
    `  <testsuite${attributes({ name, ...totals, skipped: counts.skipped, time, timestamp: started.toISOString().slice(0, 19), hostname: host })}>\n` +
    body +
    '  </testsuite>\n' +
    '</testsuites>\n'
  );
}

/** Writes the files into `dir` (made if missing); throws what the file system threw. */
export function writeJUnit(dir: string, files: ReadonlyMap<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, xml] of files) writeFileSync(join(dir, name), xml);
}

/** `--xml DIR` as a reporter: it collects the events, and at the run's end writes a file per layer. */
export function createJUnitReporter(options: RunOptions, dir: string, cwd: string): Reporter {
  const junit = new JUnitReport();
  return {
    name: 'JUnit XML report',
    write(event) {
      junit.add(event);
      return '';
    },
    end: (result) => writeJUnit(dir, junit.files(result, options.repeat, cwd)),
  };
}
