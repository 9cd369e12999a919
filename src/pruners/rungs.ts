/**
 * The rung arithmetic of asynchronous successive halving (ASHA), shared by
 * `SuccessiveHalvingPruner` and `HyperbandPruner`.
 *
 * Rung k of a bracket with minimum early-stopping rate s sits at step r_k = minResource·η^(s+k).
 * A trial *reached* rung k when it reported a step ≥ r_k; its value there is the value of its
 * first reported step ≥ r_k. Both are derived from the trials' reports, so every worker and
 * process sees the same rungs without any shared write.
 *
 * When a trial reaches rung k it competes, once, against every other trial of its bracket that
 * reached rung k by then (finished or running): it is promoted (goes on) when at most
 * max(⌊n/η⌋ − 1, 0) of the n competitors, itself included, are strictly better, else pruned. With
 * `bootstrapCount` b, a trial is pruned while n ≤ b. `trial.shouldPrune()` then records the
 * decision in the trial's system attributes (`sha:completed_rung_<k>` = its value at rung k, and
 * `sha:pruned_at_rung` = k when pruned), so the rung is not decided again against later arrivals.
 * @module
 */
import type { FrozenTrial, JsonValue, StudyDirection } from '../core/frozen-trial.js';
import type { Storage } from '../storages/base.js';
import { decodeMetric, encodeMetric } from './base.js';
import { countAbove, countBelow, metricValues, type SortedColumns } from './common.js';

/** Prefix of the trial system attributes recording completed rungs: `sha:completed_rung_<k>`. */
export const COMPLETED_RUNG_PREFIX = 'sha:completed_rung_';
/** Trial system attribute: the rung at which the trial was pruned. */
export const PRUNED_AT_RUNG_ATTR = 'sha:pruned_at_rung';

/** The system attribute recording that a trial completed rung `k`. */
export function completedRungKey(k: number): string {
  return `${COMPLETED_RUNG_PREFIX}${k}`;
}

/** The settings of one bracket. */
export interface RungSettings {
  readonly minResource: number;
  readonly reductionFactor: number;
  /** s: the first rung is at minResource·η^s. */
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  readonly metric: string | undefined;
}

/** The trial's value at each rung it reached (NaN when it reported NaN there). */
export function rungValues(values: ReadonlyMap<number, number>, settings: RungSettings): number[] {
  if (values.size === 0) return [];
  const steps = [...values.keys()].sort((a, b) => a - b);
  const last = steps[steps.length - 1]!;
  const out: number[] = [];
  const { minResource, reductionFactor } = settings;
  let rungStep = minResource * reductionFactor ** settings.minEarlyStoppingRate;
  let i = 0;
  while (rungStep <= last) {
    while (steps[i]! < rungStep) i++;
    out.push(values.get(steps[i]!)!);
    rungStep *= reductionFactor;
  }
  return out;
}

/** Adds the rung values of finished `trials` to `rungs` (NaN left out). */
export function addToRungs(
  rungs: SortedColumns,
  trials: readonly FrozenTrial[],
  settings: RungSettings,
): void {
  for (const t of trials) {
    const rv = rungValues(metricValues(t, settings.metric), settings);
    for (let k = 0; k < rv.length; k++) rungs.add(k, rv[k]!);
  }
}

/** One decision of {@link decideRungs}. */
export interface RungDecision {
  readonly pruned: boolean;
  /** The rungs decided by this call, with the trial's value at each. */
  readonly decided: ReadonlyArray<{ readonly rung: number; readonly value: number }>;
}

const NOTHING: RungDecision = { pruned: false, decided: [] };
const ALREADY_PRUNED: RungDecision = { pruned: true, decided: [] };

/**
 * Decides the rungs `trial` reached and has not completed yet, in order, stopping at the first
 * it loses. `finished` holds the finished competitors' sorted rung values; `running` the other
 * running trials of the same bracket.
 */
export function decideRungs(
  trial: FrozenTrial,
  finished: SortedColumns,
  running: readonly FrozenTrial[],
  settings: RungSettings,
  direction: StudyDirection,
): RungDecision {
  if (Object.hasOwn(trial.systemAttrs, PRUNED_AT_RUNG_ATTR)) return ALREADY_PRUNED;
  const mine = rungValues(metricValues(trial, settings.metric), settings);
  let rung = 0;
  while (Object.hasOwn(trial.systemAttrs, completedRungKey(rung))) rung++;
  if (rung >= mine.length) return NOTHING;
  let others: number[][] | null = null;
  const decided: Array<{ rung: number; value: number }> = [];
  for (; rung < mine.length; rung++) {
    const value = mine[rung]!;
    decided.push({ rung, value });
    if (Number.isNaN(value)) return { pruned: true, decided };
    const sorted = finished.get(rung);
    let n = sorted.length + 1;
    let better = direction === 'minimize' ? countBelow(sorted, value) : countAbove(sorted, value);
    others ??= running.map((t) => rungValues(metricValues(t, settings.metric), settings));
    for (const rv of others) {
      const v = rv[rung];
      if (v === undefined || Number.isNaN(v)) continue;
      n++;
      if (direction === 'minimize' ? v < value : v > value) better++;
    }
    if (n <= settings.bootstrapCount) return { pruned: true, decided };
    const promotable = Math.max(Math.floor(n / settings.reductionFactor) - 1, 0);
    if (better > promotable) return { pruned: true, decided };
  }
  return { pruned: false, decided };
}

/** Records a decision in the trial's system attributes (only what is not recorded yet). */
export async function recordRungs(
  storage: Storage,
  trial: FrozenTrial,
  decision: RungDecision,
): Promise<void> {
  for (const { rung, value } of decision.decided) {
    const key = completedRungKey(rung);
    if (!Object.hasOwn(trial.systemAttrs, key))
      await storage.setTrialSystemAttr(trial.trialId, key, encodeMetric(value));
  }
  const last = decision.decided[decision.decided.length - 1];
  if (decision.pruned && last !== undefined && !Object.hasOwn(trial.systemAttrs, PRUNED_AT_RUNG_ATTR)) {
    await storage.setTrialSystemAttr(trial.trialId, PRUNED_AT_RUNG_ATTR, last.rung);
  }
}

/** The value a trial recorded for rung `k`, if any (for inspection and tests). */
export function recordedRungValue(trial: FrozenTrial, k: number): number | undefined {
  const v: JsonValue | undefined = trial.systemAttrs[completedRungKey(k)];
  return decodeMetric(v);
}
