/**
 * Early stopping for `fmin`, as Hyperopt's `early_stop_fn`: a function of the trials so far and
 * of a state it returned last time, answering whether to stop.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import { STATUS_OK, type Trials } from './trials.js';

/** What an early-stop function answers: stop or not, optionally with its state for the next call. */
export type EarlyStopAnswer = boolean | readonly [stop: boolean, state: unknown];

/**
 * Called after each evaluation with the trials and the state it returned last time
 * (`undefined` at first). Hyperopt: `early_stop_fn(trials, *args) -> (stop, args)`.
 */
export type EarlyStopFn = (trials: Trials, state: unknown) => EarlyStopAnswer | Promise<EarlyStopAnswer>;

interface NoProgressState {
  readonly best: number | null;
  readonly since: number;
}

/**
 * Stops after `iterations` evaluations in a row that did not improve the best loss by more than
 * `percentIncrease` percent (Hyperopt's `no_progress_loss`). A failed evaluation counts as no
 * progress.
 * @example
 * ```ts
 * await fmin({ fn, space, algo: tpe.suggest, maxEvals: 500, earlyStopFn: noProgressLoss(20) });
 * ```
 */
export function noProgressLoss(iterations = 20, percentIncrease = 0): EarlyStopFn {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new InvalidArgumentError(`noProgressLoss: iterations must be an integer ≥ 1, got ${iterations}.`);
  }
  if (!(percentIncrease >= 0) || !Number.isFinite(percentIncrease)) {
    throw new InvalidArgumentError(`noProgressLoss: percentIncrease must be ≥ 0, got ${percentIncrease}.`);
  }
  return (trials, state) => {
    const prev = (state as NoProgressState | undefined) ?? { best: null, since: 0 };
    const last = trials.trials.at(-1);
    const loss = last !== undefined && last.result.status === STATUS_OK ? last.result.loss : undefined;
    if (typeof loss !== 'number' || Number.isNaN(loss)) {
      const next = { best: prev.best, since: prev.since + 1 };
      return [next.since >= iterations, next];
    }
    if (prev.best === null) return [false, { best: loss, since: 0 }];
    const threshold = prev.best - Math.abs(prev.best * (percentIncrease / 100));
    const next = loss < threshold ? { best: loss, since: 0 } : { best: prev.best, since: prev.since + 1 };
    return [next.since >= iterations, next];
  };
}
