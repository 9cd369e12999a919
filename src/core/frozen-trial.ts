/**
 * Trial states and the immutable snapshot of a trial that storages return.
 * @module
 */
import type { Distribution, ParamValue } from './distributions.js';

/**
 * The life of a trial: `waiting` (enqueued, not started) → `running` → one of the finished
 * states `complete`, `pruned` or `fail`. Finished trials never change again.
 */
export type TrialState = 'waiting' | 'running' | 'complete' | 'pruned' | 'fail';

/** All trial states, in life order. */
export const TRIAL_STATES: readonly TrialState[] = ['waiting', 'running', 'complete', 'pruned', 'fail'];

/** Whether a trial in this state is finished (immutable). */
export function isFinished(state: TrialState): boolean {
  return state === 'complete' || state === 'pruned' || state === 'fail';
}

/** Whether `value` is a valid trial state name. */
export function isTrialState(value: unknown): value is TrialState {
  return typeof value === 'string' && (TRIAL_STATES as readonly string[]).includes(value);
}

/** Optimisation direction of one objective. */
export type StudyDirection = 'minimize' | 'maximize';

/** Any JSON value: what user and system attributes may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A read-only snapshot of a trial, as storages return it. A returned object never changes under
 * its holder: a later state of the same trial is a new object.
 */
export interface FrozenTrial {
  /** Storage-wide identifier. */
  readonly trialId: number;
  /** Number within its study: 0, 1, 2… in creation order, unique per study. */
  readonly number: number;
  readonly state: TrialState;
  /** Parameter values as the objective saw them. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Internal numbers of the parameters (a categorical's choice index). */
  readonly internalParams: Readonly<Record<string, number>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** Objective values of a complete trial (one per direction); `null` otherwise. */
  readonly values: readonly number[] | null;
  /** Reports of `trial.report(value, step)`, keyed by step. */
  readonly intermediateValues: ReadonlyMap<number, number>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  /** Attributes written by samplers, pruners and tunekit itself (shared across workers). */
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly datetimeStart: Date | null;
  readonly datetimeComplete: Date | null;
}

/** A study as listed by `listStudies`. */
export interface StudySummary {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  readonly nTrials: number;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly datetimeStart: Date | null;
  /** The best complete trial of a single-objective study; `null` when none or multi-objective. */
  readonly bestTrial: FrozenTrial | null;
}
