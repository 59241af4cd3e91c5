import { now } from './clock.ts';
import type { Output } from './types.ts';

/** Buffers text and writes it in few large writes; `flush()` forces it out. */
export interface Sink {
  write(text: string): void;
  flush(): void;
}

const FLUSH_BYTES = 16 * 1024;
const FLUSH_MS = 50;

/**
 * Writing every dot separately costs more than running a trivial test, so text is gathered and
 * written when enough has piled up, when enough time has passed, or on `flush()`.
 */
export function createSink(output: Output): Sink {
  const send = typeof output === 'function' ? output : (text: string) => void output.write(text);
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
