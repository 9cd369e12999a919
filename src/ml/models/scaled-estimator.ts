/**
 * A two-step pipeline: a `StandardScaler` fitted on the training rows, then an estimator on the
 * standardised rows, so that cross-validation fits the scaler inside each fold (no leakage from
 * the test fold), as scikit-learn's `make_pipeline(StandardScaler(), model)`.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { StandardScaler } from '../datasets.js';
import type { Label } from '../metrics.js';

/** What {@link ScaledEstimator} wraps: a model with `fit`, `predict` and optionally `predictProba`. */
export interface InnerEstimator {
  fit(x: number[][], y: Label[]): unknown;
  predict(x: number[][]): ArrayLike<Label> | Promise<ArrayLike<Label>>;
  predictProba?(x: number[][]): ArrayLike<ArrayLike<number>> | Promise<ArrayLike<ArrayLike<number>>>;
}

/**
 * Standardises the features, then delegates to `estimator`.
 * @example
 * ```ts
 * const r = await searchCV({ estimator: (p) => new ScaledEstimator(new LogisticRegression({ C: p.C as number })), x, y, grid: { C: [0.1, 1, 10] } });
 * ```
 */
export class ScaledEstimator<E extends InnerEstimator> {
  readonly scaler = new StandardScaler();

  constructor(readonly estimator: E) {}

  /** Fits the scaler on `x`, then the estimator on the standardised `x` (awaiting it if it is asynchronous). */
  async fit(x: readonly (readonly number[])[], y: readonly Label[]): Promise<this> {
    this.scaler.fit(x);
    await this.estimator.fit(this.scaler.transform(x), [...y]);
    return this;
  }

  predict(x: readonly (readonly number[])[]): ReturnType<E['predict']> {
    return this.estimator.predict(this.scaler.transform(x)) as ReturnType<E['predict']>;
  }

  /** The estimator's class probabilities (it must have `predictProba`). */
  predictProba(
    x: readonly (readonly number[])[],
  ): ArrayLike<ArrayLike<number>> | Promise<ArrayLike<ArrayLike<number>>> {
    if (!this.estimator.predictProba)
      throw new InvalidArgumentError(
        'ScaledEstimator.predictProba: the wrapped estimator has no predictProba; use a scoring based on predict.',
      );
    return this.estimator.predictProba(this.scaler.transform(x));
  }
}
