/**
 * Constraints: `createStudy({ constraints: (trial) => number[] })`. After a trial completes the
 * study evaluates the function and stores its values in the trial's system attribute
 * {@link CONSTRAINTS_ATTR}; a trial is feasible when every value is ≤ 0. Samplers and
 * `bestTrial`/`bestTrials` read the attribute (as Optuna's `constraints` system attribute).
 *
 * A study is "constrained" as soon as one of its trials carries the attribute; in a constrained
 * study a complete trial without it (its constraint function threw) counts as infeasible with an
 * infinite violation.
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import type { FrozenTrial } from './frozen-trial.js';

/** Trial system attribute: the values of the study's constraint function (feasible: all ≤ 0). */
export const CONSTRAINTS_ATTR = 'tunekit:constraints';

/** The study's constraint function: one number per constraint, each feasible when ≤ 0. */
export type ConstraintsFunction = (trial: FrozenTrial) => readonly number[];

/** The stored constraint values of a trial, or null when it has none (valid numbers only). */
export function constraintValues(trial: FrozenTrial): number[] | null {
  const raw = trial.systemAttrs[CONSTRAINTS_ATTR];
  if (!Array.isArray(raw)) return null;
  const out: number[] = [];
  for (const v of raw) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    out.push(v);
  }
  return out;
}

/**
 * How far a trial is from feasibility: the sum of the positive constraint values (0 = feasible),
 * or null when the trial has no constraint values.
 */
export function constraintViolation(trial: FrozenTrial): number | null {
  const values = constraintValues(trial);
  if (values === null) return null;
  let sum = 0;
  for (const v of values) if (v > 0) sum += v;
  return sum;
}

/**
 * Whether a trial satisfies its constraints. A trial without constraint values is feasible
 * unless `constrained` says the study has constraints (then it is not).
 */
export function isFeasible(trial: FrozenTrial, constrained = false): boolean {
  const v = constraintViolation(trial);
  return v === null ? !constrained : v === 0;
}

/** Whether any of the trials carries constraint values. */
export function hasConstraints(trials: readonly FrozenTrial[]): boolean {
  for (const t of trials) if (t.systemAttrs[CONSTRAINTS_ATTR] !== undefined) return true;
  return false;
}

/**
 * The violation to rank by in a constrained study: {@link constraintViolation}, or +∞ for a
 * trial without values.
 */
export function violationForRanking(trial: FrozenTrial): number {
  return constraintViolation(trial) ?? Number.POSITIVE_INFINITY;
}

/**
 * Runs the constraint function on a completed trial and checks its result. Throws `InvalidArgumentError`
 * with a clear message when the function throws or returns anything but finite numbers.
 */
export function evaluateConstraints(fn: ConstraintsFunction, trial: FrozenTrial): number[] {
  let raw: unknown;
  try {
    raw = fn(trial);
  } catch (e) {
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new InvalidArgumentError(`the constraints function threw on trial ${trial.number}: ${why}`, {
      cause: e,
    });
  }
  if (!Array.isArray(raw)) {
    throw new InvalidArgumentError(
      `the constraints function must return an array of numbers, got ${JSON.stringify(raw)} on trial ${trial.number}.`,
    );
  }
  const out: number[] = [];
  for (const v of raw as unknown[]) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(
        `the constraints function returned ${String(v)} on trial ${trial.number}; every constraint value must be a finite number (≤ 0 = satisfied).`,
      );
    }
    out.push(v);
  }
  return out;
}
