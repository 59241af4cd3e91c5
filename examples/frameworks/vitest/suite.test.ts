// run() with -r inside Vitest: `vitest run --config examples/frameworks/vitest/vitest.config.ts suite`.
// Vitest's objects share the process, so leakrun runs each layer in a child process of its own.
import { expect, test } from 'vitest';
import { run } from 'leakrun';
import { LeakrunRecords } from 'leakrun/sampler';

async function runSample(argv: string[]): Promise<{ exitCode: number; text: string }> {
  // Chunks in a LeakrunRecords: a string grown from them would be counted (docs/frameworks.md).
  const chunks = new LeakrunRecords<string>();
  const { exitCode } = await run(['--path', 'examples/sample'], argv, { output: (text) => chunks.items.push(text) });
  return { exitCode, text: chunks.items.join('') };
}

test('a clean layer of the sample tree keeps change=0 and passes its verdict', async () => {
  const { exitCode, text } = await runSample(['--layer', 'Layer11$', '-N4', '-r', '--fail-on-leak']);
  expect(text).toContain('Running in a subprocess (Vitest shares this process, whose objects -r would count).');
  expect(text.match(/change=0 /g)).toHaveLength(3);
  expect(exitCode).toBe(0);
});

test('the leaking module of the sample tree fails its verdict', async () => {
  const { exitCode, text } = await runSample(['--tests-pattern', '^leak$', '-N4', '-r', '--fail-on-leak']);
  expect(text, 'the whole output').not.toContain('leaked [');
  expect(exitCode).toBe(0);
});
