/**
 * Heartbeats of running trials, for studies shared by many workers.
 *
 * A study created or loaded with `heartbeatInterval` (seconds) has each trial it runs (through
 * `optimize` or `ask`/`tell`) record a heartbeat in the storage every `heartbeatInterval`
 * seconds, from one timer per study object. Any live worker of the study fails the running
 * trials whose heartbeat is older than `gracePeriod` (default 2 × `heartbeatInterval`): before
 * each `ask()` (at most once per interval) and on every timer tick. A failed trial gets the
 * system attribute `tunekit:fail_reason` (`heartbeat stopped: …`) and, up to
 * `failedTrialRetries` times per original trial, a retry: a new `waiting` trial with the same
 * parameters (those stored before the worker died, fixed as by `enqueueTrial`; the others are
 * sampled again), its user attributes, its sampler's system attributes (such as its grid
 * point), `tunekit:retried_from` (the failed trial's number) and `tunekit:retry_count`.
 *
 * The storage decides what is stale with its own clock (the server's on PostgreSQL) and fails
 * each trial in one transaction, so of several workers noticing, exactly one retries it.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, JsonValue } from '../core/frozen-trial.js';
import { log } from '../core/logging.js';
import { FAIL_REASON_ATTR, FIXED_PARAMS_ATTR } from '../core/system-attrs.js';
import { type HeartbeatStorage, hasHeartbeats, type Storage } from '../storages/base.js';

/** Trial system attribute of a retry: the number of the failed trial it repeats. */
export const RETRIED_FROM_ATTR = 'tunekit:retried_from';
/** Trial system attribute of a retry: 1 for the first retry of a trial, 2 for its retry's retry… */
export const RETRY_COUNT_ATTR = 'tunekit:retry_count';

/**
 * Study system attribute: the heartbeat settings of the study (`{ interval, grace, retries }`),
 * stored when a study is created with `heartbeatInterval`; `createStudy` (loading an existing
 * study) and `loadStudy` adopt them when given no heartbeat options, so every worker agrees.
 */
export const HEARTBEAT_ATTR = 'tunekit:heartbeat';

/** The stored heartbeat settings of a study's system attributes, if valid. */
export function storedHeartbeat(attrs: Readonly<Record<string, JsonValue>>): HeartbeatSettings | null {
  const v = attrs[HEARTBEAT_ATTR];
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const { interval, grace, retries } = v as Record<string, JsonValue>;
  if (typeof interval !== 'number' || !(interval > 0)) return null;
  if (typeof grace !== 'number' || !(grace > interval)) return null;
  return { interval, grace, retries: typeof retries === 'number' && retries >= 0 ? Math.floor(retries) : 0 };
}

/** Heartbeat options of `createStudy` and `loadStudy`. */
export interface HeartbeatOptions {
  /**
   * Seconds between two heartbeats of a running trial. Absent: no heartbeats (trials of a dead
   * worker stay `running`). A few seconds is typical; needs a storage with heartbeats (all the
   * built-in ones).
   */
  heartbeatInterval?: number | undefined;
  /**
   * Seconds without a heartbeat after which a running trial is marked `fail` by any live worker.
   * Default 2 × `heartbeatInterval`; must exceed it.
   */
  gracePeriod?: number | undefined;
  /**
   * How many times a trial whose heartbeat stopped is retried (re-enqueued with the same
   * parameters). Default 0. Only with `heartbeatInterval`.
   */
  failedTrialRetries?: number | undefined;
}

/** Checked heartbeat settings. */
export interface HeartbeatSettings {
  readonly interval: number;
  readonly grace: number;
  readonly retries: number;
}

/** Whether any heartbeat option is given. */
export function hasHeartbeatOptions(options: HeartbeatOptions): boolean {
  return (
    options.heartbeatInterval !== undefined ||
    options.gracePeriod !== undefined ||
    options.failedTrialRetries !== undefined
  );
}

/** Validates the options; null when heartbeats are off. */
export function heartbeatSettings(options: HeartbeatOptions, storage: Storage): HeartbeatSettings | null {
  const { heartbeatInterval: interval, gracePeriod, failedTrialRetries } = options;
  if (interval === undefined) {
    if (gracePeriod !== undefined || failedTrialRetries !== undefined) {
      throw new InvalidArgumentError('gracePeriod and failedTrialRetries need heartbeatInterval (seconds).');
    }
    return null;
  }
  if (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval)) {
    throw new InvalidArgumentError(
      `heartbeatInterval must be a positive number of seconds, got ${String(interval)}.`,
    );
  }
  const grace = gracePeriod ?? 2 * interval;
  if (typeof grace !== 'number' || !Number.isFinite(grace) || !(grace > interval)) {
    throw new InvalidArgumentError(
      `gracePeriod must be a number of seconds greater than heartbeatInterval (${interval}), got ${String(gracePeriod)}.`,
    );
  }
  const retries = failedTrialRetries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new InvalidArgumentError(
      `failedTrialRetries must be an integer ≥ 0, got ${String(failedTrialRetries)}.`,
    );
  }
  if (!hasHeartbeats(storage)) {
    throw new InvalidArgumentError(
      'heartbeatInterval needs a storage with heartbeats (recordHeartbeat and failStaleTrials); this storage has none.',
    );
  }
  return { interval, grace, retries };
}

/** The retry count of a trial (0 for an original). */
function retryCount(t: FrozenTrial): number {
  const n = t.systemAttrs[RETRY_COUNT_ATTR];
  return typeof n === 'number' ? n : 0;
}

/**
 * Fails the study's stale trials and enqueues their retries; returns the failed trials. Each
 * stale trial is returned to exactly one caller, so its retry is enqueued once.
 */
export async function failStaleTrials(
  storage: HeartbeatStorage,
  studyId: number,
  settings: Pick<HeartbeatSettings, 'grace' | 'retries'>,
): Promise<FrozenTrial[]> {
  const failed = await storage.failStaleTrials(studyId, settings.grace);
  for (const t of failed) {
    const count = retryCount(t);
    const retry = count < settings.retries;
    log.warn(
      `trial ${t.number} had no heartbeat for more than ${settings.grace} s: marked fail` +
        (retry ? `; retrying it (retry ${count + 1} of ${settings.retries}).` : '.'),
    );
    if (!retry) continue;
    const systemAttrs: Record<string, JsonValue> = {};
    // Sampler attributes (a grid point's index…) go with the parameters; tunekit's own do not.
    for (const [k, v] of Object.entries(t.systemAttrs)) if (!k.startsWith('tunekit:')) systemAttrs[k] = v;
    const fixed = t.systemAttrs[FIXED_PARAMS_ATTR];
    systemAttrs[FIXED_PARAMS_ATTR] = {
      ...(fixed && typeof fixed === 'object' && !Array.isArray(fixed) ? fixed : {}),
      ...(t.params as Record<string, JsonValue>),
    };
    systemAttrs[RETRIED_FROM_ATTR] = t.number;
    systemAttrs[RETRY_COUNT_ATTR] = count + 1;
    await storage.createTrial(studyId, { state: 'waiting', systemAttrs, userAttrs: { ...t.userAttrs } });
  }
  return failed;
}

/** Whether a failed trial was failed because its heartbeat stopped. */
export function isStaleFailure(t: FrozenTrial): boolean {
  if (t.state !== 'fail') return false;
  const reason = t.systemAttrs[FAIL_REASON_ATTR];
  return typeof reason === 'string' && reason.startsWith('heartbeat stopped');
}

/**
 * The heartbeats of one study object: one timer beats for every trial it runs and looks for
 * stale trials of other workers. The timer does not keep the process alive and runs only while
 * trials run.
 */
export class Heartbeat {
  private readonly trials = new Set<number>();
  /** Trials another worker failed as stale while this one ran them. */
  private readonly lost = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private lastStaleCheck = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | null = null;
  private ticking = false;

  constructor(
    readonly storage: HeartbeatStorage,
    readonly studyId: number,
    readonly settings: HeartbeatSettings,
  ) {}

  /** Starts beating for a trial (records its first heartbeat now). */
  async begin(trialId: number): Promise<void> {
    this.trials.add(trialId);
    await this.storage.recordHeartbeat(trialId);
    this.timer ??= setInterval(() => void this.tick(), this.settings.interval * 1000);
    this.timer.unref();
  }

  /** Stops beating for a trial (finished, or given up). */
  end(trialId: number): void {
    this.trials.delete(trialId);
    if (this.trials.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Whether another worker failed this trial as stale while it ran here. */
  wasLost(trialId: number): boolean {
    return this.lost.has(trialId);
  }

  /**
   * Fails the study's stale trials (and enqueues their retries) if the last check is more than
   * one interval old, or `force`. Errors are logged, not thrown: heartbeats must not end a run.
   */
  async checkStale(force = false): Promise<void> {
    if (this.checking !== null) return this.checking;
    if (!force && Date.now() - this.lastStaleCheck < this.settings.interval * 1000) return;
    this.lastStaleCheck = Date.now();
    this.checking = failStaleTrials(this.storage, this.studyId, this.settings)
      .then(() => undefined)
      .catch((e: unknown) => log.warn(`could not check for stale trials: ${(e as Error).message}`))
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const id of [...this.trials]) {
        try {
          if (!(await this.storage.recordHeartbeat(id)) && this.trials.has(id)) {
            this.lost.add(id);
            this.trials.delete(id);
            log.warn(
              `trial id ${id} is no longer running in the storage (another worker marked it failed after its heartbeat stopped); its result will not be stored.`,
            );
          }
        } catch (e) {
          log.warn(`could not record the heartbeat of trial id ${id}: ${(e as Error).message}`);
        }
      }
      await this.checkStale(true);
    } finally {
      this.ticking = false;
    }
  }

  /** Stops the timer (the study's trials no longer beat). */
  close(): void {
    this.trials.clear();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
