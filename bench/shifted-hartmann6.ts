/**
 * The shifted hartmann6 of the warm-start benchmarks: hartmann6(x − 0.05) · 1.3 + 0.2 on [0, 1]^6.
 * The optimum moves by +0.05 in every coordinate and stays inside the box; values are rescaled and
 * offset so that they are not comparable with the original's.
 */
import { BENCH_PROBLEMS, hartmann6 } from '../src/testing/problems.js';

/** Scale and offset that the warm-start benchmark applies to every shifted problem's values. */
export const SHIFT_SCALE = 1.3;
export const SHIFT_OFFSET = 0.2;
/** How far hartmann6's optimum moves in every coordinate. */
export const HARTMANN6_SHIFT = 0.05;

const z = new Float64Array(6);

/** hartmann6 shifted, scaled and offset; `x` (length 6) in [0, 1]^6. */
export function shiftedHartmann6(x: ArrayLike<number>): number {
  for (let i = 0; i < 6; i++) z[i] = x[i]! - HARTMANN6_SHIFT;
  return SHIFT_SCALE * hartmann6(z) + SHIFT_OFFSET;
}

/** The minimum of {@link shiftedHartmann6}. */
export const SHIFTED_HARTMANN6_FSTAR = SHIFT_SCALE * BENCH_PROBLEMS.hartmann6!.fstar + SHIFT_OFFSET;
