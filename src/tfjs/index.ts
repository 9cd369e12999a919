/**
 * `tunekit/tfjs`: tuning TensorFlow.js models. Needs the optional peer dependency
 * `@tensorflow/tfjs` (and uses `@tensorflow/tfjs-backend-wasm` when installed: call
 * `useBackend()` first).
 *
 * - `PruningCallback` for `model.fit` / `fitDataset`: reports a metric each epoch, stops
 *   training and lets you end the trial as pruned when the pruner says so (any pruner).
 * - `makeOptimizer` by name (sgd, momentum, adagrad, rmsprop, adam) with its hyperparameters.
 * - Learning-rate schedules as callbacks: step, exponential, cosine (warm-up, restarts),
 *   reduce-on-plateau; `EarlyStopping` with patience and best-weights restore.
 * - `buildMlp` / `suggestMlp`: an MLP from trial parameters (layers, units, activation,
 *   dropout, L1/L2); `buildCnn`: a small CNN for images such as the 8×8 digits.
 * - `withSeededRandom`: reproducible training (initialisers, dropout, shuffling).
 *
 * The metrics, data sets, cross-validation and `searchCV`, which need no TensorFlow.js, are in
 * `tunekit/ml` and re-exported here.
 *
 * @example
 * ```ts
 * import { createStudy, HyperbandPruner } from 'tunekit';
 * import { buildMlp, loadDigits, makeOptimizer, PruningCallback, suggestMlp, toTensors,
 *          trainValTestSplit, useBackend } from 'tunekit/tfjs';
 *
 * await useBackend();
 * const d = loadDigits();
 * const { train, validation } = trainValTestSplit(d.features, d.target, { seed: 1, standardize: true });
 * const tr = toTensors(train.x, train.y, 10);
 * const va = toTensors(validation.x, validation.y, 10);
 * const study = await createStudy({ direction: 'maximize', pruner: new HyperbandPruner() });
 * await study.optimize(async (trial) => {
 *   const model = buildMlp({ ...suggestMlp(trial), inputDim: 64, outputDim: 10, seed: trial.number });
 *   model.compile({
 *     optimizer: makeOptimizer('adam', { learningRate: trial.suggestFloat('lr', 1e-4, 1e-1, { log: true }) }),
 *     loss: 'categoricalCrossentropy',
 *     metrics: ['accuracy'],
 *   });
 *   const pruning = new PruningCallback(trial, { monitor: 'val_acc' });
 *   const h = await model.fit(tr.x, tr.y, { epochs: 20, validationData: [va.x, va.y], callbacks: [pruning], verbose: 0 });
 *   model.dispose();
 *   pruning.throwIfPruned();
 *   return h.history.val_acc!.at(-1) as number;
 * }, { nTrials: 30 });
 * ```
 * @module
 */
export * from '../ml/index.js';
export { type BackendPreference, useBackend, withSeededRandom } from '../ml/tfjs/backend.js';
export {
  ACTIVATIONS,
  type Activation,
  buildCnn,
  buildMlp,
  type CnnSpec,
  type MlpSpace,
  type MlpSpec,
  predictClasses,
  type SuggestingTrial,
  suggestMlp,
  toTensors,
} from '../ml/tfjs/builder.js';
export {
  type CosineOptions,
  cosineDecay,
  EarlyStopping,
  type EarlyStoppingOptions,
  exponentialDecay,
  LearningRateScheduler,
  makeScheduleCallback,
  metricMode,
  PruningCallback,
  type PruningCallbackOptions,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  SCHEDULE_NAMES,
  type Schedule,
  type ScheduleName,
  stepDecay,
} from '../ml/tfjs/callbacks.js';
export {
  getLearningRate,
  makeOptimizer,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type OptimizerOptions,
  setLearningRate,
} from '../ml/tfjs/optimizers.js';
export { TfjsMlpClassifier, type TfjsMlpClassifierOptions } from '../ml/tfjs/tfjs-mlp-classifier.js';
