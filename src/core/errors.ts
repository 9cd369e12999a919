/**
 * Typed errors. Every error tunekit throws on bad input is a {@link TunekitError} with a stable
 * `code`, and its message says what was wrong and how to fix it.
 *
 * @example
 * ```ts
 * try {
 *   await loadStudy({ studyName: 'nope', storage: 'sqlite:///runs/tunekit.db' });
 * } catch (e) {
 *   if (e instanceof TunekitError && e.code === 'STUDY_NOT_FOUND') console.log(e.message);
 * }
 * ```
 * @module
 */

/** Stable machine-readable codes of {@link TunekitError}. */
export type TunekitErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_DISTRIBUTION'
  | 'INCOMPATIBLE_DISTRIBUTION'
  | 'INVALID_STORAGE_URL'
  | 'DUPLICATED_STUDY'
  | 'STUDY_NOT_FOUND'
  | 'TRIAL_NOT_FOUND'
  | 'TRIAL_FINISHED'
  | 'INVALID_TRIAL_RESULT'
  | 'MISSING_DEPENDENCY'
  | 'STORAGE'
  | 'SCHEMA_VERSION'
  | 'NO_COMPLETED_TRIALS'
  | 'SEARCH_SPACE_EXHAUSTED'
  | 'NUMERICAL';

/** Base class of every error tunekit throws on purpose. */
export class TunekitError extends Error {
  /** A stable code to branch on, for example `'STUDY_NOT_FOUND'`. */
  readonly code: TunekitErrorCode;

  constructor(code: TunekitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** An argument of a public function is out of its domain (a negative count, an unknown option…). */
export class InvalidArgumentError extends TunekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** A distribution cannot be built from the given bounds, step or choices. */
export class InvalidDistributionError extends TunekitError {
  constructor(message: string) {
    super('INVALID_DISTRIBUTION', message);
  }
}

/** A parameter name was used with two incompatible distributions in one study. */
export class IncompatibleDistributionError extends TunekitError {
  constructor(message: string) {
    super('INCOMPATIBLE_DISTRIBUTION', message);
  }
}

/** A storage URL that no backend understands. */
export class InvalidStorageUrlError extends TunekitError {
  constructor(message: string) {
    super('INVALID_STORAGE_URL', message);
  }
}

/** `createStudy` was asked for a name that exists, without `loadIfExists`. */
export class DuplicatedStudyError extends TunekitError {
  constructor(message: string) {
    super('DUPLICATED_STUDY', message);
  }
}

/** No study with that name or id exists in the storage. */
export class StudyNotFoundError extends TunekitError {
  constructor(message: string) {
    super('STUDY_NOT_FOUND', message);
  }
}

/** No trial with that id or number exists. */
export class TrialNotFoundError extends TunekitError {
  constructor(message: string) {
    super('TRIAL_NOT_FOUND', message);
  }
}

/** A finished trial (complete, pruned or fail) was asked to change. Finished trials are immutable. */
export class TrialFinishedError extends TunekitError {
  constructor(message: string) {
    super('TRIAL_FINISHED', message);
  }
}

/** The objective returned something that is not a valid result (NaN, wrong number of values…). */
export class InvalidTrialResultError extends TunekitError {
  constructor(message: string) {
    super('INVALID_TRIAL_RESULT', message);
  }
}

/** An optional peer dependency (a database driver, TensorFlow.js) is not installed. */
export class MissingDependencyError extends TunekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MISSING_DEPENDENCY', message, options);
  }
}

/** The storage backend failed (I/O, constraint, schema). The message carries the driver's words. */
export class StorageError extends TunekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE', message, options);
  }
}

/**
 * A numeric kernel could not produce a meaningful result: a matrix that stays indefinite after the
 * largest allowed jitter, non-finite values where finite ones are required.
 */
export class NumericalError extends TunekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NUMERICAL', message, options);
  }
}

const PRUNED_BRAND = Symbol.for('tunekit.TrialPruned');

/**
 * Thrown by an objective to end its trial as pruned. The trial keeps its intermediate values.
 * It is control flow, not a failure, so it is recognised by a brand rather than `instanceof`:
 * two copies of tunekit in one process still agree (see {@link isTrialPruned}).
 *
 * @example
 * ```ts
 * await trial.report(loss, epoch);
 * if (await trial.shouldPrune()) throw new TrialPruned();
 * ```
 */
export class TrialPruned extends Error {
  readonly [PRUNED_BRAND] = true;

  constructor(message = 'Trial was pruned.') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** Whether `e` is a {@link TrialPruned}, from this or any other copy of tunekit. */
export function isTrialPruned(e: unknown): e is TrialPruned {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[PRUNED_BRAND] === true;
}

/** A single-objective helper (`bestTrial`, `bestValue`…) was called before any trial completed. */
export class NoCompletedTrialsError extends TunekitError {
  constructor(message: string) {
    super('NO_COMPLETED_TRIALS', message);
  }
}

/** The sampler has no new point to offer (a grid whose every point was taken). */
export class SearchSpaceExhaustedError extends TunekitError {
  constructor(message: string) {
    super('SEARCH_SPACE_EXHAUSTED', message);
  }
}
