/**
 * An optional storage capability: check the study's queue of enqueued trials and create a new
 * trial in one atomic step, so that `ask` costs one round trip instead of two on a database
 * server (PostgreSQL has it; in-memory and SQLite, where a probe costs no round trip, do not).
 * @module
 */
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { NewTrial, Storage } from './base.js';

/** A storage that can create a trial unless an enqueued one is waiting. */
export interface CreateUnlessWaitingStorage extends Storage {
  /**
   * Atomically: when the study has no `waiting` trial, creates one from `template` exactly as
   * {@link Storage.createTrial} does and returns it; otherwise creates nothing and returns null
   * (claim the waiting trial with {@link Storage.claimWaitingTrial}). Throws
   * `StudyNotFoundError` when the study does not exist.
   */
  createTrialUnlessWaiting(studyId: number, template: NewTrial): Promise<FrozenTrial | null>;
}

/** Whether `storage` has {@link CreateUnlessWaitingStorage.createTrialUnlessWaiting}. */
export function canCreateUnlessWaiting(storage: Storage): storage is CreateUnlessWaitingStorage {
  return typeof (storage as Partial<CreateUnlessWaitingStorage>).createTrialUnlessWaiting === 'function';
}
