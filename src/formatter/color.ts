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

const SGR = {
  normal: '0',
  green: '32',
  red: '31',
  magenta: '35',
  cyan: '36',
  boldRed: '1;31',
  boldYellow: '1;33',
  boldBlue: '1;34',
  boldMagenta: '1;35',
  boldCyan: '1;36',
} as const;

const SCHEME: Readonly<Record<Role, keyof typeof SGR>> = {
  normal: 'normal',
  info: 'normal',
  suboptimal: 'magenta',
  error: 'boldRed',
  number: 'green',
  slowTest: 'boldMagenta',
  okNumber: 'green',
  errorNumber: 'boldRed',
  skipped: 'boldYellow',
  filename: 'boldBlue',
  lineno: 'boldRed',
  testname: 'boldCyan',
  source: 'cyan',
  exception: 'red',
};

/** Tests slower than this print their time in the `slowTest` colour (zope's default threshold). */
export const SLOW_TEST_SECONDS = 10;

/** Colour functions for one run; all return plain text when colour is off. */
export interface Palette {
  readonly enabled: boolean;
  /** The escape sequence that switches to `role`'s colour ('' when off). */
  code(role: Role): string;
  /** `text` in `role`'s colour, then back to `after` (default `normal`). */
  paint(role: Role, text: string, after?: Role): string;
  /** The colour of a failure or error count: alarming when non-zero. */
  problemCount(count: number): string;
  /** The colour of a skipped count. */
  skipCount(count: number): string;
  /** A cleaned stack: message lines red, frames with their parts highlighted. */
  stack(text: string): string;
}

const FRAME = /^(\s+at )(?:(.*) \((.+?)(?::(\d+))?(?::(\d+))?\)|(.+?)(?::(\d+))?(?::(\d+))?)$/;

/** Builds the palette for a run with colour on or off. */
export function createPalette(enabled: boolean): Palette {
  const code = (role: Role): string => (enabled ? `\x1b[${SGR[SCHEME[role]]}m` : '');
  const paint = (role: Role, text: string, after: Role = 'normal'): string => (enabled ? code(role) + text + code(after) : text);
  const frame = (line: string): string => {
    const match = FRAME.exec(line);
    if (!match) return paint('exception', line);
    const [, at = '', fn, wrapped, wrappedLine, wrappedColumn, bare, bareLine, bareColumn] = match;
    const file = wrapped ?? bare ?? '';
    const lineNo = wrappedLine ?? bareLine;
    const column = wrappedColumn ?? bareColumn;
    const position =
      paint('filename', file) + (lineNo === undefined ? '' : `:${paint('lineno', lineNo)}`) + (column === undefined ? '' : `:${column}`);
    const body = fn === undefined ? position : `${paint('testname', fn)} (${position})`;
    return code('normal') + at + body + code('normal');
  };
  return {
    enabled,
    code,
    paint,
    problemCount: (count) => code(count ? 'errorNumber' : 'okNumber'),
    skipCount: (count) => code(count ? 'skipped' : 'okNumber'),
    stack: (text) =>
      enabled
        ? text
            .split('\n')
            .map((line) => (line === '' ? line : FRAME.test(line) ? frame(line) : paint('exception', line)))
            .join('\n')
        : text,
  };
}
