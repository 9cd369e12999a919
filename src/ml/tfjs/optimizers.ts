/**
 * Optimizers by name, with their hyperparameters, and learning-rate access for schedules.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../core/errors.js';

/** The optimizers {@link makeOptimizer} knows. 'momentum' is SGD with (optionally Nesterov) momentum. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'] as const;
/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Hyperparameters of {@link makeOptimizer}; each applies to the optimizers named. */
export interface OptimizerOptions {
  /** All. Default 0.01 (0.001 for adam and rmsprop). */
  learningRate?: number | undefined;
  /** momentum (default 0.9), rmsprop (default 0). */
  momentum?: number | undefined;
  /** momentum: Nesterov's variant. Default false. */
  nesterov?: boolean | undefined;
  /** adam: default 0.9. */
  beta1?: number | undefined;
  /** adam: default 0.999. */
  beta2?: number | undefined;
  /** adam, rmsprop: default 1e-7. */
  epsilon?: number | undefined;
  /** rmsprop: the moving-average decay of squared gradients. Default 0.9. */
  rho?: number | undefined;
  /** rmsprop: centred variant. Default false. */
  centered?: boolean | undefined;
  /** adagrad: default 0.1. */
  initialAccumulatorValue?: number | undefined;
}

/**
 * A TensorFlow.js optimizer by name.
 * @example
 * ```ts
 * const opt = makeOptimizer(trial.suggestCategorical('optimizer', OPTIMIZER_NAMES), {
 *   learningRate: trial.suggestFloat('lr', 1e-4, 1e-1, { log: true }),
 * });
 * ```
 */
export function makeOptimizer(name: OptimizerName, options: OptimizerOptions = {}): tf.Optimizer {
  const lr = options.learningRate ?? (name === 'adam' || name === 'rmsprop' ? 0.001 : 0.01);
  if (!(lr > 0) || !Number.isFinite(lr)) {
    throw new InvalidArgumentError(`learningRate must be a positive number, got ${String(lr)}.`);
  }
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, options.momentum ?? 0.9, options.nesterov ?? false);
    case 'adagrad':
      return tf.train.adagrad(lr, options.initialAccumulatorValue ?? 0.1);
    case 'rmsprop':
      return tf.train.rmsprop(
        lr,
        options.rho ?? 0.9,
        options.momentum ?? 0,
        options.epsilon ?? 1e-7,
        options.centered ?? false,
      );
    case 'adam':
      return tf.train.adam(lr, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-7);
    default:
      throw new InvalidArgumentError(
        `unknown optimizer '${String(name)}'; choose one of ${OPTIMIZER_NAMES.join(', ')}.`,
      );
  }
}

interface WithLearningRate {
  learningRate?: number;
  setLearningRate?: (lr: number) => void;
}

/** The current learning rate of a TensorFlow.js optimizer. */
export function getLearningRate(optimizer: tf.Optimizer): number {
  const lr = (optimizer as unknown as WithLearningRate).learningRate;
  if (typeof lr !== 'number') throw new InvalidArgumentError('this optimizer has no learning rate to read.');
  return lr;
}

/** Sets the learning rate of a TensorFlow.js optimizer (SGD and momentum keep a tensor of it). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as WithLearningRate;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
