/**
 * TPE's view of a warm start: the warm trials that serve a parameter set, transformed like the
 * study's own observations and split, source by source, into good ("below") and the rest
 * ("above") by the same gamma as the study's own trials. Sources are ranked on their own, never
 * against the study's values, so a changed scale or offset of the objective does not matter.
 * In the Parzen estimators each warm observation weighs w · 10 / (10 + nOwn) (w the warm-start
 * weight, 0.5 by default; nOwn the study's finished trials) where one of the study's own weighs up
 * to 1: the warm trials lead the first suggestions and fade as the study's own evidence grows.
 *
 * Notation: d — parameters of the set; obs (n × d) transformed warm observations, row-major.
 * @module
 */
import type { Distribution } from '../../core/distributions.js';
import type { StudyDirection } from '../../core/frozen-trial.js';
import { type WarmStart, warmRows } from '../warm-start.js';
import { selectBelow } from './split.js';

/** Own finished trials at which a warm observation's weight has halved (see {@link warmWeight}). */
export const WARM_FADE_TRIALS = 10;

/**
 * The kernel weight of a warm observation once the study has `nOwn` finished trials of its own:
 * w · n₀ / (n₀ + nOwn), n₀ = {@link WARM_FADE_TRIALS}. Warm trials lead at first and fade as the
 * study's own evidence grows (w/4 at 30 own trials).
 */
export function warmWeight(w: number, nOwn: number): number {
  return (w * WARM_FADE_TRIALS) / (WARM_FADE_TRIALS + nOwn);
}

/** Transformed warm observations of one side, each with the same weight. */
export interface WarmObs {
  /** (n × d) row-major. */
  readonly obs: Float64Array;
  readonly n: number;
  readonly weight: number;
}

/**
 * The warm observations of the parameters `names` (distributions `space`; `logs[j]`: parameter j
 * is modelled in log scale), split into below and above; null when no warm trial serves them.
 */
export function warmObs(
  warm: WarmStart,
  directions: readonly StudyDirection[],
  names: readonly string[],
  space: Readonly<Record<string, Distribution>>,
  logs: readonly boolean[],
  gamma: (n: number) => number,
  nOwn: number,
): { below: WarmObs; above: WarmObs } | null {
  const d = names.length;
  const below: number[] = [];
  const above: number[] = [];
  for (const source of warm.sources) {
    const rows = warmRows(source, names, space);
    const n = rows.trials.length;
    if (n === 0) continue;
    const isBelow = selectBelow(rows.trials, directions, Math.min(n, Math.ceil(gamma(n))));
    for (let k = 0; k < n; k++) {
      const side = isBelow[k] ? below : above;
      for (let j = 0; j < d; j++) {
        const v = rows.internal[k * d + j]!;
        side.push(logs[j] ? Math.log(v) : v);
      }
    }
  }
  if (below.length + above.length === 0) return null;
  const weight = warmWeight(warm.weight, nOwn);
  return {
    below: { obs: Float64Array.from(below), n: below.length / Math.max(1, d), weight },
    above: { obs: Float64Array.from(above), n: above.length / Math.max(1, d), weight },
  };
}
