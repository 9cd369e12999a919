import { describe, expect, it } from 'vitest';
import { bestOf, paretoFront } from './best-trial.js';
import {
  CONSTRAINTS_ATTR,
  constraintValues,
  constraintViolation,
  evaluateConstraints,
  hasConstraints,
  isFeasible,
  violationForRanking,
} from './constraints.js';
import { TunekitError } from './errors.js';
import type { FrozenTrial, JsonValue } from './frozen-trial.js';

function trial(number: number, values: number[] | null, constraints?: JsonValue): FrozenTrial {
  return {
    trialId: number,
    number,
    state: values === null ? 'fail' : 'complete',
    params: {},
    internalParams: {},
    distributions: {},
    values,
    intermediateValues: new Map(),
    userAttrs: {},
    systemAttrs: constraints === undefined ? {} : { [CONSTRAINTS_ATTR]: constraints },
    datetimeStart: null,
    datetimeComplete: null,
  };
}

describe('constraint helpers', () => {
  it('sums the positive parts; 0 is feasible; null without values', () => {
    expect(constraintViolation(trial(0, [1], [-1, 0]))).toBe(0);
    expect(constraintViolation(trial(0, [1], [2, -5, 0.5]))).toBe(2.5);
    expect(constraintViolation(trial(0, [1]))).toBeNull();
    expect(constraintValues(trial(0, [1], ['x']))).toBeNull();
    expect(isFeasible(trial(0, [1], [0, -1]))).toBe(true);
    expect(isFeasible(trial(0, [1], [1e-9]))).toBe(false);
    expect(isFeasible(trial(0, [1]))).toBe(true);
    expect(isFeasible(trial(0, [1]), true)).toBe(false);
    expect(violationForRanking(trial(0, [1]))).toBe(Number.POSITIVE_INFINITY);
    expect(hasConstraints([trial(0, [1]), trial(1, [1], [0])])).toBe(true);
    expect(hasConstraints([trial(0, [1])])).toBe(false);
  });

  it('evaluateConstraints rejects throwing and non-finite functions with a clear message', () => {
    const t = trial(3, [1]);
    expect(evaluateConstraints(() => [1, -2], t)).toEqual([1, -2]);
    expect(() =>
      evaluateConstraints(() => {
        throw new Error('boom');
      }, t),
    ).toThrow(/constraints function threw on trial 3: Error: boom/);
    expect(() => evaluateConstraints(() => [Number.NaN], t)).toThrow(/finite number/);
    expect(() => evaluateConstraints(() => [Number.POSITIVE_INFINITY], t)).toThrow(TunekitError);
    expect(() => evaluateConstraints(() => 3 as unknown as number[], t)).toThrow(/array of numbers/);
  });

  it('bestOf and paretoFront keep their old behaviour and filter with feasibleOnly', () => {
    const trials = [trial(0, [0, 5], [1]), trial(1, [1, 1], [0]), trial(2, [2, 0]), trial(3, [3, 3], [-1])];
    expect(bestOf(trials, ['minimize'])?.number).toBe(0);
    expect(bestOf(trials, ['minimize'], { feasibleOnly: true })?.number).toBe(1);
    expect(bestOf([trials[0]!], ['minimize'], { feasibleOnly: true })).toBeNull();
    expect(paretoFront(trials, ['minimize', 'minimize']).map((t) => t.number)).toEqual([0, 1, 2]);
    expect(
      paretoFront(trials, ['minimize', 'minimize'], { feasibleOnly: true }).map((t) => t.number),
    ).toEqual([1]);
  });
});
