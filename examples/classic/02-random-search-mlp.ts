/**
 * Classic workflow 2: randomized search with cross-validation (scikit-learn's
 * RandomizedSearchCV) over an MLP's batch size, epochs, optimizer and activation, on iris.
 *
 * 10 configurations drawn at random (seeded) from batch size {10, 20, 40} × epochs {10, 50, 100}
 * × optimizer {adam, rmsprop} × activation {relu, tanh}, each scored by stratified 5-fold
 * cross-validation accuracy. The MLP has one hidden layer of 16 units and a learning rate of
 * 0.01 (fixed here: the search is over the four parameters above); features are standardised
 * inside each fold.
 *
 * By default the MLP is tunekit's plain-TypeScript `MlpClassifier` (the whole search takes
 * seconds); with `--tfjs` the same network is trained by TensorFlow.js (`TfjsMlpClassifier`),
 * which costs milliseconds per training step in Node: up to 60 000 steps here, minutes.
 *
 *   npx tsx examples/classic/02-random-search-mlp.ts [--tfjs]
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { RandomSampler } from 'tunekit';
import { type Estimator, loadIris, MlpClassifier, ScaledEstimator, searchCV } from 'tunekit/ml';

/** The search space of this example. */
export const SPACE = {
  batchSize: [10, 20, 40],
  epochs: [10, 50, 100],
  optimizer: ['adam', 'rmsprop'],
  activation: ['relu', 'tanh'],
} as const;

/** A configuration of {@link SPACE}. */
export interface MlpConfig {
  readonly batchSize: number;
  readonly epochs: number;
  readonly optimizer: 'adam' | 'rmsprop';
  readonly activation: 'relu' | 'tanh';
}

/** Options of {@link main}. */
export interface RandomSearchOptions {
  /** Train with TensorFlow.js instead of the plain-TypeScript MLP. Default false. */
  tfjs?: boolean | undefined;
  /** Configurations drawn. Default 10. */
  draws?: number | undefined;
  /** Seeds the draws, the folds and the training. Default 0. */
  seed?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

/** What {@link main} returns. */
export interface RandomSearchResult {
  readonly bestParams: MlpConfig;
  /** Mean 5-fold CV accuracy of the best configuration. */
  readonly bestScore: number;
  readonly results: readonly { params: MlpConfig; mean: number; std: number }[];
}

/** Runs the randomized search. */
export async function main(options: RandomSearchOptions = {}): Promise<RandomSearchResult> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 0;
  const iris = loadIris();
  let makeMlp: (p: MlpConfig, s: number) => Estimator = (p, s) =>
    new MlpClassifier({ hidden: [16], learningRate: 0.01, ...p, seed: s });
  if (options.tfjs) {
    const { TfjsMlpClassifier } = await import('tunekit/tfjs');
    makeMlp = (p, s) => new TfjsMlpClassifier({ hidden: [16], learningRate: 0.01, ...p, seed: s });
  }
  let fits = 0;
  const search = await searchCV({
    estimator: (p) => new ScaledEstimator(makeMlp(p as unknown as MlpConfig, seed + fits++)),
    x: iris.features,
    y: iris.target,
    space: SPACE,
    sampler: new RandomSampler({ seed }),
    nTrials: options.draws ?? 10,
    cv: 5,
    scoring: 'accuracy',
    seed,
  });
  const results = search.results.map((r) => ({
    params: r.params as unknown as MlpConfig,
    mean: r.meanTestScore,
    std: r.stdTestScore,
  }));
  log(
    `randomized search, MLP on iris (${options.tfjs ? 'TensorFlow.js' : 'plain TypeScript'}), stratified 5-fold CV accuracy`,
  );
  log('batch  epochs  optimizer  activation   mean ± std');
  for (const { params: p, mean, std } of results) {
    log(
      `${String(p.batchSize).padStart(5)}  ${String(p.epochs).padStart(6)}  ${p.optimizer.padEnd(9)}  ${p.activation.padEnd(10)}   ${mean.toFixed(3)} ± ${std.toFixed(3)}`,
    );
  }
  const bestParams = search.bestParams as unknown as MlpConfig;
  log(
    `best: batch size ${bestParams.batchSize}, ${bestParams.epochs} epochs, ${bestParams.optimizer}, ${bestParams.activation}: CV accuracy ${search.bestScore.toFixed(4)}`,
  );
  return { bestParams, bestScore: search.bestScore, results };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main({ tfjs: process.argv.includes('--tfjs') });
}
