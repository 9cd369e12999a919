/**
 * Sampling a declared search space on a trial, conditions included: a parameter with `when` is
 * suggested only when every named earlier parameter has one of the listed values; otherwise it
 * is inactive (absent from the trial's params, its placeholders dropped).
 * @module
 */
import type { CategoricalChoice, ParamValue } from '../core/distributions.js';
import type { Trial } from '../trial/trial.js';
import type { Fill } from './runner/command.js';
import type { ParamSpec, SearchSpaceSpec } from './study-file.js';

/** Whether a parameter's `when` holds for the values sampled so far. */
export function conditionHolds(p: ParamSpec, values: Readonly<Record<string, ParamValue>>): boolean {
  for (const [dep, allowed] of Object.entries(p.when ?? {})) {
    if (!Object.hasOwn(values, dep)) return false;
    const list: readonly CategoricalChoice[] = Array.isArray(allowed)
      ? allowed
      : [allowed as CategoricalChoice];
    if (!list.some((v) => v === values[dep])) return false;
  }
  return true;
}

/** Suggests every active parameter of `space` on `trial`, in the order declared. */
export function suggestAll(trial: Trial, space: SearchSpaceSpec): Fill {
  const values: Record<string, ParamValue> = {};
  const inactive = new Set<string>();
  for (const [name, p] of Object.entries(space)) {
    if (!conditionHolds(p, values)) {
      inactive.add(name);
      continue;
    }
    if (p.type === 'float') {
      values[name] = trial.suggestFloat(name, p.low, p.high, {
        ...(p.log === undefined ? {} : { log: p.log }),
        ...(p.step === undefined ? {} : { step: p.step }),
      });
    } else if (p.type === 'int') {
      values[name] = trial.suggestInt(name, p.low, p.high, {
        ...(p.log === undefined ? {} : { log: p.log }),
        ...(p.step === undefined ? {} : { step: p.step }),
      });
    } else {
      values[name] = trial.suggestCategorical(name, p.choices);
    }
  }
  return { values, inactive };
}
