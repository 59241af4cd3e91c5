import { fixed } from './numbers.ts';

/** zope's assumed terminal width when it cannot ask the terminal; leakrun's formatter never asks. */
export const MAX_WIDTH = 80;

/**
 * Fits a test name into `room` columns for the `-p -v` progress line, as zope does: a long name
 * keeps its method and the tail of its class part, joined by `...`. Returned with a leading space.
 */
export function shortDescription(name: string, room: number): string {
  const width = room - 1;
  let text = name;
  if (text.length > width) {
    const paren = text.indexOf(' (');
    if (paren < 0) {
      text = `... ${text.slice(-(width - 4))}`;
    } else {
      const tail = width - (paren + 5);
      text = tail < 1 ? `${text.slice(0, width - 3)}...` : `${text.slice(0, paren + 2)}...${text.slice(-tail)}`;
    }
  }
  return ` ${text.slice(0, width)}`;
}

/** `    N/T (P%)`, with at `-v` the test's name squeezed into what is left of the line. */
export function progressText(run: number, total: number, name: string, verbose: number): string {
  let text = `    ${run}/${total} (${fixed((run * 100) / total, 1)}%)`;
  if (verbose === 1) text += shortDescription(name, MAX_WIDTH - text.length - 1);
  if (verbose > 1) text += ` ${name}`;
  return text;
}
