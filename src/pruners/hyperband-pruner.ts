/**
 * Hyperband: several brackets of asynchronous successive halving.
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

/** Trial system attribute: the Hyperband bracket of the trial (0 = the most aggressive). */
export const HYPERBAND_BRACKET_ATTR = 'hyperband:bracket';

/** Options of {@link HyperbandPruner}. */
export interface HyperbandPrunerOptions extends MetricOptions {
  /** The step of the first rung of the most aggressive bracket. Default 1. */
  minResource?: number | undefined;
  /**
   * The largest step a trial reports (the full budget), or 'auto' (default): the last step of the
   * first trial that completed, plus 1. No trial is pruned before it is known.
   */
  maxResource?: number | 'auto' | undefined;
  /** η of every bracket. Default 3. */
  reductionFactor?: number | undefined;
  /** As in `SuccessiveHalvingPruner`, per bracket. Default 0. */
  bootstrapCount?: number | undefined;
}

/** The brackets of a Hyperband configuration. */
export interface HyperbandBrackets {
  /** Number of brackets: ⌊log_η(maxResource / minResource)⌋ + 1. */
  readonly count: number;
  /** Share of the trials each bracket gets (relative weights: ⌈B·η^s'/(s'+1)⌉ with s' = B − 1 − bracket). */
  readonly budgets: readonly number[];
  /** Sum of `budgets`. */
  readonly total: number;
}

/** The brackets for these resources and reduction factor. */
export function hyperbandBrackets(
  minResource: number,
  maxResource: number,
  reductionFactor: number,
): HyperbandBrackets {
  let count = 1;
  while (minResource * reductionFactor ** count <= maxResource) count++;
  const budgets: number[] = [];
  for (let b = 0; b < count; b++) {
    const s = count - 1 - b;
    budgets.push(Math.ceil((count * reductionFactor ** s) / (s + 1)));
  }
  return { count, budgets, total: budgets.reduce((a, b) => a + b, 0) };
}

/** A well-mixed 32-bit hash of a trial number (MurmurHash3's finaliser over both 32-bit halves). */
function hashNumber(n: number): number {
  let h = (n >>> 0) ^ Math.imul(Math.floor(n / 2 ** 32) >>> 0, 0x9e3779b1) ^ 0x2545f491;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The bracket of trial `number`: a hash of the number, spread over the brackets in proportion to
 * their budgets. Deterministic, so every worker and process agrees without shared state.
 */
export function hyperbandBracketOf(number: number, brackets: HyperbandBrackets): number {
  let n = hashNumber(number) % brackets.total;
  for (let b = 0; b < brackets.count; b++) {
    n -= brackets.budgets[b]!;
    if (n < 0) return b;
  }
  return brackets.count - 1;
}

interface HyperbandState {
  readonly finished: FrozenTrial[];
  first: FrozenTrial | null;
  builtFor: number | null;
  /** Finished trials' values per bracket, per rung. */
  rungs: SortedColumns[];
  brackets: HyperbandBrackets | null;
}

interface HyperbandDecision extends RungDecision {
  readonly bracket: number | null;
}

/**
 * Hyperband (Li et al. 2018) over asynchronous successive halving: trials are spread over
 * brackets; bracket b runs ASHA whose first rung is at minResource·η^b, so bracket 0 prunes
 * hardest and the last bracket lets its trials run longest. A trial's bracket is chosen from a
 * hash of its number (deterministic and balanced in proportion to the brackets' budgets), and
 * it competes only with trials of its own bracket. `trial.shouldPrune()` records the bracket in
 * the trial's system attribute `hyperband:bracket`, and the rungs it completed as the
 * successive-halving pruner does. Supports `metric` and, with `direction`, multi-objective
 * studies.
 *
 * @example
 * ```ts
 * const study = await createStudy({
 *   direction: 'maximize',
 *   pruner: new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }),
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
 * }, { nTrials: 100, concurrency: 4 });
 * ```
 */
export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  readonly minResource: number;
  readonly maxResource: number | 'auto';
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  readonly metric: string | undefined;
  readonly direction: MetricOptions['direction'];
  private readonly tracker = new FinishedTrialTracker<HyperbandState>(() => ({
    finished: [],
    first: null,
    builtFor: null,
    rungs: [],
    brackets: null,
  }));
  private readonly lastDecision = new WeakMap<FrozenTrial, HyperbandDecision>();

  constructor(options: HyperbandPrunerOptions = {}) {
    const who = 'HyperbandPruner';
    checkOptionsObject(who, options);
    this.minResource = checkInt(
      who,
      'minResource',
      options.minResource ?? 1,
      1,
      'Pass the step of the first rung of the most aggressive bracket, such as 1.',
    );
    const maxResource = options.maxResource ?? 'auto';
    if (maxResource !== 'auto') {
      checkInt(who, 'maxResource', maxResource, 1, "Pass the last step a trial reports, or 'auto'.");
      if (maxResource < this.minResource) {
        throw new InvalidArgumentError(
          `${who}: maxResource ${describe(maxResource)} is below minResource ${this.minResource}. Pass the full budget (the last step) as maxResource.`,
        );
      }
    }
    this.maxResource = maxResource;
    this.reductionFactor = checkInt(
      who,
      'reductionFactor',
      options.reductionFactor ?? 3,
      2,
      'Pass η ≥ 2, such as 3.',
    );
    this.bootstrapCount = checkInt(
      who,
      'bootstrapCount',
      options.bootstrapCount ?? 0,
      0,
      'Pass 0 to decide from the first trial on.',
    );
    if (this.bootstrapCount > 0 && maxResource === 'auto') {
      throw new InvalidArgumentError(
        `${who}: bootstrapCount ${this.bootstrapCount} needs a numeric maxResource. Pass maxResource, such as 27.`,
      );
    }
    checkMetricOptions(who, options);
    this.metric = options.metric;
    this.direction = options.direction;
  }

  /** The brackets, once the maximum resource is known (always, when it is a number). */
  brackets(study?: StudyView): HyperbandBrackets | null {
    if (this.maxResource !== 'auto') {
      return hyperbandBrackets(this.minResource, this.maxResource, this.reductionFactor);
    }
    if (study === undefined) return null;
    return this.update(study).state.brackets;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const decision = this.decide(study, trial);
    this.lastDecision.set(trial, decision);
    return decision.pruned;
  }

  /** Records the trial's bracket and the rungs this decision completed. */
  async afterPrune(study: StudyView, trial: FrozenTrial): Promise<void> {
    const decision = this.lastDecision.get(trial) ?? this.decide(study, trial);
    if (decision.bracket !== null && trial.systemAttrs[HYPERBAND_BRACKET_ATTR] !== decision.bracket) {
      await study.storage.setTrialSystemAttr(trial.trialId, HYPERBAND_BRACKET_ATTR, decision.bracket);
    }
    await recordRungs(study.storage, trial, decision);
  }

  private update(study: StudyView): { state: HyperbandState; unfinished: readonly FrozenTrial[] } {
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
    let maxResource: number | null;
    if (this.maxResource !== 'auto') maxResource = this.maxResource;
    else if (state.first === null) maxResource = null;
    else maxResource = Math.max(lastStep(metricValues(state.first, this.metric)) + 1, this.minResource);
    if (maxResource === null) return { state, unfinished };
    if (state.builtFor !== maxResource) {
      const brackets = hyperbandBrackets(this.minResource, maxResource, this.reductionFactor);
      state.brackets = brackets;
      state.rungs = Array.from({ length: brackets.count }, () => new SortedColumns());
      this.addFinished(state, state.finished);
      state.builtFor = maxResource;
    } else if (added.length > 0) {
      this.addFinished(state, added);
    }
    return { state, unfinished };
  }

  private addFinished(state: HyperbandState, trials: readonly FrozenTrial[]): void {
    const brackets = state.brackets!;
    const byBracket: FrozenTrial[][] = Array.from({ length: brackets.count }, () => []);
    for (const t of trials) byBracket[hyperbandBracketOf(t.number, brackets)]!.push(t);
    for (let b = 0; b < brackets.count; b++) {
      if (byBracket[b]!.length > 0) addToRungs(state.rungs[b]!, byBracket[b]!, this.settings(b));
    }
  }

  private settings(bracket: number): RungSettings {
    return {
      minResource: this.minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: bracket,
      bootstrapCount: this.bootstrapCount,
      metric: this.metric,
    };
  }

  private decide(study: StudyView, trial: FrozenTrial): HyperbandDecision {
    const direction = resolveDirection('HyperbandPruner', study, this.direction, this.metric);
    const { state, unfinished } = this.update(study);
    const brackets = state.brackets;
    if (brackets === null) return { pruned: false, decided: [], bracket: null };
    const bracket = hyperbandBracketOf(trial.number, brackets);
    if (isFinished(trial.state)) return { pruned: false, decided: [], bracket };
    const running = unfinished.filter(
      (t) =>
        t.state === 'running' &&
        t.trialId !== trial.trialId &&
        hyperbandBracketOf(t.number, brackets) === bracket,
    );
    const d = decideRungs(trial, state.rungs[bracket]!, running, this.settings(bracket), direction);
    return { ...d, bracket };
  }
}
