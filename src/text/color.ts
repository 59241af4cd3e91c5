import { styleText } from 'node:util';

/**
 * The `-c` palette. The roles and colours are zope.testrunner's (chosen there to read on dark and
 * light backgrounds alike); with colour off every function returns its text unchanged.
 */

/** What a piece of output is, which decides its colour. */
export type Role =
  | 'normal'
  | 'info'
  | 'suboptimal'
  | 'error'
  | 'number'
  | 'slowTest'
  | 'okNumber'
  | 'errorNumber'
  | 'skipped'
  | 'filename'
  | 'lineno'
  | 'testname'
  | 'source'
  | 'exception';

/** A style `util.styleText` knows: a colour or a modifier of `util.inspect.colors`. */
type Style = Exclude<Parameters<typeof styleText>[0], readonly unknown[]>;

/** zope's colours for each role; `normal` and `info` are left as the terminal has them. */
const SCHEME: Readonly<Record<Role, readonly Style[]>> = {
  normal: [],
  info: [],
  suboptimal: ['magenta'],
  error: ['bold', 'red'],
  number: ['green'],
  slowTest: ['bold', 'magenta'],
  okNumber: ['green'],
  errorNumber: ['bold', 'red'],
  skipped: ['bold', 'yellow'],
  filename: ['bold', 'blue'],
  lineno: ['bold', 'red'],
  testname: ['bold', 'cyan'],
  source: ['cyan'],
  exception: ['red'],
};

/** Tests slower than this print their time in the `slowTest` colour (zope's default threshold). */
export const SLOW_TEST_SECONDS = 10;

/** Colour functions for one run; all return plain text when colour is off. */
export interface Palette {
  readonly enabled: boolean;
  /** `text` in `role`'s colour. */
  paint(role: Role, text: string): string;
  /** A failure or error count, alarming when non-zero. */
  problemCount(count: number): string;
  /** A skipped count, yellow when non-zero. */
  skipCount(count: number): string;
  /** A cleaned stack: message lines red, frames with their parts highlighted. */
  stack(text: string): string;
}

const FRAME = /^(\s+at )(?:(.*) \((.+?)(?::(\d+))?(?::(\d+))?\)|(.+?)(?::(\d+))?(?::(\d+))?)$/;

/**
 * Builds the palette for a run with colour on or off. The escape codes are Node's
 * (`util.styleText`); whether to colour at all is the run's choice (`-c`, `-C`, the terminal,
 * `NO_COLOR`, `FORCE_COLOR`: docs/options.md), so the stream is not checked again here.
 */
export function createPalette(enabled: boolean): Palette {
  const paint = (role: Role, text: string): string => {
    const styles = SCHEME[role];
    return enabled && styles.length > 0 && text !== '' ? styleText([...styles], text, { validateStream: false }) : text;
  };
  const frame = (line: string): string => {
    const match = FRAME.exec(line);
    if (!match) return paint('exception', line);
    const [, at = '', fn, wrapped, wrappedLine, wrappedColumn, bare, bareLine, bareColumn] = match;
    const file = wrapped ?? bare ?? '';
    const lineNo = wrappedLine ?? bareLine;
    const column = wrappedColumn ?? bareColumn;
    const position =
      paint('filename', file) + (lineNo === undefined ? '' : `:${paint('lineno', lineNo)}`) + (column === undefined ? '' : `:${column}`);
    return at + (fn === undefined ? position : `${paint('testname', fn)} (${position})`);
  };
  return {
    enabled,
    paint,
    problemCount: (count) => paint(count ? 'errorNumber' : 'okNumber', String(count)),
    skipCount: (count) => paint(count ? 'skipped' : 'okNumber', String(count)),
    stack: (text) =>
      enabled
        ? text
            .split('\n')
            .map((line) => (line === '' ? line : FRAME.test(line) ? frame(line) : paint('exception', line)))
            .join('\n')
        : text,
  };
}
