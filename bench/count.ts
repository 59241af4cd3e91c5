/**
 * What the screen's count costs on its own (docs/design-sampler.md#what-a-count-costs): a process
 * that builds a heap of records like test/fixtures/cost's, then times a complete collection and
 * `v8.queryObjects` three times; beside it, a process that builds the same heap and does not
 * count, for its peak RSS. One child per measurement.
 *
 *   node --import tsx bench/count.ts [--sizes 50,200]
 */
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';

const MB = 1024 * 1024;
const TAGS = ['red', 'green', 'blue'] as const;

/** The child: builds `megabytes` of records, counts when asked, prints one JSON line. */
function child(megabytes: number, count: boolean): void {
  const gc = globalThis.gc as () => void;
  const items: { id: number; name: string; tags: string[] }[] = [];
  const start = process.memoryUsage().heapUsed;
  while (process.memoryUsage().heapUsed - start < megabytes * MB) {
    for (let batch = 0; batch < 10_000; batch++)
      items.push({ id: items.length, name: `item-${items.length}`, tags: [TAGS[items.length % 3]!] });
  }
  const rounds: { gcMs: number; countMs: number; objects: number }[] = [];
  if (count) {
    const query = (v8 as unknown as { queryObjects: (c: typeof Object, o: { format: 'count' }) => number }).queryObjects;
    process.emitWarning = () => undefined;
    for (let round = 0; round < 3; round++) {
      const collected = performance.now();
      gc();
      const counted = performance.now();
      const objects = query(Object, { format: 'count' });
      rounds.push({ gcMs: counted - collected, countMs: performance.now() - counted, objects });
    }
  } else gc();
  console.log(JSON.stringify({ items: items.length, rounds, peakMB: process.resourceUsage().maxRSS / 1024 }));
}

function run(
  megabytes: number,
  count: boolean,
): { items: number; rounds: { gcMs: number; countMs: number; objects: number }[]; peakMB: number } {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', import.meta.filename, '--child', String(megabytes), String(count)],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`the ${megabytes} MB child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') child(Number(argv[1]), argv[2] === 'true');
else {
  const at = argv.indexOf('--sizes');
  const sizes = (at >= 0 ? argv[at + 1]! : '50,200').split(',').map(Number);
  const ms = (value: number): string => `${(value / 1000).toFixed(2)} s`;
  console.log(`Node ${process.versions.node}\n`);
  console.log('| heap | objects | a count: first, then again | a complete collection | peak RSS with counts / without |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const size of sizes) {
    const counted = run(size, true);
    const plain = run(size, false);
    const [first, ...again] = counted.rounds;
    const counts = again.map((round) => round.countMs);
    const collections = counted.rounds.map((round) => round.gcMs);
    console.log(
      `| ${size} MB | ${first!.objects.toLocaleString('en')} | ${ms(first!.countMs)}, then ${ms(Math.min(...counts))}–${ms(Math.max(...counts))} | ${Math.min(...collections).toFixed(0)}–${Math.max(...collections).toFixed(0)} ms | ${counted.peakMB.toFixed(0)} / ${plain.peakMB.toFixed(0)} MB (${(counted.peakMB / plain.peakMB).toFixed(2)}x) |`,
    );
  }
}
