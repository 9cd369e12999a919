/**
 * Builds the learning-curve table of the pruning benchmark (`bench/data/learning-curves.json.gz`):
 * trains a small TensorFlow.js MLP on the bundled digits data for N configurations of a mixed,
 * conditional space (optimizer, learning rate (log), momentum with SGD, batch size, layers,
 * units, dropout, L2), drawn with a seeded RandomSampler, and records the validation accuracy
 * and loss after every epoch. Values are rounded to 4 decimals; the file is rewritten after every
 * configuration, so an interrupted run leaves a usable table.
 *
 *   npx tsx scripts/build-learning-curves.ts --n 200 --epochs 27 --seed 0 [--out path] [--backend wasm]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../src/core/rng.js';
import { RandomSampler } from '../src/index.js';
import { loadDigits, trainValTestSplit } from '../src/ml/datasets.js';
import { useBackend, withSeededRandom } from '../src/ml/tfjs/backend.js';
import { buildMlp, toTensors } from '../src/ml/tfjs/builder.js';
import { makeOptimizer } from '../src/ml/tfjs/optimizers.js';
import { createStudy } from '../src/study/create-study.js';
import { suggestCurveParams } from '../src/testing/learning-curves.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    epochs: { type: 'string', default: '27' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/data/learning-curves.json.gz' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const n = Number(args.n);
const epochs = Number(args.epochs);
const seed = Number(args.seed);
const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

const backend = await useBackend(args.backend as 'wasm' | 'cpu' | 'auto');
const digits = loadDigits();
const split = trainValTestSplit(digits.features, digits.target, {
  validationSize: 0.2,
  testSize: 0.2,
  seed,
  standardize: true,
});
const train = toTensors(split.train.x, split.train.y, 10);
const val = toTensors(split.validation.x, split.validation.y, 10);
const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed }) });

const configs: { params: Record<string, string | number>; valAcc: number[]; valLoss: number[] }[] = [];
const started = Date.now();
const save = () => {
  const table = {
    description:
      'Learning curves of a TF.js MLP on digits (validation accuracy and loss after every epoch), made by scripts/build-learning-curves.ts',
    dataset: 'digits',
    epochs,
    seed,
    backend,
    train: split.train.y.length,
    validation: split.validation.y.length,
    configs,
  };
  writeFileSync(args.out, gzipSync(JSON.stringify(table), { level: 9 }));
};
for (let i = 0; i < n; i++) {
  const t0 = Date.now();
  const trial = await study.ask();
  const p = suggestCurveParams(trial);
  const model = buildMlp({
    inputDim: 64,
    outputDim: 10,
    hidden: Array.from({ length: p.layers }, () => p.units),
    dropout: p.dropout,
    l2: p.l2,
    seed: deriveSeed(seed, 'init', i),
  });
  const valAcc: number[] = [];
  const valLoss: number[] = [];
  try {
    model.compile({
      optimizer:
        p.optimizer === 'sgd'
          ? makeOptimizer('momentum', { learningRate: p.lr, momentum: p.momentum })
          : makeOptimizer(p.optimizer, { learningRate: p.lr }),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    await withSeededRandom(deriveSeed(seed, 'train', i), () =>
      model.fit(train.x, train.y, {
        epochs,
        batchSize: p.batchSize,
        shuffle: true,
        validationData: [val.x, val.y],
        verbose: 0,
        callbacks: {
          onEpochEnd: async (_epoch, logs) => {
            const acc = Number(logs?.val_acc ?? logs?.val_accuracy);
            const loss = Number(logs?.val_loss);
            valAcc.push(Number.isFinite(acc) ? r4(acc) : 0);
            // A diverged run (NaN loss) is recorded with a large finite loss.
            valLoss.push(Number.isFinite(loss) ? r4(Math.min(loss, 1e3)) : 1e3);
          },
        },
      }),
    );
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
  await study.tell(trial, { state: 'complete', values: [valAcc[valAcc.length - 1] ?? 0] });
  const params = Object.fromEntries(
    Object.entries(trial.params).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(6)) : v]),
  ) as Record<string, string | number>;
  configs.push({ params, valAcc, valLoss });
  save();
  console.error(
    `${i + 1}/${n}  ${((Date.now() - t0) / 1000).toFixed(1)}s  final acc ${valAcc[valAcc.length - 1]}  ${JSON.stringify(params)}  (elapsed ${((Date.now() - started) / 1000).toFixed(0)}s)`,
  );
}
tf.dispose([train.x, train.y, val.x, val.y]);
