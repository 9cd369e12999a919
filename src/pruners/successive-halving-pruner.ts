/**
 * Asynchronous successive halving (ASHA).
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import { type FrozenTrial, isFinished } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import type { Pruner } from './base.js';
import {
  checkInt,
  checkMetricOptions,
  checkOptionsObject,
  describe,
  isEarlierCompletion,
  lastStep,
  type MetricOptions,
  metricValues,
  resolveDirection,
  SortedColumns,
} from './common.js';
import { FinishedTrialTracker } from './finished-trials.js';
import { addToRungs, decideRungs, type RungDecision, type RungSettings, recordRungs } from './rungs.js';

/** Options of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingPrunerOptions extends MetricOptions {
  /**
   * The step of the first rung (the least resource a trial gets), or 'auto' (default): the last
   * step of the first trial that completed, divided by 100 (at least 1). No trial is pruned
   * before one completes. Give a number when trials report different numbers of steps.
   */
  minResource?: number | 'auto' | undefined;
  /** η: about 1/η of the trials reaching a rung go on to the next; rungs are η times apart. Default 4. */
  reductionFactor?: number | undefined;
  /** s: the first rung is at minResource·η^s. Default 0. */
  minEarlyStoppingRate?: number | undefined;
  /** Trials are pruned at a rung until more than this many reached it. Default 0. */
  bootstrapCount?: number | undefined;
}

/** What the pruner memoises per study and metric. */
interface ShaState {
  /** Every finished trial seen. */
  readonly finished: FrozenTrial[];
  /** The first complete trial with reports ('auto' minimum resource). */
  first: FrozenTrial | null;
  /** The minimum resource `rungs` was built for. */
  builtFor: number | null;
  /** Finished trials' values per rung. */
  rungs: SortedColumns;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020). Rung k sits at step
 * minResource·η^(s+k); when a trial first reports a step at or past a rung, it is promoted only
 * if it is among the best 1/η of the trials that reached that rung (the first η − 1 arrivals go
 * on when they are the best so far), and pruned otherwise. Trials never wait for each other, so
 * any number of workers and processes can run at once.
 *
 * Rungs are derived from the trials' reports, not from private state: the decision is the same
 * whichever worker computes it. `trial.shouldPrune()` records each decided rung in the trial's
 * system attributes (`sha:completed_rung_<k>`, and `sha:pruned_at_rung`), so a rung is decided
 * once. Supports `metric` and, with `direction`, multi-objective studies.
 *
 * @example
 * ```ts
 * const study = await createStudy({
 *   direction: 'maximize',
 *   pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
 * });
 * await study.optimize(async (trial) => {
 *   const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
 *   let acc = 0;
 *   for (let epoch = 1; epoch <= 27; epoch++) {
 *     acc = await trainOneEpoch(lr);
 *     await trial.report(acc, epoch);
 *     if (await trial.shouldPrune()) throw new TrialPruned();
 *   }
 *   return acc;
 * }, { nTrials: 100, concurrency: 8 });
 * ```
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'successive-halving';
  readonly minResource: number | 'auto';
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  readonly metric: string | undefined;
  readonly direction: MetricOptions['direction'];
  private readonly tracker = new FinishedTrialTracker<ShaState>(() => ({
    finished: [],
    first: null,
    builtFor: null,
    rungs: new SortedColumns(),
  }));
  private readonly lastDecision = new WeakMap<FrozenTrial, RungDecision>();

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const who = 'SuccessiveHalvingPruner';
    checkOptionsObject(who, options);
    const minResource = options.minResource ?? 'auto';
    if (minResource !== 'auto') {
      checkInt(who, 'minResource', minResource, 1, "Pass the step of the first rung, such as 1, or 'auto'.");
    }
    this.minResource = minResource;
    this.reductionFactor = checkInt(
      who,
      'reductionFactor',
      options.reductionFactor ?? 4,
      2,
      'Pass η ≥ 2, such as 3 or 4 (about 1/η of the trials go on at each rung).',
    );
    this.minEarlyStoppingRate = checkInt(
      who,
      'minEarlyStoppingRate',
      options.minEarlyStoppingRate ?? 0,
      0,
      'Pass 0 to start pruning at minResource.',
    );
    this.bootstrapCount = checkInt(
      who,
      'bootstrapCount',
      options.bootstrapCount ?? 0,
      0,
      'Pass 0 to decide from the first trial on.',
    );
    if (this.bootstrapCount > 0 && minResource === 'auto') {
      throw new InvalidArgumentError(
        `${who}: bootstrapCount ${describe(this.bootstrapCount)} needs a numeric minResource (with 'auto', the first trials would all be pruned before one completes). Pass minResource, such as 1.`,
      );
    }
    checkMetricOptions(who, options);
    this.metric = options.metric;
    this.direction = options.direction;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const decision = this.decide(study, trial);
    this.lastDecision.set(trial, decision);
    return decision.pruned;
  }

  /** Records the rungs this decision completed in the trial's system attributes. */
  async afterPrune(study: StudyView, trial: FrozenTrial): Promise<void> {
    const decision = this.lastDecision.get(trial) ?? this.decide(study, trial);
    await recordRungs(study.storage, trial, decision);
  }

  private decide(study: StudyView, trial: FrozenTrial): RungDecision {
    const direction = resolveDirection('SuccessiveHalvingPruner', study, this.direction, this.metric);
    const { state, added, unfinished } = this.tracker.update(study, this.metric ?? '');
    for (const t of added) {
      state.finished.push(t);
      if (
        t.state === 'complete' &&
        lastStep(metricValues(t, this.metric)) >= 0 &&
        (state.first === null || isEarlierCompletion(t, state.first))
      ) {
        state.first = t;
      }
    }
    let minResource: number;
    if (this.minResource !== 'auto') minResource = this.minResource;
    else if (state.first === null) return { pruned: false, decided: [] };
    else minResource = Math.max(Math.floor(lastStep(metricValues(state.first, this.metric)) / 100), 1);
    const settings: RungSettings = {
      minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: this.minEarlyStoppingRate,
      bootstrapCount: this.bootstrapCount,
      metric: this.metric,
    };
    if (state.builtFor !== minResource) {
      state.rungs = new SortedColumns();
      addToRungs(state.rungs, state.finished, settings);
      state.builtFor = minResource;
    } else if (added.length > 0) {
      addToRungs(state.rungs, added, settings);
    }
    if (isFinished(trial.state)) return { pruned: false, decided: [] };
    const running = unfinished.filter((t) => t.state === 'running' && t.trialId !== trial.trialId);
    return decideRungs(trial, state.rungs, running, settings, direction);
  }
}
