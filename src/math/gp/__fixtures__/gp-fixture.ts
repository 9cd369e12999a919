/**
 * Test helper: the typed contents of gp.json (scikit-learn references) and a way to build
 * {@link KernelParams} from a case.
 *
 * @module
 */
import { readFixture } from '../../special/__fixtures__/fixture.js';
import type { KernelParams } from '../kernel-params.js';

/** One scikit-learn reference case: data, hyperparameters, kernel, likelihood and posterior. */
export interface GpCase {
  name: string;
  n: number;
  d: number;
  X: number[];
  y: number[];
  ils: number[];
  signal: number;
  noise: number;
  K: number[];
  m: number;
  Xt: number[];
  Kt: number[];
  lml: number;
  grad: number[];
  mean: number[];
  variance: number[];
}

/** scikit-learn's maximum-likelihood fit (no prior) from fitKernelParams' default start. */
export interface GpFit {
  name: string;
  lml: number;
  ils: number[];
  signal: number;
  noise: number;
}

/** The parsed gp.json. */
export const gpFixture = readFixture<{ cases: GpCase[]; fits: GpFit[] }>(
  new URL('./gp.json', import.meta.url),
);

/** The hyperparameters of a case. */
export function paramsOf(c: GpCase): KernelParams {
  return {
    inverseSquaredLengthScales: Float64Array.from(c.ils),
    signalVariance: c.signal,
    noiseVariance: c.noise,
  };
}
