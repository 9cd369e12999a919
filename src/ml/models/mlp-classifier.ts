/**
 * A small multilayer perceptron classifier in plain TypeScript (no TensorFlow.js): dense hidden
 * layers with relu or tanh, a softmax output, mean cross-entropy (plus an optional L2 penalty),
 * trained by mini-batch back-propagation with the update rules of `update-rules.ts` (sgd with
 * optional momentum, adagrad, rmsprop, adam). Seeded: the same options give the same model.
 *
 * It exists for speed on small tabular data: on iris a training step takes microseconds, where
 * a TensorFlow.js step costs milliseconds of per-operation overhead in Node, which matters when
 * a search trains hundreds of models (5 folds × many configurations). `TfjsMlpClassifier` in
 * `tunekit/tfjs` is the same model on TensorFlow.js.
 *
 * Notation: m rows in a batch, layer sizes s₀ = d (features), s₁…s_L (hidden), s_{L+1} = K
 * (classes). θ is one flat Float64Array holding, layer after layer, W_l (s_{l−1}×s_l, row-major)
 * then b_l (s_l); A_l (m×s_l) are the activations (A₀ the batch rows, A_{L+1} the softmax
 * probabilities), D_l (m×s_l) the loss gradients with respect to layer l's pre-activations.
 * Forward: A_l = act(A_{l−1}·W_l + b_l). Backward: D_{L+1} = (P − Y)/m; ∂W_l = A_{l−1}ᵀ·D_l;
 * ∂b_l = Σ_rows D_l; D_{l−1} = (D_l·W_lᵀ) ⊙ act′ (relu: A > 0; tanh: 1 − A²).
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { accuracy, argmaxRows, type Label } from '../metrics.js';
import { encodeLabels, toMatrix } from './matrix.js';
import { makeUpdateRule, type UpdateRuleName } from './update-rules.js';

/** Hidden-layer activations of {@link MlpClassifier}. */
export const MLP_ACTIVATIONS = ['relu', 'tanh'] as const;
/** One of {@link MLP_ACTIVATIONS}. */
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];

/** Options of {@link MlpClassifier}. */
export interface MlpClassifierOptions {
  /** Units of each hidden layer. Default [32]. */
  hidden?: readonly number[] | undefined;
  /** Default 'relu'. */
  activation?: MlpActivation | undefined;
  /** The update rule ('gd' is treated as 'sgd': every step is on a mini-batch). Default 'adam'. */
  optimizer?: UpdateRuleName | undefined;
  /** Default 0.001 for adam and rmsprop, 0.01 otherwise. */
  learningRate?: number | undefined;
  /** Momentum of sgd. Default 0. */
  momentum?: number | undefined;
  /** Rows per step. Default 32. */
  batchSize?: number | undefined;
  /** Passes over the data. Default 50. */
  epochs?: number | undefined;
  /** L2 penalty ½·l2·‖W‖² on the weights (not the biases). Default 0. */
  l2?: number | undefined;
  /** Seeds the initial weights and the shuffling. Default 0. */
  seed?: number | undefined;
}

/**
 * A seeded MLP classifier with `fit`/`predict`/`predictProba`/`score`.
 * @example
 * ```ts
 * const mlp = new MlpClassifier({ hidden: [16], activation: 'tanh', optimizer: 'rmsprop', batchSize: 10, epochs: 50 });
 * mlp.fit(train.x, train.y).score(test.x, test.y);
 * ```
 */
export class MlpClassifier {
  readonly hidden: readonly number[];
  readonly activation: MlpActivation;
  readonly optimizer: UpdateRuleName;
  readonly learningRate: number;
  readonly momentum: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly l2: number;
  readonly seed: number;
  /** The sorted class labels (columns of `predictProba`). */
  classes: Label[] = [];
  /** Mean training loss (cross-entropy, plus the penalty) of each epoch's batches. */
  lossCurve: number[] = [];
  private theta: Float64Array = new Float64Array(0);
  private sizes: number[] = [];

  constructor(options: MlpClassifierOptions = {}) {
    const positiveInt = (name: string, v: number) => {
      if (!Number.isInteger(v) || v < 1)
        throw new InvalidArgumentError(`MlpClassifier: ${name} must be an integer ≥ 1, got ${v}.`);
      return v;
    };
    this.hidden = (options.hidden ?? [32]).map((u) => positiveInt('hidden units', u));
    this.activation = options.activation ?? 'relu';
    if (!MLP_ACTIVATIONS.includes(this.activation)) {
      throw new InvalidArgumentError(
        `MlpClassifier: unknown activation '${String(this.activation)}'; choose one of ${MLP_ACTIVATIONS.join(', ')}.`,
      );
    }
    this.optimizer = options.optimizer ?? 'adam';
    this.learningRate =
      options.learningRate ?? (this.optimizer === 'adam' || this.optimizer === 'rmsprop' ? 0.001 : 0.01);
    this.momentum = options.momentum ?? 0;
    this.batchSize = positiveInt('batchSize', options.batchSize ?? 32);
    this.epochs = positiveInt('epochs', options.epochs ?? 50);
    this.l2 = options.l2 ?? 0;
    if (!(this.l2 >= 0)) throw new InvalidArgumentError(`MlpClassifier: l2 must be ≥ 0, got ${this.l2}.`);
    this.seed = options.seed ?? 0;
    // Validates the optimizer's hyperparameters now rather than at fit time.
    makeUpdateRule(this.optimizer, 1, { learningRate: this.learningRate, momentum: this.momentum });
  }

  /** Trains from fresh seeded weights (Glorot-uniform, zero biases). */
  fit(x: readonly (readonly number[])[], y: readonly Label[]): this {
    const { data, n, d } = toMatrix(x, 'MlpClassifier.fit');
    const { classes, codes } = encodeLabels(y, n, 'MlpClassifier.fit');
    const k = classes.length;
    if (k < 2) throw new InvalidArgumentError('MlpClassifier.fit: y needs at least two classes.');
    const sizes = [d, ...this.hidden, k];
    const layers = sizes.length - 1;
    const wOff: number[] = [];
    const bOff: number[] = [];
    let size = 0;
    for (let l = 1; l <= layers; l++) {
      wOff.push(size);
      size += sizes[l - 1]! * sizes[l]!;
      bOff.push(size);
      size += sizes[l]!;
    }
    const rng = new Rng(this.seed);
    const theta = new Float64Array(size);
    for (let l = 1; l <= layers; l++) {
      const fanIn = sizes[l - 1]!;
      const fanOut = sizes[l]!;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let p = 0; p < fanIn * fanOut; p++) theta[wOff[l - 1]! + p] = rng.uniform(-limit, limit);
    }
    const grad = new Float64Array(size);
    const rule = makeUpdateRule(this.optimizer, size, {
      learningRate: this.learningRate,
      momentum: this.momentum,
    });
    const batch = Math.min(this.batchSize, n);
    const acts = sizes.map((s) => new Float64Array(batch * s));
    const deltas = sizes.map((s) => new Float64Array(batch * s));
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const tanh = this.activation === 'tanh';
    this.lossCurve = [];
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.random() * (i + 1));
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
      }
      let epochLoss = 0;
      let steps = 0;
      for (let start = 0; start < n; start += batch) {
        const m = Math.min(batch, n - start);
        const a0 = acts[0]!;
        for (let r = 0; r < m; r++) {
          const i = order[start + r]!;
          for (let j = 0; j < d; j++) a0[r * d + j] = data[i * d + j]!;
        }
        forward(theta, sizes, wOff, bOff, acts, m, tanh);
        // Output: softmax probabilities are in acts[layers]; loss and D = (P − Y)/m.
        const out = acts[layers]!;
        const dOut = deltas[layers]!;
        let loss = 0;
        for (let r = 0; r < m; r++) {
          const yi = codes[order[start + r]!]!;
          loss -= Math.log(Math.max(out[r * k + yi]!, 1e-300));
          for (let c = 0; c < k; c++) dOut[r * k + c] = (out[r * k + c]! - (c === yi ? 1 : 0)) / m;
        }
        loss /= m;
        grad.fill(0);
        for (let l = layers; l >= 1; l--) {
          const sIn = sizes[l - 1]!;
          const sOut = sizes[l]!;
          const aPrev = acts[l - 1]!;
          const dl = deltas[l]!;
          const wo = wOff[l - 1]!;
          const bo = bOff[l - 1]!;
          for (let r = 0; r < m; r++) {
            for (let o = 0; o < sOut; o++) {
              const dv = dl[r * sOut + o]!;
              if (dv === 0) continue;
              grad[bo + o]! += dv;
              for (let q = 0; q < sIn; q++) grad[wo + q * sOut + o]! += aPrev[r * sIn + q]! * dv;
            }
          }
          if (l > 1) {
            const dPrev = deltas[l - 1]!;
            for (let r = 0; r < m; r++) {
              for (let q = 0; q < sIn; q++) {
                let s = 0;
                for (let o = 0; o < sOut; o++) s += dl[r * sOut + o]! * theta[wo + q * sOut + o]!;
                const a = aPrev[r * sIn + q]!;
                dPrev[r * sIn + q] = tanh ? s * (1 - a * a) : a > 0 ? s : 0;
              }
            }
          }
        }
        if (this.l2 > 0) {
          for (let l = 1; l <= layers; l++) {
            const wo = wOff[l - 1]!;
            const count = sizes[l - 1]! * sizes[l]!;
            for (let p = wo; p < wo + count; p++) {
              const w = theta[p]!;
              loss += 0.5 * this.l2 * w * w;
              grad[p]! += this.l2 * w;
            }
          }
        }
        rule.step(theta, grad);
        epochLoss += loss;
        steps++;
      }
      this.lossCurve.push(epochLoss / steps);
    }
    this.theta = theta;
    this.sizes = sizes;
    this.classes = classes;
    return this;
  }

  /** Class probabilities, one row per sample, columns in the order of `classes`. */
  predictProba(x: readonly (readonly number[])[]): number[][] {
    if (this.sizes.length === 0)
      throw new InvalidArgumentError('MlpClassifier.predictProba: call fit() first.');
    const sizes = this.sizes;
    const { data, n } = toMatrix(x, 'MlpClassifier.predictProba', sizes[0]);
    const layers = sizes.length - 1;
    const wOff: number[] = [];
    const bOff: number[] = [];
    let off = 0;
    for (let l = 1; l <= layers; l++) {
      wOff.push(off);
      off += sizes[l - 1]! * sizes[l]!;
      bOff.push(off);
      off += sizes[l]!;
    }
    const acts = sizes.map((s, l) => (l === 0 ? data : new Float64Array(n * s)));
    forward(this.theta, sizes, wOff, bOff, acts, n, this.activation === 'tanh');
    const k = sizes[layers]!;
    const out = acts[layers]!;
    return Array.from({ length: n }, (_, r) => Array.from(out.subarray(r * k, r * k + k)));
  }

  /** The most probable class of each row. */
  predict(x: readonly (readonly number[])[]): Label[] {
    return argmaxRows(this.predictProba(x)).map((c) => this.classes[c]!);
  }

  /** Accuracy on `x`, `y`. */
  score(x: readonly (readonly number[])[], y: readonly Label[]): number {
    return accuracy(y, this.predict(x));
  }
}

/** Fills acts[1..L+1] for the first m rows of acts[0]: hidden activations, then softmax. */
function forward(
  theta: Float64Array,
  sizes: readonly number[],
  wOff: readonly number[],
  bOff: readonly number[],
  acts: Float64Array[],
  m: number,
  tanh: boolean,
): void {
  const layers = sizes.length - 1;
  for (let l = 1; l <= layers; l++) {
    const sIn = sizes[l - 1]!;
    const sOut = sizes[l]!;
    const aPrev = acts[l - 1]!;
    const a = acts[l]!;
    const wo = wOff[l - 1]!;
    const bo = bOff[l - 1]!;
    for (let r = 0; r < m; r++) {
      for (let o = 0; o < sOut; o++) {
        let s = theta[bo + o]!;
        for (let q = 0; q < sIn; q++) s += aPrev[r * sIn + q]! * theta[wo + q * sOut + o]!;
        a[r * sOut + o] = l === layers ? s : tanh ? Math.tanh(s) : Math.max(s, 0);
      }
      if (l === layers) {
        let max = Number.NEGATIVE_INFINITY;
        for (let o = 0; o < sOut; o++) max = Math.max(max, a[r * sOut + o]!);
        let sum = 0;
        for (let o = 0; o < sOut; o++) {
          const e = Math.exp(a[r * sOut + o]! - max);
          a[r * sOut + o] = e;
          sum += e;
        }
        for (let o = 0; o < sOut; o++) a[r * sOut + o]! /= sum;
      }
    }
  }
}
