/**
 * The storage contract. Every backend (in memory, SQLite, PostgreSQL) implements {@link Storage}
 * and passes the conformance suite in `tunekit/testing`.
 *
 * Rules every backend keeps:
 * - Finished trials (`complete`, `pruned`, `fail`) are immutable: changing one throws
 *   `TrialFinishedError` and leaves the storage as it was.
 * - A returned object never changes under the caller; a later read returns a new object.
 * - Trial numbers are 0, 1, 2… per study, unique, assigned atomically even with many processes.
 * - {@link Storage.claimWaitingTrial} and {@link Storage.compareAndSetStudySystemAttr} are atomic:
 *   of several workers racing, exactly one wins.
 * - Every state change is one transaction: a crash leaves the trial either before or after it.
 * - Parameters keep one kind of distribution per name and study: `setTrialParams` throws
 *   `IncompatibleDistributionError` otherwise, writing nothing.
 * - Heartbeats (optional, {@link HeartbeatStorage}; every built-in backend has them): a running
 *   trial's worker records heartbeats; {@link HeartbeatStorage.failStaleTrials} fails, in one
 *   transaction, the running trials whose last heartbeat is older than the grace period, and of
 *   several workers racing, each stale trial is failed (and returned) by exactly one.
 *
 * All methods are async so that network databases fit; embedded ones may finish synchronously.
 * @module
 */
import type { Distribution } from '../core/distributions.js';
import type {
  FrozenTrial,
  JsonValue,
  StudyDirection,
  StudySummary,
  TrialState,
} from '../core/frozen-trial.js';

/** A parameter value to store: its internal number and its distribution. */
export interface ParamRecord {
  readonly name: string;
  readonly internal: number;
  readonly distribution: Distribution;
}

/** What a new trial starts with; every field is optional. */
export interface NewTrial {
  /** `running` (default), `waiting` (enqueued) or a finished state (imported trials). */
  readonly state?: TrialState;
  /** Internal values by name; each needs its distribution in `distributions`. */
  readonly params?: Readonly<Record<string, number>>;
  readonly distributions?: Readonly<Record<string, Distribution>>;
  readonly values?: readonly number[] | null;
  readonly intermediateValues?: ReadonlyMap<number, number>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  readonly datetimeStart?: Date | null;
  readonly datetimeComplete?: Date | null;
}

/** Filter of {@link Storage.getAllTrials}. */
export interface TrialFilter {
  /** Only trials in these states; all when absent. */
  readonly states?: readonly TrialState[];
}

/** Persistence of studies and trials. See the module documentation for the rules. */
export interface Storage {
  /** Creates a study and returns its id. Throws `DuplicatedStudyError` when the name exists. */
  createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number>;
  /** Deletes a study with its trials. Throws `StudyNotFoundError` when absent. */
  deleteStudy(studyId: number): Promise<void>;
  /** Throws `StudyNotFoundError` when no study has that name. */
  getStudyIdFromName(studyName: string): Promise<number>;
  getStudyNameFromId(studyId: number): Promise<string>;
  getStudyDirections(studyId: number): Promise<StudyDirection[]>;
  getAllStudies(): Promise<StudySummary[]>;
  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  /**
   * Atomically sets a study system attribute to `value` if its current value equals `expected`
   * (JSON equality; `undefined` = absent). Returns whether it did. The primitive behind
   * exactly-once grid points and other state shared between workers.
   */
  compareAndSetStudySystemAttr(
    studyId: number,
    key: string,
    expected: JsonValue | undefined,
    value: JsonValue,
  ): Promise<boolean>;

  /** Creates a trial with the next number of its study and returns it. */
  createTrial(studyId: number, template?: NewTrial): Promise<FrozenTrial>;
  /**
   * Atomically moves the oldest `waiting` trial of the study to `running` (setting its start time)
   * and returns it, or returns `null` when none is waiting.
   */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | null>;
  /** Stores parameters of a running trial, all or none. */
  setTrialParams(trialId: number, params: readonly ParamRecord[]): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  /**
   * Finishes a running trial: `state` is `complete` (with `values`), `pruned` or `fail`.
   * Throws `TrialFinishedError` when the trial is already finished.
   */
  finishTrial(
    trialId: number,
    state: 'complete' | 'pruned' | 'fail',
    values?: readonly number[] | null,
  ): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Throws `TrialNotFoundError` when absent. */
  getTrial(trialId: number): Promise<FrozenTrial>;
  /** Trials of the study in number order. */
  getAllTrials(studyId: number, filter?: TrialFilter): Promise<readonly FrozenTrial[]>;
  /** The distributions each parameter name was first stored with in this study. */
  getParamDistributions(studyId: number): Promise<Record<string, Distribution>>;
  /** Releases connections and file handles. The storage is unusable afterwards. */
  close(): Promise<void>;

  /** See {@link HeartbeatStorage.recordHeartbeat}; optional for third-party backends. */
  recordHeartbeat?(trialId: number): Promise<boolean>;
  /** See {@link HeartbeatStorage.failStaleTrials}; optional for third-party backends. */
  failStaleTrials?(studyId: number, graceSeconds: number): Promise<FrozenTrial[]>;
}

/** Why a trial whose heartbeat stopped was failed: the value of `tunekit:fail_reason`. */
export function staleTrialReason(graceSeconds: number): string {
  return `heartbeat stopped: no heartbeat for more than ${graceSeconds} s (the worker running it died or lost the storage)`;
}

/**
 * The heartbeat part of the storage contract (in-memory, SQLite and PostgreSQL have it).
 * Heartbeat times are the storage's clock (the server's on PostgreSQL), so workers on machines
 * with skewed clocks agree on what is stale.
 */
export interface HeartbeatStorage extends Storage {
  /**
   * Records that running trial `trialId` is alive now. Returns false, writing nothing, when the
   * trial is no longer running (another worker failed it as stale, say). Throws
   * `TrialNotFoundError` when absent.
   */
  recordHeartbeat(trialId: number): Promise<boolean>;
  /**
   * Atomically marks `fail` every running trial of the study that has a heartbeat older than
   * `graceSeconds` (trials without any heartbeat are left alone), setting the system attribute
   * `tunekit:fail_reason` to {@link staleTrialReason} and the completion time, and returns them
   * as now stored. Among workers racing, each such trial is returned to exactly one.
   */
  failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]>;
}

/** Whether `storage` supports heartbeats. */
export function hasHeartbeats(storage: Storage): storage is HeartbeatStorage {
  return typeof storage.recordHeartbeat === 'function' && typeof storage.failStaleTrials === 'function';
}
