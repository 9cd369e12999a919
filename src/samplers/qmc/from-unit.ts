/**
 * Maps a coordinate of the unit cube onto a distribution, in the distribution's own scale: the
 * inverse of its uniform CDF. A uniform `u` gives the same law as `sampleUniform` (log-uniform
 * for log scales, each grid value or choice an equal share of [0, 1)), and a stratified set of
 * `u` gives a stratified set of values.
 * @module
 */
import { cardinality, type Distribution, snap } from '../../core/distributions.js';

/**
 * The internal value of `d` at `u` ∈ [0, 1) (values outside are clamped): always inside `d`.
 * - categorical with k choices: index ⌊u·k⌋;
 * - int (step s): `low + ⌊u·n⌋·s` for its n grid values; on a log scale, exp of a uniform point of
 *   [ln(low − ½), ln(high + ½)], rounded, so each integer gets its log-width;
 * - float: `low + u·(high − low)`; log scale: `exp(ln low + u·(ln high − ln low))`; with a step,
 *   `low + ⌊u·n⌋·step` for its n grid values.
 */
export function fromUnit(d: Distribution, u: number): number {
  const x = Number.isNaN(u) ? 0 : Math.min(Math.max(u, 0), 1);
  if (d.type === 'categorical') return cell(d.choices.length, x);
  if (d.low === d.high) return d.low;
  if (d.type === 'int') {
    if (d.log) {
      const lo = Math.log(d.low - 0.5);
      const hi = Math.log(d.high + 0.5);
      return snap(d, Math.exp(lo + (hi - lo) * x));
    }
    return d.low + cell(cardinality(d), x) * d.step;
  }
  if (d.log) {
    const lo = Math.log(d.low);
    const hi = Math.log(d.high);
    return Math.min(d.high, Math.max(d.low, Math.exp(lo + (hi - lo) * x)));
  }
  if (d.step !== null) return snap(d, d.low + cell(cardinality(d), x) * d.step);
  return Math.min(d.high, d.low + (d.high - d.low) * x);
}

/** ⌊u·n⌋, kept below n when u = 1. */
function cell(n: number, u: number): number {
  return Math.min(n - 1, Math.floor(u * n));
}
