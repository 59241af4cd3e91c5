#!/usr/bin/env node
import { existsSync } from 'node:fs';

// In a clone, dist/ exists once `npm run build` (or `npm test`) has run; a package always has it.
if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  console.error('leakrun: dist/ is missing; in a clone of leakrun, run `npm run build` (or `npm test`) first');
  process.exit(2);
}
await import('../dist/cli.js');
