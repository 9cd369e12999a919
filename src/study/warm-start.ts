/**
 * Warm starts between studies: `createStudy({ warmStartFrom, warmStartWeight })` gathers the
 * complete trials of earlier studies, keeps them in the study's `tunekit:warm_start` system
 * attribute (their minimal data: parameters, distributions, values, and where they came from) and
 * hands them to samplers as `StudyView.warmStart` (see `samplers/warm-start.ts`). Since the data
 * live in the study itself, `loadStudy`, other workers and a resumed study see the same warm start
 * without reaching the source studies, which may since have changed or been deleted.
 * @module
 */
import {
  type Distribution,
  distributionFromJson,
  distributionToJson,
  type ParamValue,
  toInternal,
} from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, JsonValue, StudyDirection } from '../core/frozen-trial.js';
import { log } from '../core/logging.js';
import type { WarmStart, WarmStartSource } from '../samplers/warm-start.js';
import type { Storage } from '../storages/base.js';
import { getStorage, isStorage, type StorageLike } from '../storages/get-storage.js';

/** Study system attribute holding the warm start (see the module documentation). */
export const WARM_START_ATTR = 'tunekit:warm_start';

/** Anything with a name, directions and trials: a `Study`. */
export interface WarmStartStudyLike {
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  getTrials(options?: {
    states?: readonly ('complete' | 'pruned' | 'fail' | 'running' | 'waiting')[];
  }): Promise<FrozenTrial[]>;
}

/**
 * One source of a warm start: an earlier study object, a study by name (in the given storage,
 * by default the new study's), or finished trials (see `createTrial`).
 */
export type WarmStartFrom =
  | WarmStartStudyLike
  | { readonly studyName: string; readonly storage?: StorageLike | undefined }
  | readonly FrozenTrial[];

function isStudyLike(x: unknown): x is WarmStartStudyLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as WarmStartStudyLike).getTrials === 'function' &&
    typeof (x as WarmStartStudyLike).studyName === 'string' &&
    Array.isArray((x as WarmStartStudyLike).directions)
  );
}

/** Checks a warm-start weight: a number in (0, 1]. */
export function checkWarmStartWeight(weight: unknown): number {
  if (typeof weight !== 'number' || !(weight > 0 && weight <= 1)) {
    throw new InvalidArgumentError(
      `warmStartWeight must be a number in (0, 1] (the weight of a warm trial relative to one of the study's own), got ${JSON.stringify(weight)}.`,
    );
  }
  return weight;
}

function sameDirections(a: readonly StudyDirection[], b: readonly StudyDirection[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A gathered source: its name, where it came from (for the record) and its complete trials. */
interface Gathered {
  readonly name: string;
  readonly storage: string | null;
  readonly trials: readonly FrozenTrial[];
}

async function gather(
  from: WarmStartFrom,
  k: number,
  directions: readonly StudyDirection[],
  storage: Storage,
): Promise<Gathered> {
  const wrongDirections = (name: string, got: readonly StudyDirection[]): never => {
    throw new InvalidArgumentError(
      `warmStartFrom: study '${name}' has directions [${got.join(', ')}] but the new study has [${directions.join(', ')}]; warm starts need the same directions.`,
    );
  };
  if (Array.isArray(from)) {
    const trials = (from as readonly FrozenTrial[]).filter((t) => t?.state === 'complete');
    for (const t of trials) {
      if (!Array.isArray(t.values) || t.values.length !== directions.length) {
        throw new InvalidArgumentError(
          `warmStartFrom[${k}]: a complete trial has ${t.values?.length ?? 0} value(s) but the new study has ${directions.length} direction(s).`,
        );
      }
    }
    return { name: `trials[${k}]`, storage: null, trials };
  }
  if (isStudyLike(from)) {
    if (!sameDirections(from.directions, directions)) wrongDirections(from.studyName, from.directions);
    return { name: from.studyName, storage: null, trials: await from.getTrials({ states: ['complete'] }) };
  }
  if (
    typeof from === 'object' &&
    from !== null &&
    typeof (from as { studyName?: unknown }).studyName === 'string'
  ) {
    const ref = from as { studyName: string; storage?: StorageLike };
    const own = ref.storage === undefined || isStorage(ref.storage) ? null : ref.storage;
    const src = ref.storage === undefined ? storage : await getStorage(ref.storage);
    try {
      const id = await src.getStudyIdFromName(ref.studyName);
      const got = await src.getStudyDirections(id);
      if (!sameDirections(got, directions)) wrongDirections(ref.studyName, got);
      return {
        name: ref.studyName,
        storage: own,
        trials: await src.getAllTrials(id, { states: ['complete'] }),
      };
    } finally {
      if (own !== null) await src.close();
    }
  }
  throw new InvalidArgumentError(
    `warmStartFrom[${k}] must be a study, { studyName, storage? } or an array of trials, got ${JSON.stringify(from)}.`,
  );
}

function encodeValue(v: number): JsonValue {
  return Number.isFinite(v) ? v : String(v);
}

function decodeValue(v: JsonValue): number {
  return typeof v === 'number' ? v : Number(v);
}

/**
 * Gathers the complete trials of `from` for a new study with `directions` in `storage`; returns
 * the warm start and its JSON form for {@link WARM_START_ATTR}, or null when no source has a
 * complete trial (said in the log).
 */
export async function gatherWarmStart(
  from: readonly WarmStartFrom[],
  weight: number,
  directions: readonly StudyDirection[],
  storage: Storage,
): Promise<{ warmStart: WarmStart; attr: JsonValue } | null> {
  if (!Array.isArray(from)) {
    throw new InvalidArgumentError(
      `warmStartFrom must be an array of studies, { studyName, storage? } objects or arrays of trials, got ${JSON.stringify(from)}.`,
    );
  }
  checkWarmStartWeight(weight);
  const gathered: Gathered[] = [];
  for (let k = 0; k < from.length; k++) gathered.push(await gather(from[k]!, k, directions, storage));
  const sources: JsonValue[] = [];
  for (const g of gathered) {
    const trials: JsonValue[] = [];
    for (const t of g.trials) {
      if (t.values === null) continue;
      const distributions: Record<string, JsonValue> = {};
      const params: Record<string, JsonValue> = {};
      for (const [name, d] of Object.entries(t.distributions)) {
        if (!Object.hasOwn(t.params, name)) continue;
        distributions[name] = JSON.parse(distributionToJson(d)) as JsonValue;
        params[name] = t.params[name] as JsonValue;
      }
      trials.push({ params, distributions, values: t.values.map(encodeValue) });
    }
    if (trials.length === 0) log.warn(`warmStartFrom: '${g.name}' has no complete trial; it adds nothing.`);
    sources.push({ name: g.name, storage: g.storage, trials });
  }
  const attr: JsonValue = { weight, sources };
  const warmStart = parseWarmStart(attr);
  return warmStart === undefined ? null : { warmStart, attr };
}

/** The warm start stored in a study's system attributes, or undefined. */
export function warmStartFromAttrs(attrs: Readonly<Record<string, JsonValue>>): WarmStart | undefined {
  return Object.hasOwn(attrs, WARM_START_ATTR) ? parseWarmStart(attrs[WARM_START_ATTR]!) : undefined;
}

function parseWarmStart(attr: JsonValue): WarmStart | undefined {
  if (attr === null || typeof attr !== 'object' || Array.isArray(attr)) return undefined;
  const weight = attr.weight;
  const rawSources = attr.sources;
  if (typeof weight !== 'number' || !Array.isArray(rawSources)) return undefined;
  const sources: WarmStartSource[] = [];
  for (const raw of rawSources) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !Array.isArray(raw.trials)) continue;
    const trials: FrozenTrial[] = [];
    raw.trials.forEach((rt, k) => {
      const t = rt as {
        params: Record<string, ParamValue>;
        distributions: Record<string, JsonValue>;
        values: JsonValue[];
      };
      const distributions: Record<string, Distribution> = {};
      const internalParams: Record<string, number> = {};
      for (const [name, dj] of Object.entries(t.distributions)) {
        const d = distributionFromJson(JSON.stringify(dj));
        distributions[name] = d;
        internalParams[name] = toInternal(d, t.params[name]!);
      }
      trials.push({
        trialId: -1 - k,
        number: k,
        state: 'complete',
        params: { ...t.params },
        internalParams,
        distributions,
        values: t.values.map(decodeValue),
        intermediateValues: new Map(),
        userAttrs: {},
        systemAttrs: {},
        datetimeStart: null,
        datetimeComplete: null,
      });
    });
    if (trials.length > 0) sources.push({ name: String(raw.name), trials });
  }
  return sources.length === 0 ? undefined : { weight, sources };
}
