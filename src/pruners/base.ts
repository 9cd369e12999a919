/**
 * The pruner contract. `trial.shouldPrune()` flushes the trial's reports, reads the study fresh
 * from the storage (never a stale snapshot) and asks the pruner. Pruners, like samplers, keep no
 * hidden state: their decision is a function of the study's trials. (They may memoise what they
 * derive from finished trials, which never change.)
 * @module
 */
import type { FrozenTrial, JsonValue } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';

/**
 * Trial system attribute holding every report made with named metrics,
 * `{ [step]: { [metric]: value } }` (±Infinity stored as the strings "Infinity" and
 * "-Infinity"). Written by `trial.report({ loss, acc }, step)`; the first metric of each record
 * is also the step's intermediate value.
 */
export const REPORTS_ATTR = 'tunekit:reports';

/** Named metrics reported at one step: `trial.report({ loss: 0.3, acc: 0.9 }, step)`. */
export type MetricRecord = Readonly<Record<string, number>>;

/** Decides whether a running trial should stop early. */
export interface Pruner {
  /** Short name, recorded in logs. */
  readonly name: string;
  /**
   * `trial` is the running trial as stored, with its latest intermediate values. Synchronous and
   * free of writes: the decision is a function of `study`'s trials.
   */
  prune(study: StudyView, trial: FrozenTrial): boolean;
  /**
   * Optional bookkeeping after a decision. `trial.shouldPrune()` awaits it right after `prune`
   * with the same view, trial and decision, so a pruner can persist what it decided (the
   * successive-halving pruners record the rungs a trial completed in its system attributes) for
   * the next decision and for other workers. It must be idempotent and write only to `trial`.
   */
  afterPrune?(study: StudyView, trial: FrozenTrial, pruned: boolean): Promise<void>;
}

/**
 * Never prunes. The default when a study gets no pruner.
 * @example
 * ```ts
 * const study = await createStudy({ pruner: new NopPruner() }); // same as no pruner
 * ```
 */
export class NopPruner implements Pruner {
  readonly name = 'nop';
  prune(): boolean {
    return false;
  }
}

/** Encodes a metric value for {@link REPORTS_ATTR} (JSON has no infinities or NaN: they become strings). */
export function encodeMetric(value: number): JsonValue {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** Decodes a metric value of {@link REPORTS_ATTR}; `undefined` when it is not a metric. */
export function decodeMetric(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (value === 'NaN') return Number.NaN;
  return undefined;
}
