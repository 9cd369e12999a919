/**
 * Classic workflow 1: grid search with cross-validation (scikit-learn's GridSearchCV) over a
 * logistic regression's regularisation strength C and penalty, on iris.
 *
 * Every combination of C ∈ {0.001, 0.01, 0.1, 1, 10, 100} and penalty ∈ {l1, l2} (12
 * configurations) is scored by stratified 5-fold cross-validation accuracy; the features are
 * standardised inside each fold (`ScaledEstimator`), so the test fold never leaks into the scaler.
 *
 *   npx tsx examples/classic/01-grid-search-logistic.ts
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { GridSampler } from 'tunekit';
import { LogisticRegression, loadIris, ScaledEstimator, searchCV } from 'tunekit/ml';

/** The grid of this example. */
export const GRID = {
  C: [0.001, 0.01, 0.1, 1, 10, 100],
  penalty: ['l1', 'l2'],
} as const;

/** What {@link main} returns. */
export interface GridSearchResult {
  readonly bestParams: { readonly C: number; readonly penalty: 'l1' | 'l2' };
  /** Mean 5-fold CV accuracy of the best configuration. */
  readonly bestScore: number;
  /** Every configuration with its mean and standard deviation over the folds. */
  readonly results: readonly { C: number; penalty: string; mean: number; std: number; rank: number | null }[];
}

/** Runs the grid search; `log` receives the printed lines. */
export async function main(log: (line: string) => void = console.log): Promise<GridSearchResult> {
  const iris = loadIris();
  const search = await searchCV({
    estimator: (p) =>
      new ScaledEstimator(new LogisticRegression({ C: p.C as number, penalty: p.penalty as 'l1' | 'l2' })),
    x: iris.features,
    y: iris.target,
    grid: GRID,
    sampler: new GridSampler(GRID, { seed: 0 }),
    cv: 5,
    scoring: 'accuracy',
    seed: 0,
  });
  const results = search.results.map((r) => ({
    C: r.params.C as number,
    penalty: r.params.penalty as string,
    mean: r.meanTestScore,
    std: r.stdTestScore,
    rank: r.rank,
  }));
  results.sort((a, b) => a.penalty.localeCompare(b.penalty) || a.C - b.C);
  log('grid search, logistic regression on iris (stratified 5-fold CV accuracy)');
  log('penalty        C   mean ± std      rank');
  for (const r of results) {
    log(
      `${r.penalty.padEnd(7)} ${String(r.C).padStart(6)}   ${r.mean.toFixed(3)} ± ${r.std.toFixed(3)}   ${String(r.rank ?? '-').padStart(4)}`,
    );
  }
  const bestParams = { C: search.bestParams.C as number, penalty: search.bestParams.penalty as 'l1' | 'l2' };
  log(
    `best: C = ${bestParams.C}, penalty = ${bestParams.penalty}, CV accuracy ${search.bestScore.toFixed(4)}`,
  );
  return { bestParams, bestScore: search.bestScore, results };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
