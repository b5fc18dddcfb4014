/**
 * The reliability scenarios' reproducible randomness: seededRandom(seed) is a deterministic stream in [0, 1)
 * (fast-check's generator) so that a failing run can be replayed with the seed it printed.
 */
import * as fc from 'fast-check';

/** `count` uniform draws in [0, 1) from fast-check's generator for `seed` (unbiased), then again from the start. */
export function seededRandom(seed: number, count = 4096): () => number {
  const draws = fc.sample(fc.noBias(fc.integer({ min: 0, max: 2 ** 32 - 1 })), { seed, numRuns: count });
  let i = 0;
  return () => draws[i++ % draws.length] / 2 ** 32;
}
