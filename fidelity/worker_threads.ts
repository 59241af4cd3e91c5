/**
 * `node:worker_threads`. The clean test starts a `Worker` from `eval`ed code that posts one
 * message, awaits the message, then `await worker.terminate()`. The misuse starts a worker whose
 * code keeps itself alive with a `setInterval` (a background job) and keeps its handle in a
 * module-level list of "running jobs" that nothing ever terminates: each run leaves a live thread
 * and, in the main heap, its `Worker` object, message port and listeners. The live workers would
 * hold the process open; the leakrun command line ends the process once the run is over.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const ANSWER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage({ sum: workerData.reduce((a, b) => a + b, 0) });
`;

const BACKGROUND_JOB = `
const { parentPort } = require('node:worker_threads');
let beats = 0;
setInterval(() => { beats += 1; }, 60000);
parentPort.postMessage('started');
`;

async function clean(): Promise<void> {
  const worker = new Worker(ANSWER, { eval: true, workerData: [1, 2, 3, 4] });
  // Listened for from the start: the worker may finish by itself before terminate() is called,
  // and terminate() then resolves to undefined instead of the exit code.
  const exited = once(worker, 'exit') as Promise<[number]>;
  try {
    const [message] = (await once(worker, 'message')) as [{ sum: number }];
    assert.deepEqual(message, { sum: 10 });
  } finally {
    await worker.terminate();
    const [code] = await exited;
    assert.equal(typeof code, 'number');
  }
}

/** Background jobs started so far; nothing ever terminates them. */
const runningJobs: Worker[] = [];

async function leaky(): Promise<void> {
  const worker = new Worker(BACKGROUND_JOB, { eval: true });
  runningJobs.push(worker);
  const [message] = (await once(worker, 'message')) as [string];
  assert.equal(message, 'started');
  assert.ok(worker.threadId > 0);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
