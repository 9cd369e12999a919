/**
 * One uniform draw from a distribution in its own scale, as an internal value.
 * @module
 */
import { type Distribution, snap } from '../../core/distributions.js';
import type { Rng } from '../../core/rng.js';

/** A uniform internal value of `d`: log-uniform for log scales, uniform over grids and choices. */
export function sampleUniform(d: Distribution, rng: Rng): number {
  if (d.type === 'categorical') return Math.floor(rng.random() * d.choices.length);
  if (d.type === 'int') {
    if (d.log) {
      // Uniform in log space over [low − 0.5, high + 0.5], then rounded: each int gets its log-width.
      const lo = Math.log(d.low - 0.5);
      const hi = Math.log(d.high + 0.5);
      return snap(d, Math.exp(lo + (hi - lo) * rng.random()));
    }
    const n = Math.floor((d.high - d.low) / d.step) + 1;
    return d.low + Math.floor(rng.random() * n) * d.step;
  }
  if (d.log) {
    const lo = Math.log(d.low);
    const hi = Math.log(d.high);
    return Math.min(d.high, Math.max(d.low, Math.exp(lo + (hi - lo) * rng.random())));
  }
  if (d.step !== null) {
    const n = Math.floor((d.high - d.low) / d.step + 1e-9) + 1;
    return snap(d, d.low + Math.floor(rng.random() * n) * d.step);
  }
  return d.low + (d.high - d.low) * rng.random();
}
