/**
 * The swappable option parser, scheduler and repeat loop (docs/api.md): a replacement is the one
 * used, it owns what its contract gives it (the options and their help, the per-test hooks, the
 * number of iterations), and a replacement that breaks its contract ends the run with one error
 * naming the part and the rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefaultLayerScheduler, DefaultOptionParser, DefaultRepeatLoop, run } from '../../src/index.ts';
import type {
  Emit,
  FormatterFactory,
  HeapSample,
  HeapSampler,
  HookGuard,
  LayerNode,
  LayerRun,
  LayerScheduler,
  OptionParser,
  ParseContext,
  RepeatLoop,
  RunResult,
} from '../../src/index.ts';
import { repo } from '../helpers/cli.ts';

const defaults = ['--path', 'examples/sample'];

function quietRun(argv: string[], components: Parameters<typeof run>[2] = {}): Promise<{ result: RunResult; text: string }> {
  let text = '';
  return run(defaults, argv, { output: (chunk) => void (text += chunk), errorOutput: () => {}, cwd: repo, ...components }).then(
    (result) => ({ result, text }),
  );
}

/** Wraps the default scheduler and logs every call. */
class LoggingScheduler implements LayerScheduler {
  readonly log: string[] = [];
  readonly #inner = new DefaultLayerScheduler();
  order(layers: readonly LayerNode[]): LayerNode[] {
    this.log.push(`order ${layers.length}`);
    return this.#inner.order(layers);
  }
  enter(layer: LayerNode, emit: Emit, guard: HookGuard): Promise<boolean | 'subprocess'> {
    this.log.push(`enter ${layer.name}`);
    return this.#inner.enter(layer, emit, guard);
  }
  aroundTest(layer: LayerNode, body: () => Promise<void>, guard: HookGuard): Promise<void> {
    this.log.push(`test in ${layer.name}`);
    return this.#inner.aroundTest(layer, body, guard);
  }
  finish(emit: Emit, guard: HookGuard): Promise<void> {
    this.log.push('finish');
    return this.#inner.finish(emit, guard);
  }
}

test('a replaced scheduler is the one used: every layer entered, every test run through aroundTest, finish once', async () => {
  const scheduler = new LoggingScheduler();
  const { result } = await quietRun(['--layer', 'Layer11$', '--layer', 'Layer12$', '-N', '2'], { scheduler });
  const plain = await quietRun(['--layer', 'Layer11$', '--layer', 'Layer12$', '-N', '2']);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(
    result.layers.map((layer) => layer.name),
    plain.result.layers.map((layer) => layer.name),
  );
  const count = (entry: string): number => scheduler.log.filter((line) => line === entry).length;
  assert.deepEqual(
    scheduler.log.filter((line) => !line.startsWith('test in ')),
    ['order 2', 'enter samplelayers.Layer11', 'enter samplelayers.Layer12', 'finish'],
  );
  // 18 tests in each layer, 2 iterations.
  assert.equal(count('test in samplelayers.Layer11'), 36);
  assert.equal(count('test in samplelayers.Layer12'), 36);
});

test('the per-test hooks belong to the scheduler: one that skips them makes the tests that need them fail', async () => {
  class NoTestHooks extends DefaultLayerScheduler {
    override aroundTest(_layer: LayerNode, body: () => Promise<void>): Promise<void> {
      return body();
    }
  }
  const plain = await quietRun(['--layer', 'Layer111$']);
  const { result } = await quietRun(['--layer', 'Layer111$'], { scheduler: new NoTestHooks() });
  assert.equal(plain.result.failures, 0);
  assert.ok(result.failures > 0, 'the sample layers check that their testSetUp ran');
});

test('a replaced repeat loop decides the iterations: stop once two heap deltas in a row are 0', async () => {
  // A scripted sampler: totals 100, 110, 110, 110, … so deltas are 10, 0, 0, …
  const totals = [100, 110];
  let taken = 0;
  const sampler: HeapSampler = {
    sample: async (): Promise<HeapSample> => ({ total: totals[Math.min(taken++, totals.length - 1)]!, byType: new Map() }),
  };
  const untilSteady: RepeatLoop = {
    async run(layerRun: LayerRun): Promise<void> {
      let zeros = 0;
      for (let i = 0; i < layerRun.repeat && zeros < 2; i++) {
        const { heapDiff } = await layerRun.runIteration();
        zeros = heapDiff?.change === 0 ? zeros + 1 : 0;
      }
    },
  };
  const { result, text } = await quietRun(['--layer', 'Layer11$', '-N', '10', '-r'], { repeatLoop: untilSteady, sampler });
  assert.equal(result.exitCode, 0);
  assert.deepEqual(
    result.layers[0]?.iterations.map((i) => i.heapDiff?.change),
    [undefined, 10, 0, 0],
  );
  assert.match(text, /Iteration 4\n/);
  assert.doesNotMatch(text, /Iteration 5\n/);
});

test('a repeat loop may run a subset of the tests in an iteration', async () => {
  const firstHalf: RepeatLoop = {
    async run(layerRun: LayerRun): Promise<void> {
      await layerRun.runIteration(layerRun.tests.slice(0, 3));
    },
  };
  const { result } = await quietRun(['--layer', 'Layer11$', '-N', '3'], { repeatLoop: firstHalf });
  assert.deepEqual(
    result.layers[0]?.iterations.map((i) => [i.iteration, i.tests]),
    [[1, 3]],
  );
  assert.equal(result.tests, 3);
});

const broken: Record<string, { loop: RepeatLoop; message: RegExp }> = {
  overlapping: {
    loop: {
      async run(layerRun) {
        await Promise.all([layerRun.runIteration(), layerRun.runIteration()]);
      },
    },
    message: /^the repeat loop broke its contract: runIteration\(\) was called while another iteration was running; await each one$/,
  },
  'too many': {
    loop: {
      async run(layerRun) {
        for (let i = 0; i <= layerRun.repeat; i++) await layerRun.runIteration();
      },
    },
    message: /^the repeat loop broke its contract: runIteration\(\) was called more than repeat \(2\) times$/,
  },
  rejecting: {
    loop: {
      async run() {
        throw new Error('out of ideas');
      },
    },
    message: /^the repeat loop broke its contract: its run\(\) rejected: out of ideas$/,
  },
};

for (const [name, { loop, message }] of Object.entries(broken)) {
  test(`a repeat loop that breaks its contract (${name}): one error naming it, what ran is kept, later layers do not run, layers are torn down`, async () => {
    const { result, text } = await quietRun(['--layer', 'Layer11$', '--layer', 'Layer12$', '-N', '2', '-v'], { repeatLoop: loop });
    assert.equal(result.exitCode, 1);
    const contract = result.problems.filter((problem) => problem.error.name === 'ContractError');
    assert.equal(contract.length, 1, text);
    assert.match(contract[0]!.error.message, message);
    assert.deepEqual(
      result.layers.map((layer) => layer.name),
      ['samplelayers.Layer11'],
    );
    if (name !== 'rejecting') assert.ok((result.layers[0]?.iterations[0]?.tests ?? 0) >= 1);
    assert.match(text, /Tear down samplelayers\.Layer11 in/);
    assert.equal(result.errors, 1);
    assert.deepEqual([contract[0]!.phase, contract[0]!.test], ['runner', 'repeat loop']);
    assert.match(text, /\nError in the repeat loop\nContractError: the repeat loop broke its contract/);
    // The summary names the part apart from the tests: it is not a test that failed.
    assert.match(text, /\nErrors in the runner:\n {3}repeat loop\n/);
    assert.doesNotMatch(text, /Tests with errors:/);
  });
}

test('a scheduler whose order() drops a layer is named with the rule', async () => {
  const scheduler = new (class extends DefaultLayerScheduler {
    override order(layers: readonly LayerNode[]): LayerNode[] {
      return super.order(layers).slice(1);
    }
  })();
  const { result } = await quietRun(['--layer', 'Layer11$', '--layer', 'Layer12$'], { scheduler });
  assert.equal(result.exitCode, 1);
  assert.deepEqual(
    result.problems.map((problem) => problem.error.message),
    ['the scheduler broke its contract: order() must return each layer it was given exactly once'],
  );
});

test('the default repeat loop is what run() uses when none is given', async () => {
  const given = await quietRun(['--layer', 'Layer11$', '-N', '3'], { repeatLoop: new DefaultRepeatLoop() });
  const plain = await quietRun(['--layer', 'Layer11$', '-N', '3']);
  assert.deepEqual(
    given.result.layers.map((l) => l.iterations.map((i) => i.tests)),
    plain.result.layers.map((l) => l.iterations.map((i) => i.tests)),
  );
});

/** Wraps the default parser and adds `--leaks`, which stands for `-N 4 -r`. */
class LeaksOption implements OptionParser {
  readonly #inner = new DefaultOptionParser();
  readonly contexts: ParseContext[] = [];
  parse(defaults: readonly string[], argv: readonly string[], context: ParseContext): ReturnType<OptionParser['parse']> {
    this.contexts.push(context);
    const expand = (args: readonly string[]): string[] => args.flatMap((arg) => (arg === '--leaks' ? ['-N', '4', '-r'] : [arg]));
    return this.#inner.parse(expand(defaults), expand(argv), context);
  }
  help(): string {
    return `${this.#inner.help()}  ${'    --leaks'.padEnd(28)} Check for leaks: -N 4 -r.\n`;
  }
}

const flat: HeapSampler = { sample: async () => ({ total: 100, byType: new Map() }) };

test('a replaced option parser is the one used: its own option works, and --help is its help', async () => {
  const parser = new LeaksOption();
  const { result, text } = await quietRun(['--layer', 'Layer11$', '--leaks'], { optionParser: parser, sampler: flat });
  assert.equal(result.exitCode, 0);
  assert.equal(result.layers[0]?.iterations.length, 4);
  assert.match(text, /sys refcount=100 +change=0/);
  // The default parser does not know it.
  const plain = await quietRun(['--layer', 'Layer11$', '--leaks']);
  assert.equal(plain.result.exitCode, 2);
  const help = await quietRun(['--help'], { optionParser: parser });
  assert.equal(help.result.exitCode, 0);
  assert.match(help.text, /^Usage: leakrun /);
  assert.match(help.text, /\n {6}--leaks {18}Check for leaks: -N 4 -r\.\n$/);
  assert.equal(help.text, new DefaultOptionParser().help() + help.text.slice(new DefaultOptionParser().help().length));
});

test('the option parser is told the working directory and whether the output is a terminal, which --auto-color goes by', async () => {
  const parser = new LeaksOption();
  let text = '';
  const terminal = { isTTY: true, write: (chunk: string) => void (text += chunk) };
  await run(defaults, ['--layer', 'Layer11$', '--auto-color', '-t', 'TestA'], { optionParser: parser, output: terminal, cwd: repo });
  assert.deepEqual(parser.contexts, [{ cwd: repo, terminal: true }]);
  assert.ok(text.includes('\u001b['), 'colour on a terminal');
  const piped = await quietRun(['--layer', 'Layer11$', '--auto-color', '-t', 'TestA'], { optionParser: parser });
  assert.deepEqual(parser.contexts[1], { cwd: repo, terminal: false });
  assert.ok(!piped.text.includes('\u001b['), 'no colour elsewhere');
});

test('an option parser that throws is a usage error naming it, and nothing runs', async () => {
  let errors = '';
  const throwing: OptionParser = {
    parse: () => {
      throw new Error('no idea');
    },
    help: () => '',
  };
  const result = await run(defaults, ['--layer', 'Layer11$'], {
    optionParser: throwing,
    output: () => {},
    errorOutput: (chunk) => void (errors += chunk),
    cwd: repo,
  });
  assert.equal(result.exitCode, 2);
  assert.equal(result.tests, 0);
  assert.equal(
    errors,
    'leakrun: error: the option parser broke its contract: parse() must return a usage problem, not throw (it threw no idea)\nRun "leakrun --help" for the options.\n',
  );
});

test('a formatter that throws or returns no string: one error naming it on the error output, the run ends cleanly with that problem', async () => {
  const broken: Record<string, FormatterFactory> = {
    throws: () => ({
      write(event) {
        if (event.type === 'test:pass') throw new Error('cannot print that');
        return '';
      },
    }),
    'returns undefined': () => ({ write: (event) => (event.type === 'iteration:end' ? (undefined as unknown as string) : '') }),
  };
  const rules = {
    throws: 'write() must not throw; it threw on a test:pass event: cannot print that',
    'returns undefined': "write() must return a string ('' for nothing); it returned undefined for a iteration:end event",
  };
  for (const [name, formatter] of Object.entries(broken)) {
    let errors = '';
    const scheduler = new LoggingScheduler();
    const result = await run(defaults, ['--layer', 'Layer11$', '--layer', 'Layer12$'], {
      formatter,
      scheduler,
      errorOutput: (chunk) => void (errors += chunk),
      cwd: repo,
    });
    const message = `the formatter broke its contract: ${rules[name as keyof typeof rules]}`;
    assert.equal(errors, `leakrun: error: ${message}\n`, name);
    assert.deepEqual(
      result.problems.map(({ phase, error }) => [phase, error.message]),
      [['runner', message]],
      name,
    );
    assert.equal(result.exitCode, 1, name);
    // The run stopped after the layer it was in, and tore it down.
    assert.deepEqual(
      result.layers.map((layer) => layer.name),
      ['samplelayers.Layer11'],
      name,
    );
    assert.equal(scheduler.log.at(-1), 'finish', name);
  }
});

test('a heap sampler that resolves to something else is an error of that sample, naming it; one whose close() rejects is a problem too', async () => {
  const shapeless: HeapSampler = { sample: async () => ({ total: 'many' }) as unknown as HeapSample };
  const { result, text } = await quietRun(['--layer', 'Layer11$', '-N', '2', '-r'], { sampler: shapeless });
  assert.equal(result.exitCode, 1);
  assert.deepEqual(
    result.problems.map(({ phase, test, error }) => [phase, test, error.message]),
    [1, 2].map((iteration) => [
      'sample',
      `Heap sample: samplelayers.Layer11, iteration ${iteration}`,
      'the heap sampler broke its contract: sample() must resolve to { total: number, byType: Map }',
    ]),
  );
  assert.match(text, /Heap sample failed: the heap sampler broke its contract/);
  const closing: HeapSampler = {
    sample: async () => ({ total: 1, byType: new Map() }),
    close: async () => {
      throw new Error('worker already gone');
    },
  };
  const closed = await quietRun(['--layer', 'Layer11$', '-N', '2', '-r'], { sampler: closing });
  assert.deepEqual(
    closed.result.problems.map(({ phase, test, error }) => [phase, test, error.message]),
    [['sample', 'Heap sampler: close()', 'worker already gone']],
  );
  assert.equal(closed.result.exitCode, 1);
});
