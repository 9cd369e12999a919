/**
 * What TPE remembers about one study between suggestions, so that a suggestion touches only the
 * trials that changed since the previous one: the finished count, the group decomposition,
 * complete trials ordered by objective (for the split), and per parameter set
 * the transformed observation rows and which finished trials have every parameter of the set.
 *
 * All of it is memoisation keyed by trial id and number, never state: finished trials are
 * immutable, every structure is ordered by trial number or by (value, number), and a cache built
 * from scratch on a snapshot equals one updated along the way. A snapshot that does not continue
 * the previous one (another study, or an older snapshot) rebuilds the cache.
 *
 * Notation: rows are indexed by trial number, d values each (transformed: log for log
 * parameters); "finished" below means complete or pruned (failed trials are ignored by TPE).
 * @module
 */
import type { FrozenTrial, StudyDirection } from '../../core/frozen-trial.js';
import { FinishedTracker, GroupDecomposedSearchSpace } from '../group-decomposed-search-space.js';
import type { AboveKernels } from './above-kernels.js';

/** Transformed rows of one parameter set, for the finished trials that have all of it. */
export class ObsRows {
  readonly d: number;
  /** rows[number · d + j]: transformed value of parameter j of trial `number` (members only). */
  rows: Float64Array;
  /** Member trial numbers (finished, with every parameter), ascending; `count` of them are valid. */
  members: Int32Array;
  count = 0;
  /** How many entries of the study's finished log have been taken in. */
  consumed = 0;
  /** Member numbers in the order they were taken in. */
  readonly taken: number[] = [];
  /** The "above" kernels kept for each domain of the parameters (see {@link AboveKernels}). */
  readonly above = new Map<string, AboveKernels>();

  constructor(
    readonly names: readonly string[],
    readonly logs: readonly boolean[],
  ) {
    this.d = names.length;
    this.rows = new Float64Array(64 * this.d);
    this.members = new Int32Array(64);
  }

  /** Whether trial `t` has every parameter of the set. */
  hasAll(t: FrozenTrial): boolean {
    const p = t.internalParams;
    for (const n of this.names) if (!Object.hasOwn(p, n)) return false;
    return true;
  }

  /** Writes t's transformed row into `out` at `offset`. */
  row(t: FrozenTrial, out: Float64Array, offset: number): void {
    const p = t.internalParams;
    for (let j = 0; j < this.d; j++) {
      const v = p[this.names[j]!]!;
      out[offset + j] = this.logs[j] ? Math.log(v) : v;
    }
  }

  /** Writes a running trial's row into its slot (read by {@link AboveKernels}). */
  putRunning(t: FrozenTrial): void {
    this.ensure(t.number);
    this.row(t, this.rows, t.number * this.d);
  }

  private ensure(num: number): void {
    const d = this.d;
    if ((num + 1) * d > this.rows.length) {
      const grown = new Float64Array(Math.max((num + 1) * d, 2 * this.rows.length));
      grown.set(this.rows);
      this.rows = grown;
    }
  }

  take(t: FrozenTrial): void {
    if (!this.hasAll(t)) return;
    const d = this.d;
    const num = t.number;
    this.ensure(num);
    this.row(t, this.rows, num * d);
    this.taken.push(num);
    if (this.count === this.members.length) {
      const grown = new Int32Array(2 * this.members.length);
      grown.set(this.members);
      this.members = grown;
    }
    // Usually the newest trial: appended; a trial that finished late is inserted in order.
    let at = this.count;
    while (at > 0 && this.members[at - 1]! > num) at--;
    this.members.copyWithin(at + 1, at, this.count);
    this.members[at] = num;
    this.count++;
  }
}

/** The memo of one study (see the module documentation). */
export class StudyCache {
  private readonly tracker = new FinishedTracker();
  readonly space = new GroupDecomposedSearchSpace();
  /** Complete and pruned trials. */
  nFinished = 0;
  /** Complete trials ordered by (sign · value, number): the split's order. Single objective only. */
  private readonly keys: number[] = [];
  private readonly nums: number[] = [];
  private readonly sign: number;
  private readonly single: boolean;
  /** Finished trials in the order taken in (for {@link ObsRows.consumed}). */
  private readonly log: FrozenTrial[] = [];
  private readonly obs = new Map<string, ObsRows>();
  /** The snapshot's trials at the last sync. */
  trials: readonly FrozenTrial[] = [];
  /** Scratch per trial number: a mark (0 when unset; reset after each use). */
  mark = new Uint8Array(0);

  constructor(directions: readonly StudyDirection[]) {
    this.single = directions.length === 1;
    this.sign = directions[0] === 'maximize' ? -1 : 1;
  }

  /**
   * Brings the cache to `trials` (a snapshot of the study). Returns false when the snapshot does
   * not continue the previous one; the cache is then unusable and must be replaced.
   */
  sync(trials: readonly FrozenTrial[]): boolean {
    const change = this.tracker.sync(trials);
    if (change.reset) return false;
    this.trials = trials;
    if (change.finished.length > 0) this.space.calculate(trials);
    const taken: FrozenTrial[] = [];
    for (const t of change.finished) {
      if (t.state !== 'complete' && t.state !== 'pruned') continue;
      this.nFinished++;
      this.log.push(t);
      taken.push(t);
    }
    if (this.single) {
      const complete = taken.filter((t) => t.state === 'complete' && t.values !== null);
      if (complete.length < 64) for (const t of complete) this.insertComplete(t);
      else this.insertCompleteAll(complete);
    }
    if (this.mark.length < trials.length) {
      this.mark = new Uint8Array(Math.max(trials.length, Math.ceil(1.5 * this.mark.length)));
    }
    return true;
  }

  /** Numbers of the trials running or waiting in the last snapshot, ascending. */
  get unfinished(): readonly number[] {
    return this.tracker.unfinished;
  }

  /** Complete trials in the split's order: `count` of them, best first (single objective). */
  best(count: number): number[] {
    return this.nums.slice(0, count);
  }

  /** Complete trials taken in (single objective). */
  get nComplete(): number {
    return this.nums.length;
  }

  /** The rows of a parameter set, brought up to date. */
  rowsFor(names: readonly string[], logs: readonly boolean[]): ObsRows {
    let key = '';
    for (let j = 0; j < names.length; j++) key += `${logs[j] ? 'L' : 'N'}${names[j]}\u0000`;
    let rows = this.obs.get(key);
    if (rows === undefined) {
      rows = new ObsRows(names, logs);
      this.obs.set(key, rows);
    }
    while (rows.consumed < this.log.length) rows.take(this.log[rows.consumed++]!);
    return rows;
  }

  private insertCompleteAll(trials: readonly FrozenTrial[]): void {
    const { keys, nums } = this;
    for (const t of trials) {
      keys.push(this.sign * t.values![0]!);
      nums.push(t.number);
    }
    const idx = Array.from(keys.keys()).sort((a, b) =>
      keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : nums[a]! - nums[b]!,
    );
    const k2 = idx.map((i) => keys[i]!);
    const n2 = idx.map((i) => nums[i]!);
    keys.length = 0;
    nums.length = 0;
    for (let i = 0; i < k2.length; i++) {
      keys.push(k2[i]!);
      nums.push(n2[i]!);
    }
  }

  private insertComplete(t: FrozenTrial): void {
    const k = this.sign * t.values![0]!;
    const num = t.number;
    const { keys, nums } = this;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = keys[mid]!;
      if (m < k || (m === k && nums[mid]! < num)) lo = mid + 1;
      else hi = mid;
    }
    keys.splice(lo, 0, k);
    nums.splice(lo, 0, num);
  }
}
