/**
 * Loads a Mocha run's files as Mocha does: one after another into one collector, with Mocha's
 * globals (`--ui` bdd or tdd) defined and `require('mocha')` giving the same functions; then
 * builds leakrun's tests from the collected tree (`mocha.ts`).
 */
import { pathToFileURL } from 'node:url';
import type { Test } from '../types/index.ts';
import { MOCHA_GLOBALS, MochaCollector, mochaInterface, mochaTests } from './mocha.ts';
import { setMochaInterface } from './mocha-registry.ts';
import type { ProjectSuite } from './project.ts';

/** A test module, as discovery hands it over. */
interface Module {
  readonly name: string;
  readonly file: string;
}

type Loaded = { module: Module; tests: Test[] } | { module: Module; error: Error };

/**
 * Loads the Mocha run's `modules` in order, after its `--require`d modules' root hooks; a module
 * that fails to load is reported with `problem`, as Mocha would stop at it, and the others load.
 */
export async function loadMochaRun(
  modules: readonly Module[],
  project: Extract<ProjectSuite, { runner: 'mocha' }>,
  moduleOf: (file: string) => string,
  problem: (module: Module, error: unknown) => Promise<Error>,
): Promise<Loaded[]> {
  const collector = new MochaCollector();
  const api = mochaInterface(collector);
  setMochaInterface(api);
  const globals = globalThis as unknown as Record<string, unknown>;
  for (const name of MOCHA_GLOBALS[project.ui] ?? []) globals[name] = api[name];
  for (const request of project.requires) {
    const loaded = (await import(pathToFileURL(request).href)) as { mochaHooks?: unknown; default?: { mochaHooks?: unknown } };
    await collector.rootHooks(loaded.mochaHooks ?? loaded.default?.mochaHooks);
  }
  const failed = new Map<string, Error>();
  for (const module of modules) {
    collector.file = module.file;
    try {
      await import(pathToFileURL(module.file).href);
    } catch (error) {
      failed.set(module.name, await problem(module, error));
    }
  }
  collector.file = undefined;
  const tests = mochaTests(collector, project.settings, (file) => (file === undefined ? 'mocha' : moduleOf(file)));
  return modules.map((module) => {
    const error = failed.get(module.name);
    return error === undefined ? { module, tests: tests.filter((test) => test.module === module.name) } : { module, error };
  });
}
