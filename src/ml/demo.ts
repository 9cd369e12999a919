/**
 * The demo behind `npx tunekit demo`: tunes a TensorFlow.js MLP on the bundled digits data with
 * the default sampler and Hyperband pruning, stores the study, and returns the best trial with
 * its validation and held-out test accuracy. Deterministic for a given seed (trials run one at a
 * time; training is seeded).
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { StudyNotFoundError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { deriveSeed } from '../core/rng.js';
import { HyperbandPruner } from '../pruners/index.js';
import { writeReport } from '../report/write-report.js';
import { AutoSampler } from '../samplers/auto/index.js';
import { getStorage } from '../storages/get-storage.js';
import { createStudy } from '../study/create-study.js';
import type { Trial } from '../trial/trial.js';
import { loadDigits, trainValTestSplit } from './datasets.js';
import { accuracy } from './metrics.js';
import { useBackend, withSeededRandom } from './tfjs/backend.js';
import { buildMlp, predictClasses, toTensors } from './tfjs/builder.js';
import { EarlyStopping, makeScheduleCallback, PruningCallback } from './tfjs/callbacks.js';
import { makeOptimizer } from './tfjs/optimizers.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Trials to run. Default 40. */
  trials?: number | undefined;
  /** The full training budget of a trial, in epochs (Hyperband's max resource). Default 27. */
  epochs?: number | undefined;
  /** Seeds the sampler, the data split and the training. Default 42. */
  seed?: number | undefined;
  /** Storage URL. Default 'sqlite:///tunekit.db'. */
  storage?: string | undefined;
  /** Default 'tunekit-demo'. A study of that name is replaced. */
  studyName?: string | undefined;
  /** 'auto' (wasm when installed, else cpu), 'wasm' or 'cpu'. */
  backend?: 'auto' | 'wasm' | 'cpu' | undefined;
  /** Called when a trial starts and ends. */
  onTrialStarted?: ((number: number) => void) | undefined;
  onTrialFinished?: ((trial: FrozenTrial, durationS: number) => void) | undefined;
  /** Informational lines (data, backend, replaced study). */
  info?: ((line: string) => void) | undefined;
  /** Writes the study's self-contained HTML report to this file at the end (default: none). */
  reportPath?: string | undefined;
}

/** What {@link runDemo} returns. */
export interface DemoResult {
  readonly studyName: string;
  readonly storage: string;
  readonly backend: string;
  readonly complete: number;
  readonly pruned: number;
  readonly fail: number;
  readonly elapsedS: number;
  /** The absolute path of the HTML report, when `reportPath` was given. */
  readonly reportPath: string | null;
  readonly best: {
    readonly number: number;
    readonly params: Readonly<Record<string, unknown>>;
    readonly validationAccuracy: number;
    readonly testAccuracy: number;
    readonly epochs: number;
  } | null;
}

/** The search space of the demo, as the objective suggests it. */
export function suggestDemoParams(trial: Trial) {
  const optimizer = trial.suggestCategorical('optimizer', ['sgd', 'rmsprop', 'adam'] as const);
  const lr = trial.suggestFloat('lr', 1e-4, 3e-1, { log: true });
  const momentum = optimizer === 'sgd' ? trial.suggestFloat('momentum', 0, 0.99) : 0;
  const batchSize = trial.suggestCategorical('batch_size', [32, 64, 128, 256] as const);
  const layers = trial.suggestInt('layers', 1, 3);
  const units = trial.suggestInt('units', 32, 256, { log: true });
  const dropout = trial.suggestFloat('dropout', 0, 0.5);
  const l2 = trial.suggestFloat('l2', 1e-6, 1e-2, { log: true });
  const schedule = trial.suggestCategorical('schedule', [
    'constant',
    'step',
    'exponential',
    'cosine',
  ] as const);
  return { optimizer, lr, momentum, batchSize, layers, units, dropout, l2, schedule };
}

/**
 * Runs the demo study. Trials run one at a time (`concurrency: 1`), which the exact
 * reproducibility of seeded training needs.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const trials = options.trials ?? 40;
  const epochs = options.epochs ?? 27;
  const seed = options.seed ?? 42;
  const storageUrl = options.storage ?? 'sqlite:///tunekit.db';
  const studyName = options.studyName ?? 'tunekit-demo';
  const info = options.info ?? (() => {});
  const backend = await useBackend(options.backend ?? 'auto');

  const digits = loadDigits();
  const split = trainValTestSplit(digits.features, digits.target, {
    validationSize: 0.2,
    testSize: 0.2,
    seed,
    standardize: true,
  });
  info(
    `digits: ${split.train.y.length} training, ${split.validation.y.length} validation and ${split.test.y.length} held-out test images (stratified, seed ${seed}); TensorFlow.js backend: ${backend}`,
  );
  const train = toTensors(split.train.x, split.train.y, 10);
  const val = toTensors(split.validation.x, split.validation.y, 10);
  const test = toTensors(split.test.x, split.test.y, 10);

  const storage = await getStorage(storageUrl);
  const started = Date.now();
  try {
    try {
      await storage.deleteStudy(await storage.getStudyIdFromName(studyName));
      info(`replaced the previous study '${studyName}' in ${storageUrl}`);
    } catch (e) {
      if (!(e instanceof StudyNotFoundError)) throw e;
    }
    const study = await createStudy({
      studyName,
      storage,
      direction: 'maximize',
      sampler: new AutoSampler({ seed }),
      pruner: new HyperbandPruner({ minResource: 1, maxResource: epochs, reductionFactor: 3 }),
    });
    // A sensible first configuration: the search starts from a known-good point.
    await study.enqueueTrial({
      optimizer: 'adam',
      lr: 0.003,
      batch_size: 64,
      layers: 2,
      units: 128,
      dropout: 0.1,
      l2: 1e-4,
      schedule: 'cosine',
    });
    const trialStart = new Map<number, number>();
    await study.optimize(
      async (trial) => {
        trialStart.set(trial.number, Date.now());
        options.onTrialStarted?.(trial.number);
        const p = suggestDemoParams(trial);
        const model = buildMlp({
          inputDim: 64,
          outputDim: 10,
          hidden: Array.from({ length: p.layers }, () => p.units),
          dropout: p.dropout,
          l2: p.l2,
          seed: deriveSeed(seed, 'init', trial.number),
        });
        try {
          model.compile({
            optimizer:
              p.optimizer === 'sgd'
                ? makeOptimizer('momentum', { learningRate: p.lr, momentum: p.momentum })
                : makeOptimizer(p.optimizer, { learningRate: p.lr }),
            loss: 'categoricalCrossentropy',
            metrics: ['accuracy'],
          });
          const pruning = new PruningCallback(trial, { monitor: 'val_acc', alsoReport: ['val_loss'] });
          const early = new EarlyStopping({ monitor: 'val_acc', patience: 8, restoreBestWeights: true });
          const schedule = makeScheduleCallback(p.schedule, epochs);
          const history = await withSeededRandom(deriveSeed(seed, 'train', trial.number), () =>
            model.fit(train.x, train.y, {
              epochs,
              batchSize: p.batchSize,
              shuffle: true,
              validationData: [val.x, val.y],
              verbose: 0,
              callbacks: [...(schedule ? [schedule] : []), pruning, early],
            }),
          );
          pruning.throwIfPruned();
          const valAcc = accuracy(split.validation.y, await predictClasses(model, val.x));
          const testAcc = accuracy(split.test.y, await predictClasses(model, test.x));
          trial.setUserAttr('test_accuracy', testAcc);
          trial.setUserAttr('epochs', history.epoch.length);
          trial.setUserAttr('best_epoch', early.bestEpoch);
          return valAcc;
        } finally {
          model.optimizer?.dispose();
          model.dispose();
        }
      },
      {
        nTrials: trials,
        concurrency: 1,
        callbacks: [
          (_s, t) => {
            const t0 = trialStart.get(t.number) ?? Date.now();
            options.onTrialFinished?.(t, (Date.now() - t0) / 1000);
          },
        ],
      },
    );
    const all = await study.getTrials();
    const count = (s: string) => all.filter((t) => t.state === s).length;
    const complete = all.filter((t) => t.state === 'complete');
    let best: DemoResult['best'] = null;
    if (complete.length > 0) {
      const b = await study.bestTrial();
      best = {
        number: b.number,
        params: b.params,
        validationAccuracy: b.values![0]!,
        testAccuracy: b.userAttrs.test_accuracy as number,
        epochs: b.userAttrs.epochs as number,
      };
    }
    const reportPath = options.reportPath === undefined ? null : await writeReport(study, options.reportPath);
    return {
      studyName,
      storage: storageUrl,
      backend,
      reportPath,
      complete: count('complete'),
      pruned: count('pruned'),
      fail: count('fail'),
      elapsedS: (Date.now() - started) / 1000,
      best,
    };
  } finally {
    tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y]);
    await storage.close();
  }
}
