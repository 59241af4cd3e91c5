import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { discover, type ModuleFile } from './discovery.ts';
import { createTextFormatter } from './formatter/text.ts';
import { createLayerResolver, unitTestsNode } from './layers.ts';
import { DefaultOptionParser } from './options.ts';
import { createSink } from './output.ts';
import { DefaultRepeatLoop } from './repeat.ts';
import { ResultBuilder, usageResult } from './result.ts';
import { KNOWN_GROWTH, checkKnownGrowth } from './sampler/known.ts';
import { DefaultLayerScheduler } from './scheduler.ts';
import { ContractError, toError } from './errors.ts';
import { layerGuard, runLayer, type LayerRunParts } from './layer-run.ts';
import { duplicateIds, selectTests } from './select.ts';
import type {
  Components,
  Emit,
  HeapSampler,
  KnownGrowth,
  LayerNode,
  LayerScheduler,
  OptionParser,
  Output,
  ParseContext,
  RunEvent,
  RunOptions,
  RunResult,
  Test,
  UsageProblem,
} from './types.ts';
import { PACKAGE_URL } from './package.ts';
import { Watchdog } from './watchdog.ts';

/** The package version, read from the package's own manifest. */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('package.json', PACKAGE_URL), 'utf8')) as { version: string };
  return manifest.version;
}

function writer(output: Output): (text: string) => void {
  return typeof output === 'function' ? output : (text) => void output.write(text);
}

/**
 * The V8 sampler, naming classes by the dotted module name discovery gave their file
 * (`sample1.tests.test11.Thing`), and by the file's base name elsewhere.
 */
async function defaultSampler(modules: readonly ModuleFile[], knownGrowth: readonly KnownGrowth[]): Promise<HeapSampler> {
  const [{ V8HeapSnapshotSampler }, { defaultModuleName }] = await Promise.all([
    import('./sampler/v8.ts'),
    import('./sampler/count.ts'),
  ]);
  const names = new Map<string, string>();
  for (const module of modules) {
    names.set(module.file, module.name);
    names.set(pathToFileURL(module.file).href, module.name);
  }
  return new V8HeapSnapshotSampler({
    moduleName: (url) => names.get(url) ?? defaultModuleName(url),
    knownGrowth: [...KNOWN_GROWTH, ...knownGrowth],
  });
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

/** Whether `output` is a terminal, as `process.stdout` is when nothing is piped. */
function isTerminal(output: Output): boolean {
  return typeof output === 'object' && (output as { isTTY?: unknown }).isTTY === true;
}

/** Groups tests by layer node, keeping discovery order within each layer. */
function byLayer(tests: readonly Test[]): Map<LayerNode, Test[]> {
  const resolve = createLayerResolver();
  const groups = new Map<LayerNode, Test[]>();
  for (const test of tests) {
    const node = test.layer === undefined ? unitTestsNode() : resolve(test.layer);
    let group = groups.get(node);
    if (!group) groups.set(node, (group = []));
    group.push(test);
  }
  return groups;
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
  const cwd = components.cwd ?? process.cwd();
  const output = components.output ?? process.stdout;
  const sink = createSink(output);
  const writeError = writer(components.errorOutput ?? process.stderr);
  const parser = components.optionParser ?? new DefaultOptionParser();
  const parsed = parseRunOptions(parser, defaults, argv, components, { cwd, terminal: isTerminal(output) });
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
  const builder = new ResultBuilder(options.repeat);
  const formatter = (components.formatter ?? createTextFormatter)({ options, cwd });
  let stop = false;
  const emit: Emit = (event: RunEvent) => {
    builder.add(event);
    sink.write(formatter.write(event));
    if (options.stopOnError && (event.type === 'test:fail' || event.type === 'test:error')) stop = true;
  };
  const watchdog = new Watchdog((problem) => emit({ type: 'run:problem', problem }));
  watchdog.install();
  let sampler: HeapSampler | undefined;
  try {
    emit({ type: 'run:start', options });
    const discovered = await discover(options);
    for (const failure of discovered.importFailures) emit({ type: 'import:failure', ...failure });
    const selected = selectTests(discovered.tests, options);
    const duplicates = options.requireUnique ? duplicateIds(selected) : [];
    if (duplicates.length) {
      const problem = { message: `--require-unique: these tests are defined more than once: ${duplicates.join(', ')}`, exitCode: 1 as const };
      sink.flush();
      writeError(`leakrun: error: ${problem.message}\n`);
      return usageResult(problem);
    }
    const scheduler = components.scheduler ?? new DefaultLayerScheduler();
    const groups = byLayer(selected);
    const ordered = orderedLayers(scheduler, [...groups.keys()]);
    if (options.listTests) {
      for (const node of ordered) {
        emit({ type: 'list:layer', layer: node.name, tests: (groups.get(node) ?? []).map((test) => test.id) });
      }
    } else {
      if (options.reportRefcounts) {
        const given = components.sampler;
        sampler =
          given === undefined
            ? await defaultSampler(discovered.modules, parsed.knownGrowth)
            : typeof given === 'function'
              ? given()
              : given;
      }
      const repeatLoop = components.repeatLoop ?? new DefaultRepeatLoop();
      const parts: LayerRunParts = {
        options,
        emit,
        scheduler,
        repeatLoop,
        watchdog,
        sampler,
        shouldStop: () => stop,
        stop: (why) => {
          stop = true;
          emit({ type: 'run:problem', problem: { kind: 'error', test: 'leakrun', error: why } });
        },
        flush: sink.flush,
      };
      try {
        for (const node of ordered) {
          if (stop) break;
          await runLayer(node, groups.get(node) ?? [], parts);
        }
      } finally {
        // Even when the runner itself failed midway, fixtures it set up are torn down.
        await scheduler.finish(emit, layerGuard(watchdog));
      }
    }
    // Rejections that fire just after the last test still belong to the run.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    emit({ type: 'run:problem', problem: { kind: 'error', test: 'leakrun', error: toError(error) } });
  } finally {
    watchdog.uninstall();
    await sampler?.close?.();
  }
  const result = builder.finish(undefined, options.shuffleSeed);
  emit({ type: 'run:end', result });
  sink.flush();
  return result;
}

/** The scheduler's order of the layers, checked: each layer that has tests exactly once. */
function orderedLayers(scheduler: LayerScheduler, layers: readonly LayerNode[]): LayerNode[] {
  const ordered = scheduler.order(layers);
  const given = new Set(layers);
  if (!Array.isArray(ordered) || ordered.length !== layers.length || new Set(ordered).size !== layers.length || !ordered.every((node) => given.has(node))) {
    throw new ContractError('scheduler', 'order() must return each layer it was given exactly once');
  }
  return ordered;
}
