/**
 * The pruner contract. `trial.shouldPrune()` flushes the trial's reports, reads the study fresh
 * from the storage (never a stale snapshot) and asks the pruner. Pruners, like samplers, keep no
 * hidden state: their decision is a function of the study's trials.
 * @module
 */
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';

/** Decides whether a running trial should stop early. */
export interface Pruner {
  /** Short name, recorded in logs. */
  readonly name: string;
  /** `trial` is the running trial as stored, with its latest intermediate values. */
  prune(study: StudyView, trial: FrozenTrial): boolean;
}

/** Never prunes. The default. */
export class NopPruner implements Pruner {
  readonly name = 'nop';
  prune(): boolean {
    return false;
  }
}
