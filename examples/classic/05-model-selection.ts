/**
 * Classic workflow 5: model selection and tuning in one study. Each trial picks a model —
 * logistic regression, an MLP or k-nearest neighbours — and then that model's own parameters
 * (define-by-run: the parameters of the models not chosen are simply never asked for), scored by
 * stratified 5-fold cross-validation accuracy on the training split of the breast-cancer data;
 * the best configuration is refitted on the whole training split and scored once on the
 * held-out split (20%, stratified), which no trial ever saw.
 *
 * Parameters: model ∈ {logistic, mlp, knn};
 * - logistic: C (log 1e-3…1e2), penalty ∈ {l1, l2};
 * - mlp: hidden layers 1…3, units per layer 8…32 (log), learning rate 1e-4…1e-1 (log), with
 *   adam, batch size 32 and 30 epochs;
 * - knn: k 1…30, weights ∈ {uniform, distance}.
 * Features are standardised inside each fold. TPE samples the conditional space.
 *
 * The MLP is tunekit's plain-TypeScript `MlpClassifier` (about 8 s of CPU for the whole study);
 * with `--tfjs` it is the same network on TensorFlow.js (`TfjsMlpClassifier`), whose
 * milliseconds per training step make the study take minutes.
 *
 *   npx tsx examples/classic/05-model-selection.ts [--tfjs]
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { createStudy, TPESampler, type Trial } from 'tunekit';
import {
  accuracy,
  crossValidate,
  type InnerEstimator,
  KNeighborsClassifier,
  LogisticRegression,
  loadBreastCancer,
  MlpClassifier,
  ScaledEstimator,
  stratifiedKFold,
  trainTestSplit,
} from 'tunekit/ml';

/** The models to choose from. */
export const MODELS = ['logistic', 'mlp', 'knn'] as const;
type ModelName = (typeof MODELS)[number];
type Params = Record<string, number | string>;

/** Suggests a model and its own parameters (define-by-run). */
export function suggestModel(trial: Trial): Params {
  const model = trial.suggestCategorical('model', MODELS);
  switch (model) {
    case 'logistic':
      return {
        model,
        C: trial.suggestFloat('C', 1e-3, 1e2, { log: true }),
        penalty: trial.suggestCategorical('penalty', ['l1', 'l2']),
      };
    case 'mlp':
      return {
        model,
        layers: trial.suggestInt('layers', 1, 3),
        units: trial.suggestInt('units', 8, 32, { log: true }),
        lr: trial.suggestFloat('lr', 1e-4, 1e-1, { log: true }),
      };
    default:
      return {
        model,
        k: trial.suggestInt('k', 1, 30),
        weights: trial.suggestCategorical('weights', ['uniform', 'distance']),
      };
  }
}

/** The MLP options of a configuration (the same for both MLP implementations). */
function mlpOptions(p: Params, seed: number) {
  return {
    hidden: Array.from({ length: p.layers as number }, () => p.units as number),
    learningRate: p.lr as number,
    optimizer: 'adam' as const,
    batchSize: 32,
    epochs: 30,
    seed,
  };
}

/** Makes the TensorFlow.js MLP (see `--tfjs`). */
type TfjsFactory = (p: Params, seed: number) => InnerEstimator & { dispose(): void };

/** The (unfitted) standardised estimator of a configuration; `tfjs` makes the MLP if given. */
export function makeModel(p: Params, seed: number, tfjs?: TfjsFactory): ScaledEstimator<InnerEstimator> {
  switch (p.model as ModelName) {
    case 'logistic':
      return new ScaledEstimator(
        new LogisticRegression({ C: p.C as number, penalty: p.penalty as 'l1' | 'l2' }),
      );
    case 'mlp':
      return new ScaledEstimator(tfjs ? tfjs(p, seed) : new MlpClassifier(mlpOptions(p, seed)));
    default:
      return new ScaledEstimator(
        new KNeighborsClassifier({ k: p.k as number, weights: p.weights as 'uniform' | 'distance' }),
      );
  }
}

/** Options of {@link main}. */
export interface ModelSelectionOptions {
  /** Train the MLP with TensorFlow.js instead of the plain-TypeScript MLP. Default false. */
  tfjs?: boolean | undefined;
  /** TPE trials. Default 40. */
  trials?: number | undefined;
  /** Seeds the split, the folds, the sampler and the MLP training. Default 0. */
  seed?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

/** What {@link main} returns. */
export interface ModelSelectionResult {
  readonly bestParams: Readonly<Params>;
  /** Mean 5-fold CV accuracy of the best configuration (training split). */
  readonly cvAccuracy: number;
  /** Accuracy of the refitted best configuration on the held-out split. */
  readonly testAccuracy: number;
  /** Best CV accuracy and trial count of each model. */
  readonly byModel: Readonly<Record<string, { trials: number; best: number }>>;
}

/** Runs the study, refits the best configuration and scores it on the held-out split. */
export async function main(options: ModelSelectionOptions = {}): Promise<ModelSelectionResult> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 0;
  const data = loadBreastCancer();
  const { train, test } = trainTestSplit(data.features, data.target, { testSize: 0.2, seed, stratify: true });
  const folds = stratifiedKFold(train.y, { k: 5, seed });
  const rows = (idx: readonly number[]) => idx.map((i) => train.x[i]!);
  const labels = (idx: readonly number[]) => idx.map((i) => train.y[i]!);
  let tfjs: TfjsFactory | undefined;
  if (options.tfjs) {
    const { TfjsMlpClassifier } = await import('tunekit/tfjs');
    tfjs = (p, s) => new TfjsMlpClassifier(mlpOptions(p, s));
  }
  /** Frees a TensorFlow.js model's tensors (the plain-TypeScript models hold none). */
  const release = (m: ScaledEstimator<InnerEstimator>) =>
    (m.estimator as { dispose?: () => void }).dispose?.();

  const study = await createStudy({ direction: 'maximize', sampler: new TPESampler({ seed }) });
  await study.optimize(
    async (trial) => {
      const params = suggestModel(trial);
      const { mean } = await crossValidate({
        folds,
        trial,
        evaluate: async (fold, i) => {
          const model = await makeModel(params, seed + i, tfjs).fit(rows(fold.train), labels(fold.train));
          const score = accuracy(labels(fold.test), await model.predict(rows(fold.test)));
          release(model);
          return score;
        },
      });
      return mean;
    },
    { nTrials: options.trials ?? 40 },
  );

  const trials = (await study.getTrials()).filter((t) => t.state === 'complete');
  const byModel: Record<string, { trials: number; best: number }> = {};
  for (const t of trials) {
    const name = t.params.model as string;
    const entry = byModel[name] ?? { trials: 0, best: 0 };
    byModel[name] = entry;
    entry.trials++;
    entry.best = Math.max(entry.best, t.values![0]!);
  }
  const best = await study.bestTrial();
  const bestParams = best.params as Params;
  const model = await makeModel(bestParams, seed, tfjs).fit(train.x, train.y);
  const testAccuracy = accuracy(test.y, await model.predict(test.x));
  release(model);

  log(
    `breast cancer: ${train.y.length} training rows (5-fold CV), ${test.y.length} held out; TPE, ${trials.length} trials; MLP on ${options.tfjs ? 'TensorFlow.js' : 'plain TypeScript'}`,
  );
  log('model     trials  best CV accuracy');
  for (const name of MODELS) {
    const e = byModel[name];
    if (e) log(`${name.padEnd(8)}  ${String(e.trials).padStart(6)}  ${e.best.toFixed(4)}`);
  }
  const shown = Object.entries(bestParams)
    .map(([k, v]) => `${k} = ${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : v}`)
    .join(', ');
  log(
    `best: ${shown}: CV accuracy ${best.values![0]!.toFixed(4)}, held-out accuracy ${testAccuracy.toFixed(4)}`,
  );
  return { bestParams, cvAccuracy: best.values![0]!, testAccuracy, byModel };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main({ tfjs: process.argv.includes('--tfjs') });
}
