/**
 * The command line: `leakrun [options]` is `run(config.defaults, argv, { knownGrowth })` plus the
 * exit code.
 * The only module that touches `process.exitCode`, exits, or listens for signals.
 */
import { ConfigError, loadConfig, type Config } from './runner/config.ts';
import { DOCS_URL } from './core/package.ts';
import { run } from './compose/run.ts';

// The real one: while tests run, `process.exit` throws instead (docs/api.md).
const exit = process.exit;

const DOCTEST_HELP = `Usage: leakrun doctest FILE.md...

Runs the examples in each markdown file's \`\`\`ts doctest blocks: a line starting with "> " is code,
the lines after it what it must print. Prints a line per file and, for each failing example, its
line and a diff; exits 1 when any example fails. Docs: ${DOCS_URL}/api.md#the-doctest-engine
`;

/**
 * The colour the environment asks for, where the arguments do not say, as Node reads it:
 * `FORCE_COLOR` first (`0` or `false` for none, anything else for colour), then `NO_COLOR` (or
 * `NODE_DISABLE_COLORS`) and `TERM=dumb` for none. Nothing set: a terminal is coloured.
 */
function colorFromEnvironment(env: NodeJS.ProcessEnv): { color?: boolean } {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return { color: force !== '0' && force.toLowerCase() !== 'false' };
  if (env.NO_COLOR || env.NODE_DISABLE_COLORS || env.TERM === 'dumb') return { color: false };
  return {};
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  if (argv[0] === 'doctest') {
    const args = argv.slice(1);
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(DOCTEST_HELP);
      return 0;
    }
    const option = args.find((arg) => arg.startsWith('-') && arg !== '-');
    const problem =
      args.length === 0 ? 'doctest needs the files to check' : option === undefined ? undefined : `doctest has no option ${option}`;
    if (problem !== undefined) {
      process.stderr.write(`leakrun: error: ${problem}\n${DOCTEST_HELP.split('\n')[0]}\n`);
      return 2;
    }
    const { runDoctestCli } = await import('./doctest/index.ts');
    return runDoctestCli(args, process.stdout);
  }
  if (argv[0] === 'merge') {
    const { runMergeCli } = await import('./reports/merge.ts');
    return runMergeCli(
      argv.slice(1),
      (text) => process.stdout.write(text),
      (text) => process.stderr.write(text),
    );
  }
  let config: Config;
  try {
    config = await loadConfig(process.cwd());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`leakrun: error: ${error.message}\n`);
    return 2;
  }
  // Ctrl-C (or SIGTERM) interrupts the run: it reports what was running, tears down and prints
  // the summary. A second one, for a tear-down that will not end, exits at once.
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!interrupt.signal.aborted) return interrupt.abort(signal);
    process.stderr.write(`leakrun: ${signal} again: exiting without waiting for the tear-down\n`);
    exit.call(process, signal === 'SIGTERM' ? 143 : 130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await run(config.defaults, argv, {
    knownGrowth: config.knownGrowth,
    signal: interrupt.signal,
    ...(config.source !== undefined && { defaultsSource: config.source }),
    ...colorFromEnvironment(process.env),
  });
  return result.exitCode;
}

try {
  const code = await main();
  // A test that timed out may still hold timers or sockets; the run is over, so do not wait for
  // them. Writes to pipes and files are synchronous here, so nothing printed is lost.
  process.stdout.write('', () => exit.call(process, code));
} catch (error) {
  // A bug in leakrun itself: one line, and the stack only when asked for.
  const detail = process.env.LEAKRUN_DEBUG ? (error as Error).stack : (error as Error).message;
  process.stderr.write(`leakrun: internal error: ${detail}\n(set LEAKRUN_DEBUG=1 for the stack)\n`);
  process.exitCode = 2;
}
