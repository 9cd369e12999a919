/**
 * The search space of finished trials, split into groups of parameters that always appear
 * together (Optuna's "group" decomposition). Conditional spaces fall apart into such groups, and
 * each group can then be sampled jointly with the trials that have it.
 *
 * The decomposition only grows: it is kept per study and updated with the trials finished since
 * the last call. It is memoisation: the groups are always those of taking the finished trials in
 * number order from scratch (when a trial finishes after a later-numbered one was taken in, the
 * groups are rebuilt), so a fresh instance on the same snapshot gives the same groups.
 * @module
 */
import type { Distribution } from '../core/distributions.js';
import { type FrozenTrial, isFinished } from '../core/frozen-trial.js';

/** One group: parameter names (sorted) and their distributions. */
export type SearchSpaceGroup = Record<string, Distribution>;

/** What {@link FinishedTracker.sync} found. */
export interface TrackedChange {
  /** The snapshot does not continue the previous one (another study, or an older snapshot). */
  readonly reset: boolean;
  /** Trials finished (complete, pruned or fail) since the previous snapshot, or every finished
   * trial after a reset, in number order. */
  readonly finished: readonly FrozenTrial[];
}

const NO_CHANGE: TrackedChange = { reset: false, finished: [] };

/**
 * Follows one study's snapshots and reports the trials that finished in between, touching only
 * the trials that were unfinished at the previous snapshot and the new ones (plus an O(n) check
 * of trial ids, so that any other snapshot is noticed and answered with a reset). Finished trials
 * are immutable, so nothing else can have changed.
 */
export class FinishedTracker {
  private ids: number[] = [];
  private done: boolean[] = [];
  private open: number[] = [];
  private last: readonly FrozenTrial[] | null = null;

  sync(trials: readonly FrozenTrial[]): TrackedChange {
    if (trials === this.last) return NO_CHANGE;
    const prev = this.last ?? [];
    this.last = trials;
    let continues = trials.length >= this.ids.length;
    for (let k = 0; continues && k < this.ids.length; k++) {
      const t = trials[k]!;
      // Storages that share frozen trials between snapshots make this a pointer comparison.
      if (t !== prev[k] && (t.trialId !== this.ids[k] || (this.done[k] && !isFinished(t.state))))
        continues = false;
    }
    if (!continues) {
      this.ids = [];
      this.done = [];
      this.open = [];
    }
    const finished: FrozenTrial[] = [];
    const open: number[] = [];
    for (const k of this.open) {
      const t = trials[k]!;
      if (isFinished(t.state)) {
        this.done[k] = true;
        finished.push(t);
      } else open.push(k);
    }
    for (let k = this.ids.length; k < trials.length; k++) {
      const t = trials[k]!;
      this.ids.push(t.trialId);
      const f = isFinished(t.state);
      this.done.push(f);
      if (f) finished.push(t);
      else open.push(k);
    }
    this.open = open;
    return { reset: !continues, finished };
  }

  /** Numbers of the trials unfinished (running or waiting) at the last snapshot, ascending. */
  get unfinished(): readonly number[] {
    return this.open;
  }
}

/** Incremental group decomposition over the finished trials of one study. */
export class GroupDecomposedSearchSpace {
  private readonly tracker = new FinishedTracker();
  private groups: SearchSpaceGroup[] = [];
  private lastNumber = -1;
  private readonly includePruned: boolean;

  constructor(options: { includePruned?: boolean } = {}) {
    this.includePruned = options.includePruned ?? true;
  }

  /** The groups after taking every finished trial of `trials` into account. */
  calculate(trials: readonly FrozenTrial[]): readonly SearchSpaceGroup[] {
    const change = this.tracker.sync(trials);
    let fresh = change.finished;
    const first = fresh.find((t) => this.counts(t));
    if (!change.reset && first !== undefined && first.number < this.lastNumber) {
      // Taken out of number order: rebuild, as a fresh instance would.
      fresh = trials.filter((t) => isFinished(t.state));
      this.groups = [];
      this.lastNumber = -1;
    } else if (change.reset) {
      this.groups = [];
      this.lastNumber = -1;
    }
    for (const t of fresh) {
      if (!this.counts(t)) continue;
      this.lastNumber = t.number;
      this.add(t.distributions);
    }
    return this.groups;
  }

  private counts(t: FrozenTrial): boolean {
    return t.state === 'complete' || (this.includePruned && t.state === 'pruned');
  }

  private add(space: Readonly<Record<string, Distribution>>): void {
    const names = new Set(Object.keys(space));
    const next: SearchSpaceGroup[] = [];
    for (const group of this.groups) {
      const inside: SearchSpaceGroup = {};
      const outside: SearchSpaceGroup = {};
      for (const [name, d] of Object.entries(group)) {
        // A name in both keeps the newest distribution (ranges may change between trials).
        if (names.has(name)) inside[name] = space[name]!;
        else outside[name] = d;
      }
      for (const name of Object.keys(group)) names.delete(name);
      if (Object.keys(inside).length > 0) next.push(inside);
      if (Object.keys(outside).length > 0) next.push(outside);
    }
    const rest: SearchSpaceGroup = {};
    for (const name of names) rest[name] = space[name]!;
    if (Object.keys(rest).length > 0) next.push(rest);
    this.groups = next;
  }
}
