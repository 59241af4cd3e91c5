// Each markdown file of ../docs as one Mocha test: `mocha examples/frameworks/mocha/docs.test.mjs`
import { readdirSync } from 'node:fs';
import { runDocFile } from 'leakrun/doctest';

const docs = new URL('../docs/', import.meta.url);

describe('docs', () => {
  for (const name of readdirSync(docs).filter((file) => file.endsWith('.md'))) {
    it(name, async () => {
      const result = await runDocFile(new URL(name, docs));
      if (!result.passed) throw new Error(result.report);
    });
  }
});
