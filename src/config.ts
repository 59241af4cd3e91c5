import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
    if (name.endsWith('.ts')) {
      const { register } = await import('tsx/esm/api');
      register();
    }
    const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return asArgs(loaded.default, `the default export of ${name}`);
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
