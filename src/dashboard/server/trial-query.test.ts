// The trial table's query: parsing with clear errors, filters, sorting with missing values last
// in either order, ties by number, paging.
import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial, TrialState } from '../../core/frozen-trial.js';
import { parseTrialQuery, runTrialQuery } from './trial-query.js';

const x = floatDistribution(0, 10);
const c = categoricalDistribution(['a', 'b,c']);

function trial(
  number: number,
  state: TrialState,
  value: number | null,
  px?: number,
  pc?: string,
): FrozenTrial {
  const params: Record<string, number | string> = {};
  if (px !== undefined) params.x = px;
  if (pc !== undefined) params.c = pc;
  return {
    trialId: number + 100,
    number,
    state,
    params,
    internalParams: {},
    distributions: { ...(px !== undefined ? { x } : {}), ...(pc !== undefined ? { c } : {}) },
    values: value === null ? null : [value],
    intermediateValues: new Map(),
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: new Date(1000 * number),
    datetimeComplete: state === 'running' ? null : new Date(1000 * number + 10 * (5 - number)),
  };
}

const trials = [
  trial(0, 'complete', 3, 1, 'a'),
  trial(1, 'pruned', null, 5, 'b,c'),
  trial(2, 'complete', 1, 9, 'b,c'),
  trial(3, 'running', null),
  trial(4, 'complete', 3, 2, 'a'),
];

const run = (q: string) => runTrialQuery(trials, parseTrialQuery(new URLSearchParams(q)));
const numbers = (q: string) => run(q).page.map((t) => t.number);

describe('trial query', () => {
  it('sorts by value with missing values last in both orders, ties by number', () => {
    expect(numbers('sort=value')).toEqual([2, 0, 4, 1, 3]);
    expect(numbers('sort=value&order=desc')).toEqual([0, 4, 2, 1, 3]);
    expect(numbers('sort=param.x&order=desc')).toEqual([2, 1, 4, 0, 3]);
    expect(numbers('sort=duration')).toEqual([4, 2, 1, 0, 3]);
    expect(numbers('order=desc')).toEqual([4, 3, 2, 1, 0]);
  });

  it('filters by state, ranges and categorical values (commas inside values kept)', () => {
    expect(numbers('state=complete,running')).toEqual([0, 2, 3, 4]);
    expect(numbers('param.x.min=2&param.x.max=9')).toEqual([1, 2, 4]);
    expect(numbers('value.max=2')).toEqual([2]);
    expect(numbers('param.c.in=b%2Cc')).toEqual([1, 2]);
    expect(numbers('param.c.in=a&param.c.in=b%2Cc&state=complete')).toEqual([0, 2, 4]);
    expect(numbers('param.x.min=')).toEqual([0, 1, 2, 4]);
  });

  it('pages and counts what passed the filters', () => {
    const r = run('state=complete&offset=1&limit=1');
    expect(r.total).toBe(3);
    expect(r.page.map((t) => t.number)).toEqual([2]);
  });

  it('refuses malformed queries with what to use instead', () => {
    const bad = (q: string) => () => parseTrialQuery(new URLSearchParams(q));
    expect(bad('state=done')).toThrow(InvalidArgumentError);
    expect(bad('state=done')).toThrow(/unknown state 'done'/);
    expect(bad('order=up')).toThrow(/asc or desc/);
    expect(bad('limit=0')).toThrow(/\[1, 1000\]/);
    expect(bad('offset=-1')).toThrow(/'offset'/);
    expect(bad('param.x.min=abc')).toThrow(/must be a number/);
    expect(bad('sort=height')).toThrow(/unknown sort 'height'/);
    expect(bad('value.in=1')).toThrow(/parameters only/);
  });
});
