import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ThresholdPruner } from '../../pruners/index.js';
import { RandomSampler } from '../../samplers/random/index.js';
import { createStudy } from '../../study/create-study.js';
import { loadIris, trainValTestSplit } from '../datasets.js';
import { useBackend, withSeededRandom } from './backend.js';
import { buildCnn, buildMlp, predictClasses, suggestMlp, toTensors } from './builder.js';
import {
  cosineDecay,
  EarlyStopping,
  exponentialDecay,
  LearningRateScheduler,
  makeScheduleCallback,
  PruningCallback,
  ReduceLROnPlateau,
  SCHEDULE_NAMES,
  stepDecay,
} from './callbacks.js';
import { getLearningRate, makeOptimizer, OPTIMIZER_NAMES, setLearningRate } from './optimizers.js';

let backend = '';
const iris = loadIris();
const split = trainValTestSplit(iris.features, iris.target, { seed: 0, standardize: true });
beforeAll(async () => {
  backend = await useBackend();
});

function tinyModel(seed = 1, opt = 'adam' as const, lr = 0.05) {
  const m = buildMlp({ inputDim: 4, outputDim: 3, hidden: [8], seed, dropout: 0.1, l2: 1e-4 });
  m.compile({
    optimizer: makeOptimizer(opt, { learningRate: lr }),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

describe('backend', () => {
  it('uses wasm when installed', () => {
    expect(backend).toBe('wasm');
  });
});

describe('optimizers', () => {
  it('builds each by name; the learning rate can be read and set', () => {
    for (const name of OPTIMIZER_NAMES) {
      const o = makeOptimizer(name, { learningRate: 0.02, momentum: 0.8 });
      expect(getLearningRate(o)).toBe(0.02);
      setLearningRate(o, 0.005);
      expect(getLearningRate(o)).toBe(0.005);
      o.dispose();
    }
    expect(() => makeOptimizer('nope' as 'sgd')).toThrow(/unknown optimizer/);
    expect(() => makeOptimizer('sgd', { learningRate: -1 })).toThrow(/positive/);
  });
});

describe('schedules', () => {
  it('step, exponential and cosine with warm-up and restarts', () => {
    const s = stepDecay({ every: 2, factor: 0.5 });
    expect([0, 1, 2, 3, 4].map((e) => s(e, 1))).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(exponentialDecay({ rate: 0.9 })(2, 1)).toBeCloseTo(0.81, 12);
    const c = cosineDecay({ period: 4, warmup: 1 });
    expect(c(0, 1)).toBeCloseTo(0.5, 12); // warm-up: lr0·1/2
    expect(c(1, 1)).toBeCloseTo(1, 12);
    expect(c(3, 1)).toBeCloseTo(0.5, 12);
    expect(c(10, 1)).toBeCloseTo(0, 12); // stays at the minimum
    const r = cosineDecay({ period: 2, restarts: true, tMult: 2, alpha: 0.1 });
    expect(r(2, 1)).toBeCloseTo(1, 12); // restart after 2 epochs
    expect(r(4, 1)).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // middle of the 4-epoch second cycle
    expect(r(6, 1)).toBeCloseTo(1, 12);
  });

  it('LearningRateScheduler sets the rate each epoch and logs it; named schedules build', async () => {
    const tr = toTensors(split.train.x, split.train.y, 3);
    const m = tinyModel(1, 'sgd' as 'adam', 0.1);
    const h = await m.fit(tr.x, tr.y, {
      epochs: 3,
      batchSize: 32,
      verbose: 0,
      callbacks: [new LearningRateScheduler(stepDecay({ every: 1, factor: 0.5 }))],
    });
    expect(h.history.lr).toEqual([0.1, 0.05, 0.025]);
    expect(getLearningRate(m.optimizer)).toBe(0.1);
    for (const name of SCHEDULE_NAMES)
      expect(makeScheduleCallback(name, 10) === null).toBe(name === 'constant');
    tf.dispose([tr.x, tr.y]);
    m.dispose();
  });

  it('ReduceLROnPlateau divides the rate after patience epochs without improvement', async () => {
    const m = tinyModel();
    const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 2 });
    cb.setModel(m);
    await cb.onTrainBegin();
    for (const [e, v] of [1, 0.9, 0.95, 0.95, 0.95, 0.95].entries()) await cb.onEpochEnd(e, { val_loss: v });
    expect(getLearningRate(m.optimizer)).toBeCloseTo(0.05 / 4, 12);
    m.dispose();
  });
});

describe('EarlyStopping', () => {
  it('stops after patience epochs and restores the best weights', async () => {
    const m = tinyModel();
    const cb = new EarlyStopping({ monitor: 'val_acc', patience: 1, restoreBestWeights: true });
    cb.setModel(m);
    await cb.onTrainBegin();
    await cb.onEpochEnd(0, { val_acc: 0.5 });
    const best = m.getWeights().map((w) => w.arraySync());
    m.setWeights(m.getWeights().map((w) => tf.zerosLike(w)));
    await cb.onEpochEnd(1, { val_acc: 0.4 });
    expect(m.stopTraining).toBeFalsy();
    await cb.onEpochEnd(2, { val_acc: 0.5 });
    expect(m.stopTraining).toBe(true);
    expect(cb.stoppedEpoch).toBe(2);
    await cb.onTrainEnd();
    expect(m.getWeights().map((w) => w.arraySync())).toEqual(best);
    expect(cb.bestEpoch).toBe(0);
    m.dispose();
  });
});

describe('MLP builder', () => {
  it('suggests an architecture from trial parameters', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    const t = await study.ask();
    const spec = suggestMlp(t, {
      layers: [2, 3],
      unitsPerLayer: true,
      activations: ['relu', 'tanh'],
      l1: [1e-6, 1e-3],
    });
    expect(spec.hidden.length).toBe(t.params.layers);
    expect(Object.keys(t.params).sort()).toEqual(
      ['activation', 'dropout', 'l1', 'l2', 'layers', ...spec.hidden.map((_, i) => `units_${i}`)].sort(),
    );
    const m = buildMlp({ ...spec, inputDim: 4, outputDim: 3, seed: 1 });
    expect(m.layers.filter((l) => l.getClassName() === 'Dense').length).toBe(spec.hidden.length + 1);
    m.dispose();
  });

  it('same seed, same training (withSeededRandom), and the model learns iris', async () => {
    const tr = toTensors(split.train.x, split.train.y, 3);
    const va = toTensors(split.validation.x, split.validation.y, 3);
    const run = async () => {
      const m = tinyModel(7);
      const h = await withSeededRandom(7, () =>
        m.fit(tr.x, tr.y, { epochs: 15, batchSize: 16, verbose: 0, validationData: [va.x, va.y] }),
      );
      const pred = await predictClasses(m, va.x);
      m.dispose();
      return { loss: h.history.val_loss, pred };
    };
    const a = await run();
    const b = await run();
    expect(a.loss).toEqual(b.loss);
    const acc = a.pred.filter((p, i) => p === split.validation.y[i]).length / a.pred.length;
    expect(acc).toBeGreaterThan(0.85);
    tf.dispose([tr.x, tr.y, va.x, va.y]);
  });
});

describe('CNN builder', () => {
  it('builds a seeded CNN for 8×8 images that trains (on cpu: wasm has no convolution gradients)', async () => {
    await tf.setBackend('cpu');
    const m = buildCnn({
      inputShape: [8, 8, 1],
      outputDim: 10,
      filters: [4, 8],
      dense: [16],
      dropout: 0.1,
      l2: 1e-4,
      seed: 2,
    });
    const m2 = buildCnn({ inputShape: [8, 8, 1], outputDim: 10, filters: [4, 8], dense: [16], seed: 2 });
    expect(m.getWeights()[0]!.arraySync()).toEqual(m2.getWeights()[0]!.arraySync());
    expect(m.outputShape).toEqual([null, 10]);
    m.compile({ optimizer: makeOptimizer('adam'), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss![0] as number)).toBe(true);
    tf.dispose([x, y]);
    m.dispose();
    m2.dispose();
    await tf.setBackend('wasm');
  });
});

describe('PruningCallback', () => {
  it('works with fitDataset', async () => {
    const tr = toTensors(split.train.x, split.train.y, 3);
    const va = toTensors(split.validation.x, split.validation.y, 3);
    const ds = tf.data
      .zip({ xs: tf.data.array(tr.x.unstack()), ys: tf.data.array(tr.y.unstack()) })
      .batch(32);
    const reports: number[] = [];
    const trial = {
      number: 0,
      report: async (v: unknown, step: number) => {
        reports.push(step);
        expect(typeof v).toBe('number');
      },
      shouldPrune: async () => reports.length >= 2,
    };
    const m = tinyModel();
    const pruning = new PruningCallback(trial, { monitor: 'val_loss' });
    const h = await m.fitDataset(ds as tf.data.Dataset<tf.TensorContainer>, {
      epochs: 5,
      validationData: [va.x, va.y],
      callbacks: [pruning],
      verbose: 0,
    });
    expect(h.epoch).toHaveLength(2);
    expect(reports).toEqual([0, 1]);
    expect(() => pruning.throwIfPruned()).toThrow(/pruned at epoch 1/);
    tf.dispose([tr.x, tr.y, va.x, va.y]);
    m.dispose();
  });

  it('reports each epoch and prunes the trial when the pruner says so', async () => {
    const tr = toTensors(split.train.x, split.train.y, 3);
    const va = toTensors(split.validation.x, split.validation.y, 3);
    const study = await createStudy({
      direction: 'maximize',
      sampler: new RandomSampler({ seed: 1 }),
      pruner: new ThresholdPruner({ lower: 0.999, nWarmupSteps: 1 }),
    });
    let epochsRun = 0;
    await study.optimize(
      async (trial) => {
        const m = tinyModel(trial.number, 'adam', trial.suggestFloat('lr', 1e-3, 1e-2, { log: true }));
        const pruning = new PruningCallback(trial, { monitor: 'val_acc', alsoReport: ['val_loss'] });
        const h = await m.fit(tr.x, tr.y, {
          epochs: 6,
          verbose: 0,
          validationData: [va.x, va.y],
          callbacks: [pruning],
        });
        epochsRun = h.epoch.length;
        m.dispose();
        pruning.throwIfPruned();
        return 0;
      },
      { nTrials: 1 },
    );
    const [t] = await study.getTrials();
    expect(t!.systemAttrs).not.toHaveProperty('tunekit:fail_reason');
    expect(t!.state).toBe('pruned');
    expect(epochsRun).toBe(2); // warm-up step 0, pruned at step 1
    expect([...t!.intermediateValues.keys()]).toEqual([0, 1]);
    expect(t!.systemAttrs['tunekit:reports']).toHaveProperty(['1', 'val_loss']);
    tf.dispose([tr.x, tr.y, va.x, va.y]);
  });

  it('explains a missing metric', async () => {
    const cb = new PruningCallback({ number: 0, report: async () => {}, shouldPrune: async () => false });
    await expect(cb.onEpochEnd(0, { loss: 1 })).rejects.toThrow(/no metric 'val_loss'.*loss/);
  });
});
