/**
 * `run()`, the composer (docs/architecture.md): parse → choose the reporters → plan → run the
 * layers → end. Each step is a part of its own; this file only puts them in order and keeps the
 * run's state that crosses them (whether to stop, an interrupt, the child processes).
 */
import { toError } from '../core/errors.ts';
import { version } from '../core/package.ts';
import { createSink, writerOf } from '../core/sink.ts';
import { discover } from '../runner/discovery.ts';
import { listPlan, reportNotRun, runLayers } from '../runner/execute.ts';
import { DefaultOptionParser } from '../runner/options.ts';
import { plan } from '../runner/plan.ts';
import { DefaultRepeatLoop } from '../runner/repeat.ts';
import { ResultBuilder, usageResult } from '../runner/result.ts';
import { DefaultLayerScheduler } from '../runner/scheduler.ts';
import { Watchdog } from '../runner/watchdog.ts';
import type { Components, RunResult } from '../types/index.ts';
import { parseRunOptions, type Parsed } from './read-options.ts';
import { chooseReporters } from './choose-reporters.ts';
import { Children, sharedProcess, type Share } from './children.ts';
import { RunStream } from './stream.ts';
import { startWatchers, type Stop } from './watchers.ts';

/** How long after an interrupt the layers' tear-down hooks may still run, in all. */
const INTERRUPT_TEARDOWN_MS = 5000;

/**
 * Runs tests as leakrun's CLI does, without touching the process: `defaults` are parsed first and
 * `argv` on top; output goes to `components.output`; the returned result says what happened and
 * which exit code the CLI would use (docs/api.md).
 *
 * @example
 * ```ts
 * import { run } from 'leakrun';
 * const result = await run(['--path', 'examples/sample'], ['--layer', 'Layer11$', '-N', '4']);
 * console.log(result.exitCode);
 * ```
 */
export async function run(
  defaults: readonly string[],
  argv: readonly string[] = process.argv.slice(2),
  components: Components = {},
): Promise<RunResult> {
  const parser = components.optionParser ?? new DefaultOptionParser();
  const parsed = parseRunOptions(parser, defaults, argv, components, components.cwd ?? process.cwd());
  if ('problem' in parsed) {
    const hint = parsed.problem.exitCode === 2 ? 'Run "leakrun --help" for the options.\n' : '';
    writerOf(components.errorOutput ?? process.stderr)(`leakrun: error: ${parsed.problem.message}\n${hint}`);
    return usageResult(parsed.problem);
  }
  if (!parsed.options.help && !parsed.options.version) return runParsed(parsed, components);
  const sink = createSink(components.output ?? process.stdout);
  sink.write(parsed.options.help ? parser.help() : `leakrun ${version()}\n`);
  sink.flush();
  return new ResultBuilder(1).finish();
}

/** A run whose options are known: `run()` after parsing, and a child process's run (src/child.ts). */
export async function runParsed({ options, knownGrowth }: Parsed, components: Components, share?: Share): Promise<RunResult> {
  const cwd = components.cwd ?? process.cwd();
  const output = components.output ?? process.stdout;
  const stream = new RunStream(options, output, components.errorOutput ?? process.stderr);
  const { emit, flush } = stream;
  const chosen = await chooseReporters(options, components, cwd, output, stream.broke);
  if ('problem' in chosen) return stream.refuse(chosen.problem);
  stream.use(chosen.reporters);
  const watchdog = new Watchdog((problem) => emit({ type: 'run:problem', problem }));
  watchdog.install();
  const { signal } = components;
  const reason = sharedProcess(options, components);
  const shouldStop = (): boolean => stream.stop;
  const children = new Children({ options, knownGrowth, cwd, emit, flush, shouldStop, reason });
  const interrupt = (): void => {
    if (stream.interrupted) return;
    const what = typeof signal?.reason === 'string' ? signal.reason : 'abort';
    stream.interrupt(what, children.interrupt(what), watchdog.current);
    watchdog.interrupt(what, INTERRUPT_TEARDOWN_MS);
  };
  signal?.addEventListener('abort', interrupt, { once: true });
  const stops: Stop[] = [];
  let usage;
  try {
    emit({ type: 'run:start', options });
    if (signal?.aborted) interrupt();
    // Under -j N the first children boot while this process imports the test modules.
    if (options.jobs > 1 && !options.listTests) (await children.layers()).prewarm(options.jobs);
    const discovered = await discover(options, share?.modules, cwd);
    for (const failure of discovered.importFailures) emit({ type: 'import:failure', ...failure });
    const scheduler = components.scheduler ?? new DefaultLayerScheduler();
    const planned = plan(discovered, options, scheduler, cwd, share?.tests);
    // Under -j N every layer runs in a child process; the parent only relays. So it does for -r
    // when another test runner shares this process, unless the caller gave a part a child would not have.
    const allElsewhere = options.jobs > 1 || reason !== undefined;
    // Nothing runs, but the run ends as any other: what was reported so far is kept.
    if ((usage = planned.usage)) stream.refuse(usage);
    else if (options.listTests) listPlan(planned, emit);
    else {
      const sampling = { given: components.sampler, modules: discovered.modules, knownGrowth };
      const sampler = await startWatchers(options, !allElsewhere, sampling, emit, stops);
      await share?.turn;
      const repeatLoop = components.repeatLoop ?? new DefaultRepeatLoop();
      const layerParts = { options, emit, scheduler, repeatLoop, watchdog, sampler, cwd, shouldStop, stop: stream.fail, flush };
      const elsewhere = async (from: number, announced: boolean): Promise<void> =>
        (await children.layers()).run(planned.ordered.slice(from), planned.groups, announced);
      const notRun = (): false | void => stream.interrupted && reportNotRun(planned, stream.running, emit);
      await runLayers(planned, layerParts, elsewhere, allElsewhere, notRun);
    }
    // Rejections that fire just after the last test still belong to the run.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    stream.fail(toError(error), false);
  } finally {
    signal?.removeEventListener('abort', interrupt);
    children.close();
    watchdog.uninstall();
    for (const stop of stops) await stop();
  }
  return stream.end(usage);
}
