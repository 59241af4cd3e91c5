/**
 * Executable documentation (docs/api.md): run a markdown file's examples, turn a file into a leakrun
 * test, or check files from the command line.
 *
 * @packageDocumentation
 */
export { runDocFile, summaryLine, runDoctestCli } from './files.ts';
export { docFileSuite } from './suite.ts';
export { parseDocFile, DoctestSyntaxError } from './parse.ts';
export { outputMatches, normalizeOutput, resolveNormalizers, builtinNormalizerNames } from './check.ts';
export { unifiedDiff } from './mismatch.ts';
export type {
  BuiltinNormalizerName,
  DocFileResult,
  DocFileSuiteOptions,
  DoctestExample,
  DoctestFlag,
  DoctestOptions,
  ExampleProblem,
  Normalizer,
  NormalizerSpec,
  ParsedDocFile,
} from './types.ts';
export type { MatchOptions } from './check.ts';
export type { Layer, Output, TestSpec } from '../types/index.ts';
