/**
 * The Wilcoxon pruner: a paired test between a trial's per-instance values and the best trial's.
 * @module
 */
import { bestOf } from '../core/best-trial.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import { log } from '../core/logging.js';
import { wilcoxonSignedRank } from '../math/stats/wilcoxon.js';
import type { StudyView } from '../samplers/base.js';
import type { Pruner } from './base.js';
import {
  checkInt,
  checkMetricOptions,
  checkOptionsObject,
  checkRange,
  type MetricOptions,
  metricValues,
  resolveDirection,
} from './common.js';

/** Options of {@link WilcoxonPruner}. */
export interface WilcoxonPrunerOptions extends MetricOptions {
  /**
   * Prune when the one-sided p-value that the trial is worse than the best one falls below this
   * (0–1; larger prunes more eagerly). Default 0.1.
   */
  pThreshold?: number | undefined;
  /** No pruning before this many instances are shared with the best trial (at least 2). Default 2. */
  nStartupSteps?: number | undefined;
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  log.warn(message);
}

/**
 * For objectives that average a score over instances (cross-validation folds, benchmark
 * problems, test questions): report each instance's value with its instance id as the step,
 * `trial.report(loss, foldId)`, in any order. The pruner pairs the trial's values with the best
 * complete trial's on the instances both evaluated and runs a one-sided Wilcoxon signed-rank
 * test (zero differences split, exact p-values for up to 50 instances); it prunes when the trial
 * is worse with p < `pThreshold`. For safety it never prunes a trial whose mean so far is at
 * least as good as the best trial's mean, nor one with non-finite values.
 *
 * The best trial is the study's best complete trial; in a multi-objective study (where
 * `direction` is required) it is the complete trial with the best mean of the metric.
 *
 * @example
 * ```ts
 * const study = await createStudy({ pruner: new WilcoxonPruner({ pThreshold: 0.1 }) });
 * await study.optimize(async (trial) => {
 *   const c = trial.suggestFloat('c', 1e-3, 1e3, { log: true });
 *   const losses: number[] = [];
 *   for (const fold of shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])) {
 *     const loss = await evaluateFold(c, fold);
 *     losses.push(loss);
 *     await trial.report(loss, fold);
 *     if (await trial.shouldPrune()) break; // or throw new TrialPruned()
 *   }
 *   return losses.reduce((a, b) => a + b) / losses.length;
 * }, { nTrials: 50 });
 * ```
 */
export class WilcoxonPruner implements Pruner {
  readonly name = 'wilcoxon';
  readonly pThreshold: number;
  readonly nStartupSteps: number;
  readonly metric: string | undefined;
  readonly direction: MetricOptions['direction'];

  constructor(options: WilcoxonPrunerOptions = {}) {
    const who = 'WilcoxonPruner';
    checkOptionsObject(who, options);
    this.pThreshold = checkRange(
      who,
      'pThreshold',
      options.pThreshold ?? 0.1,
      0,
      1,
      'Pass a p-value threshold such as 0.1 (larger prunes more).',
    );
    this.nStartupSteps = checkInt(
      who,
      'nStartupSteps',
      options.nStartupSteps ?? 2,
      0,
      'Pass how many shared instances to wait for, such as 2.',
    );
    checkMetricOptions(who, options);
    this.metric = options.metric;
    this.direction = options.direction;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const direction = resolveDirection('WilcoxonPruner', study, this.direction, this.metric);
    const mine = metricValues(trial, this.metric);
    if (mine.size === 0) return false;
    if (!allFinite(mine)) {
      warnOnce(`WilcoxonPruner: trial ${trial.number} reported a non-finite value; it is not pruned.`);
      return false;
    }
    const best = this.bestTrial(study, direction);
    if (best === null || best.trialId === trial.trialId) return false;
    const theirs = metricValues(best, this.metric);
    if (theirs.size === 0 || !allFinite(theirs)) return false;
    const diffs: number[] = [];
    for (const [step, v] of mine) {
      const w = theirs.get(step);
      if (w !== undefined) diffs.push(v - w);
    }
    if (diffs.length < Math.max(2, this.nStartupSteps)) return false;
    const myMean = mean(mine.values());
    const bestMean = mean(theirs.values());
    // Safety: a trial doing at least as well on average as the best one is never pruned.
    if (direction === 'minimize' ? bestMean >= myMean : bestMean <= myMean) return false;
    const { pvalue } = wilcoxonSignedRank(diffs, {
      alternative: direction === 'minimize' ? 'greater' : 'less',
      zeroMethod: 'zsplit',
    });
    return pvalue < this.pThreshold;
  }

  private bestTrial(study: StudyView, direction: StudyDirection): FrozenTrial | null {
    const complete = study.getTrials(['complete']);
    if (study.directions.length === 1) return bestOf(complete, study.directions);
    let best: FrozenTrial | null = null;
    let bestMean = Number.NaN;
    for (const t of complete) {
      const values = metricValues(t, this.metric);
      if (values.size === 0) continue;
      const m = mean(values.values());
      if (Number.isNaN(m)) continue;
      if (best === null || (direction === 'minimize' ? m < bestMean : m > bestMean)) {
        best = t;
        bestMean = m;
      }
    }
    return best;
  }
}

function allFinite(values: ReadonlyMap<number, number>): boolean {
  for (const v of values.values()) if (!Number.isFinite(v)) return false;
  return true;
}

function mean(values: Iterable<number>): number {
  let s = 0;
  let n = 0;
  for (const v of values) {
    s += v;
    n++;
  }
  return n === 0 ? Number.NaN : s / n;
}
