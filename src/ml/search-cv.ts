/**
 * `searchCV`: scikit-learn-style hyperparameter search with cross-validation for any estimator
 * with `fit` and `predict` (or `predictProba`), covering grid search, randomized search and
 * model-based search (the default sampler) with one API.
 * @module
 */
import type { CategoricalChoice, ParamValue } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import type { Pruner } from '../pruners/base.js';
import { AutoSampler } from '../samplers/auto/index.js';
import type { Sampler } from '../samplers/base.js';
import { GridSampler } from '../samplers/grid/index.js';
import type { InferShape, Shape } from '../space/nodes.js';
import { sampleSpace } from '../space/sample-space.js';
import { isSpace, paramsOf, type Space } from '../space/space.js';
import type { StorageLike } from '../storages/get-storage.js';
import { createStudy } from '../study/create-study.js';
import type { Study } from '../study/study.js';
import type { Trial } from '../trial/trial.js';
import { crossValidate, type Fold, kFold, meanStd, stratifiedKFold } from './cross-validation.js';
import {
  accuracy,
  argmaxRows,
  f1,
  type Label,
  logLoss,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  r2Score,
  recall,
  uniqueLabels,
} from './metrics.js';

/** Anything with `fit` and `predict` (and, for probability scorings, `predictProba`). */
export interface Estimator {
  fit(x: number[][], y: Label[]): unknown;
  predict(x: number[][]): ArrayLike<Label> | Promise<ArrayLike<Label>>;
  /** Class probabilities, one row per sample, columns in the order of the sorted labels. */
  predictProba?(x: number[][]): ArrayLike<ArrayLike<number>> | Promise<ArrayLike<ArrayLike<number>>>;
}

/** A float or integer range of a declarative search space. */
export interface RangeSpec {
  readonly low: number;
  readonly high: number;
  /** Integers. Default false. */
  readonly int?: boolean | undefined;
  readonly log?: boolean | undefined;
  readonly step?: number | undefined;
}

/** A declarative search space: a list of choices or a range per parameter. */
export type SpaceSpec = Readonly<Record<string, readonly CategoricalChoice[] | RangeSpec>>;

/** Scorings by name (greater is better, as in scikit-learn: errors are negated). */
export const SCORINGS = [
  'accuracy',
  'f1',
  'f1_macro',
  'f1_micro',
  'f1_weighted',
  'precision_macro',
  'recall_macro',
  'neg_log_loss',
  'neg_mean_squared_error',
  'neg_mean_absolute_error',
  'r2',
] as const;
/** One of {@link SCORINGS}. */
export type ScoringName = (typeof SCORINGS)[number];

/** A custom scorer: the score of a fitted estimator on test data (greater is better). */
export type Scorer = (estimator: Estimator, x: number[][], y: Label[]) => number | Promise<number>;

/** Options of {@link searchCV}. */
export interface SearchCVOptions<E extends Estimator> {
  /** Makes a fresh, unfitted estimator with these parameters. */
  estimator: (params: Record<string, ParamValue>) => E;
  /** Features, one row per sample. */
  x: readonly (readonly number[])[];
  /** Targets (class labels or numbers). */
  y: readonly Label[];
  /** Grid search: every combination of these values (GridSearchCV). */
  grid?: Readonly<Record<string, readonly CategoricalChoice[]>> | undefined;
  /**
   * Randomized or model-based search: a declarative space, a declared `space({...})` (see
   * {@link SpaceSearchCVOptions}), or a function that suggests the parameters from a trial
   * (define-by-run: conditional parameters as plain `if`s).
   */
  space?: SpaceSpec | Space | ((trial: Trial) => Record<string, ParamValue>) | undefined;
  /**
   * Folds: a number k (default 5: stratified k-fold for classification scorings, k-fold
   * otherwise, shuffled with `seed`) or the folds themselves.
   */
  cv?: number | readonly Fold[] | undefined;
  /** Default 'accuracy'. */
  scoring?: ScoringName | Scorer | undefined;
  /** Configurations to try. Default: the whole grid (or declared space with a `GridSampler`), or 20 for a space. */
  nTrials?: number | undefined;
  /**
   * How configurations are chosen: default `GridSampler` for a grid, the default sampler
   * (model-based: Gaussian process or TPE) for a space; pass `new RandomSampler({ seed })` for
   * randomized search.
   */
  sampler?: Sampler | undefined;
  /** E.g. `WilcoxonPruner` to drop configurations after a few folds. Default: none. */
  pruner?: Pruner | undefined;
  /** Fit the best configuration on all the data and return it. Default true. */
  refit?: boolean | undefined;
  /** Seeds the folds and the default samplers. Default 0. */
  seed?: number | undefined;
  /** Where to keep the study. Default: in memory. */
  storage?: StorageLike | undefined;
  studyName?: string | undefined;
}

/**
 * Options of {@link searchCV} with a declared space: the estimator receives the space's typed
 * params object (nested choices as objects, see `sampleSpace`), constraints hold for every
 * configuration, and `GridSampler` enumerates a finite space. `results[].params` and
 * `bestParams` stay the trials' flat parameters (`optimizer.sgd.lr`); `paramsOf(space, …)`
 * types them.
 * @example
 * ```ts
 * const s = space({ k: int(1, 15), weights: choice(['uniform', 'distance']) });
 * await searchCV({ estimator: (p) => new Knn(p), x, y, space: s, nTrials: 10 }); // p: { k: number; weights: … }
 * ```
 */
export type SpaceSearchCVOptions<E extends Estimator, S extends Shape> = Omit<
  SearchCVOptions<E>,
  'estimator' | 'space' | 'grid'
> & {
  estimator: (params: InferShape<S>) => E;
  space: Space<S>;
  grid?: undefined;
};

/** One configuration's result (a row of scikit-learn's `cv_results_`). */
export interface CVResult {
  readonly trial: number;
  readonly state: TrialState;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The test score of each fold evaluated, by fold index (null: not evaluated, pruned). */
  readonly splitScores: readonly (number | null)[];
  readonly meanTestScore: number;
  readonly stdTestScore: number;
  /** 1 for the best mean score; ties share the smaller rank; null for configurations not complete. */
  readonly rank: number | null;
}

/** What {@link searchCV} returns. */
export interface SearchCVResult<E extends Estimator> {
  readonly results: readonly CVResult[];
  readonly bestParams: Readonly<Record<string, ParamValue>>;
  readonly bestScore: number;
  readonly bestIndex: number;
  /** The best configuration fitted on all the data (null with `refit: false`). */
  readonly bestEstimator: E | null;
  readonly study: Study;
}

const CLASSIFICATION = new Set<string>([
  'accuracy',
  'f1',
  'f1_macro',
  'f1_micro',
  'f1_weighted',
  'precision_macro',
  'recall_macro',
  'neg_log_loss',
]);

function scorerOf(scoring: ScoringName | Scorer, labels: Label[]): Scorer {
  if (typeof scoring === 'function') return scoring;
  const pred = async (e: Estimator, x: number[][]) => Array.from(await e.predict(x));
  switch (scoring) {
    case 'accuracy':
      return async (e, x, y) => accuracy(y, await pred(e, x));
    case 'f1':
      return async (e, x, y) => f1(y, await pred(e, x), { average: 'binary', posLabel: labels[1] ?? 1 });
    case 'f1_macro':
    case 'f1_micro':
    case 'f1_weighted': {
      const average = scoring.slice(3) as 'macro' | 'micro' | 'weighted';
      return async (e, x, y) => f1(y, await pred(e, x), { average, labels });
    }
    case 'precision_macro':
      return async (e, x, y) => precision(y, await pred(e, x), { average: 'macro', labels });
    case 'recall_macro':
      return async (e, x, y) => recall(y, await pred(e, x), { average: 'macro', labels });
    case 'neg_log_loss':
      return async (e, x, y) => {
        if (!e.predictProba)
          throw new InvalidArgumentError("scoring 'neg_log_loss' needs an estimator with predictProba.");
        return -logLoss(
          y,
          Array.from(await e.predictProba(x), (r) => Array.from(r)),
          { labels },
        );
      };
    case 'neg_mean_squared_error':
      return async (e, x, y) => -meanSquaredError(y as number[], (await pred(e, x)) as number[]);
    case 'neg_mean_absolute_error':
      return async (e, x, y) => -meanAbsoluteError(y as number[], (await pred(e, x)) as number[]);
    case 'r2':
      return async (e, x, y) => r2Score(y as number[], (await pred(e, x)) as number[]);
    default:
      throw new InvalidArgumentError(
        `unknown scoring '${String(scoring)}'; choose one of ${SCORINGS.join(', ')}.`,
      );
  }
}

function suggestFromSpec(trial: Trial, spec: SpaceSpec): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [name, s] of Object.entries(spec)) {
    if (Array.isArray(s)) {
      params[name] = trial.suggestCategorical(name, s as readonly CategoricalChoice[]);
      continue;
    }
    const r = s as RangeSpec;
    const opts = { ...(r.log ? { log: true } : {}), ...(r.step !== undefined ? { step: r.step } : {}) };
    params[name] = r.int
      ? trial.suggestInt(name, r.low, r.high, opts)
      : trial.suggestFloat(name, r.low, r.high, opts);
  }
  return params;
}

/** Ranks as scikit-learn's `rank_test_score`: 1 = best, ties share the smallest rank. */
function ranks(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((o) => o > s).length);
}

/**
 * Cross-validated hyperparameter search: each configuration is scored on every fold (reported
 * to its trial, step = fold, so a pruner such as `WilcoxonPruner` can stop it early), ranked
 * by its mean test score, and the best one is refitted on all the data.
 * @example
 * ```ts
 * // GridSearchCV
 * const g = await searchCV({ estimator: (p) => new Knn(p), x, y, grid: { k: [1, 3, 5, 7] }, cv: 5 });
 * // RandomizedSearchCV
 * const r = await searchCV({ estimator: (p) => new Knn(p), x, y, space: { k: { low: 1, high: 15, int: true } },
 *                            sampler: new RandomSampler({ seed: 1 }), nTrials: 10 });
 * // model-based (the default sampler)
 * const m = await searchCV({ estimator: (p) => new Knn(p), x, y, space: { k: { low: 1, high: 15, int: true } }, nTrials: 10 });
 * console.log(m.bestParams, m.bestScore, m.results);
 * ```
 */
export async function searchCV<E extends Estimator, S extends Shape>(
  options: SpaceSearchCVOptions<E, S>,
): Promise<SearchCVResult<E>>;
export async function searchCV<E extends Estimator>(options: SearchCVOptions<E>): Promise<SearchCVResult<E>>;
export async function searchCV<E extends Estimator>(options: SearchCVOptions<E>): Promise<SearchCVResult<E>> {
  const { x, y, grid, space } = options;
  if ((grid === undefined) === (space === undefined)) {
    throw new InvalidArgumentError('searchCV needs exactly one of grid or space.');
  }
  if (x.length !== y.length)
    throw new InvalidArgumentError(`searchCV: ${x.length} rows but ${y.length} targets.`);
  const seed = options.seed ?? 0;
  const scoring = options.scoring ?? 'accuracy';
  const labels = uniqueLabels(y);
  const scorer = scorerOf(scoring, labels);
  const cv = options.cv ?? 5;
  let folds: readonly Fold[];
  if (typeof cv === 'number') {
    const classification = typeof scoring === 'string' && CLASSIFICATION.has(scoring);
    folds = classification ? stratifiedKFold(y, { k: cv, seed }) : kFold(y.length, { k: cv, seed });
  } else {
    folds = cv;
  }
  let nTrials = options.nTrials;
  if (grid !== undefined) {
    const size = Object.values(grid).reduce((a, v) => a * v.length, 1);
    if (size === 0) throw new InvalidArgumentError('searchCV: every grid entry needs at least one value.');
    nTrials ??= size;
  }
  // A grid over a declared space stops by itself once every configuration was tried.
  if (!(isSpace(space) && options.sampler instanceof GridSampler)) nTrials ??= 20;
  const sampler = options.sampler ?? (grid !== undefined ? new GridSampler(grid, { seed }) : undefined);
  const study = await createStudy({
    direction: 'maximize',
    sampler: sampler ?? new AutoSampler({ seed }),
    ...(options.pruner ? { pruner: options.pruner } : {}),
    ...(options.storage !== undefined ? { storage: options.storage } : {}),
    ...(options.studyName !== undefined ? { studyName: options.studyName } : {}),
  });
  const rows = (idx: readonly number[]) => idx.map((i) => [...x[i]!]);
  const targets = (idx: readonly number[]) => idx.map((i) => y[i]!);
  if (isSpace(space)) study.sampler.declareSpace?.(space);
  await study.optimize(
    async (trial) => {
      let params: Record<string, ParamValue>;
      if (grid !== undefined) {
        params = {};
        for (const [name, values] of Object.entries(grid))
          params[name] = trial.suggestCategorical(name, values);
      } else if (isSpace(space)) {
        params = sampleSpace(trial, space) as Record<string, ParamValue>;
      } else if (typeof space === 'function') {
        params = space(trial);
      } else {
        params = suggestFromSpec(trial, space!);
      }
      const r = await crossValidate({
        folds,
        trial,
        ...(options.pruner ? { orderSeed: trial.number } : {}),
        evaluate: async (fold) => {
          const est = options.estimator(params);
          await est.fit(rows(fold.train), targets(fold.train));
          return scorer(est, rows(fold.test), targets(fold.test));
        },
      });
      return r.mean;
    },
    { nTrials, concurrency: 1, stopOnError: true },
  );
  const trials = (await study.getTrials()).filter((t) => t.state === 'complete' || t.state === 'pruned');
  const complete = trials.filter((t) => t.state === 'complete');
  if (complete.length === 0) throw new InvalidArgumentError('searchCV: no configuration completed.');
  const completeRanks = ranks(complete.map((t) => t.values![0]!));
  const rankOf = new Map<FrozenTrial, number>(complete.map((t, i) => [t, completeRanks[i]!]));
  const results: CVResult[] = trials.map((t) => {
    const splitScores = folds.map((_, i) => t.intermediateValues.get(i) ?? null);
    const done = splitScores.filter((s): s is number => s !== null);
    const { mean, std } = done.length > 0 ? meanStd(done) : { mean: Number.NaN, std: Number.NaN };
    return {
      trial: t.number,
      state: t.state,
      params: t.params,
      splitScores,
      meanTestScore: mean,
      stdTestScore: std,
      rank: rankOf.get(t) ?? null,
    };
  });
  // The first configuration with rank 1 (scikit-learn's best_index_).
  const bestIndex = results.findIndex((r) => r.rank === 1);
  const best = results[bestIndex]!;
  let bestEstimator: E | null = null;
  if (options.refit ?? true) {
    bestEstimator = options.estimator(
      isSpace(space) ? (paramsOf(space, best.params) as Record<string, ParamValue>) : { ...best.params },
    );
    await bestEstimator.fit(
      x.map((r) => [...r]),
      [...y],
    );
  }
  return {
    results,
    bestParams: best.params,
    bestScore: best.meanTestScore,
    bestIndex,
    bestEstimator,
    study,
  };
}

/** The class with the largest probability in each row, as labels. */
export function probaToLabels(proba: ArrayLike<ArrayLike<number>>, labels: readonly Label[]): Label[] {
  return argmaxRows(proba).map((i) => labels[i]!);
}
