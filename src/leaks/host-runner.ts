/**
 * Whether another test runner shares this process (docs/frameworks.md): its own objects would then
 * be in every heap sample of `run()` with `-r`, coming and going while the layers run. node:test
 * is not named here: what it keeps per async resource is known growth (`node:test: async
 * resources`), left out of the verdict.
 */
export function hostRunner(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): string | undefined {
  // A child process of leakrun's runs its layer and nothing else, whatever its parent ran under.
  if (env.LEAKRUN_CHILD !== undefined) return undefined;
  if (env.VITEST !== undefined || env.VITEST_WORKER_ID !== undefined) return 'Vitest';
  if (env.JEST_WORKER_ID !== undefined) return 'Jest';
  // Mocha sets no variable; its command is `mocha`, or `_mocha` in older versions.
  if (argv[1] !== undefined && /[\\/](_?mocha(\.js)?|mocha[\\/]lib[\\/]cli[\\/]cli\.js)$/.test(argv[1])) return 'Mocha';
  return undefined;
}
