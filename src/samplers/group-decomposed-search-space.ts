/**
 * The search space of finished trials, split into groups of parameters that always appear
 * together (Optuna's "group" decomposition). Conditional spaces fall apart into such groups, and
 * each group can then be sampled jointly with the trials that have it.
 *
 * The decomposition only grows: it is kept per study and updated with the trials finished since
 * the last call (memoisation keyed by trial id; recomputing from scratch gives the same groups).
 * @module
 */
import type { Distribution } from '../core/distributions.js';
import type { FrozenTrial } from '../core/frozen-trial.js';

/** One group: parameter names (sorted) and their distributions. */
export type SearchSpaceGroup = Record<string, Distribution>;

/** Incremental group decomposition over the finished trials of one study. */
export class GroupDecomposedSearchSpace {
  private readonly seen = new Set<number>();
  private groups: SearchSpaceGroup[] = [];
  private readonly includePruned: boolean;

  constructor(options: { includePruned?: boolean } = {}) {
    this.includePruned = options.includePruned ?? true;
  }

  /** The groups after taking every finished trial of `trials` into account. */
  calculate(trials: readonly FrozenTrial[]): readonly SearchSpaceGroup[] {
    for (const t of trials) {
      if (this.seen.has(t.trialId)) continue;
      if (t.state !== 'complete' && !(this.includePruned && t.state === 'pruned')) continue;
      this.seen.add(t.trialId);
      this.add(t.distributions);
    }
    return this.groups;
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
