/**
 * fANOVA importances (Hutter, Hoos & Leyton-Brown, ICML 2014): a random forest learns the target
 * from the parameters, and each parameter's importance is the share of a tree's variance that
 * the parameter explains on its own (its main effect), averaged over the trees.
 *
 * Notation: n trials, d assessed parameters (single-valued ones are left out and get 0).
 *   X  Float64Array (n × d), row-major: each parameter mapped to [0, 1] as the samplers' search
 *      space transform does — log scale first for `log` parameters, ints and stepped floats
 *      widened by half a step so every grid value owns an equal share — and a categorical with C
 *      choices to (index + 0.5) / C, so each choice owns an equal share of [0, 1]
 *   y  Float64Array (n): target values
 * Variances are taken under the uniform measure of that unit box, so a log-scale parameter is
 * weighed in log space. (Optuna's evaluator weighs log parameters on their linear scale.)
 * @module
 */
import { type Distribution, isSingle } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import { SearchSpaceTransform } from '../core/search-space-transform.js';
import { forestMainEffects } from '../math/forest/fanova.js';
import { RandomForestRegressor } from '../math/forest/random-forest.js';
import {
  type ImportanceEvaluator,
  type ImportanceTarget,
  sharedDistribution,
  targetValues,
} from './importance-evaluator.js';

/** Options of {@link FanovaImportanceEvaluator}. */
export interface FanovaOptions {
  /** Trees in the forest. Default 64. */
  readonly nTrees?: number;
  /** Depth limit of each tree. Default 64. */
  readonly maxDepth?: number;
  /** Fewest trials a tree node needs to be split. Default 2. */
  readonly minSamplesSplit?: number;
  /** Fewest trials in each leaf. Default 1. */
  readonly minSamplesLeaf?: number;
  /** Seed of the forest; the same seed gives the same importances. Default 0. */
  readonly seed?: number;
}

/** The trials' parameters in the unit box (see the module notation). */
export function encodeUnitBox(
  trials: readonly FrozenTrial[],
  space: Readonly<Record<string, Distribution>>,
): Float64Array {
  const transform = new SearchSpaceTransform(space, { categorical: 'index' });
  const d = transform.dim;
  const n = trials.length;
  const X = new Float64Array(n * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const t = trials[i]!;
    transform.transform(t.internalParams, row);
    for (const p of transform.params) {
      if (p.distribution.type === 'categorical') {
        const c = p.distribution.choices.length;
        row[p.column] = (t.internalParams[p.name]! + 0.5) / c;
      }
    }
    X.set(row, i * d);
  }
  return X;
}

/**
 * fANOVA over a seeded random forest. The importances of a parameter that does nothing are near 0;
 * for an additive target they sum to about 1 before normalization.
 *
 * @example
 * ```ts
 * const importances = await getParamImportances(study, { evaluator: new FanovaImportanceEvaluator({ seed: 1 }) });
 * ```
 */
export class FanovaImportanceEvaluator implements ImportanceEvaluator {
  readonly nTrees: number;
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly seed: number;

  constructor(options: FanovaOptions = {}) {
    const int = (name: string, v: number, min: number): number => {
      if (!Number.isInteger(v) || v < min) {
        throw new InvalidArgumentError(
          `FanovaImportanceEvaluator: ${name} must be an integer ≥ ${min}, got ${v}.`,
        );
      }
      return v;
    };
    this.nTrees = int('nTrees', options.nTrees ?? 64, 1);
    this.maxDepth = int('maxDepth', options.maxDepth ?? 64, 1);
    this.minSamplesSplit = int('minSamplesSplit', options.minSamplesSplit ?? 2, 2);
    this.minSamplesLeaf = int('minSamplesLeaf', options.minSamplesLeaf ?? 1, 1);
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) {
      throw new InvalidArgumentError(`FanovaImportanceEvaluator: seed must be a finite number, got ${seed}.`);
    }
    this.seed = seed;
  }

  evaluate(
    trials: readonly FrozenTrial[],
    directions: readonly StudyDirection[],
    params: readonly string[],
    target: ImportanceTarget | undefined,
  ): Record<string, number> {
    const y = targetValues(trials, directions, target);
    const out: Record<string, number> = {};
    const space: Record<string, Distribution> = {};
    for (const name of params) {
      const d = sharedDistribution(trials, name);
      out[name] = 0;
      if (!isSingle(d)) space[name] = d;
    }
    const names = Object.keys(space);
    if (names.length === 0 || trials.length < 2) return out;
    const X = encodeUnitBox(trials, space);
    const forest = new RandomForestRegressor({
      nTrees: this.nTrees,
      maxDepth: this.maxDepth,
      minSamplesSplit: this.minSamplesSplit,
      minSamplesLeaf: this.minSamplesLeaf,
      seed: this.seed,
    }).fit(X, y, trials.length, names.length);
    const { mean } = forestMainEffects(forest);
    for (let j = 0; j < names.length; j++) out[names[j]!] = mean[j]!;
    return out;
  }
}
