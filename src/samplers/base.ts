/**
 * The sampler contract.
 *
 * Lifecycle of one trial, as `study.ask()` drives it:
 * 1. `prepareTrial` (optional, async): before the trial exists, when no enqueued trial is waiting.
 *    A sampler may atomically claim a point here (the grid does) and return parameters to fix
 *    and system attributes to create the trial with, or ask the study to stop.
 * 2. The trial is created (or an enqueued one claimed) and a snapshot of the study is taken.
 * 3. `beforeTrial` (optional, async): may read or write the storage (shared optimizer state).
 * 4. `inferRelativeSearchSpace` then `sampleRelative`: joint sampling over the parameters every
 *    earlier trial shared. Both are synchronous and read only the snapshot.
 * 5. While the objective runs, each `trial.suggest*` call is answered, in this order: already
 *    suggested in this trial → fixed (enqueued or grid) → single-valued distribution → the relative
 *    sample → `sampleIndependent`. Suggest calls are synchronous and never touch the storage.
 * 6. `afterTrial` (optional, async) once the trial is finished.
 *
 * Within one `ask()`, `beforeTrial`, `inferRelativeSearchSpace`, `sampleRelative` and every
 * `sampleIndependent` call of a trial receive the same `FrozenTrial` object (the trial as it
 * started), so a sampler may memoise per-trial work in a `WeakMap` keyed by it. `afterTrial`
 * receives the finished trial as read back from the storage: a different object.
 *
 * Samplers hold no hidden state that another worker could not see: they derive everything from
 * the snapshot's trials, and what must be shared goes into system attributes in the storage.
 * Every sampler takes a `seed`; the same seed gives the same suggestions.
 * @module
 */
import type { Distribution, ParamValue } from '../core/distributions.js';
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../core/frozen-trial.js';
import type { Space } from '../space/space.js';
import type { Storage } from '../storages/base.js';
import type { WarmStart } from './warm-start.js';

/** A search space: a distribution per parameter name. */
export type SearchSpace = Record<string, Distribution>;

/** The study as a sampler sees it before a trial exists. */
export interface StudyContext {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  readonly storage: Storage;
  /**
   * Complete trials of earlier, related studies (`createStudy({ warmStartFrom })`) that model-based
   * samplers may learn from at a reduced weight; absent without a warm start. Not trials of the study.
   */
  readonly warmStart?: WarmStart | undefined;
}

/** A snapshot of the study taken when the trial started. */
export interface StudyView extends StudyContext {
  /** Every trial of the study, in number order, as of the snapshot (the current one included). */
  readonly trials: readonly FrozenTrial[];
  /** The distribution each parameter name has in this study. */
  readonly paramDistributions: Readonly<Record<string, Distribution>>;
  /** Trials in the given states (memoised per snapshot). */
  getTrials(states: readonly TrialState[]): readonly FrozenTrial[];
}

/** What {@link Sampler.prepareTrial} may return. */
export interface PreparedTrial {
  /** Parameter values the new trial must take, by name (user-facing values). */
  readonly fixedParams?: Readonly<Record<string, ParamValue>>;
  /** System attributes the new trial is created with. */
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  /** No point is left: the study stops, and no trial is created. */
  readonly stop?: boolean;
}

/** A search strategy. See the module documentation for the lifecycle. */
export interface Sampler {
  /** Short name, recorded in logs and benchmarks. */
  readonly name: string;
  /**
   * Optional: the space declared to `study.optimize(space, …)`, before its first trial (the grid
   * enumerates it). May throw when the sampler cannot use the space (an infinite one for a grid).
   */
  declareSpace?(space: Space): void;
  prepareTrial?(study: StudyContext): Promise<PreparedTrial | undefined>;
  beforeTrial?(study: StudyView, trial: FrozenTrial): Promise<void>;
  /** The parameters to sample jointly for this trial (empty for purely independent samplers). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace;
  /** Internal values for (a subset of) `searchSpace`, each inside its distribution. */
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number>;
  /** An internal value inside `distribution` for one parameter. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number;
  afterTrial?(
    study: StudyView,
    trial: FrozenTrial,
    state: 'complete' | 'pruned' | 'fail',
    values: readonly number[] | null,
  ): Promise<void>;
}
