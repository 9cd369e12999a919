/**
 * Checks every storage backend applies the same way, so that they all fail with the same
 * typed errors and the same messages.
 * @module
 */
import { assertCompatible, contains, type Distribution } from '../core/distributions.js';
import { InvalidArgumentError, TrialFinishedError } from '../core/errors.js';
import { isFinished, type JsonValue, type StudyDirection, type TrialState } from '../core/frozen-trial.js';
import type { NewTrial, ParamRecord } from './base.js';

/** Throws unless the study name is a non-empty string of reasonable length. */
export function checkStudyName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 512) {
    throw new InvalidArgumentError(
      `studyName must be a non-empty string of at most 512 characters, got ${JSON.stringify(name)}.`,
    );
  }
}

/** Throws unless `directions` is a non-empty list of 'minimize' / 'maximize'. */
export function checkDirections(
  directions: readonly unknown[],
): asserts directions is readonly StudyDirection[] {
  if (!Array.isArray(directions) || directions.length === 0) {
    throw new InvalidArgumentError(`directions must be a non-empty array of 'minimize' or 'maximize'.`);
  }
  for (const d of directions) {
    if (d !== 'minimize' && d !== 'maximize') {
      throw new InvalidArgumentError(`direction ${JSON.stringify(d)} is neither 'minimize' nor 'maximize'.`);
    }
  }
}

/** Throws `TrialFinishedError` when a trial in `state` may not be changed. */
export function checkUpdatable(trialNumber: number, state: TrialState, what: string): void {
  if (isFinished(state)) {
    throw new TrialFinishedError(
      `cannot ${what} trial ${trialNumber}: it is already ${state}, and finished trials are immutable. Ask a new trial instead.`,
    );
  }
  if (state === 'waiting') {
    throw new TrialFinishedError(
      `cannot ${what} trial ${trialNumber}: it is waiting (enqueued) and has not started. Start it with study.ask() first.`,
    );
  }
}

/** Throws unless `values` suit a finish in `state`; returns the values to store. */
export function checkFinishValues(
  trialNumber: number,
  state: 'complete' | 'pruned' | 'fail',
  values: readonly number[] | null | undefined,
): number[] | null {
  if (state !== 'complete') return values === undefined || values === null ? null : [...values];
  if (!values || values.length === 0) {
    throw new InvalidArgumentError(`trial ${trialNumber} cannot be complete without values.`);
  }
  for (const v of values) {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new InvalidArgumentError(`trial ${trialNumber}: value ${String(v)} is not a number.`);
    }
  }
  return [...values];
}

/**
 * Checks new parameters against the study's registry of distributions and returns the names
 * that are new to the study (to be registered).
 */
export function checkParams(
  registry: Readonly<Record<string, Distribution>>,
  params: readonly ParamRecord[],
): ParamRecord[] {
  const fresh: ParamRecord[] = [];
  // Names new to the study, by their first record in this batch: a name given twice in one
  // batch must keep one kind too.
  const firstInBatch = new Map<string, Distribution>();
  for (const p of params) {
    if (!contains(p.distribution, p.internal)) {
      throw new InvalidArgumentError(
        `parameter '${p.name}': internal value ${p.internal} lies outside its distribution ${JSON.stringify(p.distribution)}.`,
      );
    }
    const prev = Object.hasOwn(registry, p.name) ? registry[p.name] : firstInBatch.get(p.name);
    if (prev !== undefined) assertCompatible(prev, p.distribution, p.name);
    else {
      fresh.push(p);
      firstInBatch.set(p.name, p.distribution);
    }
  }
  return fresh;
}

/** Turns a trial template's params into records, checking each has a distribution. */
export function templateParams(template: NewTrial | undefined): ParamRecord[] {
  const out: ParamRecord[] = [];
  if (!template?.params) return out;
  for (const [name, internal] of Object.entries(template.params)) {
    const distribution = template.distributions?.[name];
    if (distribution === undefined) {
      throw new InvalidArgumentError(`parameter '${name}' of the new trial has no distribution.`);
    }
    out.push({ name, internal, distribution });
  }
  return out;
}

/** Checks the state and values of a trial template. */
export function checkTemplate(template: NewTrial | undefined): void {
  const state = template?.state ?? 'running';
  if (state === 'complete') checkFinishValues(-1, 'complete', template?.values);
}

/**
 * Sets an attribute as an own property, so that a key such as `__proto__` is stored like any
 * other instead of replacing the object's prototype.
 */
export function setAttr(attrs: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Whether two JSON values are equal (key order of objects ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Freezes a JSON value and everything inside it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Checks that `value` is JSON-serialisable data and returns a deep copy of it, deeply frozen so
 * that storages can share it between snapshots.
 */
export function copyJson<T>(value: T, what: string): T {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new InvalidArgumentError(`${what} is ${value}, which JSON cannot hold; store it as a string.`);
    }
    return value;
  }
  if (value === undefined) {
    throw new InvalidArgumentError(`${what} is undefined; store null or leave the attribute out.`);
  }
  let text: string;
  try {
    text = JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new InvalidArgumentError(
          `${what}${key === '' ? '' : ` (at key '${key}')`} holds ${v}, which JSON cannot hold; store it as a string.`,
        );
      }
      return v;
    });
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw new InvalidArgumentError(`${what} cannot be stored as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (text === undefined) throw new InvalidArgumentError(`${what} cannot be stored as JSON.`);
  return deepFreeze(JSON.parse(text) as T);
}
