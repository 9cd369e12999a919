/**
 * `TfjsMlpClassifier`: a TensorFlow.js MLP behind the `fit`/`predict`/`predictProba` interface of
 * `searchCV` and `crossValidate` (as scikit-learn's MLPClassifier), with the hyperparameters
 * people tune: hidden layers, activation, optimizer and learning rate, batch size and epochs.
 * Training is seeded (initialisers and shuffling), so one configuration gives one score.
 *
 * Each training step costs milliseconds in Node (TensorFlow.js's per-operation overhead, on the
 * wasm or cpu backend alike: measured 5–10 ms per step of a 4-32-3 network on a busy 2-core
 * machine): for searches that train hundreds of small models, the plain-TypeScript
 * `MlpClassifier` of `tunekit/ml` (the same model) is far faster.
 *
 * Notation: n rows, d features, K classes (sorted labels); x is an n×d float32 tensor, y an
 * n×K one-hot tensor; the output layer is a K-way softmax.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../core/errors.js';
import { accuracy, argmaxRows, type Label, uniqueLabels } from '../metrics.js';
import { type BackendPreference, useBackend, withSeededRandom } from './backend.js';
import { type Activation, buildMlp, toTensors } from './builder.js';
import { makeOptimizer, type OptimizerName } from './optimizers.js';

/** Options of {@link TfjsMlpClassifier}. */
export interface TfjsMlpClassifierOptions {
  /** Units of each hidden layer. Default [32]. */
  hidden?: readonly number[] | undefined;
  /** Default 'relu'. */
  activation?: Activation | undefined;
  /** Default 'adam'. */
  optimizer?: OptimizerName | undefined;
  /** Default: the optimizer's own (0.001 for adam and rmsprop, 0.01 otherwise). */
  learningRate?: number | undefined;
  /** Momentum of 'momentum' (default 0.9) and 'rmsprop' (default 0). */
  momentum?: number | undefined;
  /** Rows per step. Default 32. */
  batchSize?: number | undefined;
  /** Passes over the data. Default 50. */
  epochs?: number | undefined;
  /** L2 penalty on the kernels. Default 0. */
  l2?: number | undefined;
  /** Dropout after each hidden layer. Default 0. */
  dropout?: number | undefined;
  /** Seeds the initial weights, dropout and shuffling. Default 0. */
  seed?: number | undefined;
  /** TensorFlow.js backend. Default 'auto' (wasm when installed). */
  backend?: BackendPreference | undefined;
}

/**
 * A seeded TensorFlow.js MLP classifier. `fit` is asynchronous; call `dispose()` to free the
 * model's tensors when it is no longer needed (a new `fit` frees the previous model).
 * @example
 * ```ts
 * const mlp = new TfjsMlpClassifier({ hidden: [16], activation: 'tanh', optimizer: 'rmsprop', batchSize: 10, epochs: 50 });
 * await mlp.fit(train.x, train.y);
 * console.log(await mlp.score(test.x, test.y));
 * mlp.dispose();
 * ```
 */
export class TfjsMlpClassifier {
  readonly options: Readonly<TfjsMlpClassifierOptions>;
  /** The sorted class labels (columns of `predictProba`). */
  classes: Label[] = [];
  /** Training loss after each epoch. */
  lossCurve: number[] = [];
  private model: tf.Sequential | null = null;
  private d = 0;

  constructor(options: TfjsMlpClassifierOptions = {}) {
    const positiveInt = (name: string, v: number | undefined) => {
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
        throw new InvalidArgumentError(`TfjsMlpClassifier: ${name} must be an integer ≥ 1, got ${v}.`);
      }
    };
    positiveInt('batchSize', options.batchSize);
    positiveInt('epochs', options.epochs);
    for (const u of options.hidden ?? []) positiveInt('hidden units', u);
    this.options = { ...options };
  }

  /** Trains a fresh model on `x`, `y` (at least two classes). */
  async fit(x: readonly (readonly number[])[], y: readonly Label[]): Promise<this> {
    if (x.length === 0) throw new InvalidArgumentError('TfjsMlpClassifier.fit: x has no rows.');
    if (x.length !== y.length)
      throw new InvalidArgumentError(`TfjsMlpClassifier.fit: ${x.length} rows but ${y.length} labels.`);
    const classes = uniqueLabels(y);
    if (classes.length < 2)
      throw new InvalidArgumentError('TfjsMlpClassifier.fit: y needs at least two classes.');
    const d = x[0]!.length;
    await useBackend(this.options.backend ?? 'auto');
    this.dispose();
    const o = this.options;
    const seed = o.seed ?? 0;
    const index = new Map<Label, number>(classes.map((c, k) => [c, k]));
    const codes = y.map((v) => index.get(v)!);
    const t = toTensors(x, codes, classes.length);
    const model = buildMlp({
      inputDim: d,
      outputDim: classes.length,
      hidden: o.hidden ?? [32],
      activation: o.activation ?? 'relu',
      dropout: o.dropout ?? 0,
      l2: o.l2 ?? 0,
      outputActivation: 'softmax',
      seed,
    });
    const optimizer = o.optimizer ?? 'adam';
    model.compile({
      optimizer: makeOptimizer(optimizer, {
        ...(o.learningRate !== undefined ? { learningRate: o.learningRate } : {}),
        ...(o.momentum !== undefined ? { momentum: o.momentum } : {}),
      }),
      loss: 'categoricalCrossentropy',
    });
    try {
      const history = await withSeededRandom(seed, () =>
        model.fit(t.x, t.y, {
          epochs: o.epochs ?? 50,
          batchSize: o.batchSize ?? 32,
          shuffle: true,
          verbose: 0,
        }),
      );
      this.lossCurve = (history.history.loss ?? []).map(Number);
    } catch (e) {
      model.optimizer?.dispose();
      model.dispose();
      throw e;
    } finally {
      tf.dispose([t.x, t.y]);
    }
    this.model = model;
    this.classes = classes;
    this.d = d;
    return this;
  }

  /** Class probabilities, one row per sample, columns in the order of `classes`. */
  async predictProba(x: readonly (readonly number[])[]): Promise<number[][]> {
    const model = this.model;
    if (model === null) throw new InvalidArgumentError('TfjsMlpClassifier.predictProba: call fit() first.');
    for (const row of x) {
      if (row.length !== this.d) {
        throw new InvalidArgumentError(
          `TfjsMlpClassifier: rows of x need ${this.d} features (as in training), got ${row.length}.`,
        );
      }
    }
    if (x.length === 0) return [];
    const out = tf.tidy(
      () => model.predict(tf.tensor2d(x as number[][], [x.length, this.d], 'float32')) as tf.Tensor,
    );
    const rows = (await out.array()) as number[][];
    out.dispose();
    return rows;
  }

  /** The most probable class of each row. */
  async predict(x: readonly (readonly number[])[]): Promise<Label[]> {
    return argmaxRows(await this.predictProba(x)).map((c) => this.classes[c]!);
  }

  /** Accuracy on `x`, `y`. */
  async score(x: readonly (readonly number[])[], y: readonly Label[]): Promise<number> {
    return accuracy(y, await this.predict(x));
  }

  /** Frees the model's tensors (its weights and optimizer state). */
  dispose(): void {
    if (this.model === null) return;
    this.model.optimizer?.dispose();
    this.model.dispose();
    this.model = null;
  }
}
