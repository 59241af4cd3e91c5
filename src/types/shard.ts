/** One share of a run's tests, as `--shard I/N` names it: the shape the options and the selection share. */

/** One share of a run's tests: `--shard 2/3` is `{ index: 2, count: 3 }`. */
export interface Shard {
  /** Which share, from 1. */
  readonly index: number;
  /** How many shares. */
  readonly count: number;
}
