import { now } from './clock.ts';
import { isAssertion, isSkip } from './errors.ts';
import type { LayerRun, RepeatLoop } from './types.ts';

/**
 * The default repeat loop: runs a layer's tests `-N` times inside one set-up, reporting each test
 * and each iteration, and calls the sampling point after every iteration.
 */
export class DefaultRepeatLoop implements RepeatLoop {
  async run({ layer, tests, options, emit, afterIteration, shouldStop, runTest }: LayerRun): Promise<void> {
    for (let iteration = 1; iteration <= options.repeat; iteration++) {
      emit({ type: 'iteration:start', layer: layer.name, iteration, of: options.repeat, tests: tests.length });
      let ran = 0;
      let failures = 0;
      let errors = 0;
      let skipped = 0;
      const started = now();
      for (const test of tests) {
        if (shouldStop()) break;
        emit({ type: 'test:start', test: test.id });
        const testStarted = now();
        const error = await runTest(test);
        const seconds = (now() - testStarted) / 1000;
        ran++;
        if (error === undefined) {
          emit({ type: 'test:pass', test: test.id, seconds });
        } else if (isSkip(error)) {
          skipped++;
          emit({ type: 'test:skip', test: test.id, seconds, reason: error.message });
        } else if (isAssertion(error)) {
          failures++;
          emit({ type: 'test:fail', test: test.id, seconds, error });
        } else {
          errors++;
          emit({ type: 'test:error', test: test.id, seconds, error });
        }
      }
      const seconds = (now() - started) / 1000;
      emit({
        type: 'iteration:end',
        layer: layer.name,
        iteration,
        of: options.repeat,
        counts: { tests: ran, failures, errors, skipped, seconds },
      });
      if (shouldStop()) break;
      await afterIteration(iteration);
    }
  }
}
