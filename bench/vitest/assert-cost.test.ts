// Run by bench/assert.ts inside a Vitest worker (the threads pool): one assertNoLeaks call of six
// runs against six bare V8 snapshots of the same worker's heap, side by side with tinybench.
import { Session } from 'node:inspector/promises';
import { Bench } from 'tinybench';
import { test } from 'vitest';
import { assertNoLeaks } from 'leakrun/assert';

/** V8's snapshot of this thread's heap, streamed and thrown away: what any sampler must pay. */
async function bareSnapshots(session: Session, count: number): Promise<void> {
  for (let taken = 0; taken < count; taken++) await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
}

test('assertNoLeaks with 6 runs against 6 bare snapshots', async () => {
  const session = new Session();
  session.connect();
  let bytes = 0;
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => (bytes += message.params.chunk.length));
  if (Number(process.versions.node.split('.')[0]) < 22) await session.post('Debugger.enable');
  await session.post('HeapProfiler.enable');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const bench = new Bench({ iterations: rounds, time: 0, warmupIterations: 1, warmupTime: 0 });
  const clean = (): number => [{ id: 1 }, { id: 2 }].length;
  bench.add('six bare V8 snapshots of this worker', () => bareSnapshots(session, 6));
  bench.add('assertNoLeaks(clean), 6 runs', async () => {
    await assertNoLeaks(clean, { runs: 6 });
  });
  await bench.run();
  bytes = 0;
  await bareSnapshots(session, 1);
  session.disconnect();
  const [bare, check] = bench.tasks.map((task) => (task.result as { latency: { p50: number } }).latency.p50);
  console.log(
    `LEAKRUN-BENCH ${JSON.stringify({ bareMs: bare, checkMs: check, ratio: check! / bare!, snapshotMB: bytes / 1048576, heapMB: process.memoryUsage().heapUsed / 1048576, rounds })}`,
  );
}, 600_000);
