/**
 * Which observations a GP keeps when there are too many: the best half and a random draw of the
 * rest, so the model stays sharp where it matters and still sees the whole space.
 *
 * Notation: y (n) values, larger is better; the result is k sorted indices into y.
 * @module
 */
import type { Rng } from '../../core/rng.js';

/** Indices of at most k of the values y: the best ⌈k/2⌉, then a draw by `rng` of the rest. */
export function bestAndRandomSubset(y: ArrayLike<number>, k: number, rng: Rng): number[] {
  const n = y.length;
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[b]! - y[a]! || a - b);
  const nBest = Math.ceil(k / 2);
  const chosen = order.slice(0, nBest);
  const rest = order.slice(nBest);
  for (let i = 0; i < k - nBest; i++) {
    const j = i + Math.floor(rng.random() * (rest.length - i));
    const tmp = rest[i]!;
    rest[i] = rest[j]!;
    rest[j] = tmp;
    chosen.push(rest[i]!);
  }
  return chosen.sort((a, b) => a - b);
}
