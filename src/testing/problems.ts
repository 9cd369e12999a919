/**
 * The quality-benchmark problems (the same formulas, bounds, parameter names and suggest order as
 * the shared reference `problems.py`), so that tunekit's samplers and Optuna's are compared on the
 * same work. Every problem is minimised and has a known global minimum `fstar`.
 * @module
 */
import type { Trial } from '../trial/trial.js';

/** A benchmark problem. */
export interface BenchProblem {
  readonly name: string;
  readonly kind: 'box' | 'mixed';
  readonly fstar: number;
  /** Median of f over 20,000 uniformly random points (the reference of normalised regret). */
  readonly randomMedian: number;
  /** Box problems: the bounds of x0, x1, … */
  readonly bounds: ReadonlyArray<readonly [number, number]>;
  /** Suggests the parameters on `trial` and returns f. */
  objective(trial: Trial): number;
}

/** Branin: 2-D, three global minima. */
export function branin(x: ArrayLike<number>): number {
  const x1 = x[0]!;
  const x2 = x[1]!;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const HAL = [1.0, 1.2, 3.0, 3.2];
const H3A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const H3P = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((r) => r.map((v) => v * 1e-4));
const H6A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

function hartmann(x: ArrayLike<number>, A: number[][], P: number[][]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < A[0]!.length; j++) inner += A[i]![j]! * (x[j]! - P[i]![j]!) ** 2;
    s += HAL[i]! * Math.exp(-inner);
  }
  return -s;
}

/** Hartmann 3-D on [0, 1]^3. */
export function hartmann3(x: ArrayLike<number>): number {
  return hartmann(x, H3A, H3P);
}

/** Hartmann 6-D on [0, 1]^6. */
export function hartmann6(x: ArrayLike<number>): number {
  return hartmann(x, H6A, H6P);
}

/** Ackley in any dimension. */
export function ackley(x: ArrayLike<number>): number {
  const d = x.length;
  let sq = 0;
  let cs = 0;
  for (let i = 0; i < d; i++) {
    sq += x[i]! ** 2;
    cs += Math.cos(2 * Math.PI * x[i]!);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cs / d) + 20 + Math.E;
}

/** Rosenbrock in any dimension. */
export function rosenbrock(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
}

/** Parameters of {@link mixedMlp}. */
export interface MixedMlpParams {
  optimizer: 'sgd' | 'adagrad' | 'rmsprop' | 'adam';
  lr: number;
  momentum?: number;
  batch_size: 16 | 32 | 64 | 128 | 256;
  n_layers: number;
  units: number;
  dropout: number;
  weight_decay: number;
}

const PENALTY = { sgd: 0.1, adagrad: 0.15, rmsprop: 0.05, adam: 0 } as const;
const LR_STAR = { sgd: -1.3, adagrad: -1.5, rmsprop: -3.0, adam: -3.0 } as const;

/** A stand-in for tuning an MLP: categorical, conditional, log and integer parameters. */
export function mixedMlp(p: MixedMlpParams): number {
  const o = p.optimizer;
  const lb = Math.log2(p.batch_size) - 6;
  let lrStar = LR_STAR[o] + 0.5 * lb * Math.log10(2);
  if (o === 'sgd') lrStar -= p.momentum! - 0.9;
  let v = PENALTY[o] + 0.08 * (Math.log10(p.lr) - lrStar) ** 2;
  if (o === 'sgd') v += 0.2 * (p.momentum! - 0.9) ** 2;
  v += 0.02 * lb ** 2 + 0.03 * (p.n_layers - 3) ** 2 + 0.05 * (Math.log2(p.units) - 8) ** 2;
  v += 0.3 * (p.dropout - 0.2 - 0.05 * (p.n_layers - 1)) ** 2;
  v += 0.01 * (Math.log10(p.weight_decay) + 4) ** 2;
  return v;
}

/** Suggests the mixed_mlp parameters in the reference order. */
export function suggestMixedMlp(trial: Trial): MixedMlpParams {
  const optimizer = trial.suggestCategorical('optimizer', ['sgd', 'adagrad', 'rmsprop', 'adam']);
  const lr = trial.suggestFloat('lr', 1e-5, 1, { log: true });
  const momentum = optimizer === 'sgd' ? trial.suggestFloat('momentum', 0, 0.99) : undefined;
  const p: MixedMlpParams = {
    optimizer,
    lr,
    batch_size: trial.suggestCategorical('batch_size', [16, 32, 64, 128, 256]),
    n_layers: trial.suggestInt('n_layers', 1, 6),
    units: trial.suggestInt('units', 16, 1024, { log: true }),
    dropout: trial.suggestFloat('dropout', 0, 0.8),
    weight_decay: trial.suggestFloat('weight_decay', 1e-8, 1e-1, { log: true }),
  };
  if (momentum !== undefined) p.momentum = momentum;
  return p;
}

function box(
  name: string,
  fn: (x: ArrayLike<number>) => number,
  bounds: Array<readonly [number, number]>,
  fstar: number,
  randomMedian: number,
): BenchProblem {
  const x = new Float64Array(bounds.length);
  return {
    name,
    kind: 'box',
    fstar,
    randomMedian,
    bounds,
    objective(trial: Trial): number {
      for (let i = 0; i < bounds.length; i++)
        x[i] = trial.suggestFloat(`x${i}`, bounds[i]![0], bounds[i]![1]);
      return fn(x);
    },
  };
}

const cube = (d: number, lo: number, hi: number) => Array.from({ length: d }, () => [lo, hi] as const);

/** The six problems of the quality benchmark, by name. `randomMedian` comes from the shared anchors. */
export const BENCH_PROBLEMS: Readonly<Record<string, BenchProblem>> = {
  branin: box(
    'branin',
    branin,
    [
      [-5, 10],
      [0, 15],
    ],
    0.397887357729739,
    35.78964595790949,
  ),
  hartmann3: box('hartmann3', hartmann3, cube(3, 0, 1), -3.86278214782076, -0.548122783061546),
  hartmann6: box('hartmann6', hartmann6, cube(6, 0, 1), -3.32236801141551, -0.10150109315849153),
  ackley5: box('ackley5', ackley, cube(5, -32.768, 32.768), 0, 21.159760821370842),
  rosenbrock4: box('rosenbrock4', rosenbrock, cube(4, -5, 10), 0, 260303.24383549253),
  mixed_mlp: {
    name: 'mixed_mlp',
    kind: 'mixed',
    fstar: 0,
    randomMedian: 0.6528403299343069,
    bounds: [],
    objective: (trial) => mixedMlp(suggestMixedMlp(trial)),
  },
};
