// Each markdown file of ../docs as one Vitest test: `vitest run --config examples/frameworks/vitest/vitest.config.ts docs`
import { readdirSync } from 'node:fs';
import { test } from 'vitest';
import { runDocFile } from 'leakrun/doctest';

const docs = new URL('../docs/', import.meta.url);

for (const name of readdirSync(docs).filter((file) => file.endsWith('.md'))) {
  test(name, async () => {
    const result = await runDocFile(new URL(name, docs));
    if (!result.passed) throw new Error(result.report);
  });
}
