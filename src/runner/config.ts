import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkKnownGrowth } from '../sampler/known.ts';
import type { KnownGrowth } from '../types/index.ts';
import { ensureTypeScript, noTypeScriptError } from '../core/typescript.ts';

/** The configuration files leakrun reads, the first found in the working directory. */
export const CONFIG_FILE_NAMES: readonly string[] = ['leakrun.config.json', 'leakrun.config.js', 'leakrun.config.mjs', 'leakrun.config.ts'];

/** A configuration problem, reported like a usage error. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** What a configuration gives: the defaults list, and known growth to add to the built-in list. */
export interface Config {
  readonly defaults: string[];
  /** The file (or package.json key) the defaults came from; `undefined` when there is none. */
  readonly source?: string;
  readonly knownGrowth: KnownGrowth[];
}

function asArgs(value: unknown, where: string): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new ConfigError(`${where} must be a list of command-line arguments, e.g. ["--path", "src"]`);
}

/** An argument list, or `{ options?: [...], knownGrowth?: [...] }`. */
function asConfig(value: unknown, where: string, source: string): Config {
  if (Array.isArray(value) || typeof value !== 'object' || value === null)
    return { defaults: asArgs(value, where), knownGrowth: [], source };
  const { options = [], knownGrowth = [], ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) {
    throw new ConfigError(`${where} has an unknown key "${unknown[0]}": the keys are "options" (command-line arguments) and "knownGrowth"`);
  }
  try {
    return { defaults: asArgs(options, `${where}.options`), knownGrowth: checkKnownGrowth(knownGrowth, `${where}.knownGrowth`), source };
  } catch (error) {
    if (error instanceof TypeError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The configuration in the working directory: a `leakrun.config.*` file whose default export
 * (or JSON) is an argument list or `{ options, knownGrowth }`, else the `leakrun` key of
 * package.json in either form.
 */
export async function loadConfig(cwd: string): Promise<Config> {
  for (const name of CONFIG_FILE_NAMES) {
    const file = join(cwd, name);
    if (!existsSync(file)) continue;
    if (name.endsWith('.json')) return asConfig(parseJson(file), name, name);
    if (name.endsWith('.ts') && (await ensureTypeScript(file)) === 'none') throw new ConfigError(noTypeScriptError(file, cwd).message);
    let loaded: { default?: unknown };
    try {
      loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw new ConfigError(`${name} failed to load: ${(error as Error).message}`);
    }
    // A TypeScript file outside an ESM package loads as CommonJS: its default export is nested once more.
    const value = loaded.default;
    const unwrapped = value && typeof value === 'object' && !Array.isArray(value) && 'default' in value ? value.default : value;
    return asConfig(unwrapped, `the default export of ${name}`, name);
  }
  const manifest = join(cwd, 'package.json');
  if (existsSync(manifest)) {
    const json = parseJson(manifest) as { leakrun?: unknown } | null;
    if (json && typeof json === 'object' && 'leakrun' in json)
      return asConfig(json.leakrun, 'the "leakrun" key of package.json', 'the "leakrun" key of package.json');
  }
  return { defaults: [], knownGrowth: [] };
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
}
