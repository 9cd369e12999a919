/**
 * Finished trials built from plain data (`createTrial`), and the checks a trial passes before
 * `study.addTrials` imports it.
 * @module
 */
import {
  assertCompatible,
  contains,
  type Distribution,
  type ParamValue,
  toExternal,
  toInternal,
} from '../core/distributions.js';
import { IncompatibleDistributionError, InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, JsonValue, StudyDirection } from '../core/frozen-trial.js';
import type { NewTrial } from '../storages/base.js';
import { copyJson } from '../storages/rules.js';

/** What {@link createTrial} takes. */
export interface CreateTrialOptions {
  /** Default 'complete'. */
  state?: 'complete' | 'pruned' | 'fail' | undefined;
  /** The objective value of a single-objective trial (not with `values`). */
  value?: number | undefined;
  /** The objective values, one per direction (not with `value`). */
  values?: readonly number[] | undefined;
  /** Parameter values as the objective saw them (a categorical's choice, not its index). */
  params?: Readonly<Record<string, ParamValue>> | undefined;
  /** The distribution of each parameter (see `floatDistribution`, `intDistribution`…). */
  distributions?: Readonly<Record<string, Distribution>> | undefined;
  /** Reports by step, as a Map or an object `{ step: value }`. */
  intermediateValues?: ReadonlyMap<number, number> | Readonly<Record<number, number>> | undefined;
  userAttrs?: Readonly<Record<string, JsonValue>> | undefined;
  systemAttrs?: Readonly<Record<string, JsonValue>> | undefined;
  datetimeStart?: Date | null | undefined;
  datetimeComplete?: Date | null | undefined;
}

function fail(message: string): never {
  throw new InvalidArgumentError(message);
}

function intermediateMap(raw: CreateTrialOptions['intermediateValues'], what: string): Map<number, number> {
  const out = new Map<number, number>();
  if (raw === undefined) return out;
  const entries: Array<[unknown, unknown]> =
    raw instanceof Map ? [...raw.entries()] : Object.entries(raw as Record<string, unknown>);
  for (const [k, v] of entries) {
    const step = typeof k === 'string' ? Number(k) : k;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
      fail(`${what}: intermediate value step ${JSON.stringify(k)} must be an integer ≥ 0.`);
    }
    if (typeof v !== 'number' || Number.isNaN(v)) {
      fail(`${what}: intermediate value at step ${step} must be a number, got ${JSON.stringify(v)}.`);
    }
    out.set(step, v);
  }
  return out;
}

/**
 * A finished trial built from plain data, for `study.addTrials` or `createStudy({ warmStartFrom })`.
 * It belongs to no study yet (`trialId` and `number` are −1). Checks that every parameter has a
 * distribution that contains its value and that a complete trial has values.
 *
 * @example
 * ```ts
 * const t = createTrial({
 *   params: { x: 2, kind: 'b' },
 *   distributions: { x: floatDistribution(-10, 10), kind: categoricalDistribution(['a', 'b']) },
 *   value: 0.25,
 * });
 * await study.addTrial(t);
 * ```
 */
export function createTrial(options: CreateTrialOptions): FrozenTrial {
  if (options === null || typeof options !== 'object') {
    fail('createTrial() needs an object such as { params, distributions, value }.');
  }
  const state = options.state ?? 'complete';
  if (state !== 'complete' && state !== 'pruned' && state !== 'fail') {
    fail(`createTrial(): state must be 'complete', 'pruned' or 'fail', got ${JSON.stringify(state)}.`);
  }
  if (options.value !== undefined && options.values !== undefined) {
    fail('createTrial(): give either value or values, not both.');
  }
  let values: number[] | null =
    options.value !== undefined ? [options.value] : options.values !== undefined ? [...options.values] : null;
  if (values !== null) {
    for (const v of values) {
      if (typeof v !== 'number' || Number.isNaN(v)) {
        fail(`createTrial(): value ${JSON.stringify(v)} is not a number.`);
      }
    }
    if (values.length === 0) values = null;
  }
  if (state === 'complete' && values === null) {
    fail("createTrial(): a complete trial needs value (or values); use state 'fail' or 'pruned' otherwise.");
  }
  if (state === 'fail' && values !== null) {
    fail("createTrial(): a failed trial has no values; leave value/values out or use state 'complete'.");
  }
  const params = options.params ?? {};
  const distributions = options.distributions ?? {};
  const internalParams: Record<string, number> = {};
  const ownDistributions: Record<string, Distribution> = {};
  const outParams: Record<string, ParamValue> = {};
  for (const name of Object.keys(params)) {
    const d = distributions[name];
    if (d === undefined) {
      fail(`createTrial(): parameter '${name}' has no distribution; add it to distributions.`);
    }
    let internal: number;
    try {
      internal = toInternal(d, params[name]!);
    } catch (e) {
      fail(`createTrial(): parameter '${name}': ${(e as Error).message}`);
    }
    if (!contains(d, internal)) {
      fail(
        `createTrial(): parameter '${name}' = ${JSON.stringify(params[name])} lies outside its distribution ${JSON.stringify(d)}.`,
      );
    }
    internalParams[name] = internal;
    ownDistributions[name] = d;
    outParams[name] = toExternal(d, internal);
  }
  for (const name of Object.keys(distributions)) {
    if (!Object.hasOwn(params, name)) {
      fail(`createTrial(): distribution '${name}' has no parameter value; add it to params or drop it.`);
    }
  }
  const now = new Date();
  return {
    trialId: -1,
    number: -1,
    state,
    params: outParams,
    internalParams,
    distributions: ownDistributions,
    values,
    intermediateValues: intermediateMap(options.intermediateValues, 'createTrial()'),
    userAttrs: copyJson({ ...(options.userAttrs ?? {}) }, 'user attributes') as Record<string, JsonValue>,
    systemAttrs: copyJson({ ...(options.systemAttrs ?? {}) }, 'system attributes') as Record<
      string,
      JsonValue
    >,
    datetimeStart: options.datetimeStart ?? now,
    datetimeComplete: options.datetimeComplete ?? now,
  };
}

/**
 * Checks a finished trial to import into a study with `directions` whose parameters have the
 * distributions `registry` (names seen earlier in the batch are added to it), and returns the
 * storage template that recreates it. `what` names the trial in messages.
 */
export function importTemplate(
  trial: FrozenTrial,
  directions: readonly StudyDirection[],
  registry: Record<string, Distribution>,
  what: string,
): NewTrial {
  if (trial === null || typeof trial !== 'object') {
    fail(`${what} is not a trial; build one with createTrial({ params, distributions, value }).`);
  }
  const state = trial.state;
  if (state !== 'complete' && state !== 'pruned' && state !== 'fail') {
    fail(
      `${what} is ${JSON.stringify(state)}; only finished trials (complete, pruned or fail) can be added. Finish it first, or enqueue its parameters with study.enqueueTrial().`,
    );
  }
  const values = trial.values === null || trial.values === undefined ? null : [...trial.values];
  if (state === 'complete') {
    if (values === null) fail(`${what} is complete but has no values.`);
    if (values.length !== directions.length) {
      fail(
        `${what} has ${values.length} value(s) but the study has ${directions.length} direction(s) [${directions.join(', ')}].`,
      );
    }
  }
  if (values !== null) {
    for (const v of values) {
      if (typeof v !== 'number' || Number.isNaN(v))
        fail(`${what}: value ${JSON.stringify(v)} is not a number.`);
    }
  }
  const params = trial.params ?? {};
  const dists = trial.distributions ?? {};
  const internal: Record<string, number> = {};
  const distributions: Record<string, Distribution> = {};
  for (const name of Object.keys(params)) {
    const d = dists[name];
    if (d === undefined) fail(`${what}: parameter '${name}' has no distribution.`);
    let v: number;
    try {
      v = toInternal(d, params[name]!);
    } catch (e) {
      fail(`${what}: parameter '${name}': ${(e as Error).message}`);
    }
    if (!contains(d, v)) {
      fail(
        `${what}: parameter '${name}' = ${JSON.stringify(params[name])} lies outside its distribution ${JSON.stringify(d)}.`,
      );
    }
    const prev = registry[name];
    if (prev !== undefined) {
      try {
        assertCompatible(prev, d, name);
      } catch (e) {
        throw new IncompatibleDistributionError(`${what}: ${(e as Error).message}`);
      }
    } else registry[name] = d;
    internal[name] = v;
    distributions[name] = d;
  }
  return {
    state,
    params: internal,
    distributions,
    values: state === 'fail' ? null : values,
    intermediateValues: intermediateMap(trial.intermediateValues, what),
    userAttrs: trial.userAttrs ?? {},
    systemAttrs: trial.systemAttrs ?? {},
    datetimeStart: trial.datetimeStart ?? null,
    datetimeComplete: trial.datetimeComplete ?? null,
  };
}
