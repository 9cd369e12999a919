/**
 * Seeded k-fold and stratified k-fold cross-validation, reporting each fold to a trial so that
 * a pruner (the `WilcoxonPruner` is made for this) can stop a hopeless configuration after a
 * few folds.
 * @module
 */
import { InvalidArgumentError, TrialPruned } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { PrunableTrial } from './types.js';

/** One fold: the row indices to train on and to test on (each sorted). */
export interface Fold {
  readonly train: number[];
  readonly test: number[];
}

/** Options of {@link kFold} and {@link stratifiedKFold}. */
export interface KFoldOptions {
  /** Number of folds (≥ 2). Default 5. */
  k?: number | undefined;
  /** Shuffle before splitting. Default true. */
  shuffle?: boolean | undefined;
  /** Seed of the shuffle. Default 0. */
  seed?: number | undefined;
}

function checkK(k: number, n: number, what: string): void {
  if (!Number.isInteger(k) || k < 2)
    throw new InvalidArgumentError(`${what}: k must be an integer ≥ 2, got ${k}.`);
  if (k > n) throw new InvalidArgumentError(`${what}: k = ${k} folds need at least ${k} samples, got ${n}.`);
}

function foldsFromTestSets(n: number, tests: number[][]): Fold[] {
  return tests.map((test) => {
    const inTest = new Uint8Array(n);
    for (const i of test) inTest[i] = 1;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (!inTest[i]) train.push(i);
    return { train, test: [...test].sort((a, b) => a - b) };
  });
}

/**
 * K folds of `n` samples: each sample is in exactly one test part; as scikit-learn's KFold, the
 * first n mod k folds have one sample more.
 */
export function kFold(n: number, options: KFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  checkK(k, n, 'kFold');
  const idx = Array.from({ length: n }, (_, i) => i);
  if (options.shuffle ?? true) new Rng(options.seed ?? 0).shuffle(idx);
  const tests: number[][] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    tests.push(idx.slice(start, start + size));
    start += size;
  }
  return foldsFromTestSets(n, tests);
}

/**
 * K folds that keep the class proportions of `y` in every fold: each class's samples (shuffled
 * when asked) are dealt to the folds in turn, continuing where the previous class stopped, so
 * fold sizes differ by at most one and each class's count differs by at most one between folds
 * (a class with fewer than k samples is absent from some folds).
 */
export function stratifiedKFold(y: ArrayLike<number | string>, options: KFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  const n = y.length;
  checkK(k, n, 'stratifiedKFold');
  const byClass = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    const list = byClass.get(c);
    if (list === undefined) byClass.set(c, [i]);
    else list.push(i);
  }
  const rng = new Rng(options.seed ?? 0);
  const shuffle = options.shuffle ?? true;
  const classes = [...byClass.keys()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1,
  );
  const tests: number[][] = Array.from({ length: k }, () => []);
  let f = 0;
  for (const c of classes) {
    const members = byClass.get(c)!;
    if (shuffle) rng.shuffle(members);
    for (const i of members) {
      tests[f]!.push(i);
      f = (f + 1) % k;
    }
  }
  return foldsFromTestSets(n, tests);
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /** The folds, from {@link kFold} or {@link stratifiedKFold}. */
  folds: readonly Fold[];
  /** Trains on `fold.train` and returns the score on `fold.test`. */
  evaluate: (fold: Fold, index: number) => number | Promise<number>;
  /**
   * Reports each fold's score with the fold index as the step, and throws `TrialPruned` as soon
   * as the pruner says so.
   */
  trial?: PrunableTrial | undefined;
  /**
   * Evaluate the folds in an order shuffled with this seed (the trial number is a good choice):
   * with the Wilcoxon pruner, a fixed order would always compare the same first folds.
   */
  orderSeed?: number | undefined;
}

/** Scores of a cross-validation, by fold index. */
export interface CrossValidationResult {
  readonly scores: number[];
  readonly mean: number;
  /** Population standard deviation (as scikit-learn's `std_test_score`). */
  readonly std: number;
}

/** Mean and population standard deviation. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

/**
 * Runs `evaluate` on every fold and returns the scores with their mean and standard deviation.
 * With a `trial`, each score is reported (step = fold index) and the trial is pruned early when
 * the pruner says so.
 * @example
 * ```ts
 * const folds = stratifiedKFold(y, { k: 5, seed: 1 });
 * const study = await createStudy({ direction: 'maximize', pruner: new WilcoxonPruner() });
 * await study.optimize(async (trial) => {
 *   const c = trial.suggestFloat('c', 1e-3, 1e3, { log: true });
 *   const { mean } = await crossValidate({ folds, trial, orderSeed: trial.number, evaluate: (f) => score(c, f) });
 *   return mean;
 * }, { nTrials: 40 });
 * ```
 */
export async function crossValidate(options: CrossValidateOptions): Promise<CrossValidationResult> {
  const { folds, evaluate, trial } = options;
  if (folds.length === 0) throw new InvalidArgumentError('crossValidate needs at least one fold.');
  const order = folds.map((_, i) => i);
  if (options.orderSeed !== undefined) new Rng(options.orderSeed).shuffle(order);
  const scores = new Array<number>(folds.length);
  for (const i of order) {
    const score = await evaluate(folds[i]!, i);
    if (typeof score !== 'number' || Number.isNaN(score)) {
      throw new InvalidArgumentError(`crossValidate: fold ${i} scored ${String(score)}; a number is needed.`);
    }
    scores[i] = score;
    if (trial) {
      await trial.report(score, i);
      if (await trial.shouldPrune()) {
        throw new TrialPruned(`trial ${trial.number} pruned after fold ${i}`);
      }
    }
  }
  return { scores, ...meanStd(scores) };
}
