// Loaded with --import by bench/cost.ts: reports the process's peak resident memory as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `LEAKRUN-PEAK-RSS ${process.resourceUsage().maxRSS}\n`);
});
