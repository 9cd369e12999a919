/**
 * How one `hp` expression becomes a tunekit parameter, and how the tunekit value becomes the
 * value the objective sees (see the table in `hp.ts`). The value returned by {@link suggestNode}
 * is the one Hyperopt records in `misc.vals`: the option's index for `choice` and `pchoice`, the
 * value itself otherwise. {@link internalValue} goes back, for `fmin`'s `pointsToEvaluate`.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import { ndtr, ndtri } from '../math/special/index.js';
import type { Trial } from '../trial/trial.js';
import type { HpNode } from './hp.js';

/** The quantile range of the normal family: tails beyond Φ⁻¹(1e-9) ≈ −6 sigma are cut. */
export const NORMAL_QUANTILE_LOW = 1e-9;
/** Upper end of the quantile range of the normal family. */
export const NORMAL_QUANTILE_HIGH = 1 - 1e-9;

/** The suggest calls {@link suggestNode} needs (a tunekit `Trial` has them). */
export type SuggestingTrial = Pick<Trial, 'suggestFloat' | 'suggestInt' | 'suggestCategorical'>;

/** round(v / q)·q, without float noise such as 0.30000000000000004 and without −0. */
export function quantize(v: number, q: number): number {
  const k = Math.round(v / q);
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(q)) + 8));
  const r = Number((k * q).toFixed(decimals));
  return r === 0 ? 0 : r;
}

const indexCache = new Map<number, number[]>();

function indices(n: number): number[] {
  let out = indexCache.get(n);
  if (out === undefined) {
    out = Array.from({ length: n }, (_, i) => i);
    indexCache.set(n, out);
  }
  return out;
}

/** The index i with cum(p₀…pᵢ₋₁) ≤ u < cum(p₀…pᵢ); the last index for u at the top. */
export function pickWeighted(probabilities: readonly number[], u: number): number {
  let cum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cum += probabilities[i] as number;
    if (u < cum) return i;
  }
  return probabilities.length - 1;
}

/** Samples `node` through the trial and returns its Hyperopt value (an index for choices). */
export function suggestNode(trial: SuggestingTrial, node: HpNode): number {
  const s = node.spec;
  const label = node.label;
  switch (s.type) {
    case 'uniform':
      return trial.suggestFloat(label, s.low, s.high);
    case 'loguniform':
      return trial.suggestFloat(label, Math.exp(s.low), Math.exp(s.high), { log: true });
    case 'quniform': {
      const lo = quantize(s.low, s.q);
      const hi = quantize(s.high, s.q);
      if (lo === hi) return lo;
      return quantize(trial.suggestFloat(label, lo, hi, { step: s.q }), s.q);
    }
    case 'qloguniform':
      return quantize(trial.suggestFloat(label, Math.exp(s.low), Math.exp(s.high), { log: true }), s.q);
    case 'randint':
      return trial.suggestInt(label, s.low, s.upper - 1);
    case 'normal':
    case 'qnormal':
    case 'lognormal':
    case 'qlognormal': {
      const u = trial.suggestFloat(label, NORMAL_QUANTILE_LOW, NORMAL_QUANTILE_HIGH);
      return normalFamilyValue(node, u);
    }
    case 'choice':
      return trial.suggestCategorical(label, indices(s.options.length));
    case 'pchoice':
      return pickWeighted(s.probabilities, trial.suggestFloat(label, 0, 1));
  }
}

/** The value of a normal-family expression at the quantile u. */
export function normalFamilyValue(node: HpNode, u: number): number {
  const s = node.spec;
  if (s.type !== 'normal' && s.type !== 'qnormal' && s.type !== 'lognormal' && s.type !== 'qlognormal') {
    return Number.NaN;
  }
  const x = s.mu + s.sigma * ndtri(u);
  switch (s.type) {
    case 'normal':
      return x;
    case 'qnormal':
      return quantize(x, s.q);
    case 'lognormal':
      return Math.exp(x);
    case 'qlognormal':
      return quantize(Math.exp(x), s.q);
  }
}

function outside(node: HpNode, v: number, what: string): never {
  throw new InvalidArgumentError(
    `pointsToEvaluate: '${node.label}' = ${v} is not a possible value (${what}).`,
  );
}

/**
 * The tunekit parameter value that makes {@link suggestNode} give `v` (a choice's index for
 * choices): the inverse of the mapping, used to enqueue given points. Throws
 * `InvalidArgumentError` for a value the expression cannot take.
 */
export function internalValue(node: HpNode, v: number): number {
  const s = node.spec;
  if (typeof v !== 'number' || !Number.isFinite(v)) outside(node, v, 'a finite number is needed');
  const tol = 1e-9;
  switch (s.type) {
    case 'uniform':
      if (v < s.low || v > s.high) outside(node, v, `range [${s.low}, ${s.high}]`);
      return v;
    case 'loguniform':
    case 'qloguniform': {
      const lo = Math.exp(s.low);
      const hi = Math.exp(s.high);
      if (s.type === 'qloguniform') {
        if (Math.abs(quantize(v, s.q) - v) > tol * Math.max(1, Math.abs(v)))
          outside(node, v, `a multiple of ${s.q}`);
        if (v < quantize(lo, s.q) || v > quantize(hi, s.q))
          outside(node, v, `range [e^${s.low}, e^${s.high}] rounded to ${s.q}`);
        return Math.min(hi, Math.max(lo, v));
      }
      if (v < lo * (1 - tol) || v > hi * (1 + tol)) outside(node, v, `range [e^${s.low}, e^${s.high}]`);
      return Math.min(hi, Math.max(lo, v));
    }
    case 'quniform': {
      const lo = quantize(s.low, s.q);
      const hi = quantize(s.high, s.q);
      if (Math.abs(quantize(v, s.q) - v) > tol * Math.max(1, Math.abs(v)))
        outside(node, v, `a multiple of ${s.q}`);
      if (v < lo || v > hi) outside(node, v, `grid ${lo}…${hi}`);
      return quantize(v, s.q);
    }
    case 'randint':
      if (!Number.isInteger(v) || v < s.low || v >= s.upper)
        outside(node, v, `an integer in [${s.low}, ${s.upper})`);
      return v;
    case 'normal':
    case 'qnormal':
    case 'lognormal':
    case 'qlognormal': {
      const log = s.type === 'lognormal' || s.type === 'qlognormal';
      if (log && v <= 0) outside(node, v, 'a log-normal value is > 0');
      const u = ndtr(((log ? Math.log(v) : v) - s.mu) / s.sigma);
      return Math.min(NORMAL_QUANTILE_HIGH, Math.max(NORMAL_QUANTILE_LOW, u));
    }
    case 'choice':
      if (!Number.isInteger(v) || v < 0 || v >= s.options.length) {
        outside(node, v, `the index of one of ${s.options.length} options`);
      }
      return v;
    case 'pchoice': {
      if (!Number.isInteger(v) || v < 0 || v >= s.options.length) {
        outside(node, v, `the index of one of ${s.options.length} options`);
      }
      let before = 0;
      for (let i = 0; i < v; i++) before += s.probabilities[i] as number;
      return before + (s.probabilities[v] as number) / 2;
    }
  }
}
