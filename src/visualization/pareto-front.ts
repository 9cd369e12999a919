/**
 * Pareto front of a multi-objective study: the complete trials in the plane of two objectives,
 * the non-dominated feasible ones highlighted, infeasible ones grey. With three or more
 * objectives the front is computed on all of them and shown in the chosen pair's plane.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import { baseSpec, checkSource, countPoints, feasibility, metricName, resolveMaxPoints } from './common.js';
import { samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotParetoFront}. */
export interface ParetoFrontOptions {
  /** The objectives on x and y (default [0, 1]). */
  objectives?: readonly [number, number];
  /** The most dominated and infeasible trials drawn (default 5000); the front is always whole. */
  maxPoints?: number;
}

/** One plotted trial. */
export interface ParetoPoint {
  number: number;
  values: number[];
}

/** Data of {@link plotParetoFront}. */
export interface ParetoFrontData {
  objectiveNames: string[];
  directions: StudyDirection[];
  /** The objectives on x and y. */
  objectives: [number, number];
  /** Non-dominated feasible trials (all of them), by number. */
  front: ParetoPoint[];
  /** Other feasible trials (downsampled). */
  dominated: ParetoPoint[];
  /** Trials violating the constraints (downsampled). */
  infeasible: ParetoPoint[];
}

/**
 * Indices of the non-dominated rows of `points` (n × m, every objective minimised): rows no other
 * row dominates (no worse everywhere, better somewhere). Equal rows are all kept. Ascending.
 *
 * Rows are visited by their first objective, keeping the front found so far: a row joins it unless
 * a front row dominates it, and removes the rows it dominates. The front row that rejected the
 * last row is moved to the front of the list, as it is likely to reject the next ones too.
 */
export function nonDominatedIndices(points: Float64Array, n: number, m: number): number[] {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => points[a * m]! - points[b * m]! || a - b);
  let front: number[] = [];
  for (const i of order) {
    let dominated = false;
    for (let k = 0; k < front.length; k++) {
      const f = front[k]!;
      let le = true;
      let lt = false;
      for (let j = 0; j < m; j++) {
        const a = points[f * m + j]!;
        const b = points[i * m + j]!;
        if (a > b) {
          le = false;
          break;
        }
        if (a < b) lt = true;
      }
      if (le && lt) {
        dominated = true;
        if (k > 0) {
          front[k] = front[0]!;
          front[0] = f;
        }
        break;
      }
    }
    if (dominated) continue;
    // Ties in the first objective: a later row may dominate earlier front rows.
    front = front.filter((f) => {
      let le = true;
      let lt = false;
      for (let j = 0; j < m; j++) {
        const a = points[i * m + j]!;
        const b = points[f * m + j]!;
        if (a > b) {
          le = false;
          break;
        }
        if (a < b) lt = true;
      }
      return !(le && lt);
    });
    front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/**
 * The Pareto front in the plane of two objectives: non-dominated feasible trials in red,
 * dominated ones in blue, infeasible ones in grey.
 */
export function plotParetoFront(
  source: PlotSource,
  options: ParetoFrontOptions = {},
): PlotResult<ParetoFrontData> {
  const plot = 'plotParetoFront';
  checkSource(source, plot);
  const m = source.directions.length;
  if (m < 2) {
    throw new InvalidArgumentError(
      `${plot}: a Pareto front needs a study with 2 or more objectives, this one has ${m}.`,
    );
  }
  const pair = options.objectives ?? [0, 1];
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((j) => Number.isInteger(j) && j >= 0 && j < m) ||
    pair[0] === pair[1]
  ) {
    throw new InvalidArgumentError(`${plot}: objectives must be two different indices in [0, ${m - 1}].`);
  }
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const complete: FrozenTrial[] = source.trials.filter(
    (t) =>
      t.state === 'complete' && t.values !== null && t.values.length === m && t.values.every(Number.isFinite),
  );
  complete.sort((a, b) => a.number - b.number);
  const feasible = feasibility(complete, source.trials);
  const feasibleIdx: number[] = [];
  const infeasibleIdx: number[] = [];
  complete.forEach((_, i) => {
    (feasible === null || feasible[i] === 1 ? feasibleIdx : infeasibleIdx).push(i);
  });
  const nf = feasibleIdx.length;
  const minimised = new Float64Array(nf * m);
  for (let k = 0; k < nf; k++) {
    const values = complete[feasibleIdx[k]!]!.values!;
    for (let j = 0; j < m; j++)
      minimised[k * m + j] = source.directions[j] === 'maximize' ? -values[j]! : values[j]!;
  }
  const frontK = nonDominatedIndices(minimised, nf, m);
  const isFront = new Uint8Array(nf);
  for (const k of frontK) isFront[k] = 1;
  const dominatedIdx: number[] = [];
  for (let k = 0; k < nf; k++) if (isFront[k] === 0) dominatedIdx.push(feasibleIdx[k]!);

  const budget = Math.max(1, maxPoints - frontK.length);
  const share = Math.max(
    1,
    Math.round((budget * dominatedIdx.length) / Math.max(1, dominatedIdx.length + infeasibleIdx.length)),
  );
  const domSample = samplePoints(dominatedIdx.length, share, []);
  const infSample = samplePoints(infeasibleIdx.length, Math.max(1, budget - domSample.indices.length), []);

  const toPoint = (i: number): ParetoPoint => ({
    number: complete[i]!.number,
    values: [...complete[i]!.values!],
  });
  const front = frontK.map((k) => toPoint(feasibleIdx[k]!));
  const dominated = Array.from(domSample.indices, (k) => toPoint(dominatedIdx[k]!));
  const infeasible = Array.from(infSample.indices, (k) => toPoint(infeasibleIdx[k]!));

  const names = source.directions.map((_, j) => metricName(source, j));
  const [jx, jy] = pair as [number, number];
  const others = names.map((_, j) => j).filter((j) => j !== jx && j !== jy);
  const dims = [names[jx]!, names[jy]!, 'Trial', ...others.map((j) => names[j]!)];
  const row = (p: ParetoPoint) => [
    p.values[jx]!,
    p.values[jy]!,
    p.number,
    ...others.map((j) => p.values[j]!),
  ];
  const scatter = (name: string, color: string, data: ParetoPoint[], size: number, z: number) => ({
    name,
    type: 'scatter',
    symbolSize: size,
    z,
    large: true,
    largeThreshold: 2000,
    itemStyle: { color },
    dimensions: dims,
    data: data.map(row),
  });
  const series = [
    scatter('Non-dominated', '#ee6666', front, 8, 3),
    scatter('Dominated', '#5470c6', dominated, 5, 2),
    ...(infeasible.length > 0 ? [scatter('Infeasible', '#b0b0b0', infeasible, 5, 1)] : []),
  ];
  const spec = {
    ...baseSpec('Pareto Front', source),
    legend: { bottom: 0 },
    grid: { left: 80, right: 40, top: 50, bottom: 70 },
    xAxis: { type: 'value', name: names[jx], nameLocation: 'middle', nameGap: 25, scale: true },
    yAxis: { type: 'value', name: names[jy], scale: true },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0 },
      { type: 'inside', yAxisIndex: 0 },
    ],
    series,
  };
  return {
    kind: 'pareto-front',
    title: 'Pareto Front',
    data: {
      objectiveNames: names,
      directions: [...source.directions],
      objectives: [jx, jy],
      front,
      dominated,
      infeasible,
    },
    spec,
    meta: {
      nPoints: countPoints(series),
      totalTrials: source.trials.length,
      downsampled: domSample.downsampled || infSample.downsampled,
    },
  };
}
