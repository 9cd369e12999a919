/**
 * Classic workflow 3: Hyperopt-style TPE. Tunes a small TensorFlow.js MLP on iris — the learning
 * rate (log-uniform, bounds in log space as Hyperopt has them) and the number of hidden layers
 * (a choice of 2, 3 or 4) — with `fmin(..., algo: tpe.suggest, maxEvals: 100)`, minimising the
 * validation cross-entropy, then prints the best configuration with its validation and held-out
 * test accuracy. Each evaluation trains 16-unit ReLU layers with Adam for 50 full-batch epochs on
 * the wasm backend (about 0.15 s of CPU), so the 100 evaluations take some 15–40 s.
 *
 *   npx tsx examples/classic/03-hyperopt-tpe.ts
 *
 * `HYPEROPT_MAX_EVALS` changes the number of evaluations (default 100).
 */
import * as tf from '@tensorflow/tfjs';
import { fmin, hp, STATUS_FAIL, STATUS_OK, spaceEval, Trials, tpe } from 'tunekit/hyperopt';
import {
  accuracy,
  buildMlp,
  loadIris,
  makeOptimizer,
  predictClasses,
  toTensors,
  trainValTestSplit,
  useBackend,
  withSeededRandom,
} from 'tunekit/tfjs';

const maxEvals = Number(process.env.HYPEROPT_MAX_EVALS ?? 100);
const seed = 1;
const epochs = 50;
const units = 16;

const backend = await useBackend();
const iris = loadIris();
const split = trainValTestSplit(iris.features, iris.target, { seed, standardize: true });
const train = toTensors(split.train.x, split.train.y, 3);
const validation = toTensors(split.validation.x, split.validation.y, 3);
const test = toTensors(split.test.x, split.test.y, 3);

const space = {
  lr: hp.loguniform('lr', Math.log(1e-4), Math.log(1)),
  layers: hp.choice('layers', [2, 3, 4]),
};

interface Trained {
  readonly model: tf.Sequential;
  readonly valLoss: number;
}

/** Trains the MLP of one configuration; the same configuration and seed give the same model. */
async function trainMlp(lr: number, layers: number, trainSeed: number): Promise<Trained> {
  const model = buildMlp({
    inputDim: 4,
    outputDim: 3,
    hidden: Array.from({ length: layers }, () => units),
    activation: 'relu',
    seed: trainSeed,
  });
  model.compile({ optimizer: makeOptimizer('adam', { learningRate: lr }), loss: 'categoricalCrossentropy' });
  await withSeededRandom(trainSeed, () =>
    model.fit(train.x, train.y, { epochs, batchSize: split.train.x.length, verbose: 0 }),
  );
  const evaluated = model.evaluate(validation.x, validation.y) as tf.Scalar;
  const valLoss = (await evaluated.data())[0] as number;
  evaluated.dispose();
  return { model, valLoss };
}

function dispose(model: tf.Sequential): void {
  model.optimizer?.dispose();
  model.dispose();
}

const trials = new Trials();
const started = Date.now();
const best = await fmin({
  fn: async ({ lr, layers }) => {
    const { model, valLoss } = await trainMlp(lr, layers, seed);
    const valAccuracy = accuracy(split.validation.y, await predictClasses(model, validation.x));
    dispose(model);
    // A diverged network (lr too large) has a NaN loss: report it as a failed evaluation.
    return Number.isFinite(valLoss)
      ? { loss: valLoss, status: STATUS_OK, valAccuracy }
      : { status: STATUS_FAIL, valAccuracy };
  },
  space,
  algo: tpe.suggest,
  maxEvals,
  trials,
  seed,
});
const seconds = (Date.now() - started) / 1000;

const config = spaceEval(space, best);
const { model } = await trainMlp(config.lr, config.layers, seed);
const testAccuracy = accuracy(split.test.y, await predictClasses(model, test.x));
dispose(model);
tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y]);

const bestResult = trials.bestTrial.result;
console.log(`backend ${backend}: ${trials.length} evaluations in ${seconds.toFixed(1)} s`);
console.log(`argmin ${JSON.stringify(best)} (layers is the index of the choice, as in Hyperopt)`);
console.log(`best configuration: lr=${config.lr.toPrecision(3)}, layers=${config.layers}`);
console.log(`validation loss ${(bestResult.loss as number).toFixed(4)}`);
console.log(`validation accuracy ${(bestResult.valAccuracy as number).toFixed(4)}`);
console.log(`test accuracy ${testAccuracy.toFixed(4)}`);
