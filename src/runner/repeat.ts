import type { LayerRun, RepeatLoop } from '../types/index.ts';

/**
 * The default repeat loop: runs all of a layer's tests `-N` times inside one set-up, or fewer
 * times when the run stops (`-x`).
 */
export class DefaultRepeatLoop implements RepeatLoop {
  /** `-N` iterations of all the layer's tests, stopping early when the run stops. */
  async run(layerRun: LayerRun): Promise<void> {
    for (let iteration = 1; iteration <= layerRun.repeat && !layerRun.shouldStop(); iteration++) {
      await layerRun.runIteration();
    }
  }
}
