import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { hypervolume } from '../math/hypervolume/index.js';
import { interpolateGrid, plotContour } from './contour.js';
import { plotEdf } from './edf.js';
import { plotHypervolumeHistory } from './hypervolume-history.js';
import { plotParamImportances } from './importance.js';
import { plotIntermediateValues } from './intermediate.js';
import { plotParallelCoordinate } from './parallel-coordinate.js';
import { nonDominatedIndices, plotParetoFront } from './pareto-front.js';
import { PLOT_KINDS, PLOTS } from './registry.js';
import { plotSlice } from './slice.js';
import { syntheticSource } from './synthetic-study.js';
import { plotTimeline } from './timeline.js';
import type { PlotResult } from './types.js';

type AnySeries = { name: string; type: string; data: unknown[]; [k: string]: unknown };
const seriesOf = (r: PlotResult): AnySeries[] => r.spec.series as AnySeries[];
const total = (r: PlotResult) => seriesOf(r).reduce((s, x) => s + x.data.length, 0);

describe('plotIntermediateValues', () => {
  const source = syntheticSource({ nTrials: 40, nSteps: 9, prunedFraction: 0.3, seed: 2 });

  it('draws one curve per reporting trial, pruned ones dimmed', () => {
    const r = plotIntermediateValues(source);
    expect(r.data.curves).toHaveLength(40);
    const series = seriesOf(r);
    expect(series).toHaveLength(40);
    const pruned = r.data.curves.filter((c) => c.pruned);
    expect(pruned.length).toBeGreaterThan(0);
    for (const [k, c] of r.data.curves.entries()) {
      const style = series[k]!.lineStyle as { opacity: number };
      expect(style.opacity).toBe(c.pruned ? 0.35 : 0.9);
      expect(series[k]!.data).toEqual(c.points);
    }
    const complete = r.data.curves.find((c) => !c.pruned)!;
    expect(complete.points.map((p) => p[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pruned[0]!.points).toHaveLength(3);
    expect(r.meta.nPoints).toBe(total(r));
    expect(r.meta.downsampled).toBe(false);
  });

  it('caps curves and points, keeping the best complete trials', () => {
    const big = syntheticSource({ nTrials: 2000, nSteps: 50, prunedFraction: 0.3, seed: 4 });
    const r = plotIntermediateValues(big, { maxCurves: 100, maxPoints: 2000 });
    expect(r.data.curves).toHaveLength(100);
    expect(r.data.nCurvesTotal).toBe(2000);
    expect(r.meta.nPoints).toBeLessThanOrEqual(2000);
    expect(r.meta.nPoints).toBe(total(r));
    expect(r.meta.downsampled).toBe(true);
    const best = big.trials
      .filter((t) => t.state === 'complete')
      .sort((a, b) => a.values![0]! - b.values![0]!)
      .slice(0, 20)
      .map((t) => t.number);
    const shown = new Set(r.data.curves.map((c) => c.number));
    for (const n of best) expect(shown.has(n)).toBe(true);
  });
});

describe('plotParallelCoordinate', () => {
  const source = syntheticSource({ nTrials: 60, nParams: 5, seed: 5 });
  it('has an axis per parameter (category and log axes) and a line per complete trial', () => {
    const r = plotParallelCoordinate(source);
    const axes = r.spec.parallelAxis as { name: string; type: string; data?: string[] }[];
    expect(axes.map((a) => a.name)).toEqual(['Objective value', 'x0', 'x1', 'x2', 'x3', 'x4']);
    expect(axes.map((a) => a.type)).toEqual(['value', 'value', 'log', 'value', 'category', 'value']);
    expect(axes[4]!.data).toEqual(['adam', 'sgd', 'rmsprop']);
    expect(r.data.rows).toHaveLength(60);
    expect(r.meta.nPoints).toBe(60);
    const t7 = source.trials[7]!;
    const row = (seriesOf(r)[0]!.data as unknown[][])[7]!;
    expect(row).toEqual([
      t7.values![0],
      t7.params.x0,
      t7.params.x1,
      t7.params.x2,
      t7.params.x3,
      t7.params.x4,
    ]);
  });
  it('shows the chosen parameters only and downsamples keeping the best', () => {
    const big = syntheticSource({ nTrials: 5000, nParams: 4, seed: 6 });
    const r = plotParallelCoordinate(big, { params: ['x3', 'x0'], maxPoints: 500 });
    expect(r.data.axes.map((a) => a.name)).toEqual(['x3', 'x0']);
    expect(r.meta.nPoints).toBe(500);
    expect(r.meta.downsampled).toBe(true);
    const best = Math.min(...big.trials.map((t) => t.values![0]!));
    expect(r.data.rows.some((row) => row.value === best)).toBe(true);
    expect(() => plotParallelCoordinate(big, { params: ['nope'] })).toThrow(/nope/);
  });
});

describe('plotSlice', () => {
  it('draws one panel per parameter with the trials of each', () => {
    const source = syntheticSource({ nTrials: 30, nParams: 4, seed: 8 });
    const r = plotSlice(source);
    expect(r.data.panels.map((p) => p.axis.name)).toEqual(['x0', 'x1', 'x2', 'x3']);
    expect(seriesOf(r)).toHaveLength(4);
    expect(r.meta.nPoints).toBe(120);
    expect((r.spec.xAxis as { type: string }[]).map((a) => a.type)).toEqual([
      'value',
      'log',
      'value',
      'category',
    ]);
    const p = r.data.panels[3]!.points[0]!;
    expect(p).toEqual([source.trials[0]!.params.x3, source.trials[0]!.values![0], 0]);
    expect(r.data.columns).toBe(3);
    expect(r.data.rows).toBe(2);
  });
});

describe('plotContour', () => {
  it('interpolates a grid of gridSize² cells and draws the trials on top', () => {
    const source = syntheticSource({ nTrials: 200, nParams: 3, seed: 9 });
    const r = plotContour(source, { params: ['x0', 'x2'], gridSize: 20 });
    expect(r.data.gridX).toHaveLength(20);
    expect(r.data.z).toHaveLength(20);
    expect(r.data.z[0]).toHaveLength(20);
    const [heat, markers] = seriesOf(r);
    expect(heat!.type).toBe('heatmap');
    expect(heat!.data).toHaveLength(400);
    expect(markers!.data).toHaveLength(200);
    expect(r.meta.nPoints).toBe(600);
    // The objective grows with (x0 − 0.3)²: the grid is lowest near x0 = 0.3.
    const row = r.data.z[10]!;
    const argmin = row.indexOf(Math.min(...row));
    expect(r.data.gridX[argmin] as number).toBeGreaterThan(0.1);
    expect(r.data.gridX[argmin] as number).toBeLessThan(0.5);
  });
  it('uses one cell per choice on a categorical axis', () => {
    const source = syntheticSource({ nTrials: 100, nParams: 4, seed: 10 });
    const r = plotContour(source, { params: ['x3', 'x1'], gridSize: 10 });
    expect(r.data.gridX).toEqual(['adam', 'sgd', 'rmsprop']);
    expect(r.data.z).toHaveLength(10);
    expect(r.data.z[0]).toHaveLength(3);
    expect((r.spec.xAxis as unknown[]).length).toBe(1);
    expect((r.spec.yAxis as unknown[]).length).toBe(2);
  });
  it('is exact at cells holding trials and rejects a bad pair', () => {
    const grid = interpolateGrid(
      2,
      1,
      Float64Array.of(0.1, 0.9),
      Float64Array.of(0.5, 0.5),
      Float64Array.of(1, 3),
    );
    expect(grid[0]!).toBeCloseTo(1, 2);
    expect(grid[1]!).toBeCloseTo(3, 2);
    const source = syntheticSource({ nTrials: 10, nParams: 1 });
    expect(() => plotContour(source)).toThrow(/two parameters/);
    expect(() => plotContour(syntheticSource({ nTrials: 10 }), { params: ['x0', 'x0'] })).toThrow(
      /different/,
    );
  });
});

describe('plotEdf', () => {
  it('is a non-decreasing step function ending at 1', () => {
    const source = syntheticSource({ nTrials: 500, seed: 11 });
    const r = plotEdf(source);
    const pts = r.data.points;
    expect(pts).toHaveLength(500);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
      expect(pts[i]![1]).toBeGreaterThan(pts[i - 1]![1]);
    }
    expect(pts.at(-1)![1]).toBe(1);
    expect(pts[0]![1]).toBe(1 / 500);
    const small = plotEdf(source, { maxPoints: 50 });
    expect(small.data.points).toHaveLength(50);
    expect(small.data.points[0]).toEqual(pts[0]);
    expect(small.data.points.at(-1)).toEqual(pts.at(-1));
    expect(small.meta.downsampled).toBe(true);
  });
  it('counts ties once with the fraction at their last copy', () => {
    const base = syntheticSource({ nTrials: 4, seed: 1 });
    const values = [2, 1, 2, 3];
    const trials = base.trials.map((t, i) => ({ ...t, values: [values[i]!] }));
    expect(plotEdf({ trials, directions: ['minimize'] }).data.points).toEqual([
      [1, 0.25],
      [2, 0.75],
      [3, 1],
    ]);
  });
});

describe('plotTimeline', () => {
  it('groups bars by worker and colours them by state', () => {
    const source = syntheticSource({
      nTrials: 50,
      nWorkers: 4,
      prunedFraction: 0.2,
      failFraction: 0.1,
      seed: 12,
    });
    const r = plotTimeline(source);
    expect(r.data.groupBy).toBe('worker');
    expect(r.data.rows.sort()).toEqual(['host0:1000', 'host0:1002', 'host1:1001', 'host1:1003']);
    expect(r.meta.nPoints).toBe(50);
    const names = seriesOf(r).map((s) => s.name);
    expect(names).toContain('pruned');
    expect(names).toContain('fail');
    const bar = r.data.bars[0]!;
    expect(bar.start).toBe(source.trials[0]!.datetimeStart!.getTime());
    expect(bar.end).toBe(source.trials[0]!.datetimeComplete!.getTime());
    // A lines series gives the time axis no extent of its own: the spec sets it around the bars.
    const x = r.spec.xAxis as { type: string; min: number; max: number };
    expect(x.type).toBe('time');
    expect(x.min).toBeLessThan(Math.min(...r.data.bars.map((b) => b.start)));
    expect(x.max).toBeGreaterThan(Math.max(...r.data.bars.map((b) => b.end)));
  });
  it('puts one row per trial without workers and ends running trials at now', () => {
    const source = syntheticSource({ nTrials: 5 });
    const running: FrozenTrial = { ...source.trials[4]!, state: 'running', datetimeComplete: null };
    const now = new Date(source.trials[4]!.datetimeStart!.getTime() + 12345);
    const r = plotTimeline({ ...source, trials: [...source.trials.slice(0, 4), running] }, { now });
    expect(r.data.groupBy).toBe('trial');
    expect(r.data.bars.map((b) => b.row)).toEqual([0, 1, 2, 3, 4]);
    expect(r.data.bars[4]!.end).toBe(now.getTime());
    expect(seriesOf(r).find((s) => s.name === 'running')!.data).toHaveLength(1);
  });
});

describe('plotParetoFront', () => {
  it('highlights exactly the non-dominated feasible trials', () => {
    const source = syntheticSource({
      nTrials: 400,
      directions: ['minimize', 'maximize'],
      constraints: true,
      seed: 13,
    });
    const r = plotParetoFront(source);
    const feasible = [...r.data.front, ...r.data.dominated];
    const dominates = (a: number[], b: number[]) =>
      a[0]! <= b[0]! && a[1]! >= b[1]! && (a[0]! < b[0]! || a[1]! > b[1]!);
    for (const p of r.data.front) {
      for (const q of feasible) expect(dominates(q.values, p.values)).toBe(false);
    }
    for (const q of r.data.dominated)
      expect(r.data.front.some((p) => dominates(p.values, q.values))).toBe(true);
    expect(r.data.infeasible.length).toBeGreaterThan(0);
    expect(r.data.front.length + r.data.dominated.length + r.data.infeasible.length).toBe(400);
    expect(seriesOf(r).map((s) => s.name)).toEqual(['Non-dominated', 'Dominated', 'Infeasible']);
    expect(r.meta.nPoints).toBe(400);
  });
  it('projects three objectives onto the chosen pair and keeps the whole front when downsampling', () => {
    const source = syntheticSource({
      nTrials: 3000,
      directions: ['minimize', 'minimize', 'maximize'],
      seed: 14,
    });
    const r = plotParetoFront(source, { objectives: [2, 0], maxPoints: 300 });
    expect((r.spec.xAxis as { name: string }).name).toBe('Objective 2');
    const first = (seriesOf(r)[0]!.data as number[][])[0]!;
    expect(first[0]).toBe(r.data.front[0]!.values[2]);
    expect(first[1]).toBe(r.data.front[0]!.values[0]);
    expect(r.meta.downsampled).toBe(true);
    expect(r.meta.nPoints).toBeLessThanOrEqual(Math.max(300, r.data.front.length + 1));
    expect(() => plotParetoFront(syntheticSource({ nTrials: 5 }))).toThrow(/2 or more objectives/);
  });
  it('finds non-dominated rows with ties and duplicates', () => {
    const pts = Float64Array.of(1, 5, 1, 3, 2, 2, 2, 2, 3, 1, 3, 4);
    expect(nonDominatedIndices(pts, 6, 2)).toEqual([1, 2, 3, 4]);
  });
});

describe('plotHypervolumeHistory', () => {
  for (const directions of [
    ['minimize', 'maximize'],
    ['minimize', 'minimize', 'maximize'],
  ] as const) {
    it(`is non-decreasing and ends at the hypervolume of all trials (${directions.length} objectives)`, () => {
      const source = syntheticSource({ nTrials: 300, directions: [...directions], seed: 15 });
      const ref = directions.map((d) => (d === 'minimize' ? 10 : -10));
      const r = plotHypervolumeHistory(source, { referencePoint: ref });
      const pts = r.data.points;
      for (let i = 1; i < pts.length; i++) expect(pts[i]![1]).toBeGreaterThanOrEqual(pts[i - 1]![1]);
      const minimised = source.trials.map((t) =>
        t.values!.map((v, j) => (directions[j] === 'maximize' ? -v : v)),
      );
      const exact = hypervolume(minimised, [10, 10, 10].slice(0, directions.length));
      expect(r.data.final).toBeCloseTo(exact, 9);
      expect(pts.at(-1)).toEqual([299, r.data.final]);
      // Check a point in the middle against a direct computation on the prefix.
      const [number, value] = pts[Math.floor(pts.length / 2)]!;
      expect(value).toBeCloseTo(
        hypervolume(minimised.slice(0, number + 1), [10, 10, 10].slice(0, directions.length)),
        9,
      );
      expect(r.meta.nPoints).toBe(pts.length);
    });
  }
  it('rejects a reference point of the wrong length', () => {
    const source = syntheticSource({ nTrials: 10, directions: ['minimize', 'minimize'] });
    expect(() => plotHypervolumeHistory(source, { referencePoint: [1] })).toThrow(/referencePoint/);
  });
});

describe('plotParamImportances', () => {
  it('ranks the parameter the objective depends on most first', () => {
    const source = syntheticSource({ nTrials: 200, nParams: 5, seed: 16 });
    const r = plotParamImportances(source);
    expect(r.data.params[0]).toBe('x0');
    const sum = r.data.series[0]!.importances.reduce((s, e) => s + e.importance, 0);
    expect(sum).toBeCloseTo(1, 6);
    const bars = seriesOf(r)[0]!.data as [string, number][];
    expect(bars.at(-1)![0]).toBe('x0'); // the top bar
    expect(r.meta.nPoints).toBe(5);
  });
  it('uses PED-ANOVA on request', () => {
    const source = syntheticSource({ nTrials: 300, nParams: 5, seed: 17 });
    const r = plotParamImportances(source, { evaluator: 'ped-anova' });
    expect(r.data.evaluator).toBe('ped-anova');
    expect(r.data.params[0]).toBe('x0');
    expect(() => plotParamImportances(source, { evaluator: 'nope' as 'fanova' })).toThrow(/evaluator/);
  });
  it('gives an empty plot without enough trials', () => {
    const r = plotParamImportances({ trials: [], directions: ['minimize'] });
    expect(r.meta.nPoints).toBe(0);
  });
});

describe('PLOTS', () => {
  it('has every kind, and each result says its kind and counts its points', () => {
    const so = syntheticSource({ nTrials: 60, nSteps: 4, nWorkers: 2 });
    const mo = syntheticSource({ nTrials: 60, directions: ['minimize', 'maximize'] });
    for (const kind of PLOT_KINDS) {
      const source = kind === 'pareto-front' || kind === 'hypervolume-history' ? mo : so;
      const r = (PLOTS[kind] as (s: typeof so) => PlotResult)(source);
      expect(r.kind).toBe(kind);
      expect(r.meta.nPoints).toBe(total(r));
      expect(r.meta.totalTrials).toBe(60);
      expect(JSON.parse(JSON.stringify(r.spec))).toEqual(r.spec);
    }
  });
});

describe('speed', () => {
  it('draws every plot of a 100,000-trial × 10-parameter study in well under a second of CPU', () => {
    const so = syntheticSource({
      nTrials: 100_000,
      nParams: 10,
      nSteps: 5,
      prunedFraction: 0.3,
      nWorkers: 8,
    });
    const mo = syntheticSource({ nTrials: 100_000, nParams: 10, directions: ['minimize', 'maximize'] });
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    for (const kind of PLOT_KINDS) {
      const source = kind === 'pareto-front' || kind === 'hypervolume-history' ? mo : so;
      const plot = PLOTS[kind] as (s: typeof so, o: { maxPoints: number }) => PlotResult;
      plot(source, { maxPoints: 3000 }); // warm up
      const c0 = cpuMs();
      const r = plot(source, { maxPoints: 3000 });
      const ms = cpuMs() - c0;
      // Measured about 20–300 ms (fANOVA on its 2000 most recent trials about 350 ms); the bound
      // leaves room for slow machines.
      expect(ms, kind).toBeLessThan(1000);
      if (kind !== 'importance' && kind !== 'hypervolume-history') {
        expect(r.meta.downsampled, kind).toBe(true);
      }
      expect(r.meta.nPoints, kind).toBeLessThanOrEqual(
        kind === 'slice' ? 30_100 : kind === 'contour' ? 4700 : 20_000,
      );
    }
  });
});
