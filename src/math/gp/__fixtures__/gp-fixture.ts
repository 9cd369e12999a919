/**
 * Test helper: the typed contents of gp.json (scikit-learn references) and a way to build
 * {@link KernelParams} from a case.
 *
 * @module
 */
import { readFixture } from '../../special/__fixtures__/fixture.js';
import type { KernelParams } from '../kernel-params.js';

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

export interface GpFit {
  name: string;
  lml: number;
  ils: number[];
  signal: number;
  noise: number;
}

export const gpFixture = readFixture<{ cases: GpCase[]; fits: GpFit[] }>(
  new URL('./gp.json', import.meta.url),
);

export function paramsOf(c: GpCase): KernelParams {
  return {
    inverseSquaredLengthScales: Float64Array.from(c.ils),
    signalVariance: c.signal,
    noiseVariance: c.noise,
  };
}
