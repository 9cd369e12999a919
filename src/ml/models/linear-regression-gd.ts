/**
 * A linear regression trained by gradient descent with a chosen update rule (see
 * `update-rules.ts`: gd, sgd with optional momentum, adagrad, rmsprop, adam), recording the loss
 * after every epoch so that optimizers and learning rates can be compared by their curves.
 *
 * Model ŷ = w·x + b; loss = mean squared error L = (1/m)·Σ (ŷᵢ − yᵢ)² over a batch of m rows,
 * gradient ∂L/∂w = (2/m)·Σ rᵢ·xᵢ, ∂L/∂b = (2/m)·Σ rᵢ with rᵢ = ŷᵢ − yᵢ. 'gd' takes one step per
 * epoch on all the rows; the others one step per mini-batch of `batchSize` rows, the rows
 * shuffled each epoch by a seeded generator.
 *
 * Notation: n rows, d features; X is n×d row-major, y (n); θ = [w (d), b] (d+1); grad (d+1);
 * order (n) the row order of the current epoch.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { r2Score } from '../metrics.js';
import { toMatrix } from './matrix.js';
import { makeUpdateRule, UPDATE_RULES, type UpdateRuleName, type UpdateRuleOptions } from './update-rules.js';

/** Options of {@link LinearRegressionGD}. */
export interface LinearRegressionGDOptions extends UpdateRuleOptions {
  /** The update rule. Default 'gd'. */
  optimizer?: UpdateRuleName | undefined;
  /** Passes over the data. Default 100. */
  epochs?: number | undefined;
  /** Rows per step for every optimizer but 'gd' (which uses all rows). Default 16. */
  batchSize?: number | undefined;
  /** Seeds the shuffling of the mini-batches. Default 0. */
  seed?: number | undefined;
  /** Learn the intercept b (else b = 0). Default true. */
  fitIntercept?: boolean | undefined;
}

/** Held-out data whose loss is recorded after every epoch too. */
export interface EvalSet {
  readonly x: readonly (readonly number[])[];
  readonly y: readonly number[];
}

/**
 * Linear least squares by gradient descent; `lossCurve[e]` is the training MSE after e epochs
 * (index 0: before training).
 * @example
 * ```ts
 * const m = new LinearRegressionGD({ optimizer: 'rmsprop', learningRate: 0.01, epochs: 50 }).fit(x, y);
 * console.log(m.lossCurve.at(-1), m.predict(xTest));
 * ```
 */
export class LinearRegressionGD {
  readonly optimizer: UpdateRuleName;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly fitIntercept: boolean;
  private readonly ruleOptions: UpdateRuleOptions;
  /** Weights (d). */
  coef: number[] = [];
  intercept = 0;
  /** Training MSE before training and after each epoch. */
  lossCurve: number[] = [];
  /** MSE on the `evalSet` given to `fit`, at the same times (empty without one). */
  evalCurve: number[] = [];
  /** True when the loss overflowed (learning rate too large) and training stopped early. */
  diverged = false;

  constructor(options: LinearRegressionGDOptions = {}) {
    this.optimizer = options.optimizer ?? 'gd';
    if (!UPDATE_RULES.includes(this.optimizer)) {
      throw new InvalidArgumentError(
        `LinearRegressionGD: unknown optimizer '${String(this.optimizer)}'; choose one of ${UPDATE_RULES.join(', ')}.`,
      );
    }
    this.epochs = options.epochs ?? 100;
    if (!Number.isInteger(this.epochs) || this.epochs < 1) {
      throw new InvalidArgumentError(
        `LinearRegressionGD: epochs must be an integer ≥ 1, got ${this.epochs}.`,
      );
    }
    this.batchSize = options.batchSize ?? 16;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new InvalidArgumentError(
        `LinearRegressionGD: batchSize must be an integer ≥ 1, got ${this.batchSize}.`,
      );
    }
    this.seed = options.seed ?? 0;
    this.fitIntercept = options.fitIntercept ?? true;
    this.ruleOptions = options;
  }

  /** Trains from θ = 0; `evalSet` (optional) gets its loss recorded in `evalCurve`. */
  fit(x: readonly (readonly number[])[], y: readonly (number | string)[], evalSet?: EvalSet): this {
    const { data, n, d } = toMatrix(x, 'LinearRegressionGD.fit');
    if (y.length !== n)
      throw new InvalidArgumentError(`LinearRegressionGD.fit: ${n} rows of x but ${y.length} targets.`);
    const target = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidArgumentError(
          `LinearRegressionGD.fit: y[${i}] is ${String(v)}; targets must be finite numbers.`,
        );
      }
      target[i] = v;
    }
    const ev = evalSet
      ? { ...toMatrix(evalSet.x, 'LinearRegressionGD.fit (evalSet)', d), y: evalSet.y }
      : null;
    if (ev && ev.y.length !== ev.n)
      throw new InvalidArgumentError('LinearRegressionGD.fit: evalSet x and y differ in length.');
    const p = d + 1;
    const theta = new Float64Array(p);
    const grad = new Float64Array(p);
    const rule = makeUpdateRule(this.optimizer, p, this.ruleOptions);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const rng = new Rng(this.seed);
    const batch = this.optimizer === 'gd' ? n : Math.min(this.batchSize, n);
    const mse = (xs: Float64Array, ys: ArrayLike<number>, rows: number) => {
      let s = 0;
      for (let i = 0; i < rows; i++) {
        let r = theta[d]! - ys[i]!;
        for (let j = 0; j < d; j++) r += theta[j]! * xs[i * d + j]!;
        s += r * r;
      }
      return s / rows;
    };
    this.lossCurve = [mse(data, target, n)];
    this.evalCurve = ev ? [mse(ev.data, ev.y, ev.n)] : [];
    this.diverged = false;
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      if (batch < n) {
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(rng.random() * (i + 1));
          const tmp = order[i]!;
          order[i] = order[j]!;
          order[j] = tmp;
        }
      }
      for (let start = 0; start < n; start += batch) {
        const end = Math.min(start + batch, n);
        grad.fill(0);
        for (let q = start; q < end; q++) {
          const i = order[q]!;
          let r = theta[d]! - target[i]!;
          for (let j = 0; j < d; j++) r += theta[j]! * data[i * d + j]!;
          for (let j = 0; j < d; j++) grad[j]! += r * data[i * d + j]!;
          grad[d]! += r;
        }
        const scale = 2 / (end - start);
        for (let j = 0; j < p; j++) grad[j]! *= scale;
        if (!this.fitIntercept) grad[d] = 0;
        rule.step(theta, grad);
      }
      const loss = mse(data, target, n);
      this.lossCurve.push(loss);
      if (ev) this.evalCurve.push(mse(ev.data, ev.y, ev.n));
      if (!Number.isFinite(loss) || loss > 1e100) {
        this.diverged = true;
        break;
      }
    }
    this.coef = Array.from(theta.subarray(0, d));
    this.intercept = theta[d]!;
    return this;
  }

  /** ŷ = w·x + b for each row. */
  predict(x: readonly (readonly number[])[]): number[] {
    if (this.lossCurve.length === 0)
      throw new InvalidArgumentError('LinearRegressionGD.predict: call fit() first.');
    const { data, n, d } = toMatrix(x, 'LinearRegressionGD.predict', this.coef.length);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let s = this.intercept;
      for (let j = 0; j < d; j++) s += this.coef[j]! * data[i * d + j]!;
      out[i] = s;
    }
    return out;
  }

  /** The coefficient of determination R² on `x`, `y`. */
  score(x: readonly (readonly number[])[], y: readonly number[]): number {
    return r2Score(y, this.predict(x));
  }
}
