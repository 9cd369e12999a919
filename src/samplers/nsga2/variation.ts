/**
 * Crossover and mutation of genetic samplers, on genes in [0, 1] (the unit-box transform of
 * the numeric parameters; a categorical gene is its choice index / (C − 1) and is only ever
 * copied from a parent or redrawn, never blended).
 * @module
 */
import type { Rng } from '../../core/rng.js';

/** The crossovers on offer. */
export type CrossoverKind = 'uniform' | 'sbx' | 'blxAlpha';

/** Settings of the crossovers and of the mutation. */
export interface VariationSettings {
  readonly crossover: CrossoverKind;
  /** Uniform crossover: probability of taking each gene from the second parent. */
  readonly swappingProb: number;
  /** SBX distribution index (larger: children nearer their parents). */
  readonly sbxEta: number;
  /** BLX-α: how far beyond the parents' interval a child may go, as a fraction of it. */
  readonly blxAlpha: number;
  /** Polynomial mutation distribution index. */
  readonly mutationEta: number;
}

/**
 * One child of parents `a` and `b` by `settings.crossover`, into `out`. Genes flagged in
 * `categorical` are copied from one parent (chosen at random), whatever the crossover.
 */
export function crossover(
  a: Float64Array,
  b: Float64Array,
  categorical: Uint8Array,
  settings: VariationSettings,
  rng: Rng,
  out: Float64Array,
): Float64Array {
  const d = a.length;
  switch (settings.crossover) {
    case 'uniform':
      for (let j = 0; j < d; j++) out[j] = rng.random() < settings.swappingProb ? b[j]! : a[j]!;
      return out;
    case 'blxAlpha': {
      const alpha = settings.blxAlpha;
      for (let j = 0; j < d; j++) {
        if (categorical[j]) {
          out[j] = rng.random() < 0.5 ? a[j]! : b[j]!;
          continue;
        }
        const lo = Math.min(a[j]!, b[j]!);
        const hi = Math.max(a[j]!, b[j]!);
        const ext = alpha * (hi - lo);
        out[j] = clip01(rng.uniform(lo - ext, hi + ext));
      }
      return out;
    }
    case 'sbx': {
      // Bounded SBX (Deb and Agrawal), each gene crossed with probability 1/2, the others taken
      // from the first parent; of the two SBX children's genes one is kept, chosen per gene.
      const eta = settings.sbxEta;
      for (let j = 0; j < d; j++) {
        const x1 = a[j]!;
        const x2 = b[j]!;
        if (categorical[j]) {
          out[j] = rng.random() < 0.5 ? x1 : x2;
          continue;
        }
        if (rng.random() >= 0.5 || Math.abs(x1 - x2) <= 1e-14) {
          out[j] = x1;
          continue;
        }
        const y1 = Math.min(x1, x2);
        const y2 = Math.max(x1, x2);
        const u = rng.random();
        const c1 = 0.5 * (y1 + y2 - sbxSpread(1 + (2 * y1) / (y2 - y1), eta, u) * (y2 - y1));
        const c2 = 0.5 * (y1 + y2 + sbxSpread(1 + (2 * (1 - y2)) / (y2 - y1), eta, u) * (y2 - y1));
        out[j] = clip01(rng.random() < 0.5 ? c1 : c2);
      }
      return out;
    }
  }
}

function sbxSpread(beta: number, eta: number, u: number): number {
  const alpha = 2 - beta ** -(eta + 1);
  return u <= 1 / alpha ? (u * alpha) ** (1 / (eta + 1)) : (1 / (2 - u * alpha)) ** (1 / (eta + 1));
}

/** Deb's bounded polynomial mutation of one gene in [0, 1]. */
export function polynomialMutation(x: number, eta: number, rng: Rng): number {
  const r = rng.random();
  const power = 1 / (eta + 1);
  let dq: number;
  if (r < 0.5) {
    const v = 2 * r + (1 - 2 * r) * (1 - x) ** (eta + 1);
    dq = v ** power - 1;
  } else {
    const v = 2 * (1 - r) + 2 * (r - 0.5) * x ** (eta + 1);
    dq = 1 - v ** power;
  }
  return clip01(x + dq);
}

function clip01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
