/**
 * The entry of the child processes that run one layer each (docs/processes.md, src/processes/parent.ts).
 * It says it is ready, waits for the layer to run, runs it with the parent's options, and sends
 * back every run event and everything the tests write to stdout and stderr, in order, over the
 * IPC channel (src/processes/wire.ts). It prints nothing of its own, and exits once the parent has all of it.
 */
import { runParsed } from './compose/run.ts';
import { PROTOCOL_VERSION, encodeEvent, type ChildMessage, type ParentMessage } from './processes/wire.ts';

// The real one: while tests run, `process.exit` throws instead.
const exit = process.exit;

function post(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) resolve();
    else process.send?.(message, undefined, {}, () => resolve());
  });
}

async function start(message: ParentMessage): Promise<void> {
  if (message.leakrun !== PROTOCOL_VERSION || message.type !== 'run') {
    await post({
      leakrun: PROTOCOL_VERSION,
      type: 'refused',
      reason: `refused to run: it speaks version ${PROTOCOL_VERSION} of the child protocol and was sent a "${String(message.type)}" message of version ${String(message.leakrun)}`,
    });
    exit.call(process, 2);
  }
  if (message.type !== 'run') return;
  const interrupt = new AbortController();
  let go: () => void = () => undefined;
  const going = new Promise<void>((resolve) => (go = resolve));
  process.on('message', (next: ParentMessage) => {
    if (next.type === 'go') go();
    // An interrupt also ends the wait for a turn: the run then stops before its layer.
    else if (next.type === 'interrupt') {
      interrupt.abort(next.reason);
      go();
    }
  });
  // Ctrl-C in a terminal reaches the whole process group: the child stops as the parent does.
  const onSignal = (signal: NodeJS.Signals): void => interrupt.abort(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // What the tests write goes through the channel too, so that it stays in order with the events.
  for (const [stream, number] of [
    [process.stdout, 1],
    [process.stderr, 2],
  ] as const) {
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      void post({ leakrun: PROTOCOL_VERSION, type: 'output', stream: number, text });
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  }
  // A normal run of the options the parent sent, with a reporter that posts each event to it.
  const share = { tests: new Set(message.tests), modules: new Set(message.modules), turn: going };
  const parsed = { options: message.options, knownGrowth: message.knownGrowth };
  const result = await runParsed(
    parsed,
    {
      formatter: () => ({
        write(event) {
          void post({ leakrun: PROTOCOL_VERSION, type: 'event', event: encodeEvent(event) });
          return '';
        },
      }),
      output: () => undefined,
      errorOutput: (text) => void post({ leakrun: PROTOCOL_VERSION, type: 'output', stream: 2, text }),
      signal: interrupt.signal,
    },
    share,
  );
  await post({ leakrun: PROTOCOL_VERSION, type: 'done', exitCode: result.exitCode });
  // Timers or sockets the tests left open must not keep the child, and with it the parent, waiting.
  exit.call(process, 0);
}

if (process.send === undefined) {
  process.stderr.write('leakrun: error: this is the entry of the child processes leakrun starts itself; run "leakrun" instead\n');
  process.exitCode = 2;
} else {
  // Without the parent there is no one to report to.
  process.on('disconnect', () => exit.call(process, 1));
  process.once('message', (message: ParentMessage) => void start(message));
  void post({ leakrun: PROTOCOL_VERSION, type: 'ready' });
}
