/**
 * The trial table's query: filter by state, objective value and parameter ranges, sort, and
 * paginate, on the server, so the browser only ever receives one page.
 *
 * Query string: `state=complete,pruned`, `sort=number|state|duration|datetimeStart|value|value.<i>|param.<name>`,
 * `order=asc|desc`, `offset`, `limit` (1–1000, default 50), `value.min`/`value.max` (objective 0;
 * `value.<i>.min` for others), `param.<name>.min`/`param.<name>.max` (numeric parameters) and
 * `param.<name>.in` (repeated; a categorical parameter's values as text). Missing values sort last.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { type FrozenTrial, isTrialState, TRIAL_STATES, type TrialState } from '../../core/frozen-trial.js';

/** A parsed trial query. */
export interface TrialQuery {
  states: readonly TrialState[] | null;
  sort: SortKey;
  descending: boolean;
  offset: number;
  limit: number;
  ranges: readonly RangeFilter[];
  sets: readonly SetFilter[];
}

/** What to sort by. */
export type SortKey =
  | { kind: 'number' }
  | { kind: 'state' }
  | { kind: 'duration' }
  | { kind: 'datetimeStart' }
  | { kind: 'value'; index: number }
  | { kind: 'param'; name: string };

/** Keep trials whose objective or numeric parameter lies in [min, max]. */
export interface RangeFilter {
  target: { kind: 'value'; index: number } | { kind: 'param'; name: string };
  min: number;
  max: number;
}

/** Keep trials whose parameter's value, as text, is one of `values`. */
export interface SetFilter {
  name: string;
  values: ReadonlySet<string>;
}

/** The largest page. */
export const MAX_LIMIT = 1000;

function intArg(q: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = q.get(key);
  if (raw === null || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`'${key}' must be an integer in [${min}, ${max}], got '${raw}'.`);
  }
  return v;
}

function numArg(key: string, raw: string): number {
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  if (Number.isNaN(v)) throw new InvalidArgumentError(`'${key}' must be a number, got '${raw}'.`);
  return v;
}

function parseSort(raw: string | null): SortKey {
  if (raw === null || raw === '' || raw === 'number') return { kind: 'number' };
  if (raw === 'state' || raw === 'duration' || raw === 'datetimeStart') return { kind: raw };
  if (raw === 'value') return { kind: 'value', index: 0 };
  const value = /^value\.(\d+)$/.exec(raw);
  if (value) return { kind: 'value', index: Number(value[1]) };
  if (raw.startsWith('param.') && raw.length > 'param.'.length) {
    return { kind: 'param', name: raw.slice('param.'.length) };
  }
  throw new InvalidArgumentError(
    `unknown sort '${raw}': use number, state, duration, datetimeStart, value, value.<i> or param.<name>.`,
  );
}

/** Parses the query string of `GET /api/studies/:id/trials`; throws `InvalidArgumentError`. */
export function parseTrialQuery(q: URLSearchParams): TrialQuery {
  let states: TrialState[] | null = null;
  const rawStates = q.get('state');
  if (rawStates !== null && rawStates !== '') {
    states = [];
    for (const s of rawStates.split(',')) {
      if (!isTrialState(s)) {
        throw new InvalidArgumentError(`unknown state '${s}': use ${TRIAL_STATES.join(', ')}.`);
      }
      states.push(s);
    }
  }
  const order = q.get('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new InvalidArgumentError(`'order' must be asc or desc, got '${order}'.`);
  }
  const ranges = new Map<string, RangeFilter>();
  const sets: SetFilter[] = [];
  for (const key of new Set(q.keys())) {
    const m = /^(value(?:\.(\d+))?|param\.(.+))\.(min|max|in)$/.exec(key);
    if (m === null) continue;
    const bound = m[4]!;
    const paramName = m[3];
    if (bound === 'in') {
      if (paramName === undefined)
        throw new InvalidArgumentError(`'${key}': 'in' applies to parameters only.`);
      sets.push({ name: paramName, values: new Set(q.getAll(key)) });
      continue;
    }
    const id = paramName === undefined ? `value.${m[2] ?? '0'}` : `param.${paramName}`;
    let r = ranges.get(id);
    if (r === undefined) {
      r = {
        target:
          paramName === undefined
            ? { kind: 'value', index: Number(m[2] ?? '0') }
            : { kind: 'param', name: paramName },
        min: Number.NEGATIVE_INFINITY,
        max: Number.POSITIVE_INFINITY,
      };
      ranges.set(id, r);
    }
    const raw = q.get(key) ?? '';
    if (raw.trim() === '') continue;
    if (bound === 'min') r.min = numArg(key, raw);
    else r.max = numArg(key, raw);
  }
  return {
    states,
    sort: parseSort(q.get('sort')),
    descending: order === 'desc',
    offset: intArg(q, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: intArg(q, 'limit', 50, 1, MAX_LIMIT),
    ranges: [...ranges.values()],
    sets,
  };
}

function sortValue(t: FrozenTrial, key: SortKey): number | string | null {
  switch (key.kind) {
    case 'number':
      return t.number;
    case 'state':
      return t.state;
    case 'duration':
      return t.datetimeStart === null || t.datetimeComplete === null
        ? null
        : t.datetimeComplete.getTime() - t.datetimeStart.getTime();
    case 'datetimeStart':
      return t.datetimeStart?.getTime() ?? null;
    case 'value': {
      const v = t.values?.[key.index];
      return v === undefined || Number.isNaN(v) ? null : v;
    }
    case 'param': {
      const v = t.params[key.name];
      if (v === undefined || v === null) return null;
      return typeof v === 'number' ? (Number.isNaN(v) ? null : v) : String(v);
    }
  }
}

function inRange(t: FrozenTrial, r: RangeFilter): boolean {
  const v = r.target.kind === 'value' ? t.values?.[r.target.index] : t.params[r.target.name];
  return typeof v === 'number' && v >= r.min && v <= r.max;
}

/** The page of trials the query asks for, and how many trials passed the filters. */
export function runTrialQuery(
  trials: readonly FrozenTrial[],
  query: TrialQuery,
): { total: number; page: FrozenTrial[] } {
  const states = query.states === null ? null : new Set(query.states);
  const kept: FrozenTrial[] = [];
  for (const t of trials) {
    if (states !== null && !states.has(t.state)) continue;
    let ok = true;
    for (const r of query.ranges) if (!inRange(t, r)) ok = false;
    for (const s of query.sets) if (!s.values.has(String(t.params[s.name]))) ok = false;
    if (ok) kept.push(t);
  }
  const key = query.sort;
  if (key.kind !== 'number' || query.descending) {
    const keys = new Array<number | string | null>(kept.length);
    const idx = new Uint32Array(kept.length);
    for (let i = 0; i < kept.length; i++) {
      keys[i] = sortValue(kept[i]!, key);
      idx[i] = i;
    }
    const dir = query.descending ? -1 : 1;
    idx.sort((i, j) => {
      const a = keys[i] ?? null;
      const b = keys[j] ?? null;
      if (a === null || b === null) {
        if (a === b) return kept[i]!.number - kept[j]!.number;
        return a === null ? 1 : -1;
      }
      if (a < b) return -dir;
      if (a > b) return dir;
      return kept[i]!.number - kept[j]!.number;
    });
    const sorted = Array.from(idx, (i) => kept[i]!);
    return { total: kept.length, page: sorted.slice(query.offset, query.offset + query.limit) };
  }
  return { total: kept.length, page: kept.slice(query.offset, query.offset + query.limit) };
}
