/**
 * Every public contract of leakrun, re-exported from the topic files beside this one: the shapes
 * of tests and layers, the options the parser produces, the events the runner emits, the result
 * `run()` resolves to, and the five swappable components (option parser, layer scheduler, repeat
 * loop, heap-count sampler, formatter). Default implementations live in their own files.
 *
 * The topic files import one another with `import type` only and never in a circle; each imports
 * only files listed above it here.
 *
 * @packageDocumentation
 */
export type { Shard } from './shard.ts';
export type {
  Layer,
  LayerNode,
  MaybePromise,
  Test,
  SubtestOutcome,
  SubtestReport,
  SuiteMember,
  TestSpec,
  SuiteSpec,
  TestCaseClass,
} from './tests-and-layers.ts';
export type {
  TypeCount,
  HeapSample,
  RetainerPath,
  RetainerStep,
  KnownGrowth,
  HeapDiff,
  HeapDiffRow,
  SampleRequest,
  HeapSampler,
} from './heap-samples.ts';
export type { RunOptions, NameFilter, UsageProblem, ParseContext, OptionParser } from './run-options.ts';
export type {
  LeakOutcome,
  GrownRow,
  EnvironmentChange,
  ResourceCounts,
  ResourceCreation,
  ResourceLeak,
  LeakVerdict,
  LeakingTests,
  LeakAttribution,
} from './leak-verdicts.ts';
export type { IterationCounts, IterationResult, LayerRun, RepeatLoop } from './repeat-loop.ts';
export type { ProblemKind, TestPhase, ProblemPhase, Problem, LayerResult, Interruption, RunResult } from './run-results.ts';
export type { RunEvent, RunEventType } from './run-events.ts';
export type { Formatter, FormatterContext, FormatterFactory, Reporter } from './reporter-contract.ts';
export type { Emit, HookGuard, LayerScheduler } from './layer-scheduler.ts';
export type { Output, Components } from './components.ts';
