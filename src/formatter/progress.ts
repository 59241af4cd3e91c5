import { fixed } from '../text/numbers.ts';

/** zope's line width, used when the output is not a terminal of known width. */
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

/**
 * `    N/T (P%)`, with at `-v` the test's name squeezed into what is left of `width` columns, and
 * at `-vv` the whole name: zope's line. On a terminal of known width (`fit`), the `-vv` name is
 * squeezed too, since a line that wraps cannot be rewritten in place.
 */
export function progressText(
  run: number,
  total: number,
  name: string,
  verbose: number,
  width: number = MAX_WIDTH,
  fit: boolean = false,
): string {
  let text = `    ${run}/${total} (${fixed((run * 100) / total, 1)}%)`;
  if (verbose === 1 || (verbose > 1 && fit)) text += shortDescription(name, width - text.length - 1);
  else if (verbose > 1) text += ` ${name}`;
  return fit ? text.slice(0, width - 1) : text;
}
