/**
 * Synthetic studies in memory for tests and benchmarks of plots and dashboards: `n` finished
 * trials over `d` parameters (floats, a log float, an int and a categorical), with optional
 * learning curves, pruned and failed trials, constraints and workers. Deterministic per seed.
 * @module
 */
import { CONSTRAINTS_ATTR } from '../core/constraints.js';
import type { Distribution, ParamValue } from '../core/distributions.js';
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../core/frozen-trial.js';
import { Rng } from '../core/rng.js';
import type { PlotSource } from './types.js';

/** Options of {@link syntheticSource}. */
export interface SyntheticOptions {
  /** Number of trials (default 100). */
  nTrials?: number;
  /** Number of parameters, ≥ 1 (default 4): x0 float, x1 log float, x2 int, x3 categorical, then floats. */
  nParams?: number;
  /** Directions (default one `minimize`). */
  directions?: StudyDirection[];
  /** Steps of intermediate values per trial (default 0: none). */
  nSteps?: number;
  /** Fraction of trials pruned (default 0) and failed (default 0). */
  prunedFraction?: number;
  failFraction?: number;
  /** Store constraint values (feasible when x0 ≤ 0.7). */
  constraints?: boolean;
  /** Number of workers named in the `tunekit:runner` attribute (default 0: none). */
  nWorkers?: number;
  /** Overrides of parameter names (index → name), e.g. to test escaping. */
  paramNames?: Record<number, string>;
  /** Choices of the categorical parameter (default ['adam', 'sgd', 'rmsprop']). */
  choices?: string[];
  seed?: number;
  studyName?: string;
}

const T0 = Date.UTC(2026, 0, 1);

/** A study of synthetic trials (see {@link SyntheticOptions}). */
export function syntheticSource(options: SyntheticOptions = {}): PlotSource {
  const n = options.nTrials ?? 100;
  const d = Math.max(1, options.nParams ?? 4);
  const directions = options.directions ?? ['minimize'];
  const nSteps = options.nSteps ?? 0;
  const choices = options.choices ?? ['adam', 'sgd', 'rmsprop'];
  const rng = new Rng(options.seed ?? 1);
  const names = Array.from({ length: d }, (_, j) => options.paramNames?.[j] ?? `x${j}`);
  const dists: Distribution[] = names.map((_, j) => {
    if (j === 1) return { type: 'float', low: 1e-4, high: 1, log: true, step: null };
    if (j === 2) return { type: 'int', low: 1, high: 8, log: false, step: 1 };
    if (j === 3) return { type: 'categorical', choices };
    return { type: 'float', low: 0, high: 1, log: false, step: null };
  });
  const distributions: Record<string, Distribution> = {};
  names.forEach((name, j) => {
    distributions[name] = dists[j]!;
  });
  const trials: FrozenTrial[] = [];
  const nWorkers = options.nWorkers ?? 0;
  const workerClock = new Float64Array(Math.max(1, nWorkers)).fill(T0);
  for (let i = 0; i < n; i++) {
    const params: Record<string, ParamValue> = {};
    const internal: Record<string, number> = {};
    let base = 0;
    names.forEach((name, j) => {
      const dist = dists[j]!;
      if (dist.type === 'categorical') {
        const k = rng.int(0, choices.length - 1);
        params[name] = choices[k]!;
        internal[name] = k;
        base += 0.1 * k;
      } else if (dist.type === 'int') {
        const v = rng.int(dist.low, dist.high);
        params[name] = v;
        internal[name] = v;
        base += 0.05 * v;
      } else if (dist.log) {
        const v = Math.exp(rng.uniform(Math.log(dist.low), Math.log(dist.high)));
        params[name] = v;
        internal[name] = v;
        base += 0.2 * Math.abs(Math.log10(v) + 2);
      } else {
        const v = rng.uniform(dist.low, dist.high);
        params[name] = v;
        internal[name] = v;
        base += (j === 0 ? 4 : 0.5) * (v - 0.3) ** 2;
      }
    });
    const u = rng.random();
    const pf = options.prunedFraction ?? 0;
    const ff = options.failFraction ?? 0;
    const state: TrialState = u < pf ? 'pruned' : u < pf + ff ? 'fail' : 'complete';
    const values =
      state === 'complete'
        ? directions.map((dir, k) => {
            const v = k === 0 ? base : 1 + 2 * (params[names[0]!] as number) ** 2 - 0.5 * base + 0.1 * k;
            return dir === 'maximize' ? -v : v;
          })
        : null;
    const intermediate = new Map<number, number>();
    const steps = state === 'pruned' ? Math.max(1, Math.floor(nSteps / 3)) : nSteps;
    for (let s = 0; s < steps; s++) intermediate.set(s, base + 1 / (s + 1));
    const systemAttrs: Record<string, JsonValue> = {};
    if (options.constraints === true && state === 'complete') {
      systemAttrs[CONSTRAINTS_ATTR] = [(params[names[0]!] as number) - 0.7];
    }
    const duration = 1000 + Math.floor(rng.random() * 4000);
    let start = T0 + i * 1000;
    if (nWorkers > 0) {
      const w = i % nWorkers;
      systemAttrs['tunekit:runner'] = { host: `host${w % 2}`, pid: 1000 + w };
      start = workerClock[w]!;
      workerClock[w] = start + duration + 10;
    }
    trials.push({
      trialId: i + 1,
      number: i,
      state,
      params,
      internalParams: internal,
      distributions,
      values,
      intermediateValues: intermediate,
      userAttrs: {},
      systemAttrs,
      datetimeStart: new Date(start),
      datetimeComplete: new Date(start + duration),
    });
  }
  const source: PlotSource = { trials, directions };
  if (options.studyName !== undefined) source.studyName = options.studyName;
  return source;
}
