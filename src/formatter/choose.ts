/**
 * `--reporter NAME|MODULE`: which formatter prints the run (docs/options.md). The built-in ones by
 * name; anything else is a module, a path from the working directory or a package name, whose
 * default export (or `createFormatter` export) is a formatter factory.
 */
import { extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toError } from '../core/errors.ts';
import { createEventsFormatter } from './event-lines.ts';
import { createTextFormatter } from './text.ts';
import { ensureTypeScript, noTypeScriptError } from '../core/typescript.ts';
import type { FormatterFactory, UsageProblem } from '../types/index.ts';

/** The formatters `--reporter` knows by name. */
export const BUILTIN_REPORTERS: Readonly<Record<string, FormatterFactory>> = {
  text: createTextFormatter,
  events: createEventsFormatter,
};

/** Whether `--reporter`'s value names a file rather than a package. */
function isPath(name: string): boolean {
  return name.startsWith('.') || isAbsolute(name) || extname(name) !== '';
}

/**
 * The factory `--reporter` names, else `given` (`components.formatter`), else the text formatter;
 * or the usage problem of a module that cannot be loaded or exports no factory.
 */
export async function chooseFormatter(
  reporter: string | undefined,
  given: FormatterFactory | undefined,
  cwd: string,
): Promise<{ readonly factory: FormatterFactory } | { readonly problem: UsageProblem }> {
  if (reporter === undefined) return { factory: given ?? createTextFormatter };
  const builtin = Object.hasOwn(BUILTIN_REPORTERS, reporter) ? BUILTIN_REPORTERS[reporter] : undefined;
  if (builtin) return { factory: builtin };
  const problem = (why: string): { problem: UsageProblem } => ({ problem: { message: `--reporter ${reporter}: ${why}`, exitCode: 2 } });
  let url: string;
  try {
    // node:module only for a package name: a run without --reporter, or with a path, does without it.
    url = isPath(reporter)
      ? pathToFileURL(resolve(cwd, reporter)).href
      : pathToFileURL((await import('node:module')).createRequire(join(cwd, 'noop.js')).resolve(reporter)).href;
  } catch {
    const names = Object.keys(BUILTIN_REPORTERS).join(', ');
    return problem(`no such reporter: not one of ${names}, nor a module found from the working directory`);
  }
  let loaded: Record<string, unknown>;
  try {
    if (/\.[mc]?ts$/.test(url) && (await ensureTypeScript(fileURLToPath(url))) === 'none') {
      return problem(noTypeScriptError(fileURLToPath(url), cwd).message);
    }
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    return problem(`failed to load: ${toError(error).message.split('\n')[0]}`);
  }
  // A CommonJS module's exports may sit under `default`.
  const exported = [loaded.default, loaded.createFormatter, (loaded.default as Record<string, unknown> | undefined)?.createFormatter];
  const factory = exported.find((candidate) => typeof candidate === 'function') as FormatterFactory | undefined;
  if (!factory) {
    return problem(
      'exports no formatter factory: export default (or export createFormatter) a function of { options, cwd } that returns { write(event) }',
    );
  }
  return { factory };
}
