/**
 * leakrun: leak-checked test execution for Node.js.
 *
 * @packageDocumentation
 */
export { CannotTearDown, ProcessExitCalled, SkipTest, TestTimeout, toError, isAssertion } from './errors.ts';
export { run } from './run.ts';
export { version } from './package.ts';
export { runInChild } from './child-run.ts';
export type { ChildRunOptions, ChildRunResult } from './child-run.ts';
export { DefaultOptionParser } from './options.ts';
export { DefaultRepeatLoop } from './repeat.ts';
export { NeverSettled } from './watchdog.ts';
export { createTextFormatter } from './formatter/text.ts';
export { DefaultLayerScheduler } from './scheduler.ts';
export type { HookGuard } from './types.ts';
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
export { UNIT_TESTS_LAYER_NAME } from './layers.ts';
export { TestCase, skip, suite, test } from './testcase.ts';
export type { SuiteOptions } from './testcase.ts';
export type {
  Components,
  Emit,
  EnvironmentChange,
  Formatter,
  FormatterContext,
  FormatterFactory,
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
  SuiteMember,
  SuiteSpec,
  Test,
  TestCaseClass,
  TestPhase,
  TestSpec,
  TypeCount,
  UsageProblem,
} from './types.ts';
