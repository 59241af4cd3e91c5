import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeRegExp } from './regexp.ts';
import { PACKAGE_URL } from '../core/package.ts';

/**
 * leakrun's own code: `src/` when run from source, `dist/` when installed. Frames there are the
 * runner calling the test, which tells the reader nothing about the failure (zope hides its own
 * frames the same way, through unittest's `__unittest` marker).
 */
const PACKAGE_ROOT = fileURLToPath(PACKAGE_URL);

/** Directories whose frames {@link cleanStack} drops by default: the package's `src/` and `dist/`. */
export const LEAKRUN_DIRS: readonly string[] = [join(PACKAGE_ROOT, 'src'), join(PACKAGE_ROOT, 'dist')];

const FRAME_LINE = /^\s+at\s/;

/** The error's stack, or `Name: message` when it has none (errors built from plain objects). */
function stackOf(error: Error): string {
  if (typeof error.stack === 'string' && error.stack !== '') return error.stack;
  return error.message ? `${error.name}: ${error.message}` : error.name;
}

/** The path inside a frame line, `node:...`, or `undefined` for `<anonymous>`, `native` and the like. */
function frameFile(line: string): string | undefined {
  const inParens = /\(([^()]*)\)$/.exec(line);
  const location = (inParens ? inParens[1] : line.replace(/^\s+at\s+(?:async\s+)?/, '')) ?? '';
  const file = location.replace(/(?::\d+){1,2}$/, '');
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return file;
}

function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** V8's marker for the runner awaiting many imports at once: never the user's code. */
const PROMISE_COMBINATOR = /^\s+at async Promise\.(?:all|allSettled|any|race) \(index \d+\)$/;

function hidden(line: string, internalDirs: readonly string[]): boolean {
  if (PROMISE_COMBINATOR.test(line)) return true;
  const file = frameFile(line);
  if (file === undefined) return false;
  if (file.startsWith('node:') || file.startsWith('internal/')) return true;
  return isAbsolute(file) && internalDirs.some((dir) => inside(dir, file));
}

function isLeakrunFrame(line: string, internalDirs: readonly string[]): boolean {
  const file = frameFile(line);
  return file !== undefined && isAbsolute(file) && internalDirs.some((dir) => inside(dir, file));
}

/**
 * Drops the frames below the runner: once the stack has gone from the user's code into leakrun's
 * (the runner calling a test or a hook), what follows is whoever called the runner — a script,
 * a doctest, another test framework — and says nothing about the failure. Leading leakrun frames
 * (an error raised by a leakrun helper the test called) are kept for the user frames after them.
 */
function callerFramesCut(frames: readonly string[], internalDirs: readonly string[]): readonly string[] {
  let seenUserFrame = false;
  for (let i = 0; i < frames.length; i++) {
    const line = frames[i] as string;
    if (isLeakrunFrame(line, internalDirs)) {
      if (seenUserFrame) return frames.slice(0, i);
    } else if (!hidden(line, internalDirs)) {
      seenUserFrame = true;
    }
  }
  return frames;
}

/** Rewrites `file://` URLs and absolute paths under `cwd` as paths relative to it; others stay absolute. */
function relativiser(cwd: string): (text: string) => string {
  const base = resolve(cwd);
  const isRoot = dirname(base) === base;
  const absolute = isRoot ? undefined : new RegExp(`(^|[\\s('"\`])${escapeRegExp(base + sep)}`, 'g');
  return (text) => {
    let out = text.replace(/file:\/\/[^\s'"`()<>]+/g, (url) => {
      try {
        const path = fileURLToPath(url);
        return !isRoot && inside(base, path) ? relative(base, path) : path;
      } catch {
        return url;
      }
    });
    if (absolute) out = out.replace(absolute, '$1');
    return out;
  };
}

/**
 * The error as a failure report prints it: the first line and any multi-line message (assert's
 * diff) untouched, then the stack frames without Node's internals and without leakrun's own code,
 * with paths under `cwd` made relative to it.
 *
 * @param internalDirs - directories whose frames are dropped; leakrun's `src/` and `dist/` by default.
 *
 * @example
 * ```ts
 * cleanStack(new Error('boom'), process.cwd());
 * // 'Error: boom\n    at file (test/example.test.ts:1:1)'
 * ```
 */
export function cleanStack(error: Error, cwd: string, internalDirs: readonly string[] = LEAKRUN_DIRS): string {
  const lines = stackOf(error).split('\n');
  // Frames are the trailing run of `at` lines; anything above is the message, however it looks.
  let firstFrame = lines.length;
  while (firstFrame > 0 && FRAME_LINE.test(lines[firstFrame - 1] ?? '')) firstFrame--;
  const header = lines.slice(0, firstFrame);
  const frames = callerFramesCut(lines.slice(firstFrame), internalDirs).filter((line) => !hidden(line, internalDirs));
  const relativise = relativiser(cwd);
  return [...header, ...frames].map(relativise).join('\n');
}
