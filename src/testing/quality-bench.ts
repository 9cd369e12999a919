/**
 * The quality benchmark shared by `bench/quality.ts` (`npm run bench:quality`) and
 * `tunekit bench`: runs samplers on the problems of the shared benchmark and tabulates mean
 * regret, median regret and mean normalised regret per problem and sampler, beside Optuna's
 * figures from the shared anchors with the ratio tunekit/Optuna. One implementation, so that the
 * two never differ.
 *
 * Regret: best value found minus the problem's f*; normalised regret divides it by the regret of
 * the problem's random median. The results have the shape of the anchors file's `results`.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../core/errors.js';
import { AutoSampler } from '../samplers/auto/index.js';
import type { Sampler } from '../samplers/base.js';
import { CmaEsSampler } from '../samplers/cmaes/index.js';
import { GPSampler } from '../samplers/gp/index.js';
import { GradientSampler } from '../samplers/gradient/index.js';
import { PSOSampler } from '../samplers/pso/index.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { TPESampler } from '../samplers/tpe/index.js';
import { createStudy } from '../study/create-study.js';
import { BENCH_PROBLEMS } from './problems.js';

/** The samplers the benchmark knows, by name. */
export const QUALITY_SAMPLERS: Readonly<Record<string, (seed: number) => Sampler>> = {
  random: (seed) => new RandomSampler({ seed }),
  tpe: (seed) => new TPESampler({ seed }),
  tpe_indep: (seed) => new TPESampler({ seed, multivariate: false }),
  gp: (seed) => new GPSampler({ seed }),
  auto: (seed) => new AutoSampler({ seed }),
  cmaes: (seed) => new CmaEsSampler({ seed }),
  pso: (seed) => new PSOSampler({ seed }),
  gradient: (seed) => new GradientSampler({ seed }),
};

/** The Optuna anchors each tunekit sampler is compared with. */
export const ANCHOR_OF: Readonly<Record<string, readonly string[]>> = {
  random: ['optuna31/random'],
  tpe: ['optuna5/tpe', 'optuna31/tpe'],
  tpe_indep: ['optuna31/tpe'],
  gp: ['optuna5/gp'],
  auto: ['optuna5/tpe'],
  cmaes: ['optuna31/cmaes'],
};

/** The default anchors file, relative to the working directory. */
export const DEFAULT_ANCHORS = '../shared/bench/optuna-anchors.json';

/** One (problem, sampler) result, as in the anchors file. */
export interface QualityRow {
  best: number[];
  mean_regret: number;
  median_regret: number;
  mean_norm_regret: number;
  seconds_per_run: number;
}

/** Anchors: results[problem][anchorName] is a {@link QualityRow} (or the problem's constants). */
export type Anchors = Record<string, Record<string, unknown>>;

/** Options of {@link runQualityBench}. */
export interface QualityBenchOptions {
  /** Problem names (default: all). */
  problems?: readonly string[] | undefined;
  /** Sampler names of {@link QUALITY_SAMPLERS} (default: tpe). */
  samplers?: readonly string[] | undefined;
  /** Trials per run. Default 100. */
  trials?: number | undefined;
  /** Runs (seeds 0, 1, …) per problem and sampler. Default 10. */
  seeds?: number | undefined;
  /** Trials at once, with an async objective (1 ms) when > 1. Default 1. */
  concurrency?: number | undefined;
  /** Optuna's figures (the anchors file's `results`); none when omitted. */
  anchors?: Anchors | undefined;
  /** Called with each table line as soon as it is known (progress). */
  onLine?: ((line: string) => void) | undefined;
}

/** What {@link runQualityBench} returns. */
export interface QualityBenchResult {
  readonly trials: number;
  readonly seeds: number;
  readonly concurrency: number;
  /** The JSON written with --out: results[problem] = { fstar, random_median, [sampler]: row }. */
  readonly results: Record<string, Record<string, unknown>>;
  /** The title line and the markdown table. */
  readonly title: string;
  readonly table: readonly string[];
}

/** The anchors file's results, or {} when the file does not exist. */
export function loadAnchors(path: string): Anchors {
  if (!existsSync(path)) return {};
  return (JSON.parse(readFileSync(path, 'utf8')) as { results: Anchors }).results;
}

/** A ratio with 2 significant digits (0.0012, 0.35, 1.5, 12, 340). */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return Math.round(x).toString();
  return x.toPrecision(2);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`--${name} must be an integer ≥ 1, got ${String(value)}.`);
  }
  return value;
}

export const TABLE_HEADER = [
  '| problem | sampler | mean regret | median regret | mean norm. regret | s/run | Optuna anchor | anchor mean regret | ratio |',
  '|---|---|---|---|---|---|---|---|---|',
] as const;

/** Runs the benchmark (see the module documentation). */
export async function runQualityBench(options: QualityBenchOptions = {}): Promise<QualityBenchResult> {
  const problems = options.problems ?? Object.keys(BENCH_PROBLEMS);
  const samplers = options.samplers ?? ['tpe'];
  const trials = positiveInt('trials', options.trials ?? 100);
  const seeds = positiveInt('seeds', options.seeds ?? 10);
  const concurrency = positiveInt('concurrency', options.concurrency ?? 1);
  const anchors = options.anchors ?? {};
  for (const p of problems) {
    if (!BENCH_PROBLEMS[p]) {
      throw new InvalidArgumentError(
        `unknown problem '${p}'; known: ${Object.keys(BENCH_PROBLEMS).join(', ')}.`,
      );
    }
  }
  for (const s of samplers) {
    if (!QUALITY_SAMPLERS[s]) {
      throw new InvalidArgumentError(
        `unknown sampler '${s}'; known: ${Object.keys(QUALITY_SAMPLERS).join(', ')}.`,
      );
    }
  }
  const results: Record<string, Record<string, unknown>> = {};
  const table: string[] = [...TABLE_HEADER];
  for (const pname of problems) {
    const problem = BENCH_PROBLEMS[pname]!;
    results[pname] = { fstar: problem.fstar, random_median: problem.randomMedian };
    for (const sname of samplers) {
      const make = QUALITY_SAMPLERS[sname]!;
      const best: number[] = [];
      const secs: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const study = await createStudy({ sampler: make(seed) });
        const t0 = performance.now();
        await study.optimize(
          concurrency > 1
            ? async (t) => {
                const v = problem.objective(t);
                await new Promise((r) => setTimeout(r, 1));
                return v;
              }
            : (t) => problem.objective(t),
          { nTrials: trials, concurrency },
        );
        secs.push((performance.now() - t0) / 1000);
        best.push(await study.bestValue());
      }
      const regret = best.map((b) => b - problem.fstar);
      const row: QualityRow = {
        best,
        mean_regret: regret.reduce((a, b) => a + b, 0) / seeds,
        median_regret: median(regret),
        mean_norm_regret: regret.reduce((a, r) => a + r / (problem.randomMedian - problem.fstar), 0) / seeds,
        seconds_per_run: median(secs),
      };
      results[pname]![sname] = row;
      const anchorKeys = (ANCHOR_OF[sname] ?? []).filter((k) => anchors[pname]?.[k] !== undefined);
      const anchorCells =
        anchorKeys.length === 0
          ? ['', '', '']
          : [
              anchorKeys.join(' / '),
              anchorKeys
                .map((k) => (anchors[pname]![k] as QualityRow).mean_regret.toPrecision(4))
                .join(' / '),
              anchorKeys
                .map((k) => formatRatio(row.mean_regret / (anchors[pname]![k] as QualityRow).mean_regret))
                .join(' / '),
            ];
      const line = `| ${pname} | ${sname} | ${row.mean_regret.toPrecision(4)} | ${row.median_regret.toPrecision(4)} | ${row.mean_norm_regret.toPrecision(4)} | ${row.seconds_per_run.toFixed(2)} | ${anchorCells.join(' | ')} |`;
      table.push(line);
      options.onLine?.(line);
    }
  }
  return {
    trials,
    seeds,
    concurrency,
    results,
    title: `quality benchmark: ${trials} trials × ${seeds} seeds, concurrency ${concurrency}, node ${process.version}`,
    table,
  };
}

/** The JSON written with --out (the shape of the anchors file, its `results` included). */
export function qualityJson(result: QualityBenchResult): string {
  return JSON.stringify(
    { trials: result.trials, seeds: result.seeds, concurrency: result.concurrency, results: result.results },
    null,
    1,
  );
}
