/**
 * leakrun: leak-checked test execution for Node.js.
 *
 * @packageDocumentation
 */
export { CannotTearDown, ProcessExitCalled, SkipTest, TestTimeout, toError, isAssertion } from './core/errors.ts';
export { run } from './compose/run.ts';
export { version } from './core/package.ts';
export { runInChild } from './processes/run-in-child.ts';
export type { ChildRunOptions, ChildRunResult } from './processes/run-in-child.ts';
export { DefaultOptionParser } from './runner/options.ts';
export { DefaultRepeatLoop } from './runner/repeat.ts';
export { NeverSettled } from './runner/watchdog.ts';
export { createTextFormatter } from './formatter/text.ts';
export { DefaultLayerScheduler } from './runner/scheduler.ts';
export type { HookGuard } from './types/index.ts';
// The sampler, the snapshot reader and their helpers are in `leakrun/sampler`; the built-in list
// of known growth is here too, for callers who extend it.
export { KNOWN_GROWTH } from './sampler/known.ts';
export { docFileSuite, runDocFile } from './doctest/suite.ts';
export type {
  BuiltinNormalizerName,
  DocFileResult,
  DocFileSuiteOptions,
  DoctestFlag,
  DoctestOptions,
  ExampleProblem,
  Normalizer,
  NormalizerSpec,
} from './doctest/types.ts';
export { UNIT_TESTS_LAYER_NAME } from './runner/layers.ts';
export { TestCase, skip, suite, test } from './runner/testcase.ts';
export type { SuiteOptions } from './runner/testcase.ts';
export type {
  Components,
  Emit,
  EnvironmentChange,
  Formatter,
  FormatterContext,
  FormatterFactory,
  Reporter,
  GrownRow,
  HeapDiff,
  HeapDiffRow,
  HeapSample,
  HeapSampler,
  SampleRequest,
  Interruption,
  IterationCounts,
  IterationResult,
  KnownGrowth,
  Layer,
  LayerNode,
  LayerResult,
  LayerRun,
  LayerScheduler,
  LeakAttribution,
  LeakingTests,
  LeakOutcome,
  LeakVerdict,
  MaybePromise,
  NameFilter,
  OptionParser,
  Output,
  ParseContext,
  Problem,
  ProblemKind,
  ProblemPhase,
  RepeatLoop,
  ResourceCreation,
  ResourceCounts,
  ResourceLeak,
  RetainerPath,
  RetainerStep,
  RunEvent,
  RunEventType,
  RunOptions,
  RunResult,
  Shard,
  SubtestOutcome,
  SubtestReport,
  SuiteMember,
  SuiteSpec,
  Test,
  TestCaseClass,
  TestPhase,
  TestSpec,
  TypeCount,
  UsageProblem,
} from './types/index.ts';
