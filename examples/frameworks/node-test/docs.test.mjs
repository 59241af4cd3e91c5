// Each markdown file of ../docs as one node:test test: `node --test examples/frameworks/node-test/docs.test.mjs`
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { runDocFile } from 'leakrun/doctest';

const docs = new URL('../docs/', import.meta.url);

for (const name of readdirSync(docs).filter((file) => file.endsWith('.md'))) {
  test(name, async () => {
    const result = await runDocFile(new URL(name, docs));
    if (!result.passed) throw new Error(result.report);
  });
}
