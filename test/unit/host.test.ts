import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostRunner } from '../../src/leaks/host-runner.ts';
import { run } from '../../src/index.ts';
import type { HeapSampler } from '../../src/types/index.ts';

test('hostRunner: Vitest, Jest and Mocha by what they set; node:test and a plain process are not hosts', () => {
  assert.equal(hostRunner({ VITEST: 'true' }, ['node', 'x']), 'Vitest');
  assert.equal(hostRunner({ VITEST_WORKER_ID: '1' }, ['node', 'x']), 'Vitest');
  assert.equal(hostRunner({ JEST_WORKER_ID: '1' }, ['node', 'x']), 'Jest');
  assert.equal(hostRunner({}, ['node', '/p/node_modules/mocha/bin/mocha.js']), 'Mocha');
  assert.equal(hostRunner({}, ['node', '/p/node_modules/.bin/_mocha']), 'Mocha');
  assert.equal(hostRunner({}, ['node', 'C:\\p\\node_modules\\mocha\\lib\\cli\\cli.js']), 'Mocha');
  assert.equal(hostRunner({ NODE_TEST_CONTEXT: 'child-v8' }, ['node', '/p/test/a.test.ts']), undefined);
  assert.equal(hostRunner({}, ['node', '/p/bin/leakrun.js']), undefined);
});

test('run() with -r and a sampler of its own stays in the process even beside a host runner', async () => {
  const sampler: HeapSampler = { sample: async () => ({ total: 7, byType: new Map() }) };
  const before = process.env.VITEST;
  process.env.VITEST = 'true';
  let text = '';
  try {
    const result = await run(['--path', 'examples/sample'], ['--layer', 'Layer11$', '-N2', '-r'], {
      sampler,
      output: (chunk: string) => void (text += chunk),
    });
    assert.equal(result.exitCode, 0);
  } finally {
    if (before === undefined) delete process.env.VITEST;
    else process.env.VITEST = before;
  }
  assert.doesNotMatch(text, /Running in a subprocess/);
  assert.match(text, /sys refcount=7 +change=0/);
});
