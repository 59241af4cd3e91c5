import { now } from './clock.ts';
import type { Output } from './types.ts';

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
  let buffer = '';
  let lastFlush = now();
  const flush = (): void => {
    if (buffer) {
      const text = buffer;
      buffer = '';
      send(text);
    }
    lastFlush = now();
  };
  return {
    write(text) {
      if (!text) return;
      buffer += text;
      if (buffer.length >= FLUSH_BYTES || now() - lastFlush >= FLUSH_MS) flush();
    },
    flush,
  };
}
