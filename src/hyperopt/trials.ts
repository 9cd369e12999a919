/**
 * `Trials`: Hyperopt's record of an `fmin` run, backed by a tunekit study. Its getters are
 * synchronous, as in Hyperopt; they read a copy that `fmin` keeps up to date (call
 * `await trials.refresh()` to read a study that other processes write).
 *
 * What a trial stores in tunekit: the loss as the trial's value (`complete`), a `fail` status
 * as a `fail` trial, the Hyperopt values (`misc.vals`, choice indices included) in the user
 * attribute `hyperopt:vals`, and every JSON-serialisable extra key of the result as a user
 * attribute of the same name. Results kept in memory are the objects `fn` returned.
 * @module
 */
import { InvalidArgumentError, NoCompletedTrialsError } from '../core/errors.js';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import type { Sampler } from '../samplers/base.js';
import type { Storage } from '../storages/base.js';
import { getStorage, type StorageLike } from '../storages/get-storage.js';
import { createStudy, loadStudy } from '../study/create-study.js';
import type { Study } from '../study/study.js';

/** Hyperopt's status of a successful evaluation. */
export const STATUS_OK: 'ok' = 'ok';
/** Hyperopt's status of a failed evaluation. */
export const STATUS_FAIL: 'fail' = 'fail';
/** The statuses `fn` may return. */
export type HyperoptStatus = typeof STATUS_OK | typeof STATUS_FAIL;

/** The user attribute holding a trial's Hyperopt values (label → value, a choice's index). */
export const VALS_ATTR = 'hyperopt:vals';
/** The user attribute holding `[error name, message]` of an evaluation that threw. */
export const ERROR_ATTR = 'hyperopt:error';

/** A result as Hyperopt has it: `status`, `loss` and whatever else `fn` returned. */
export interface HyperoptResult {
  readonly status: HyperoptStatus;
  readonly loss?: number | undefined;
  readonly [key: string]: unknown;
}

/** Hyperopt's `misc`: values per label, `[]` where the label was not on the trial's active branch. */
export interface HyperoptMisc {
  readonly tid: number;
  readonly vals: Readonly<Record<string, readonly number[]>>;
  readonly idxs: Readonly<Record<string, readonly number[]>>;
  /** `[error name, message]` when `fn` threw (with `catchEvalExceptions`). */
  readonly error?: readonly [string, string] | undefined;
}

/** One evaluation, shaped as Hyperopt's trial documents. */
export interface HyperoptTrial {
  /** The trial's id: its number in the tunekit study. */
  readonly tid: number;
  /** The tunekit state: `complete` for status ok, `fail` otherwise. */
  readonly state: TrialState;
  readonly result: HyperoptResult;
  readonly misc: HyperoptMisc;
  readonly bookTime: Date | null;
  readonly refreshTime: Date | null;
}

/** Options of {@link Trials}. */
export interface TrialsOptions {
  /** Where the trials live: a storage URL or a `Storage` object. Default: in memory. */
  storage?: StorageLike | undefined;
  /** The tunekit study's name; continued when it exists. Default: a generated name. */
  studyName?: string | undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function flatVals(t: FrozenTrial): Record<string, number> {
  const raw = t.userAttrs[VALS_ATTR];
  const out: Record<string, number> = {};
  if (isRecord(raw)) for (const [k, v] of Object.entries(raw)) if (typeof v === 'number') out[k] = v;
  return out;
}

function resultFromStorage(t: FrozenTrial): HyperoptResult {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.userAttrs)) if (!k.startsWith('hyperopt:')) out[k] = v;
  out.status = t.state === 'complete' ? STATUS_OK : STATUS_FAIL;
  if (t.state === 'complete' && t.values !== null) out.loss = t.values[0];
  return out as unknown as HyperoptResult;
}

function errorOf(t: FrozenTrial): readonly [string, string] | undefined {
  const e = t.userAttrs[ERROR_ATTR];
  return Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string'
    ? [e[0], e[1]]
    : undefined;
}

/**
 * The trials of one `fmin` run; pass the same object to `fmin` again to continue with a larger
 * `maxEvals` (as Hyperopt's incremental `fmin`).
 * @example
 * ```ts
 * const trials = new Trials();
 * await fmin({ fn, space, algo: tpe.suggest, maxEvals: 50, trials, seed: 1 });
 * await fmin({ fn, space, algo: tpe.suggest, maxEvals: 100, trials, seed: 1 }); // 50 more
 * console.log(trials.losses(), trials.bestTrial.result, trials.argmin);
 * ```
 */
export class Trials {
  private readonly requestedStorage: StorageLike | undefined;
  private readonly requestedName: string | undefined;
  private storageObject: Storage | null = null;
  /** Whether the storage was opened here from a URL (and is closed by `close`). */
  private ownsStorage = false;
  private name: string | null = null;
  private current: Study | null = null;
  private frozen: FrozenTrial[] = [];
  private records: HyperoptTrial[] = [];
  private readonly rawResults = new Map<number, HyperoptResult>();
  private readonly labels = new Set<string>();

  constructor(options: TrialsOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError(
        'new Trials(options): options must be an object { storage?, studyName? }.',
      );
    }
    this.requestedStorage = options.storage;
    this.requestedName = options.studyName;
  }

  /** The evaluations, oldest first. */
  get trials(): readonly HyperoptTrial[] {
    return this.records;
  }

  /** How many evaluations finished. */
  get length(): number {
    return this.records.length;
  }

  /** The result of each evaluation. */
  get results(): readonly HyperoptResult[] {
    return this.records.map((t) => t.result);
  }

  /** The loss of each evaluation; `null` for failed ones. */
  losses(): (number | null)[] {
    return this.records.map((t) =>
      t.result.status === STATUS_OK && typeof t.result.loss === 'number' ? t.result.loss : null,
    );
  }

  /** The status of each evaluation. */
  statuses(): HyperoptStatus[] {
    return this.records.map((t) => t.result.status);
  }

  /** The evaluation with the lowest loss. Throws `NoCompletedTrialsError` when none succeeded. */
  get bestTrial(): HyperoptTrial {
    let best: HyperoptTrial | null = null;
    for (const t of this.records) {
      const loss = t.result.loss;
      if (t.result.status !== STATUS_OK || typeof loss !== 'number' || Number.isNaN(loss)) continue;
      if (best === null || loss < (best.result.loss as number)) best = t;
    }
    if (best === null) {
      throw new NoCompletedTrialsError(
        this.records.length === 0
          ? 'no trial has run yet: run fmin first.'
          : `all ${this.records.length} trials failed: there is no best trial. Check the objective's 'fail' results or errors.`,
      );
    }
    return best;
  }

  /** The values of the best evaluation, label → value (a choice's index), as `fmin` returns them. */
  get argmin(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [label, v] of Object.entries(this.bestTrial.misc.vals))
      if (v.length > 0) out[label] = v[0] as number;
    return out;
  }

  /** The tunekit study behind these trials (null before the first `fmin`), for tunekit's own tools. */
  get study(): Study | null {
    return this.current;
  }

  /** The tunekit study's name (null before the first `fmin`). */
  get studyName(): string | null {
    return this.name;
  }

  /**
   * Closes the storage connection when these trials opened it from a URL (SQLite, PostgreSQL);
   * a `Storage` object passed in stays open. The records stay readable; `fmin` cannot continue.
   */
  async close(): Promise<void> {
    const storage = this.storageObject;
    if (storage !== null && this.ownsStorage) {
      this.ownsStorage = false;
      this.storageObject = null;
      this.current = null;
      this.name = null;
      await storage.close();
    }
  }

  /** Re-reads the study from its storage (for studies written by other processes). */
  async refresh(): Promise<this> {
    if (this.current === null) {
      if (this.requestedStorage === undefined || this.requestedName === undefined) return this;
      // Reading: the study must exist (StudyNotFoundError otherwise).
      this.storageObject = await getStorage(this.requestedStorage);
      this.ownsStorage = typeof this.requestedStorage === 'string';
      this.current = await loadStudy({ storage: this.storageObject, studyName: this.requestedName });
      this.name = this.requestedName;
    }
    const study = this.current;
    this.frozen = (await study.getTrials({ states: ['complete', 'fail', 'pruned'] })).sort(
      (a, b) => a.number - b.number,
    );
    this.rebuild();
    return this;
  }

  /**
   * @internal Opens the study with `sampler` (creating it at the first call) and reads it.
   * `fmin` calls this; the storage and name come from the constructor or from `fmin`.
   */
  async open(
    sampler: Sampler | undefined,
    fromFmin: { storage?: StorageLike | undefined; studyName?: string | undefined } = {},
  ): Promise<Study> {
    const storage = this.requestedStorage ?? fromFmin.storage;
    const studyName = this.requestedName ?? fromFmin.studyName;
    if (
      (fromFmin.storage !== undefined &&
        this.requestedStorage !== undefined &&
        fromFmin.storage !== this.requestedStorage) ||
      (fromFmin.studyName !== undefined &&
        this.requestedName !== undefined &&
        fromFmin.studyName !== this.requestedName) ||
      (this.name !== null && fromFmin.studyName !== undefined && fromFmin.studyName !== this.name)
    ) {
      throw new InvalidArgumentError(
        'fmin: these Trials are bound to another storage or study name; give storage and studyName either to new Trials({ ... }) or to fmin, not different ones to both.',
      );
    }
    if (this.storageObject === null || this.name === null) {
      this.storageObject = await getStorage(storage);
      this.ownsStorage = typeof storage === 'string';
      this.current = await createStudy({
        storage: this.storageObject,
        studyName,
        direction: 'minimize',
        sampler,
        loadIfExists: true,
      });
      this.name = this.current.studyName;
    } else {
      this.current = await loadStudy({ storage: this.storageObject, studyName: this.name, sampler });
    }
    if (this.current.directions.length !== 1 || this.current.directions[0] !== 'minimize') {
      throw new InvalidArgumentError(
        `study '${this.name}' is not a single-objective minimisation study; fmin minimises one loss. Use another studyName.`,
      );
    }
    await this.refresh();
    return this.current;
  }

  /** @internal Makes `labels` appear in every trial's `misc.vals` (as `[]` where inactive). */
  addLabels(labels: Iterable<string>): void {
    const before = this.labels.size;
    for (const l of labels) this.labels.add(l);
    if (this.labels.size !== before) this.rebuild();
  }

  /** @internal Records a trial `fmin` just finished, with the result object `fn` returned. */
  add(frozen: FrozenTrial, raw: HyperoptResult): void {
    this.rawResults.set(frozen.number, raw);
    this.frozen.push(frozen);
    for (const l of Object.keys(flatVals(frozen))) this.labels.add(l);
    this.records.push(this.toRecord(frozen));
  }

  private rebuild(): void {
    for (const t of this.frozen) for (const l of Object.keys(flatVals(t))) this.labels.add(l);
    this.records = this.frozen.map((t) => this.toRecord(t));
  }

  private toRecord(t: FrozenTrial): HyperoptTrial {
    const flat = flatVals(t);
    const vals: Record<string, number[]> = {};
    const idxs: Record<string, number[]> = {};
    for (const label of [...this.labels].sort()) {
      const v = flat[label];
      vals[label] = v === undefined ? [] : [v];
      idxs[label] = v === undefined ? [] : [t.number];
    }
    const error = errorOf(t);
    return {
      tid: t.number,
      state: t.state,
      result: this.rawResults.get(t.number) ?? resultFromStorage(t),
      misc: error === undefined ? { tid: t.number, vals, idxs } : { tid: t.number, vals, idxs, error },
      bookTime: t.datetimeStart,
      refreshTime: t.datetimeComplete,
    };
  }
}
