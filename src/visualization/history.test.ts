import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { plotOptimizationHistory } from './history.js';
import { syntheticSource } from './synthetic-study.js';
import type { PlotSource } from './types.js';

function trial(number: number, value: number | null, state: FrozenTrial['state'] = 'complete'): FrozenTrial {
  return {
    trialId: number + 1,
    number,
    state,
    params: { x: number },
    internalParams: { x: number },
    distributions: { x: { type: 'float', low: 0, high: 100, log: false, step: null } },
    values: value === null ? null : [value],
    intermediateValues: new Map(),
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: new Date(0),
    datetimeComplete: new Date(1000),
  };
}

function seriesData(spec: Record<string, unknown>, name: string): unknown[] {
  const series = spec.series as { name: string; data: unknown[] }[];
  const s = series.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no series ${name}`);
  return s.data;
}

describe('plotOptimizationHistory', () => {
  const source: PlotSource = {
    trials: [
      trial(0, 5),
      trial(1, 7),
      trial(2, null, 'pruned'),
      trial(3, 3),
      trial(4, 4),
      trial(5, 1),
      trial(6, 2),
    ],
    directions: ['minimize'],
  };

  it('plots every complete trial and the best-so-far steps', () => {
    const r = plotOptimizationHistory(source);
    expect(r.kind).toBe('history');
    expect(r.data.points.map((p) => p.number)).toEqual([0, 1, 3, 4, 5, 6]);
    expect(r.data.best).toEqual([
      { number: 0, value: 5 },
      { number: 3, value: 3 },
      { number: 5, value: 1 },
      { number: 6, value: 1 },
    ]);
    expect(seriesData(r.spec, 'Objective value')).toEqual([
      [0, 5],
      [1, 7],
      [3, 3],
      [4, 4],
      [5, 1],
      [6, 2],
    ]);
    expect(r.meta).toEqual({ nPoints: 6 + 4, totalTrials: 7, downsampled: false });
  });

  it('follows maximisation', () => {
    const r = plotOptimizationHistory({ ...source, directions: ['maximize'] });
    expect(r.data.best.map((p) => p.value)).toEqual([5, 7, 7]);
    expect(r.data.best.map((p) => p.number)).toEqual([0, 1, 6]);
  });

  it('draws no best line for a target without direction, and one with targetDirection', () => {
    const target = (t: FrozenTrial) => -t.values![0]!;
    expect(plotOptimizationHistory(source, { target }).data.best).toEqual([]);
    const r = plotOptimizationHistory(source, { target, targetDirection: 'maximize', targetName: 'neg' });
    expect(r.data.best.map((p) => p.value)).toEqual([-5, -3, -1, -1]);
    expect((r.spec.yAxis as { name: string }).name).toBe('neg');
  });

  it('downsamples to maxPoints but keeps every improvement and the best trials exactly', () => {
    const big = syntheticSource({ nTrials: 20000, nParams: 3, seed: 7 });
    const full = plotOptimizationHistory(big, { maxPoints: Number.POSITIVE_INFINITY });
    const r = plotOptimizationHistory(big, { maxPoints: 1000 });
    expect(full.meta.downsampled).toBe(false);
    expect(r.meta.downsampled).toBe(true);
    expect(r.data.points.length).toBeGreaterThanOrEqual(1000);
    expect(r.data.points.length).toBeLessThanOrEqual(1000 + r.data.best.length);
    expect(r.data.best).toEqual(full.data.best);
    const numbers = new Set(r.data.points.map((p) => p.number));
    for (const b of full.data.best.slice(0, -1)) expect(numbers.has(b.number)).toBe(true);
    // The 50 best trials are all there.
    const best50 = [...full.data.points].sort((a, b) => a.value - b.value).slice(0, 50);
    for (const p of best50) expect(numbers.has(p.number)).toBe(true);
    // nPoints is the number of data points in the spec.
    const series = r.spec.series as { data: unknown[] }[];
    expect(r.meta.nPoints).toBe(series.reduce((s, x) => s + x.data.length, 0));
    // Deterministic.
    expect(plotOptimizationHistory(big, { maxPoints: 1000 }).data.points).toEqual(r.data.points);
  });

  it('shows infeasible trials apart and computes the best over feasible ones', () => {
    const s = syntheticSource({ nTrials: 300, constraints: true, seed: 3 });
    const r = plotOptimizationHistory(s);
    const infeasible = r.data.points.filter((p) => !p.feasible);
    expect(infeasible.length).toBeGreaterThan(0);
    expect(seriesData(r.spec, 'Infeasible')).toHaveLength(infeasible.length);
    const feasibleNumbers = new Set(r.data.points.filter((p) => p.feasible).map((p) => p.number));
    // Every improvement is a feasible trial (the last point only extends the line).
    for (const b of r.data.best.slice(0, -1)) expect(feasibleNumbers.has(b.number)).toBe(true);
    const bestFeasible = Math.min(...r.data.points.filter((p) => p.feasible).map((p) => p.value));
    expect(r.data.best.at(-1)!.value).toBe(bestFeasible);
    // A better but infeasible trial does not move the line.
    const bad = { ...trial(1000, -100), systemAttrs: { 'tunekit:constraints': [1] } };
    const r2 = plotOptimizationHistory({ ...s, trials: [...s.trials, bad] });
    expect(r2.data.best.at(-1)).toEqual({ number: 1000, value: bestFeasible });
  });

  it('rejects a bad objectiveIndex and maxPoints with a clear error', () => {
    expect(() => plotOptimizationHistory(source, { objectiveIndex: 1 })).toThrow(/objectiveIndex/);
    expect(() => plotOptimizationHistory(source, { maxPoints: 0 })).toThrow(/maxPoints/);
  });

  it('gives an empty plot for a study without complete trials', () => {
    const r = plotOptimizationHistory({ trials: [], directions: ['minimize'] });
    expect(r.meta.nPoints).toBe(0);
    expect(r.data.best).toEqual([]);
  });
});
