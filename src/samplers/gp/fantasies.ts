/**
 * Running trials as fantasies: a GP conditioned on its n observations plus p pending points,
 * each "observed" at a given fantasy value with nearly no noise, so a pending point does not look
 * worth evaluating again and concurrent suggestions spread out.
 *
 * Notation: D encoded columns; X (n × D) and Xp (p × D) row-major; y, noise (n); fantasy (p).
 * @module
 */
import type { GpPosteriorState, KernelParams } from '../../math/gp/index.js';
import { gpPosteriorBatch } from '../../math/gp/posterior-batch.js';
import { gpPosteriorStateWithNoise } from '../../math/gp/posterior-noise.js';
import type { EncodedSpace } from './encoded-space.js';

/** The pending points' internal values, encoded (p × D). */
export function encodePending(
  enc: EncodedSpace,
  pending: ReadonlyArray<Readonly<Record<string, number>>>,
): Float64Array {
  const D = enc.dim;
  const Xp = new Float64Array(pending.length * D);
  pending.forEach((values, i) => {
    enc.encode(values, Xp, i * D);
  });
  return Xp;
}

/** The posterior means of `state` at the p rows of Xp, each capped at `cap`: the fantasy values. */
export function fantasyMeans(
  state: GpPosteriorState,
  Xp: Float64Array,
  p: number,
  cap = Infinity,
): Float64Array {
  const mean = new Float64Array(p);
  gpPosteriorBatch(state, Xp, p, mean, new Float64Array(p));
  for (let i = 0; i < p; i++) mean[i] = Math.min(mean[i]!, cap);
  return mean;
}

/**
 * The GP (hyperparameters `params`) on the observations (X, y) with noise variances `noise`
 * (a number: the same for all) plus the p pending points Xp at the values `fantasy`, whose noise
 * is min(params.noiseVariance, minimumNoise).
 */
export function conditionWithFantasies(
  X: Float64Array,
  y: ArrayLike<number>,
  noise: number | ArrayLike<number>,
  n: number,
  D: number,
  Xp: Float64Array,
  fantasy: ArrayLike<number>,
  p: number,
  params: KernelParams,
  minimumNoise: number,
): GpPosteriorState {
  const Xa = new Float64Array((n + p) * D);
  Xa.set(X.subarray(0, n * D));
  Xa.set(Xp.subarray(0, p * D), n * D);
  const ya = new Float64Array(n + p);
  const na = new Float64Array(n + p);
  for (let i = 0; i < n; i++) {
    ya[i] = y[i]!;
    na[i] = typeof noise === 'number' ? noise : noise[i]!;
  }
  for (let i = 0; i < p; i++) ya[n + i] = fantasy[i]!;
  na.fill(Math.min(params.noiseVariance, minimumNoise), n);
  return gpPosteriorStateWithNoise(Xa, ya, na, n + p, D, params);
}
