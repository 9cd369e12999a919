/**
 * The Pareto pruner: stop a trial whose vector of intermediate metrics is dominated by several
 * complete trials at the same step.
 * @module
 */
import { dominates } from '../core/best-trial.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import type { Pruner } from './base.js';
import { checkInt, checkOptionsObject, describe, isCheckStep, metricValues } from './common.js';

/** Options of {@link ParetoPruner}. */
export interface ParetoPrunerOptions {
  /**
   * The metrics that form the vector, each with its direction, in order:
   * `{ loss: 'minimize', latency: 'minimize' }`. Report them together with
   * `trial.report({ loss, latency }, step)`.
   */
  metrics: Readonly<Record<string, StudyDirection>>;
  /** Prune when at least this many complete trials dominate the trial at its step. Default 3. */
  nDominating?: number | undefined;
  /** No pruning until this many trials are complete. Default 5. */
  nStartupTrials?: number | undefined;
  /** No pruning before this step. Default 0. */
  nWarmupSteps?: number | undefined;
  /** Steps between checks, counted from the warm-up. Default 1. */
  intervalSteps?: number | undefined;
}

/**
 * For multi-objective studies: prunes a trial whose vector of intermediate metrics at its latest
 * step (the last step at which it reported every metric) is Pareto-dominated by the vectors of at
 * least `nDominating` complete trials at the same step. A NaN in the trial's vector prunes;
 * complete trials with a NaN or a missing metric at that step do not count.
 *
 * @example
 * ```ts
 * const study = await createStudy({
 *   directions: ['minimize', 'minimize'],
 *   pruner: new ParetoPruner({ metrics: { loss: 'minimize', latency: 'minimize' }, nDominating: 3 }),
 * });
 * await study.optimize(async (trial) => {
 *   const width = trial.suggestInt('width', 8, 512, { log: true });
 *   let loss = 0;
 *   let latency = 0;
 *   for (let epoch = 0; epoch < 10; epoch++) {
 *     ({ loss, latency } = await trainOneEpoch(width));
 *     await trial.report({ loss, latency }, epoch);
 *     if (await trial.shouldPrune()) throw new TrialPruned();
 *   }
 *   return [loss, latency];
 * }, { nTrials: 60 });
 * ```
 */
export class ParetoPruner implements Pruner {
  readonly name = 'pareto';
  readonly metrics: readonly string[];
  readonly directions: readonly StudyDirection[];
  readonly nDominating: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  constructor(options: ParetoPrunerOptions) {
    const who = 'ParetoPruner';
    checkOptionsObject(who, options);
    const metrics = options?.metrics;
    if (
      metrics === null ||
      typeof metrics !== 'object' ||
      Array.isArray(metrics) ||
      Object.keys(metrics).length === 0
    ) {
      throw new InvalidArgumentError(
        `${who}: metrics must name the reported metrics with their directions, such as { loss: 'minimize', acc: 'maximize' }; got ${describe(metrics)}.`,
      );
    }
    for (const [name, d] of Object.entries(metrics)) {
      if (d !== 'minimize' && d !== 'maximize') {
        throw new InvalidArgumentError(
          `${who}: the direction of metric '${name}' must be 'minimize' or 'maximize', got ${describe(d)}.`,
        );
      }
    }
    this.metrics = Object.keys(metrics);
    this.directions = Object.values(metrics);
    this.nDominating = checkInt(
      who,
      'nDominating',
      options.nDominating ?? 3,
      1,
      'Pass how many dominating trials prune, such as 3.',
    );
    this.nStartupTrials = checkInt(
      who,
      'nStartupTrials',
      options.nStartupTrials ?? 5,
      0,
      'Pass the number of complete trials to wait for, such as 5.',
    );
    this.nWarmupSteps = checkInt(
      who,
      'nWarmupSteps',
      options.nWarmupSteps ?? 0,
      0,
      'Pass 0 to check from the first step.',
    );
    this.intervalSteps = checkInt(
      who,
      'intervalSteps',
      options.intervalSteps ?? 1,
      1,
      'Pass 1 to check at every step.',
    );
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const complete = study.getTrials(['complete']);
    if (complete.length === 0 || complete.length < this.nStartupTrials) return false;
    const columns = this.metrics.map((m) => metricValues(trial, m));
    const steps: number[] = [];
    for (const s of columns[0]!.keys()) if (columns.every((c) => c.has(s))) steps.push(s);
    if (steps.length === 0) return false;
    const step = Math.max(...steps);
    if (!isCheckStep(step, steps, this.nWarmupSteps, this.intervalSteps)) return false;
    const mine = columns.map((c) => c.get(step)!);
    if (mine.some(Number.isNaN)) return true;
    let count = 0;
    const other: number[] = new Array(this.metrics.length);
    for (const t of complete) {
      if (t.trialId === trial.trialId) continue;
      let ok = true;
      for (let i = 0; i < this.metrics.length; i++) {
        const v = metricValues(t, this.metrics[i]).get(step);
        if (v === undefined || Number.isNaN(v)) {
          ok = false;
          break;
        }
        other[i] = v;
      }
      if (ok && dominates(other, mine, this.directions) && ++count >= this.nDominating) return true;
    }
    return false;
  }
}
