/**
 * PED-ANOVA importances (Watanabe, Bansal & Hutter, IJCAI 2023): how differently each parameter
 * is distributed among the best trials than among all trials of a region. No model is fitted,
 * so it takes milliseconds on thousands of trials.
 *
 * With γ' = `targetQuantile` < γ = `regionQuantile`: the top set holds the trials whose target is
 * within the best γ' fraction, the region set those within the best γ (all trials when γ = 1).
 * Per parameter, p and q are the smoothed one-dimensional distributions (see
 * {@link parzenPmf}) of the top and region sets, and
 *   importance = (n_top / n_region)² · Σ_g q_g (p_g / q_g − 1)²   (Pearson divergence)
 * With `evaluateOnLocal: false`, q is the uniform distribution on the grid instead (importance
 * over the whole search space rather than where the study sampled).
 *
 * Notation: n trials; per parameter G grid points; counts, p, q Float64Array (G).
 * @module
 */
import { isSingle } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import {
  type ImportanceEvaluator,
  type ImportanceTarget,
  sharedDistribution,
  targetValues,
} from './importance-evaluator.js';
import { countOnGrid, gridSize, parzenPmf, pearsonDivergence } from './ped-anova-grid.js';

/** Options of {@link PedAnovaImportanceEvaluator}. */
export interface PedAnovaOptions {
  /** γ': importance of reaching the best `targetQuantile` fraction of trials. Default 0.1. */
  readonly targetQuantile?: number;
  /** γ: the region compared against, the best `regionQuantile` fraction (1: all). Default 1. */
  readonly regionQuantile?: number;
  /** Compare with the region's distribution (true, default) or with the uniform one (false). */
  readonly evaluateOnLocal?: boolean;
  /** Grid points of a continuous parameter. Default 50. */
  readonly nSteps?: number;
  /** Weight of the broad prior kernel of each density. Default 1. */
  readonly priorWeight?: number;
}

/**
 * The trials whose loss is within the best `quantile` fraction (ties at the cut all kept), as
 * a 0/1 mask. `loss`: lower is better.
 */
export function quantileMask(
  loss: Float64Array,
  quantile: number,
  out = new Uint8Array(loss.length),
): Uint8Array {
  const n = loss.length;
  if (quantile >= 1) return out.fill(1);
  const sorted = Float64Array.from(loss).sort();
  const cutIndex = Math.max(0, Math.ceil(quantile * n) - 1);
  const cut = sorted[cutIndex]!;
  for (let i = 0; i < n; i++) out[i] = loss[i]! <= cut ? 1 : 0;
  return out;
}

/**
 * PED-ANOVA: fast importances without a model.
 *
 * Which trials are best: the target is minimized or maximized as the study's direction says
 * when the study has one objective; with several objectives (a `target` is then required) lower
 * target values are better — negate the target, or pass `targetDirection` to
 * {@link getParamImportances}, to explain a maximized objective.
 *
 * @example
 * ```ts
 * const importances = await getParamImportances(study, { evaluator: new PedAnovaImportanceEvaluator() });
 * ```
 */
export class PedAnovaImportanceEvaluator implements ImportanceEvaluator {
  readonly targetQuantile: number;
  readonly regionQuantile: number;
  readonly evaluateOnLocal: boolean;
  readonly nSteps: number;
  readonly priorWeight: number;

  constructor(options: PedAnovaOptions = {}) {
    this.targetQuantile = options.targetQuantile ?? 0.1;
    this.regionQuantile = options.regionQuantile ?? 1;
    if (!(this.targetQuantile > 0 && this.targetQuantile < this.regionQuantile && this.regionQuantile <= 1)) {
      throw new InvalidArgumentError(
        `PedAnovaImportanceEvaluator: need 0 < targetQuantile < regionQuantile ≤ 1, got targetQuantile=${this.targetQuantile}, regionQuantile=${this.regionQuantile}.`,
      );
    }
    this.evaluateOnLocal = options.evaluateOnLocal ?? true;
    this.nSteps = options.nSteps ?? 50;
    if (!Number.isInteger(this.nSteps) || this.nSteps < 2) {
      throw new InvalidArgumentError(
        `PedAnovaImportanceEvaluator: nSteps must be an integer ≥ 2, got ${this.nSteps}.`,
      );
    }
    this.priorWeight = options.priorWeight ?? 1;
    if (!(this.priorWeight >= 0) || !Number.isFinite(this.priorWeight)) {
      throw new InvalidArgumentError(
        `PedAnovaImportanceEvaluator: priorWeight must be a finite number ≥ 0, got ${this.priorWeight}.`,
      );
    }
  }

  evaluate(
    trials: readonly FrozenTrial[],
    directions: readonly StudyDirection[],
    params: readonly string[],
    target: ImportanceTarget | undefined,
  ): Record<string, number> {
    const values = targetValues(trials, directions, target);
    const n = trials.length;
    const out: Record<string, number> = {};
    for (const name of params) out[name] = 0;
    if (n < 2) return out;
    const sign = directions.length === 1 && directions[0] === 'maximize' ? -1 : 1;
    const loss = Float64Array.from(values, (v) => sign * v);
    const top = quantileMask(loss, this.targetQuantile);
    const region = quantileMask(loss, this.regionQuantile);
    let nTop = 0;
    let nRegion = 0;
    for (let i = 0; i < n; i++) {
      nTop += top[i]!;
      nRegion += region[i]!;
    }
    if (nTop === 0 || nTop === nRegion) return out;
    const scale = (nTop / nRegion) ** 2;
    const topValues = new Float64Array(nTop);
    const regionValues = new Float64Array(nRegion);
    for (const name of params) {
      const d = sharedDistribution(trials, name);
      if (isSingle(d)) continue;
      let a = 0;
      let b = 0;
      for (let i = 0; i < n; i++) {
        const v = trials[i]!.internalParams[name];
        if (v === undefined) {
          throw new InvalidArgumentError(`PED-ANOVA: trial ${trials[i]!.number} has no parameter '${name}'.`);
        }
        if (top[i] === 1) topValues[a++] = v;
        if (region[i] === 1) regionValues[b++] = v;
      }
      const G = gridSize(d, this.nSteps);
      const categorical = d.type === 'categorical';
      const p = parzenPmf(countOnGrid(d, topValues, new Float64Array(G)), categorical, this.priorWeight);
      const q = this.evaluateOnLocal
        ? parzenPmf(countOnGrid(d, regionValues, new Float64Array(G)), categorical, this.priorWeight)
        : new Float64Array(G).fill(1 / G);
      out[name] = scale * pearsonDivergence(p, q);
    }
    return out;
  }
}
