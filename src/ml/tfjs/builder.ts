/**
 * A small MLP builder driven by trial parameters (simple architecture search: the number of
 * layers and their units are parameters like any other).
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../core/errors.js';
import { deriveSeed } from '../../core/rng.js';

/** Activations of the hidden layers. */
export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'swish'] as const;
/** One of {@link ACTIVATIONS}. */
export type Activation = (typeof ACTIVATIONS)[number];

/** What {@link buildMlp} builds. */
export interface MlpSpec {
  /** Input features. */
  inputDim: number;
  /** Output units: classes (softmax), 1 (sigmoid or linear). */
  outputDim: number;
  /** Units of each hidden layer (empty: a linear model). */
  hidden: readonly number[];
  /** Default 'relu'. */
  activation?: Activation | undefined;
  /** Dropout rate after each hidden layer (0 = none). Default 0. */
  dropout?: number | undefined;
  /** L1 penalty on the kernels. Default 0. */
  l1?: number | undefined;
  /** L2 penalty on the kernels. Default 0. */
  l2?: number | undefined;
  /** Default 'softmax' when outputDim > 1, else 'sigmoid'; 'linear' for regression. */
  outputActivation?: 'softmax' | 'sigmoid' | 'linear' | undefined;
  /** Seeds the kernel initialisers (dropout layers draw from the global generator: wrap training in `withSeededRandom`). Default 0. */
  seed?: number | undefined;
}

/**
 * A `tf.Sequential` MLP: dense hidden layers (Glorot- or He-initialised with seeds derived from
 * `spec.seed`), each followed by dropout when asked, and L1/L2 kernel regularisation. It is not
 * compiled.
 * @example
 * ```ts
 * const model = buildMlp({ inputDim: 64, outputDim: 10, hidden: [128, 64], dropout: 0.2, l2: 1e-4, seed: 1 });
 * model.compile({ optimizer: makeOptimizer('adam'), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * ```
 */
export function buildMlp(spec: MlpSpec): tf.Sequential {
  const activation = spec.activation ?? 'relu';
  const dropout = spec.dropout ?? 0;
  const l1 = spec.l1 ?? 0;
  const l2 = spec.l2 ?? 0;
  const seed = spec.seed ?? 0;
  if (!(dropout >= 0 && dropout < 1))
    throw new InvalidArgumentError(`dropout must be in [0, 1), got ${dropout}.`);
  if (!(l1 >= 0) || !(l2 >= 0)) throw new InvalidArgumentError('l1 and l2 must be ≥ 0.');
  for (const u of spec.hidden) {
    if (!Number.isInteger(u) || u < 1)
      throw new InvalidArgumentError(`hidden units must be integers ≥ 1, got ${u}.`);
  }
  const regularizer = l1 > 0 || l2 > 0 ? tf.regularizers.l1l2({ l1, l2 }) : undefined;
  const init = (i: number) => {
    const s = deriveSeed(seed, 'layer', i) % 2147483647;
    return activation === 'relu' || activation === 'elu' || activation === 'swish'
      ? tf.initializers.heNormal({ seed: s })
      : tf.initializers.glorotUniform({ seed: s });
  };
  const model = tf.sequential();
  spec.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation,
        kernelInitializer: init(i),
        ...(i === 0 ? { inputShape: [spec.inputDim] } : {}),
        ...(regularizer ? { kernelRegularizer: regularizer } : {}),
      }),
    );
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  });
  const outputActivation = spec.outputActivation ?? (spec.outputDim > 1 ? 'softmax' : 'sigmoid');
  model.add(
    tf.layers.dense({
      units: spec.outputDim,
      activation: outputActivation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'output') % 2147483647 }),
      ...(spec.hidden.length === 0 ? { inputShape: [spec.inputDim] } : {}),
      ...(regularizer ? { kernelRegularizer: regularizer } : {}),
    }),
  );
  return model;
}

/** What {@link buildCnn} builds: convolution blocks, then dense layers, for small images. */
export interface CnnSpec {
  /** [height, width, channels], e.g. [8, 8, 1] for the digits. */
  inputShape: readonly [number, number, number];
  outputDim: number;
  /** Filters of each convolution block (3×3 'same' convolution, then 2×2 max pooling when the image is still ≥ 4 pixels). */
  filters: readonly number[];
  /** Kernel size of the convolutions. Default 3. */
  kernelSize?: number | undefined;
  /** Units of the dense layers after flattening. Default []. */
  dense?: readonly number[] | undefined;
  activation?: Activation | undefined;
  /** Dropout after each dense layer. Default 0. */
  dropout?: number | undefined;
  l2?: number | undefined;
  seed?: number | undefined;
}

/**
 * A small `tf.Sequential` CNN: seeded convolution blocks (`filters`), then seeded dense layers
 * with dropout and L2, then a softmax output. Inputs are `[n, height, width, channels]`
 * (reshape flat digits rows with `x.reshape([-1, 8, 8, 1])`).
 *
 * Training needs the cpu backend (`useBackend('cpu')`): the wasm backend of TensorFlow.js 4
 * has no kernels for the gradients of convolutions.
 */
export function buildCnn(spec: CnnSpec): tf.Sequential {
  const activation = spec.activation ?? 'relu';
  const seed = spec.seed ?? 0;
  const l2 = spec.l2 ?? 0;
  const dropout = spec.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1))
    throw new InvalidArgumentError(`dropout must be in [0, 1), got ${dropout}.`);
  const regularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  const reg = regularizer ? { kernelRegularizer: regularizer } : {};
  const model = tf.sequential();
  let size = Math.min(spec.inputShape[0], spec.inputShape[1]);
  spec.filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        filters,
        kernelSize: spec.kernelSize ?? 3,
        padding: 'same',
        activation,
        kernelInitializer: tf.initializers.heNormal({ seed: deriveSeed(seed, 'conv', i) % 2147483647 }),
        ...(i === 0 ? { inputShape: [...spec.inputShape] } : {}),
        ...reg,
      }),
    );
    if (size >= 4) {
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      size = Math.floor(size / 2);
    }
  });
  model.add(tf.layers.flatten(spec.filters.length === 0 ? { inputShape: [...spec.inputShape] } : {}));
  (spec.dense ?? []).forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation,
        kernelInitializer: tf.initializers.heNormal({ seed: deriveSeed(seed, 'dense', i) % 2147483647 }),
        ...reg,
      }),
    );
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  });
  model.add(
    tf.layers.dense({
      units: spec.outputDim,
      activation: spec.outputDim > 1 ? 'softmax' : 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'output') % 2147483647 }),
      ...reg,
    }),
  );
  return model;
}

/** The ranges {@link suggestMlp} searches. */
export interface MlpSpace {
  /** Hidden layers [min, max]. Default [1, 3]. */
  layers?: readonly [number, number] | undefined;
  /** Units per layer [min, max], searched on a log scale. Default [16, 256]. */
  units?: readonly [number, number] | undefined;
  /** One units parameter per layer (`units_0`, `units_1`…) instead of one shared. Default false. */
  unitsPerLayer?: boolean | undefined;
  /** Activations to choose from. Default ['relu']: not searched. */
  activations?: readonly Activation[] | undefined;
  /** Dropout [min, max]; null: no dropout. Default [0, 0.5]. */
  dropout?: readonly [number, number] | null | undefined;
  /** L2 [min, max] on a log scale; null: none. Default [1e-6, 1e-2]. */
  l2?: readonly [number, number] | null | undefined;
  /** L1 [min, max] on a log scale; null (default): none. */
  l1?: readonly [number, number] | null | undefined;
}

/** What a trial needs to suggest an MLP (a `Trial` has it). */
export interface SuggestingTrial {
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestCategorical<const T extends string>(name: string, choices: readonly T[]): T;
}

/**
 * Suggests the hidden layers, units, activation, dropout and L1/L2 of an MLP (parameters
 * `layers`, `units` or `units_<i>`, `activation`, `dropout`, `l2`, `l1`) and returns the spec
 * for {@link buildMlp} without inputDim/outputDim/seed.
 * @example
 * ```ts
 * const model = buildMlp({ ...suggestMlp(trial, { layers: [1, 3] }), inputDim: 64, outputDim: 10, seed: trial.number });
 * ```
 */
export function suggestMlp(
  trial: SuggestingTrial,
  space: MlpSpace = {},
): Omit<MlpSpec, 'inputDim' | 'outputDim' | 'seed'> {
  const [lMin, lMax] = space.layers ?? [1, 3];
  const [uMin, uMax] = space.units ?? [16, 256];
  const layers = trial.suggestInt('layers', lMin, lMax);
  const hidden: number[] = [];
  if (space.unitsPerLayer) {
    for (let i = 0; i < layers; i++) hidden.push(trial.suggestInt(`units_${i}`, uMin, uMax, { log: true }));
  } else {
    const units = trial.suggestInt('units', uMin, uMax, { log: true });
    for (let i = 0; i < layers; i++) hidden.push(units);
  }
  const activations = space.activations ?? ['relu'];
  const activation =
    activations.length === 1 ? activations[0]! : trial.suggestCategorical('activation', activations);
  const d = space.dropout === undefined ? ([0, 0.5] as const) : space.dropout;
  const l2r = space.l2 === undefined ? ([1e-6, 1e-2] as const) : space.l2;
  const l1r = space.l1 ?? null;
  return {
    hidden,
    activation,
    dropout: d === null ? 0 : trial.suggestFloat('dropout', d[0], d[1]),
    l2: l2r === null ? 0 : trial.suggestFloat('l2', l2r[0], l2r[1], { log: true }),
    l1: l1r === null ? 0 : trial.suggestFloat('l1', l1r[0], l1r[1], { log: true }),
  };
}

/** Features and class indices as tensors: x [n, d] float32, y one-hot [n, k]. */
export function toTensors(
  x: readonly (readonly number[])[],
  y: readonly number[],
  numClasses: number,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.tensor2d(x as number[][], [x.length, x[0]?.length ?? 0], 'float32'),
    y: tf.oneHot(tf.tensor1d(y as number[], 'int32'), numClasses).toFloat() as tf.Tensor2D,
  }));
}

/** The class index of each row of the model's output (argmax), as plain numbers. */
export async function predictClasses(model: tf.LayersModel, x: tf.Tensor): Promise<number[]> {
  const out = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1));
  const arr = Array.from(await out.data());
  out.dispose();
  return arr;
}
