import { pathToFileURL } from 'node:url';
import { discover, type ModuleFile } from '../runner/discovery.ts';
import { brokenLayerProblem, byLayer, orderedLayers, reportBrokenLayer } from '../runner/layer-groups.ts';
import { DefaultOptionParser } from '../runner/options.ts';
import { createSink, writerOf } from '../core/sink.ts';
import { DefaultRepeatLoop } from '../runner/repeat.ts';
import { ResultBuilder, usageResult } from '../runner/result.ts';
import { KNOWN_GROWTH, checkKnownGrowth } from '../sampler/known.ts';
import { settleRequests, watchTimers } from '../leaks/resources.ts';
import { watchListenerWarnings } from '../leaks/environment.ts';
import { traceResources } from '../leaks/trace.ts';
import { DefaultLayerScheduler } from '../runner/scheduler.ts';
import { ContractError, toError } from '../core/errors.ts';
import { layerGuard, runLayer, type LayerRunParts } from '../runner/layer-run.ts';
import { duplicateIds, noTestsMessage, selectTests, shardTests } from '../runner/select.ts';
import type {
  Components,
  Emit,
  Formatter,
  HeapSampler,
  KnownGrowth,
  LayerNode,
  OptionParser,
  Output,
  ParseContext,
  Problem,
  RunEvent,
  RunOptions,
  RunResult,
  UsageProblem,
} from '../types/index.ts';
import { hostRunner } from '../leaks/host-runner.ts';
import { version } from '../core/package.ts';
import { reportJson, writeReport } from '../reports/json.ts';
import { JUnitReport, writeJUnit } from '../reports/junit.ts';
import { htmlReport, writeHtml } from '../reports/html.ts';
import { chooseFormatter } from '../formatter/choose.ts';
import { Watchdog } from '../runner/watchdog.ts';
import type { RunMessage } from '../processes/wire.ts';
import type { ChildLayers, ChildRunSpec } from '../processes/parent.ts';

/** How long after an interrupt the layers' tear-down hooks may still run, in all. */
const INTERRUPT_TEARDOWN_MS = 5000;

/**
 * The V8 sampler, naming classes by the dotted module name discovery gave their file
 * (`sample1.tests.test11.Thing`), other files under the same roots alike (`src.store.Session`),
 * and by the file's base name elsewhere.
 */
async function defaultSampler(
  modules: readonly ModuleFile[],
  knownGrowth: readonly KnownGrowth[],
  retainerPaths: boolean,
): Promise<HeapSampler> {
  const [{ V8HeapSnapshotSampler }, { defaultModuleName, moduleNameUnderRoots }] = await Promise.all([
    import('../sampler/v8.ts'),
    import('../sampler/count.ts'),
  ]);
  const names = new Map<string, string>();
  for (const module of modules) {
    names.set(module.file, module.name);
    names.set(pathToFileURL(module.file).href, module.name);
  }
  const underRoots = moduleNameUnderRoots(modules);
  return new V8HeapSnapshotSampler({
    moduleName: (url) => names.get(url) ?? underRoots(url) ?? defaultModuleName(url),
    knownGrowth: [...KNOWN_GROWTH, ...knownGrowth],
    retainerPaths,
  });
}

/** Whether the run shows retainer paths: at `-vv`, and under a verdict, which prints them for a leak. */
function tracesPaths(options: RunOptions): boolean {
  return options.verbose >= 2 || options.failOnLeak || options.leakBisect;
}

/** The option parser's result, with `components.knownGrowth` checked as a usage problem. */
function parseRunOptions(
  parser: OptionParser,
  defaults: readonly string[],
  argv: readonly string[],
  components: Components,
  context: ParseContext,
): { problem: UsageProblem } | { options: RunOptions; knownGrowth: KnownGrowth[] } {
  let knownGrowth: KnownGrowth[];
  try {
    knownGrowth = checkKnownGrowth(components.knownGrowth ?? [], 'components.knownGrowth');
  } catch (error) {
    return { problem: { message: (error as Error).message, exitCode: 2 } };
  }
  let parsed: ReturnType<OptionParser['parse']>;
  try {
    parsed = parser.parse(defaults, argv, context);
  } catch (error) {
    const rule = `parse() must return a usage problem, not throw (it threw ${toError(error).message})`;
    return { problem: { message: new ContractError('option parser', rule).message, exitCode: 2 } };
  }
  return 'problem' in parsed ? parsed : { options: parsed.options, knownGrowth };
}

/**
 * A formatter that keeps its contract: `write` returns a string and does not throw. The first
 * time it breaks it, `broke` is told and the formatter is not called again, so that the run can
 * end cleanly.
 */
function checkedFormatter(formatter: Formatter, broke: (problem: Problem) => void): Formatter {
  let broken = false;
  return {
    write(event) {
      if (broken) return '';
      let text: unknown;
      let rule: string | undefined;
      try {
        text = formatter.write(event);
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
  };
}

/**
 * A problem of the run itself, named after the part it came from: the part whose contract was
 * broken (`repeat loop`, `formatter`, …), or `runner` for anything else.
 */
function runnerProblem(error: Error): Problem {
  return { kind: 'error', phase: 'runner', test: error instanceof ContractError ? error.part : 'runner', error };
}

/** Whether `output` is a terminal, as `process.stdout` is when nothing is piped. */
function isTerminal(output: Output): boolean {
  return typeof output === 'object' && (output as { isTTY?: unknown }).isTTY === true;
}

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
  return runInternal(defaults, argv, components, undefined);
}

/**
 * A child process's run (src/child.ts): one layer, with the parent's options as they are, only
 * the modules that define its tests, exactly the tests the parent planned, and no report file.
 * It loads them at once, and runs the layer once `going` resolves.
 */
export function runChildLayer(message: RunMessage, going: Promise<void>, components: Components): Promise<RunResult> {
  return runInternal([], [], components, { message, going });
}

async function runInternal(
  defaults: readonly string[],
  argv: readonly string[],
  components: Components,
  childRun: { readonly message: RunMessage; readonly going: Promise<void> } | undefined,
): Promise<RunResult> {
  const child = childRun?.message;
  const cwd = components.cwd ?? process.cwd();
  const output = components.output ?? process.stdout;
  const sink = createSink(output);
  const writeError = writerOf(components.errorOutput ?? process.stderr);
  const parser = components.optionParser ?? new DefaultOptionParser();
  const parsed = child
    ? { options: { ...child.options, json: undefined, jobs: 1, shard: undefined }, knownGrowth: [...child.knownGrowth] }
    : parseRunOptions(parser, defaults, argv, components, {
        cwd,
        terminal: isTerminal(output),
        ...(components.defaultsSource !== undefined && { defaultsSource: components.defaultsSource }),
        ...(components.color !== undefined && { color: components.color }),
      });
  if ('problem' in parsed) {
    const hint = parsed.problem.exitCode === 2 ? 'Run "leakrun --help" for the options.\n' : '';
    writeError(`leakrun: error: ${parsed.problem.message}\n${hint}`);
    return usageResult(parsed.problem);
  }
  const { options } = parsed;
  if (options.help || options.version) {
    sink.write(options.help ? parser.help() : `leakrun ${version()}\n`);
    sink.flush();
    return new ResultBuilder(1).finish();
  }
  // A child's events go to its parent (src/child.ts), which prints them with the reporter it chose.
  const chosen = await chooseFormatter(child ? undefined : options.reporter, components.formatter, cwd);
  if ('problem' in chosen) {
    writeError(`leakrun: error: ${chosen.problem.message}\n`);
    return usageResult(chosen.problem);
  }
  const builder = new ResultBuilder(options.repeat, options.failOnLeak, options.failOnEnvChange);
  const junit = options.xml !== undefined && !child ? new JUnitReport() : undefined;
  const columns = isTerminal(output) ? (output as { columns?: unknown }).columns : undefined;
  const context = { options, cwd, ...(typeof columns === 'number' && columns > 0 && { columns }) };
  const formatter = checkedFormatter(chosen.factory(context), (problem) => {
    // The formatter cannot be trusted with its own problem: it goes to the error output.
    writeError(`leakrun: error: ${problem.error.message}\n`);
    builder.add({ type: 'run:problem', problem });
    stop = true;
  });
  // True once the run must stop: -x, a broken contract, an interrupt.
  let stop = false;
  let interrupted = false;
  let runningLayer: string | undefined;
  const emit: Emit = (event: RunEvent) => {
    if (event.type === 'layer:start') runningLayer = event.layer;
    builder.add(event);
    junit?.add(event);
    const text = formatter.write(event);
    sink.write(text);
    // What announces work (a layer's set-up, a test's name, a progress frame) is out before the
    // work starts, however long it takes.
    if (text && event.type.endsWith(':start')) sink.flush();
    if (options.stopOnError && (event.type === 'test:fail' || event.type === 'test:error')) stop = true;
  };
  const watchdog = new Watchdog((problem) => emit({ type: 'run:problem', problem }));
  watchdog.install();
  const signal = components.signal;
  // Set once layers run in child processes.
  let children: ChildLayers | undefined;
  const host =
    !child && options.reportRefcounts && !components.sampler && !components.scheduler && !components.repeatLoop ? hostRunner() : undefined;
  const childSpec = (): ChildRunSpec => ({
    options,
    knownGrowth: parsed.knownGrowth,
    cwd,
    emit,
    flush: sink.flush,
    shouldStop: () => stop,
    reason: host && `${host} shares this process, whose objects -r would count`,
  });
  const interrupt = (): void => {
    if (interrupted) return;
    interrupted = stop = true;
    const what = typeof signal?.reason === 'string' ? signal.reason : 'abort';
    // A child running a layer says itself what it was running when it got the interrupt.
    if (!children?.interrupt(what)) {
      emit({ type: 'run:interrupted', interruption: { signal: what, layer: runningLayer, test: watchdog.current } });
    }
    watchdog.interrupt(what, INTERRUPT_TEARDOWN_MS);
  };
  signal?.addEventListener('abort', interrupt, { once: true });
  let sampler: HeapSampler | undefined;
  let stopWatchingTimers: (() => void) | undefined;
  let stopWatchingWarnings: (() => void) | undefined;
  let stopTracing: (() => void) | undefined;
  let usage: UsageProblem | undefined;
  try {
    emit({ type: 'run:start', options });
    if (signal?.aborted) interrupt();
    // Under -j N the first children boot while this process imports the test modules.
    if (options.jobs > 1 && !child && !options.listTests) {
      const { ChildLayers } = await import('../processes/parent.ts');
      children = new ChildLayers(childSpec(), options.jobs);
      children.prewarm(options.jobs);
    }
    const discovered = await discover(options, child && new Set(child.modules));
    for (const failure of discovered.importFailures) emit({ type: 'import:failure', ...failure });
    const planned = child && new Set(child.tests);
    const selected = planned ? discovered.tests.filter((test) => planned.has(test.id)) : selectTests(discovered.tests, options);
    const duplicates = options.requireUnique && !child ? duplicateIds(selected) : [];
    const scheduler = components.scheduler ?? new DefaultLayerScheduler();
    const all = byLayer(selected);
    const inOrder = orderedLayers(scheduler, [...all.groups.keys()]).filter((node) => !child || node.name === child.layer);
    const { ordered, groups } = options.shard ? shardTests(inOrder, all.groups, options.shard) : { ordered: inOrder, groups: all.groups };
    // A layer that cannot be resolved is reported once: by the first shard, never by a child.
    const broken = child || (options.shard !== undefined && options.shard.index !== 1) ? [] : all.broken;
    // Under -j N every layer runs in a child process; the parent only relays. So it does for -r
    // when another test runner shares this process, unless a part that a child would not have
    // (a sampler, scheduler or repeat loop of the caller's) was given.
    const allElsewhere = (options.jobs > 1 || host !== undefined) && !child;
    if (duplicates.length) {
      // Nothing runs, but the run ends as any other: what was reported so far is kept.
      usage = { message: `--require-unique: these tests are defined more than once: ${duplicates.join(', ')}`, exitCode: 1 };
      sink.flush();
      writeError(`leakrun: error: ${usage.message}\n`);
    } else if (selected.length === 0 && !child && !options.passWithNoTests && discovered.importFailures.length === 0) {
      usage = { message: noTestsMessage(options, cwd, discovered.modules.length, discovered.tests), exitCode: 1 };
      sink.flush();
      writeError(`leakrun: error: ${usage.message}\n`);
    } else if (options.listTests) {
      for (const layer of broken) emit({ type: 'run:problem', problem: brokenLayerProblem(layer) });
      for (const node of ordered) {
        emit({ type: 'list:layer', layer: node.name, tests: (groups.get(node) ?? []).map((test) => test.id) });
      }
    } else {
      for (const layer of broken) reportBrokenLayer(layer, emit);
      if (options.reportRefcounts || options.failOnEnvChange) stopWatchingWarnings = watchListenerWarnings();
      if (options.traceLeaks) stopTracing = traceResources();
      if (options.reportRefcounts && !allElsewhere) {
        stopWatchingTimers = watchTimers();
        const given = components.sampler;
        sampler =
          given === undefined
            ? await defaultSampler(discovered.modules, parsed.knownGrowth, tracesPaths(options))
            : typeof given === 'function'
              ? given()
              : given;
      }
      // What the loader started as the modules loaded (tsx prunes its disk cache after its first
      // compile) ends before the first heap sample, not inside a judged iteration.
      if (sampler) await settleRequests();
      // A child waits for its turn with its modules loaded and its sampler started.
      if (childRun) await childRun.going;
      const repeatLoop = components.repeatLoop ?? new DefaultRepeatLoop();
      const parts: LayerRunParts = {
        options,
        emit,
        scheduler,
        repeatLoop,
        watchdog,
        sampler,
        cwd,
        shouldStop: () => stop,
        stop: (why) => {
          stop = true;
          emit({ type: 'run:problem', problem: runnerProblem(why) });
        },
        flush: sink.flush,
      };
      const elsewhere = async (from: number, announced: boolean): Promise<void> => {
        const { ChildLayers } = await import('../processes/parent.ts');
        children ??= new ChildLayers(childSpec(), options.jobs);
        await children.run(ordered.slice(from), groups, announced);
      };
      try {
        if (allElsewhere) await elsewhere(0, false);
        else {
          for (let i = 0; i < ordered.length; i++) {
            if (stop) break;
            const node = ordered[i] as LayerNode;
            // zope's way after a layer that cannot be torn down: the rest runs in fresh processes.
            if ((await runLayer(node, groups.get(node) ?? [], parts)) === 'subprocess' && !child) {
              await elsewhere(i, true);
              break;
            }
          }
        }
        // Layers start in order, so those after the last one started never did: an interrupt kept them
        // from it, and their tests did not run. (A child's one layer was announced by its parent.)
        const next = ordered.findIndex((node) => node.name === runningLayer) + 1;
        for (const node of interrupted && !child ? ordered.slice(next) : []) {
          emit({ type: 'layer:not-run', layer: node.name, tests: (groups.get(node) ?? []).map((test) => test.id) });
        }
      } finally {
        // Even when the runner itself failed midway, fixtures it set up are torn down.
        await scheduler.finish(emit, layerGuard(watchdog));
      }
    }
    // Rejections that fire just after the last test still belong to the run.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    emit({ type: 'run:problem', problem: runnerProblem(toError(error)) });
  } finally {
    signal?.removeEventListener('abort', interrupt);
    children?.close();
    watchdog.uninstall();
    stopWatchingTimers?.();
    stopWatchingWarnings?.();
    stopTracing?.();
    try {
      await sampler?.close?.();
    } catch (error) {
      emit({ type: 'run:problem', problem: { kind: 'error', phase: 'sample', test: 'Heap sampler: close()', error: toError(error) } });
    }
  }
  let result = builder.finish(usage, options.shuffleSeed);
  // Read only for a report: the manifest is a file read.
  const versions = (): { leakrun: string; node: string } => ({ leakrun: version(), node: process.version });
  const reports: [string, string | undefined, (result: RunResult) => void][] = child
    ? []
    : [
        ['JSON report', options.json, (done) => writeReport(options.json as string, reportJson(done, options, versions()))],
        ['HTML report', options.html, (done) => writeHtml(options.html as string, htmlReport(done, options, versions()))],
        ['JUnit XML report', options.xml, (done) => junit && writeJUnit(options.xml as string, junit.files(done, options.repeat, cwd))],
      ];
  for (const [test, path, write] of reports) {
    if (path === undefined) continue;
    try {
      write(result);
    } catch (error) {
      // What was measured is printed all the same; the run fails for the missing report.
      emit({ type: 'run:problem', problem: { kind: 'error', phase: 'runner', test, error: toError(error) } });
      result = builder.finish(usage, options.shuffleSeed);
    }
  }
  emit({ type: 'run:end', result });
  sink.flush();
  return result;
}
