/**
 * leakrun: leak-checked test execution for Node.js.
 *
 * @packageDocumentation
 */
export { CannotTearDown, SkipTest, TestTimeout, toError, isAssertion } from './errors.ts';
export { run, version } from './run.ts';
export { DefaultOptionParser, helpText } from './options.ts';
export { DefaultRepeatLoop } from './repeat.ts';
export { NeverSettled } from './watchdog.ts';
export { createTextFormatter } from './formatter/text.ts';
export { cleanStack } from './formatter/stack.ts';
export { DefaultLayerScheduler } from './scheduler.ts';
export type { HookGuard } from './scheduler.ts';
export { V8HeapSnapshotSampler } from './sampler/v8.ts';
export type { SampleTimings, V8SamplerOptions } from './sampler/v8.ts';
export { diffSamples } from './sampler/diff.ts';
export { HeapSnapshotReader, readHeapSnapshotFile } from './sampler/reader.ts';
export type { IntColumn, ParsedHeapSnapshot } from './sampler/reader.ts';
export { countHeap, countRows, defaultModuleName } from './sampler/count.ts';
export type { CountOptions, HeapRow, RowOptions } from './sampler/count.ts';
export { LeakrunRecords, OWN_CLASS_NAMES } from './sampler/records.ts';
export { docFileSuite, runDocFile } from './doctest/index.ts';
export type { DocFileResult, DocFileSuiteOptions, DoctestOptions, Normalizer, NormalizerSpec } from './doctest/index.ts';
export { UNIT_TESTS_LAYER_NAME, layerName, orderByBases, orderLayers } from './layers.ts';
export { TestCase, skip, suite, test } from './testcase.ts';
export type { SuiteOptions } from './testcase.ts';
export type {
  Components,
  Emit,
  Formatter,
  FormatterContext,
  FormatterFactory,
  HeapDiff,
  HeapSample,
  HeapSampler,
  IterationCounts,
  IterationResult,
  Layer,
  LayerNode,
  LayerResult,
  LayerRun,
  LayerScheduler,
  MaybePromise,
  NameFilter,
  OptionParser,
  Output,
  Problem,
  ProblemKind,
  RepeatLoop,
  RunEvent,
  RunEventType,
  RunOptions,
  RunResult,
  SuiteMember,
  SuiteSpec,
  Test,
  TestCaseClass,
  TestSpec,
  TypeCount,
  UsageProblem,
} from './types.ts';
