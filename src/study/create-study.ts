/**
 * Creating, loading, deleting and listing studies.
 * @module
 */
import type { ConstraintsFunction } from '../core/constraints.js';
import { DuplicatedStudyError, InvalidArgumentError } from '../core/errors.js';
import type { StudyDirection, StudySummary } from '../core/frozen-trial.js';
import { NopPruner, type Pruner } from '../pruners/base.js';
import { AutoSampler } from '../samplers/auto/auto-sampler.js';
import type { Sampler } from '../samplers/base.js';
import { DEFAULT_WARM_START_WEIGHT } from '../samplers/warm-start.js';
import type { Storage } from '../storages/base.js';
import { getStorage, type StorageLike } from '../storages/get-storage.js';
import { checkDirections, checkStudyName } from '../storages/rules.js';
import {
  HEARTBEAT_ATTR,
  type HeartbeatOptions,
  type HeartbeatSettings,
  hasHeartbeatOptions,
  heartbeatSettings,
  storedHeartbeat,
} from './heartbeat.js';
import { Study } from './study.js';
import {
  checkWarmStartWeight,
  gatherWarmStart,
  WARM_START_ATTR,
  type WarmStartFrom,
  warmStartFromAttrs,
} from './warm-start.js';

/**
 * Options of {@link createStudy}. With `heartbeatInterval` (seconds) the study's running trials
 * heartbeat, trials of dead workers are failed after `gracePeriod` and retried up to
 * `failedTrialRetries` times (see `heartbeat.ts`).
 */
export interface CreateStudyOptions extends HeartbeatOptions {
  /** The study's name; generated when absent. */
  studyName?: string | undefined;
  /** A storage URL (`sqlite:///runs/tunekit.db`) or a `Storage` object; absent = in memory. */
  storage?: StorageLike | undefined;
  /** One objective: 'minimize' (default) or 'maximize'. Not with `directions`. */
  direction?: StudyDirection | undefined;
  /** Several objectives, one direction each. Not with `direction`. */
  directions?: readonly StudyDirection[] | undefined;
  /** The search strategy. Default: a new `AutoSampler` (GP on small studies, TPE beyond). */
  sampler?: Sampler | undefined;
  /** Early stopping. Default: none. */
  pruner?: Pruner | undefined;
  /** Continue the study when the name exists instead of throwing `DuplicatedStudyError`. */
  loadIfExists?: boolean | undefined;
  /**
   * Constraints: called on each complete trial, one number per constraint; the trial is feasible
   * when every value is ≤ 0. Stored in the trial's `tunekit:constraints` system attribute and
   * respected by TPE, GP, NSGA-II, `bestTrial()` and `bestTrials()`.
   */
  constraints?: ConstraintsFunction | undefined;
  /**
   * Warm start: earlier, related studies whose complete trials inform TPE's and GP's models from
   * the first trial, at `warmStartWeight`, without being trials of this study (`getTrials()`,
   * `bestTrial()` and `nTrials` count only its own). Each entry is a study object,
   * `{ studyName, storage? }` (default: this study's storage) or an array of trials (see
   * `createTrial`). Sources need the same directions. Their trials are copied into the study's
   * `tunekit:warm_start` system attribute, so `loadStudy` and other workers get the same warm
   * start; given again for an existing study (`loadIfExists`), it replaces the stored one.
   *
   * How the samplers use them (values are never compared across studies, so a rescaled or
   * shifted objective still transfers): warm trials count toward `nStartupTrials`, so with as
   * many warm trials the model is used from the first trial; before the study has a complete
   * trial of its own, the relative space is the one the warm trials share. TPE splits each
   * source by its own gamma and adds its trials to l(x) and g(x) with kernel weight
   * w·10/(10 + own finished trials). GP (one objective, no constraints) adds them as observations
   * standardised per source with extra noise 0.1·σ²·(1/w − 1) and fits its kernel on both. Other
   * samplers ignore warm starts.
   */
  warmStartFrom?: readonly WarmStartFrom[] | undefined;
  /** Weight of a warm trial relative to one of the study's own, in (0, 1]. Default 0.5. */
  warmStartWeight?: number | undefined;
}

/** Options of {@link loadStudy} (heartbeat options as in {@link CreateStudyOptions}). */
export interface LoadStudyOptions extends HeartbeatOptions {
  studyName: string;
  storage: StorageLike;
  sampler?: Sampler | undefined;
  pruner?: Pruner | undefined;
  /** The constraint function, as in {@link CreateStudyOptions}. */
  constraints?: ConstraintsFunction | undefined;
}

function defaultSampler(): Sampler {
  return new AutoSampler();
}

function checkConstraints(constraints: unknown): void {
  if (constraints !== undefined && typeof constraints !== 'function') {
    throw new InvalidArgumentError(
      `constraints must be a function (trial) => number[] (each value ≤ 0 = satisfied), got ${JSON.stringify(constraints)}.`,
    );
  }
}

function checkStrategies(sampler: unknown, pruner: unknown): void {
  if (
    sampler !== undefined &&
    (typeof sampler !== 'object' ||
      sampler === null ||
      typeof (sampler as Sampler).sampleIndependent !== 'function' ||
      typeof (sampler as Sampler).inferRelativeSearchSpace !== 'function')
  ) {
    throw new InvalidArgumentError(
      `sampler must be a Sampler object such as new TPESampler({ seed: 1 }), got ${JSON.stringify(sampler)}.`,
    );
  }
  if (
    pruner !== undefined &&
    (typeof pruner !== 'object' || pruner === null || typeof (pruner as Pruner).prune !== 'function')
  ) {
    throw new InvalidArgumentError(
      `pruner must be a Pruner object such as new MedianPruner(), got ${JSON.stringify(pruner)}.`,
    );
  }
}

function resolveDirections(options: CreateStudyOptions): StudyDirection[] {
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new InvalidArgumentError('give either direction or directions, not both.');
  }
  const directions = options.directions ?? [options.direction ?? 'minimize'];
  checkDirections(directions);
  return [...directions];
}

function generatedName(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
  return `study-${new Date().toISOString().slice(0, 10)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Creates a study (or, with `loadIfExists`, continues one).
 * @example
 * ```ts
 * const study = await createStudy({
 *   studyName: 'mlp',
 *   storage: 'sqlite:///runs/tunekit.db',
 *   direction: 'minimize',
 *   sampler: new RandomSampler({ seed: 1 }),
 *   loadIfExists: true,
 * });
 * ```
 */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  checkStrategies(options.sampler, options.pruner);
  checkConstraints(options.constraints);
  const directions = resolveDirections(options);
  const studyName = options.studyName ?? generatedName();
  checkStudyName(studyName);
  const storage = await getStorage(options.storage);
  let heartbeat = heartbeatSettings(options, storage);
  const sampler = options.sampler ?? defaultSampler();
  const pruner = options.pruner ?? new NopPruner();
  const weight =
    options.warmStartWeight === undefined
      ? DEFAULT_WARM_START_WEIGHT
      : checkWarmStartWeight(options.warmStartWeight);
  const warm =
    options.warmStartFrom === undefined
      ? null
      : await gatherWarmStart(options.warmStartFrom, weight, directions, storage);
  let studyId: number;
  try {
    studyId = await storage.createStudy(studyName, directions);
    if (heartbeat !== null) await storage.setStudySystemAttr(studyId, HEARTBEAT_ATTR, { ...heartbeat });
  } catch (e) {
    if (!(e instanceof DuplicatedStudyError) || !options.loadIfExists) throw e;
    studyId = await storage.getStudyIdFromName(studyName);
    const stored = await storage.getStudyDirections(studyId);
    if (stored.join() !== directions.join()) {
      throw new InvalidArgumentError(
        `study '${studyName}' exists with directions [${stored.join(', ')}], not [${directions.join(', ')}]. Use the stored directions or another name.`,
      );
    }
    heartbeat = await adoptHeartbeat(options, storage, studyId, heartbeat);
  }
  if (warm !== null) await storage.setStudySystemAttr(studyId, WARM_START_ATTR, warm.attr);
  const warmStart = warm?.warmStart ?? warmStartFromAttrs(await storage.getStudySystemAttrs(studyId));
  const constraints = options.constraints ?? null;
  return new Study({
    studyId,
    studyName,
    directions,
    storage,
    sampler,
    pruner,
    heartbeat,
    constraints,
    ...(warmStart === undefined ? {} : { warmStart }),
  });
}

/**
 * Opens an existing study. Throws `StudyNotFoundError` when it does not exist.
 * @example
 * ```ts
 * const again = await loadStudy({ studyName: 'mlp', storage: 'sqlite:///runs/tunekit.db' });
 * ```
 */
export async function loadStudy(options: LoadStudyOptions): Promise<Study> {
  if (!options || typeof options.studyName !== 'string') {
    throw new InvalidArgumentError('loadStudy() needs { studyName, storage }.');
  }
  checkStrategies(options.sampler, options.pruner);
  checkConstraints(options.constraints);
  const storage = await getStorage(options.storage);
  const studyId = await storage.getStudyIdFromName(options.studyName);
  const heartbeat = await adoptHeartbeat(options, storage, studyId, heartbeatSettings(options, storage));
  const directions = await storage.getStudyDirections(studyId);
  const warmStart = warmStartFromAttrs(await storage.getStudySystemAttrs(studyId));
  return new Study({
    ...(warmStart === undefined ? {} : { warmStart }),
    studyId,
    studyName: options.studyName,
    directions,
    storage,
    sampler: options.sampler ?? defaultSampler(),
    pruner: options.pruner ?? new NopPruner(),
    heartbeat,
    constraints: options.constraints ?? null,
  });
}

/** The given heartbeat settings, else the study's stored ones (see `HEARTBEAT_ATTR`). */
async function adoptHeartbeat(
  options: HeartbeatOptions,
  storage: Storage,
  studyId: number,
  given: HeartbeatSettings | null,
): Promise<HeartbeatSettings | null> {
  if (hasHeartbeatOptions(options)) return given;
  const stored = storedHeartbeat(await storage.getStudySystemAttrs(studyId));
  return stored === null
    ? null
    : heartbeatSettings(
        { heartbeatInterval: stored.interval, gracePeriod: stored.grace, failedTrialRetries: stored.retries },
        storage,
      );
}

/** Deletes a study and its trials. Throws `StudyNotFoundError` when it does not exist. */
export async function deleteStudy(options: { studyName: string; storage: StorageLike }): Promise<void> {
  await withStorage(options.storage, async (storage) => {
    await storage.deleteStudy(await storage.getStudyIdFromName(options.studyName));
  });
}

/** Runs `fn` on the storage; closes it afterwards when it was opened here from a URL. */
async function withStorage<T>(like: StorageLike, fn: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await getStorage(like);
  try {
    return await fn(storage);
  } finally {
    if (typeof like === 'string') await storage.close();
  }
}

/** Summaries of every study in a storage. */
export async function listStudies(options: { storage: StorageLike }): Promise<StudySummary[]> {
  return withStorage(options.storage, (storage) => storage.getAllStudies());
}
