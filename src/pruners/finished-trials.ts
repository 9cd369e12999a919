/**
 * Incremental tracking of a study's finished trials, so that a pruner can memoise what it derives
 * from them (sorted values per step or per rung) and pay, per decision, only for the trials that
 * are still running or new.
 *
 * Finished trials never change, and a study's trials keep their positions (number order), so the
 * tracker remembers how many trials it has seen and which of them were unfinished; on the next
 * view it looks only at those and at the new ones. The state is a cache of a function of
 * finished trials: a fresh pruner on a fresh read decides the same. Views normally arrive in
 * time order; an older view than the newest seen is decided with the newer finished trials
 * (never fewer), which a fresh read would see too.
 * @module
 */
import { type FrozenTrial, isFinished } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';

interface Tracked<S> {
  readonly state: S;
  seen: number;
  pending: number[];
  firstTrialId: number | undefined;
}

/** What {@link FinishedTrialTracker.update} returns. */
export interface TrackerUpdate<S> {
  /** The memoised state of this study (and key). */
  readonly state: S;
  /** Trials that finished since the last update; apply them to `state`. */
  readonly added: readonly FrozenTrial[];
  /** The view's trials that are not finished (running and waiting), in number order. */
  readonly unfinished: readonly FrozenTrial[];
}

/** Per-study (and per-key) memo of finished trials. One per pruner instance. */
export class FinishedTrialTracker<S> {
  private readonly byStorage = new WeakMap<object, Map<string, Tracked<S>>>();

  constructor(private readonly create: () => S) {}

  /** Brings the tracker up to date with `view`. `key` separates states of different settings. */
  update(view: StudyView, key: string): TrackerUpdate<S> {
    let studies = this.byStorage.get(view.storage);
    if (studies === undefined) {
      studies = new Map();
      this.byStorage.set(view.storage, studies);
    }
    const mapKey = `${view.studyId}\u0000${key}`;
    const trials = view.trials;
    let tr = studies.get(mapKey);
    if (tr === undefined || (tr.seen > 0 && trials.length > 0 && trials[0]!.trialId !== tr.firstTrialId)) {
      // First sight, or the study id now names another study (deleted and recreated).
      tr = { state: this.create(), seen: 0, pending: [], firstTrialId: undefined };
      studies.set(mapKey, tr);
    }
    const added: FrozenTrial[] = [];
    const unfinished: FrozenTrial[] = [];
    const pending: number[] = [];
    const visit = (i: number): void => {
      const t = trials[i];
      if (t === undefined) {
        pending.push(i); // an older view, shorter than the newest seen
      } else if (isFinished(t.state)) {
        added.push(t);
      } else {
        pending.push(i);
        unfinished.push(t);
      }
    };
    for (const i of tr.pending) visit(i);
    for (let i = tr.seen; i < trials.length; i++) visit(i);
    if (trials.length > tr.seen) tr.seen = trials.length;
    tr.pending = pending;
    if (trials.length > 0) tr.firstTrialId = trials[0]!.trialId;
    return { state: tr.state, added, unfinished };
  }
}
