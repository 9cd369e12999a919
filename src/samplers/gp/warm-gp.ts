/**
 * The GP of a warm-started study (`createStudy({ warmStartFrom })`, single objective, no
 * constraints), in one of two models (GPSampler's `warmStartModel`).
 *
 * ## 'pooled' (the default): {@link warmGpModel}
 * The warm trials join the study's own as observations of the same function, each with inflated
 * noise.
 *
 * - Each source's values (and the study's own) are turned into a maximisation, clipped to their
 *   finite range, warped and standardised on their own (see `output-warping.ts`): values are never
 *   compared across studies, so a shifted or rescaled objective still transfers its shape.
 * - A warm observation of weight w has noise variance σ²_noise + τ², τ² = 0.1·σ²_signal·(1/w − 1): at w = 1 it
 *   counts as one of the study's own; at the default w = 0.5 its noise equals the prior variance,
 *   so a single warm point only nudges the posterior, while many agreeing warm points still pin it.
 *   The study's own observations, with the fitted noise, override the warm ones where they are.
 * - The kernel hyperparameters are fitted (MAP, as for a cold GP) on the warm and own data pooled
 *   until the study has {@link WARM_OWN_FIT_MIN} complete trials of its own, so the length scales
 *   learnt on the earlier study carry over from the first trial; from then on on its own trials
 *   alone (the warm trials still condition the posterior), so that the differences between the
 *   studies do not distort the kernel (on the shifted mixed_mlp of bench/warm-start.ts this cut
 *   the mean regret at 30 trials from 5.9e-3 to about 2e-4).
 * - Until the study has 3 complete trials of its own there is no scale for its values: its points
 *   enter at the posterior mean of the warm-only GP (they lower the variance there, so the next
 *   suggestion moves on), and from 3 on at their own standardised values.
 * - The expected-improvement threshold and the local-search incumbent are the best observation,
 *   warm or own. Other workers' running trials are fantasised as in the cold GP.
 *
 * ## 'stacked': {@link stackedWarmGpModel}
 * f(x) = a·μ_s(x) + b + r(x) (see stacked-acquisition.ts), as in Google Vizier's transfer
 * learning (Golovin et al., 2017):
 * - μ_s is the posterior mean of a GP fitted to the warm observations alone (scaled per source as
 *   above; its hyperparameters fitted once per warm start and space).
 * - a and b map it onto the study's own standardised values by ridge regression shrunk towards
 *   a = 1, b = 0 with strength λ = w/(1 − w) (w the warm weight), once there are
 *   {@link WARM_OWN_SCALE_MIN} own trials.
 * - r is a GP of the own residuals y − a·μ_s − b: with the source's kernel and a signal variance
 *   scaled by (1 − w) until there are {@link WARM_OWN_FIT_MIN} own trials, then fitted on them.
 * - The predictive variance adds a²·v_s(x), so regions the sources did not see stay uncertain.
 * Precise when the objective moved smoothly (the residual is then nearly linear), but a source's
 * local optimum stays attractive: the pooled model recovers better from a poor source.
 *
 * Notation: n own + warm observations, D encoded columns, X (n × D) row-major, y (n) standardised
 * values, noise (n) per-observation noise variances; stacked: nw warm and nOwn own observations.
 * @module
 */
import type { FrozenTrial, StudyDirection } from '../../core/frozen-trial.js';
import { Rng } from '../../core/rng.js';
import { fitKernelParamsMap, type KernelLogPriorFn } from '../../math/gp/fit-map.js';
import { copyKernelParams, type GpPosteriorState, type KernelParams } from '../../math/gp/index.js';
import { gpPosteriorBatch } from '../../math/gp/posterior-batch.js';
import { gpPosteriorStateWithNoise } from '../../math/gp/posterior-noise.js';
import type { SearchSpace } from '../base.js';
import { type WarmStart, warmRows } from '../warm-start.js';
import { type Acquisition, LogEIAcquisition } from './acquisition.js';
import { type EncodedSpace, spaceSignature } from './encoded-space.js';
import { conditionWithFantasies, encodePending, fantasyMeans } from './fantasies.js';
import { clipToFiniteRange, isFlat, type OutputWarping, warpOutputs } from './output-warping.js';
import { type StackedGp, StackedLogEIAcquisition, stackedPosteriorBatch } from './stacked-acquisition.js';
import { bestAndRandomSubset } from './subset.js';

/** τ² = WARM_NOISE_SCALE · σ²_signal · (1/w − 1): the extra noise variance of a warm observation. */
export const WARM_NOISE_SCALE = 0.1;

/** Own complete trials from which the kernel is fitted on them alone. */
export const WARM_OWN_FIT_MIN = 10;

/** Own complete trials needed before their values are standardised on their own. */
export const WARM_OWN_SCALE_MIN = 3;

/** The GP settings the warm model uses (the sampler's options). */
export interface WarmGpSettings {
  readonly nStartupTrials: number;
  readonly maxModelTrials: number;
  readonly maxFitTrials: number;
  readonly logPrior: KernelLogPriorFn;
  readonly deterministic: boolean;
  readonly minimumNoise: number;
  readonly outputWarping: OutputWarping;
  /** Seed of this suggestion's subsets. */
  readonly seed: number;
}

/** What the acquisition needs. */
export interface WarmGpModel {
  /** log EI of the model over its threshold. */
  readonly acquisition: Acquisition;
  /** The best predicted mean at an observed point (standardised units). */
  readonly threshold: number;
  /** Where that best prediction is: a warm start of the local search. */
  readonly incumbent: Float64Array;
  /** The hyperparameters to remember as the next fit's starting point. */
  readonly params: KernelParams;
  /** Length scales preconditioning the local search. */
  readonly lengthScales: Float64Array;
  /** Observations the acquisition conditions on (sets how many candidates are scored). */
  readonly modelSize: number;
}

/**
 * How a warm start enters the GP: 'pooled' (warm trials as noisier observations of the study's
 * function, {@link warmGpModel}) or 'stacked' (a GP of the sources as the prior mean and a GP of
 * the study's residuals, {@link stackedWarmGpModel}).
 */
export type WarmStartModel = 'pooled' | 'stacked';

/** Clips non-finite values to the finite range, then warps; false when nothing is left to learn. */
function scale(y: Float64Array, warping: OutputWarping): boolean {
  const c = clipToFiniteRange(y);
  if (c === null || isFlat(c)) return false;
  y.set(c.y);
  return warpOutputs(y, warping);
}

function rowsOf(X: Float64Array, D: number, idx: readonly number[]): Float64Array {
  const out = new Float64Array(idx.length * D);
  idx.forEach((i, r) => {
    out.set(X.subarray(i * D, i * D + D), r * D);
  });
  return out;
}

/** The warm observations serving `names`: encoded points and values, each source scaled on its own. */
function warmObservations(
  warm: WarmStart,
  sign: number,
  names: readonly string[],
  space: SearchSpace,
  enc: EncodedSpace,
  warping: OutputWarping,
): { wx: Float64Array[]; wy: number[] } {
  const D = enc.dim;
  // Warm observations, source by source.
  const wx: Float64Array[] = [];
  const wy: number[] = [];
  const record: Record<string, number> = {};
  for (const source of warm.sources) {
    const rows = warmRows(source, names, space);
    const keep: number[] = [];
    for (let k = 0; k < rows.trials.length; k++) {
      const v = rows.trials[k]!.values![0];
      if (v !== undefined && !Number.isNaN(v)) keep.push(k);
    }
    const y = Float64Array.from(keep, (k) => sign * rows.trials[k]!.values![0]!);
    if (keep.length < 2 || !scale(y, warping)) continue;
    keep.forEach((k, i) => {
      for (let j = 0; j < names.length; j++) record[names[j]!] = rows.internal[k * names.length + j]!;
      const x = new Float64Array(D);
      enc.encode(record, x, 0);
      wx.push(x);
      wy.push(y[i]!);
    });
  }
  return { wx, wy };
}

/** The study's own complete trials that have every parameter of `names` and a value. */
function ownObservations(own: readonly FrozenTrial[], names: readonly string[]): FrozenTrial[] {
  const rows: FrozenTrial[] = [];
  for (const t of own) {
    const v = t.values?.[0];
    if (v === undefined || Number.isNaN(v)) continue;
    if (!names.every((n) => Object.hasOwn(t.internalParams, n))) continue;
    rows.push(t);
  }
  return rows;
}

/**
 * The warm-started GP over the parameters `names` (distributions `space`, encoded by `enc`), or
 * null when no warm trial serves them (the cold GP then applies). `own` are the study's complete
 * trials, `pending` the internal values of other workers' running trials, `init` a previous fit.
 */
export function warmGpModel(
  warm: WarmStart,
  directions: readonly StudyDirection[],
  own: readonly FrozenTrial[],
  names: readonly string[],
  space: SearchSpace,
  enc: EncodedSpace,
  pending: ReadonlyArray<Readonly<Record<string, number>>>,
  settings: WarmGpSettings,
  init: KernelParams | undefined,
): WarmGpModel | null {
  const D = enc.dim;
  const sign = directions[0] === 'maximize' ? 1 : -1;
  const rng = new Rng(settings.seed);

  const { wx, wy } = warmObservations(warm, sign, names, space, enc, settings.outputWarping);
  if (wy.length === 0) return null;

  // The study's own complete trials of the space.
  const ownRows = ownObservations(own, names);
  const nOwn = ownRows.length;
  if (nOwn + wy.length < settings.nStartupTrials) return null;
  let ownY: Float64Array | null = Float64Array.from(ownRows, (t) => sign * t.values![0]!);
  if (nOwn < WARM_OWN_SCALE_MIN || !scale(ownY, settings.outputWarping)) ownY = null;

  // At most maxModelTrials observations: the study's own first, then a subset of the warm ones.
  let warmIdx = bestAndRandomSubset(wy, Math.max(0, settings.maxModelTrials - nOwn), rng);
  if (warmIdx.length === 0) warmIdx = [wy.indexOf(Math.max(...wy))];
  const nw = warmIdx.length;
  const n = nOwn + nw;
  const X = new Float64Array(n * D);
  const y = new Float64Array(n);
  ownRows.forEach((t, i) => {
    enc.encode(t.internalParams, X, i * D);
  });
  warmIdx.forEach((k, r) => {
    X.set(wx[k]!, (nOwn + r) * D);
    y[nOwn + r] = wy[k]!;
  });
  if (ownY !== null) y.set(ownY);

  // Hyperparameters: on the pooled data (own rows once they have a scale), then on the own rows.
  const fitFrom = ownY === null ? nOwn : 0;
  const fitAll =
    ownY !== null && nOwn >= WARM_OWN_FIT_MIN
      ? Array.from({ length: nOwn }, (_, i) => i)
      : Array.from({ length: n - fitFrom }, (_, i) => fitFrom + i);
  const fitIdx = bestAndRandomSubset(
    fitAll.map((i) => y[i]!),
    settings.maxFitTrials,
    rng,
  ).map((i) => fitAll[i]!);
  const fit = fitKernelParamsMap(
    rowsOf(X, D, fitIdx),
    Float64Array.from(fitIdx, (i) => y[i]!),
    fitIdx.length,
    D,
    init,
    {
      logPrior: settings.logPrior,
      deterministic: settings.deterministic,
      minimumNoise: settings.minimumNoise,
      pgtol: 1e-2,
    },
  );
  const params = fit.params;
  const warmNoise = params.noiseVariance + WARM_NOISE_SCALE * params.signalVariance * (1 / warm.weight - 1);
  const noise = new Float64Array(n).fill(params.noiseVariance, 0, nOwn).fill(warmNoise, nOwn);

  if (ownY === null && nOwn > 0) {
    // No scale for the own values yet: they enter at the warm-only posterior mean.
    const warmOnly = gpPosteriorStateWithNoise(
      X.subarray(nOwn * D),
      y.subarray(nOwn),
      noise.subarray(nOwn),
      nw,
      D,
      params,
    );
    const mean = new Float64Array(nOwn);
    gpPosteriorBatch(warmOnly, X.subarray(0, nOwn * D), nOwn, mean, new Float64Array(nOwn));
    y.set(mean);
  }
  let state = gpPosteriorStateWithNoise(X, y, noise, n, D, params);
  // Threshold and incumbent: the best posterior mean at an observed point (warm values are noisy
  // views of this study's function, so the best raw value would overstate what is known).
  const atObs = new Float64Array(n);
  gpPosteriorBatch(state, X, n, atObs, new Float64Array(n));
  let best = 0;
  for (let i = 1; i < n; i++) if (atObs[i]! > atObs[best]!) best = i;
  const threshold = atObs[best]!;

  if (pending.length > 0) {
    const p = pending.length;
    const Xp = encodePending(enc, pending);
    const fantasy = fantasyMeans(state, Xp, p, threshold);
    state = conditionWithFantasies(X, y, noise, n, D, Xp, fantasy, p, params, settings.minimumNoise);
  }
  return {
    acquisition: new LogEIAcquisition(state, threshold),
    threshold,
    incumbent: X.slice(best * D, best * D + D),
    params,
    lengthScales: Float64Array.from(params.inverseSquaredLengthScales, (l) => 1 / Math.sqrt(l)),
    modelSize: state.n,
  };
}

/** Source GP fits, by warm start and space signature (deterministic: every worker derives the same). */
const sourceFits = new WeakMap<WarmStart, Map<string, KernelParams>>();

/**
 * The stacked (transfer) GP of a warm-started study: a GP fitted to the warm sources, scaled to
 * the study's own values by ridge regression (a·μ_s + b, shrunk towards a = 1, b = 0), plus a GP
 * of the study's own residuals. See stacked-acquisition.ts. Null when no warm trial serves the
 * parameters (the cold GP then applies).
 */
export function stackedWarmGpModel(
  warm: WarmStart,
  directions: readonly StudyDirection[],
  own: readonly FrozenTrial[],
  names: readonly string[],
  space: SearchSpace,
  enc: EncodedSpace,
  pending: ReadonlyArray<Readonly<Record<string, number>>>,
  settings: WarmGpSettings,
  init: KernelParams | undefined,
): WarmGpModel | null {
  const D = enc.dim;
  const sign = directions[0] === 'maximize' ? 1 : -1;
  const rng = new Rng(settings.seed);
  const { wx, wy } = warmObservations(warm, sign, names, space, enc, settings.outputWarping);
  if (wy.length < 2) return null;
  const fitOptions = {
    logPrior: settings.logPrior,
    deterministic: settings.deterministic,
    minimumNoise: settings.minimumNoise,
    pgtol: 1e-2,
  };

  // The source GP: the warm observations (a subset above maxModelTrials), fitted once per space.
  const warmIdx = bestAndRandomSubset(wy, settings.maxModelTrials, rng);
  const nw = warmIdx.length;
  const Xw = new Float64Array(nw * D);
  const yw = new Float64Array(nw);
  warmIdx.forEach((k, r) => {
    Xw.set(wx[k]!, r * D);
    yw[r] = wy[k]!;
  });
  const signature = spaceSignature(names, space);
  let fits = sourceFits.get(warm);
  if (fits === undefined) {
    fits = new Map();
    sourceFits.set(warm, fits);
  }
  let sourceParams = fits.get(signature);
  if (sourceParams === undefined) {
    const fitIdx = bestAndRandomSubset(yw, settings.maxFitTrials, rng);
    sourceParams = fitKernelParamsMap(
      rowsOf(Xw, D, fitIdx),
      Float64Array.from(fitIdx, (i) => yw[i]!),
      fitIdx.length,
      D,
      undefined,
      fitOptions,
    ).params;
    fits.set(signature, sourceParams);
  }
  const source = gpPosteriorStateWithNoise(
    Xw,
    yw,
    new Float64Array(nw).fill(sourceParams.noiseVariance),
    nw,
    D,
    sourceParams,
  );

  // The study's own observations, the source's prediction there, and the scaling a·μ_s + b.
  const ownRows = ownObservations(own, names);
  const nOwn = ownRows.length;
  const Xo = new Float64Array(nOwn * D);
  ownRows.forEach((t, i) => {
    enc.encode(t.internalParams, Xo, i * D);
  });
  const mu = new Float64Array(nOwn);
  if (nOwn > 0) gpPosteriorBatch(source, Xo, nOwn, mu, new Float64Array(nOwn));
  let ownY: Float64Array | null = Float64Array.from(ownRows, (t) => sign * t.values![0]!);
  if (nOwn < WARM_OWN_SCALE_MIN || !scale(ownY, settings.outputWarping)) ownY = null;
  let a = 1;
  let b = 0;
  const residualY = new Float64Array(nOwn);
  if (ownY !== null) {
    // Ridge: minimise Σ(y − a·μ − b)² + λ((a − 1)² + b²), λ = w / (1 − w) (w the warm weight).
    const lambda = Math.min(1e6, warm.weight / Math.max(1e-6, 1 - warm.weight));
    let sm = 0;
    let smm = 0;
    let sy = 0;
    let smy = 0;
    for (let i = 0; i < nOwn; i++) {
      sm += mu[i]!;
      smm += mu[i]! * mu[i]!;
      sy += ownY[i]!;
      smy += mu[i]! * ownY[i]!;
    }
    // Normal equations [[smm + λ, sm], [sm, n + λ]]·[a, b] = [smy + λ, sy].
    const a11 = smm + lambda;
    const a12 = sm;
    const a22 = nOwn + lambda;
    const det = a11 * a22 - a12 * a12;
    if (det > 1e-12) {
      a = ((smy + lambda) * a22 - a12 * sy) / det;
      b = (a11 * sy - a12 * (smy + lambda)) / det;
    }
    if (!(a > 0.05)) a = 0.05;
    for (let i = 0; i < nOwn; i++) residualY[i] = ownY[i]! - a * mu[i]! - b;
  }

  // The residual GP: fitted on the residuals once the study has enough trials of its own; before
  // that the source's kernel with its signal variance scaled by (1 − w).
  const priorParams = copyKernelParams(sourceParams);
  priorParams.signalVariance = sourceParams.signalVariance * Math.max(0.05, 1 - warm.weight);
  let residualParams = priorParams;
  if (ownY !== null && nOwn >= WARM_OWN_FIT_MIN) {
    const fitIdx = bestAndRandomSubset(residualY, settings.maxFitTrials, rng);
    residualParams = fitKernelParamsMap(
      rowsOf(Xo, D, fitIdx),
      Float64Array.from(fitIdx, (i) => residualY[i]!),
      fitIdx.length,
      D,
      init,
      fitOptions,
    ).params;
  }
  let residual: GpPosteriorState | null =
    nOwn > 0
      ? gpPosteriorStateWithNoise(
          Xo,
          residualY,
          new Float64Array(nOwn).fill(residualParams.noiseVariance),
          nOwn,
          D,
          residualParams,
        )
      : null;
  let model: StackedGp = { source, a, b, residual, residualPriorVariance: residualParams.signalVariance };

  // Threshold and incumbent: the best predicted mean at an observed point, own or warm.
  const nAll = nOwn + nw;
  const Xall = new Float64Array(nAll * D);
  Xall.set(Xo);
  Xall.set(Xw, nOwn * D);
  const atObs = new Float64Array(nAll);
  stackedPosteriorBatch(model, Xall, nAll, atObs, new Float64Array(nAll));
  let best = 0;
  for (let i = 1; i < nAll; i++) if (atObs[i]! > atObs[best]!) best = i;
  const threshold = atObs[best]!;

  // Other workers' running trials: a nearly exact residual at the predicted mean (capped at the
  // threshold), so concurrent suggestions spread out.
  if (pending.length > 0) {
    const p = pending.length;
    const Xp = encodePending(enc, pending);
    const mean = new Float64Array(p);
    stackedPosteriorBatch(model, Xp, p, mean, new Float64Array(p));
    const muP = new Float64Array(p);
    gpPosteriorBatch(source, Xp, p, muP, new Float64Array(p));
    for (let i = 0; i < p; i++) mean[i] = Math.min(mean[i]!, threshold) - a * muP[i]! - b;
    residual = conditionWithFantasies(
      Xo,
      residualY,
      residualParams.noiseVariance,
      nOwn,
      D,
      Xp,
      mean,
      p,
      residualParams,
      settings.minimumNoise,
    );
    model = { ...model, residual };
  }
  return {
    acquisition: new StackedLogEIAcquisition(model, threshold),
    threshold,
    incumbent: Xall.slice(best * D, best * D + D),
    params: residualParams === priorParams ? sourceParams : residualParams,
    lengthScales: Float64Array.from(sourceParams.inverseSquaredLengthScales, (l) => 1 / Math.sqrt(l)),
    modelSize: nw + (residual?.n ?? 0),
  };
}
