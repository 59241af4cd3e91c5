import { now } from './clock.ts';
import type { Output } from '../types/index.ts';

/** Buffers text and writes it in few large writes; `flush()` forces it out. */
export interface Sink {
  write(text: string): void;
  flush(): void;
}

const FLUSH_BYTES = 16 * 1024;
const FLUSH_MS = 50;

/** `output` as a function that writes text. */
export function writerOf(output: Output): (text: string) => void {
  return typeof output === 'function' ? output : (text) => void output.write(text);
}

/**
 * Writing every dot separately costs more than running a trivial test, so text is gathered and
 * written when enough has piled up, when enough time has passed, or on `flush()`. The runner
 * flushes whatever announces work (see run.ts), so nothing waits here while a test runs. No timer
 * flushes on its own: Node keeps the list of an unref'd timer's duration after it is cleared, and
 * whether a heap sample found that list would depend on the clock.
 */
export function createSink(output: Output): Sink {
  const send = writerOf(output);
  const state = new LeakrunSinkState();
  const flush = (): void => {
    if (state.buffer) {
      const text = state.buffer;
      state.buffer = '';
      send(text);
    }
    state.lastFlush = now();
  };
  return {
    write(text) {
      if (!text) return;
      state.buffer += text;
      if (state.buffer.length >= FLUSH_BYTES || now() - state.lastFlush >= FLUSH_MS) flush();
    },
    flush,
  };
}

/**
 * What the sink keeps between writes. Its class is one the heap counter leaves out: the time of
 * the last flush is a new number after every iteration, a value replaced, not growth, and it would
 * otherwise show in the counts' churn and in retainer paths.
 */
class LeakrunSinkState {
  buffer = '';
  lastFlush = now();
}
