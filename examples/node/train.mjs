#!/usr/bin/env node
// A training script in plain Node, tuned by `tunekit run` through the stdout line protocol:
//
//   npx tunekit run examples/cli/node-logreg.yaml
//
// It trains a logistic-regression classifier with mini-batch SGD (with momentum) or Adam on a
// small synthetic data set, and prints, after every epoch,
//   tunekit:report {"step": <epoch>, "value": <validation log-loss>}
// then, at the end,
//   tunekit:attrs {"val_accuracy": <accuracy>}
//   tunekit:result {"value": <validation log-loss>}
// The pruner may stop it after any report (SIGTERM). Nothing here depends on tunekit: any
// language that can print a line can be tuned the same way. The parameters arrive as arguments
// (from the study file's command template); they are also in $TUNEKIT_PARAM_<NAME> and in the
// JSON file at $TUNEKIT_PARAMS_FILE.
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    optimizer: { type: 'string', default: 'sgd' },
    lr: { type: 'string', default: '0.1' },
    momentum: { type: 'string', default: '0' },
    l2: { type: 'string', default: '0' },
    epochs: { type: 'string', default: '15' },
    seed: { type: 'string', default: '7' },
  },
});
const optimizer = args.optimizer;
const lr = Number(args.lr);
const momentum = Number(args.momentum);
const l2 = Number(args.l2);
const epochs = Number(args.epochs);

// Deterministic data: two overlapping Gaussian clouds in 8 dimensions.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(Number(args.seed));
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const DIM = 8;
function makeData(n) {
  const xs = [];
  const ys = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    xs.push(
      Array.from({ length: DIM }, (_, j) => gauss() * (1 + j / 4) + (y ? 0.6 : -0.6) * (j < 4 ? 1 : 0.2)),
    );
    ys.push(y);
  }
  return { xs, ys };
}
const train = makeData(400);
const val = makeData(200);

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const w = new Float64Array(DIM + 1); // last: bias
const velocity = new Float64Array(DIM + 1);
const m1 = new Float64Array(DIM + 1);
const m2 = new Float64Array(DIM + 1);
let adamStep = 0;

function predict(x) {
  let z = w[DIM];
  for (let j = 0; j < DIM; j++) z += w[j] * x[j];
  return sigmoid(z);
}

function evaluate() {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < val.xs.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, predict(val.xs[i])));
    loss -= val.ys[i] ? Math.log(p) : Math.log(1 - p);
    if ((p > 0.5 ? 1 : 0) === val.ys[i]) correct++;
  }
  return { loss: loss / val.xs.length, accuracy: correct / val.xs.length };
}

const BATCH = 32;
let result = evaluate();
for (let epoch = 0; epoch < epochs; epoch++) {
  for (let start = 0; start < train.xs.length; start += BATCH) {
    const grad = new Float64Array(DIM + 1);
    const end = Math.min(train.xs.length, start + BATCH);
    for (let i = start; i < end; i++) {
      const err = predict(train.xs[i]) - train.ys[i];
      for (let j = 0; j < DIM; j++) grad[j] += err * train.xs[i][j];
      grad[DIM] += err;
    }
    for (let j = 0; j <= DIM; j++) grad[j] = grad[j] / (end - start) + (j < DIM ? l2 * w[j] : 0);
    if (optimizer === 'adam') {
      adamStep++;
      for (let j = 0; j <= DIM; j++) {
        m1[j] = 0.9 * m1[j] + 0.1 * grad[j];
        m2[j] = 0.999 * m2[j] + 0.001 * grad[j] ** 2;
        const mHat = m1[j] / (1 - 0.9 ** adamStep);
        const vHat = m2[j] / (1 - 0.999 ** adamStep);
        w[j] -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    } else {
      for (let j = 0; j <= DIM; j++) {
        velocity[j] = momentum * velocity[j] - lr * grad[j];
        w[j] += velocity[j];
      }
    }
  }
  result = evaluate();
  console.log(`epoch ${epoch}: val_loss=${result.loss.toFixed(4)} val_acc=${result.accuracy.toFixed(3)}`);
  console.log(`tunekit:report ${JSON.stringify({ step: epoch, value: result.loss })}`);
}
console.log(`tunekit:attrs ${JSON.stringify({ val_accuracy: result.accuracy })}`);
// A diverged run gives NaN: JSON.stringify would write null, so say NaN explicitly; tunekit
// fails the trial with the reason "the result is NaN".
console.log(`tunekit:result {"value": ${Number.isNaN(result.loss) ? 'NaN' : result.loss}}`);
