/**
 * Classic workflow 4: a linear model trained by gradient descent, SGD, AdaGrad and RMSprop
 * (tunekit's `LinearRegressionGD`, whose update rules are written out in
 * src/ml/models/update-rules.ts), with the optimizer and its learning rate tuned by TPE, and
 * the loss curves of the best run of each optimizer shown side by side.
 *
 * Data: the bundled wine data (178 wines, UCI), predicting the alcohol content (% vol) from the
 * 12 other chemical measurements, standardised on the training rows, the target centred on its
 * training mean (so that the curves show the coefficients being learnt rather than a large
 * intercept); 25% of the rows are held out for validation, whose mean squared error after 50 epochs is the objective. Parameters
 * (define-by-run, conditional): the optimizer, a learning rate per optimizer (log scale, each
 * over its own sensible range) and, for SGD only, a momentum. The ordinary-least-squares
 * solution (normal equations) is printed as the floor no optimizer can beat on the training rows.
 *
 *   npx tsx examples/classic/04-gradient-descent-optimizers.ts
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { createStudy, TPESampler, type Trial } from 'tunekit';
import { LinearRegressionGD, loadWine, meanSquaredError, StandardScaler, trainTestSplit } from 'tunekit/ml';

/** The optimizers compared. */
export const OPTIMIZERS = ['gd', 'sgd', 'adagrad', 'rmsprop'] as const;
type Optimizer = (typeof OPTIMIZERS)[number];

/** Learning-rate ranges, by optimizer (log-uniform). */
const LR_RANGE: Record<Optimizer, [number, number]> = {
  gd: [1e-3, 1],
  sgd: [1e-4, 1e-1],
  adagrad: [1e-2, 10],
  rmsprop: [1e-4, 1e-1],
};

const EPOCHS = 50;

/** Options of {@link main}. */
export interface GradientDescentOptions {
  /** TPE trials. Default 60. */
  trials?: number | undefined;
  /** Seeds the split, the sampler and the mini-batches. Default 0. */
  seed?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

/** What {@link main} returns. */
export interface GradientDescentResult {
  readonly bestParams: Readonly<Record<string, number | string>>;
  /** Validation MSE of the best trial. */
  readonly bestValidationMse: number;
  /** Validation MSE of the least-squares solution fitted on the training rows. */
  readonly olsValidationMse: number;
  /** Validation loss curve (epochs 0..50) of the best trial of each optimizer. */
  readonly curves: Readonly<Record<Optimizer, readonly number[]>>;
  /** Best validation MSE of each optimizer. */
  readonly bestByOptimizer: Readonly<Record<Optimizer, number>>;
}

/** Least squares with an intercept by the normal equations (Gaussian elimination, partial pivoting). */
function leastSquares(x: number[][], y: number[]): { coef: number[]; intercept: number } {
  const p = x[0]!.length + 1;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < x.length; i++) {
    const row = [...x[i]!, 1];
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) a[r]![c]! += row[r]! * row[c]!;
      a[r]![p]! += row[r]! * y[i]!;
    }
  }
  for (let col = 0; col < p; col++) {
    let piv = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= p; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  const sol = a.map((row, r) => row[p]! / row[r]!);
  return { coef: sol.slice(0, p - 1), intercept: sol[p - 1]! };
}

/** A sparkline of a positive series on a log scale (one character per value). */
export function sparkline(values: readonly number[]): string {
  const marks = '▁▂▃▄▅▆▇█';
  const logs = values.map((v) => Math.log10(Math.max(v, 1e-12)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  return logs
    .map((l) => marks[hi === lo ? 0 : Math.round(((l - lo) / (hi - lo)) * (marks.length - 1))])
    .join('');
}

/** Runs the study and prints the curves. */
export async function main(options: GradientDescentOptions = {}): Promise<GradientDescentResult> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 0;
  const wine = loadWine();
  // Target: alcohol (column 0); features: the 12 other measurements.
  const x = wine.features.map((r) => r.slice(1));
  const y = wine.features.map((r) => r[0]!);
  const split = trainTestSplit(x, y, { testSize: 0.25, seed });
  const scaler = new StandardScaler().fit(split.train.x);
  const yMean = split.train.y.reduce((a, b) => a + b, 0) / split.train.y.length;
  const train = { x: scaler.transform(split.train.x), y: split.train.y.map((v) => v - yMean) };
  const val = { x: scaler.transform(split.test.x), y: split.test.y.map((v) => v - yMean) };

  const ols = leastSquares(train.x, train.y);
  const olsPred = val.x.map((r) => r.reduce((s, v, j) => s + v * ols.coef[j]!, ols.intercept));
  const olsValidationMse = meanSquaredError(val.y, olsPred);

  const trainModel = (params: Record<string, number | string>) => {
    const optimizer = params.optimizer as Optimizer;
    return new LinearRegressionGD({
      optimizer,
      learningRate: params[`lr_${optimizer}`] as number,
      ...(optimizer === 'sgd' ? { momentum: params.momentum as number } : {}),
      epochs: EPOCHS,
      batchSize: 16,
      seed,
    }).fit(train.x, train.y, val);
  };
  const study = await createStudy({ direction: 'minimize', sampler: new TPESampler({ seed }) });
  await study.optimize(
    (trial: Trial) => {
      const optimizer = trial.suggestCategorical('optimizer', OPTIMIZERS);
      const [lo, hi] = LR_RANGE[optimizer];
      const params: Record<string, number | string> = {
        optimizer,
        [`lr_${optimizer}`]: trial.suggestFloat(`lr_${optimizer}`, lo, hi, { log: true }),
      };
      if (optimizer === 'sgd') params.momentum = trial.suggestFloat('momentum', 0, 0.95);
      const model = trainModel(params);
      const mse = model.evalCurve.at(-1)!;
      // A learning rate that makes training diverge is simply a very bad configuration.
      return model.diverged || !Number.isFinite(mse) ? Number.POSITIVE_INFINITY : mse;
    },
    { nTrials: options.trials ?? 60 },
  );

  const trials = (await study.getTrials()).filter((t) => t.state === 'complete');
  const curves = {} as Record<Optimizer, number[]>;
  const bestByOptimizer = {} as Record<Optimizer, number>;
  log(
    `wine: predict alcohol (% vol) from 12 measurements; ${train.y.length} training, ${val.y.length} validation rows`,
  );
  log(`least squares (normal equations): validation MSE ${olsValidationMse.toFixed(4)}`);
  log(
    `TPE, ${trials.length} trials: best run of each optimizer, validation MSE over ${EPOCHS} epochs (log-scale sparkline)`,
  );
  log('optimizer  trials  learning rate  extra          epoch 1     epoch 5    epoch 50  curve');
  for (const name of OPTIMIZERS) {
    const mine = trials.filter((t) => t.params.optimizer === name);
    if (mine.length === 0) continue;
    const best = mine.reduce((a, b) => (b.values![0]! < a.values![0]! ? b : a));
    const model = trainModel(best.params as Record<string, number | string>);
    curves[name] = model.evalCurve;
    bestByOptimizer[name] = best.values![0]!;
    const lr = best.params[`lr_${name}`] as number;
    const extra = name === 'sgd' ? `momentum ${(best.params.momentum as number).toFixed(2)}` : '';
    const at = (e: number) => (model.evalCurve[e] ?? Number.NaN).toPrecision(4).padStart(10);
    log(
      `${name.padEnd(9)}  ${String(mine.length).padStart(6)}  ${lr.toExponential(2).padStart(13)}  ${extra.padEnd(13)}  ${at(1)}  ${at(5)}  ${at(EPOCHS)}  ${sparkline(model.evalCurve)}`,
    );
  }
  const best = await study.bestTrial();
  const bestParams = best.params as Record<string, number | string>;
  log(
    `best: ${bestParams.optimizer}, learning rate ${(bestParams[`lr_${bestParams.optimizer}`] as number).toExponential(3)}${
      bestParams.momentum !== undefined ? `, momentum ${(bestParams.momentum as number).toFixed(3)}` : ''
    }: validation MSE ${best.values![0]!.toFixed(4)} (least squares ${olsValidationMse.toFixed(4)})`,
  );
  return { bestParams, bestValidationMse: best.values![0]!, olsValidationMse, curves, bestByOptimizer };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
