import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTypeScript } from './typescript.ts';

const CONFIG_FILES = ['leakrun.config.json', 'leakrun.config.js', 'leakrun.config.mjs', 'leakrun.config.ts'];

/** A configuration problem, reported like a usage error. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function asArgs(value: unknown, where: string): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new ConfigError(`${where} must be a list of command-line arguments, e.g. ["--path", "src"]`);
}

/**
 * The defaults list from the working directory's configuration: a `leakrun.config.*` file whose
 * default export (or JSON) is an argument list, else the `leakrun` key of package.json.
 */
export async function loadConfigDefaults(cwd: string): Promise<string[]> {
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    if (!existsSync(file)) continue;
    if (name.endsWith('.json')) return asArgs(parseJson(file), name);
    if (name.endsWith('.ts')) await ensureTypeScript();
    let loaded: { default?: unknown };
    try {
      loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw new ConfigError(`${name} failed to load: ${(error as Error).message}`);
    }
    // A TypeScript file outside an ESM package loads as CommonJS: its default export is nested once more.
    const value = loaded.default;
    const unwrapped = value && typeof value === 'object' && !Array.isArray(value) && 'default' in value ? value.default : value;
    return asArgs(unwrapped, `the default export of ${name}`);
  }
  const manifest = join(cwd, 'package.json');
  if (existsSync(manifest)) {
    const json = parseJson(manifest) as { leakrun?: unknown } | null;
    if (json && typeof json === 'object' && 'leakrun' in json) return asArgs(json.leakrun, 'the "leakrun" key of package.json');
  }
  return [];
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
}
