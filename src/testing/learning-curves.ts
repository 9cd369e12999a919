/**
 * The learning-curve benchmark's replay (issue 5): a table of real learning curves of a small
 * TensorFlow.js MLP on the digits data (made by `scripts/build-learning-curves.ts`, stored in
 * `bench/data/learning-curves.json.gz`), and an objective that replays it. The sampler suggests
 * the table's space ({@link suggestCurveParams}); the objective looks up the nearest tabulated
 * configuration ({@link nearestConfig}) and reports its validation accuracy epoch by epoch through
 * `trial.report` and `trial.shouldPrune`, counting every reported epoch as cost.
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { TrialPruned } from '../core/errors.js';

/** The subset of a trial that {@link suggestCurveParams} needs. */
export interface CurveTrial {
  suggestCategorical<const T extends string | number>(name: string, choices: readonly T[]): T;
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean }): number;
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean }): number;
}

/** The space of the table: bounds shared by the builder, the replay and the nearest-neighbour. */
export const CURVE_SPACE = {
  optimizer: ['sgd', 'rmsprop', 'adam'] as const,
  lr: [1e-4, 3e-1] as const,
  momentum: [0, 0.99] as const,
  batchSize: [32, 64, 128] as const,
  layers: [1, 3] as const,
  units: [16, 128] as const,
  dropout: [0, 0.5] as const,
  l2: [1e-6, 1e-2] as const,
};

/** Suggests the table's mixed, conditional space (momentum only with SGD). */
export function suggestCurveParams(trial: CurveTrial) {
  const optimizer = trial.suggestCategorical('optimizer', CURVE_SPACE.optimizer);
  const lr = trial.suggestFloat('lr', CURVE_SPACE.lr[0], CURVE_SPACE.lr[1], { log: true });
  const momentum =
    optimizer === 'sgd'
      ? trial.suggestFloat('momentum', CURVE_SPACE.momentum[0], CURVE_SPACE.momentum[1])
      : 0;
  const batchSize = trial.suggestCategorical('batch_size', CURVE_SPACE.batchSize);
  const layers = trial.suggestInt('layers', CURVE_SPACE.layers[0], CURVE_SPACE.layers[1]);
  const units = trial.suggestInt('units', CURVE_SPACE.units[0], CURVE_SPACE.units[1], { log: true });
  const dropout = trial.suggestFloat('dropout', CURVE_SPACE.dropout[0], CURVE_SPACE.dropout[1]);
  const l2 = trial.suggestFloat('l2', CURVE_SPACE.l2[0], CURVE_SPACE.l2[1], { log: true });
  return { optimizer, lr, momentum, batchSize, layers, units, dropout, l2 };
}

/** One tabulated configuration and its curves (one value per epoch, epoch 1 first). */
export interface CurveConfig {
  readonly params: Readonly<Record<string, string | number>>;
  readonly valAcc: readonly number[];
  readonly valLoss: readonly number[];
}

/** The table of learning curves. */
export interface CurveTable {
  readonly description: string;
  readonly dataset: string;
  readonly epochs: number;
  readonly seed: number;
  readonly configs: readonly CurveConfig[];
}

/** The committed table's path. */
export const DEFAULT_CURVES_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bench',
  'data',
  'learning-curves.json.gz',
);

/** Reads a (gzipped or plain) JSON table and checks its shape. */
export function loadCurveTable(path: string = DEFAULT_CURVES_PATH): CurveTable {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const table = JSON.parse(text) as CurveTable;
  if (!Array.isArray(table.configs) || table.configs.length === 0 || !(table.epochs >= 1)) {
    throw new Error(`${path}: not a learning-curve table (needs epochs and a non-empty configs).`);
  }
  for (const [i, c] of table.configs.entries()) {
    if (c.valAcc.length !== table.epochs || c.valLoss.length !== table.epochs) {
      throw new Error(`${path}: configuration ${i} has not ${table.epochs} epochs of curves.`);
    }
  }
  return table;
}

const unitLog = (v: number, [lo, hi]: readonly [number, number]) =>
  (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
const unitLin = (v: number, [lo, hi]: readonly [number, number]) => (v - lo) / (hi - lo);

/**
 * The configuration's point in the transformed space: log-scaled lr, units, l2 and linear
 * momentum, layers, dropout mapped to [0, 1]; batch size by its log2 rank.
 */
function embed(p: Readonly<Record<string, string | number>>): number[] {
  const bs = CURVE_SPACE.batchSize;
  return [
    unitLog(Number(p.lr), CURVE_SPACE.lr),
    p.optimizer === 'sgd' ? unitLin(Number(p.momentum ?? 0), CURVE_SPACE.momentum) : 0,
    unitLog(Number(p.batch_size), [bs[0], bs[bs.length - 1]!]),
    unitLin(Number(p.layers), CURVE_SPACE.layers),
    unitLog(Number(p.units), CURVE_SPACE.units),
    unitLin(Number(p.dropout), CURVE_SPACE.dropout),
    unitLog(Number(p.l2), CURVE_SPACE.l2),
  ];
}

/**
 * Index of the tabulated configuration nearest to `params`: the same optimizer is required when
 * the table has one (else a penalty of 10), then the smallest squared Euclidean distance in the
 * transformed space; ties go to the lowest index, so the lookup is deterministic.
 */
export function nearestConfig(table: CurveTable, params: Readonly<Record<string, string | number>>): number {
  const cache = embeddings.get(table) ?? table.configs.map((c) => embed(c.params));
  embeddings.set(table, cache);
  const q = embed(params);
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i < table.configs.length; i++) {
    const e = cache[i]!;
    let d = table.configs[i]!.params.optimizer === params.optimizer ? 0 : 10;
    for (let k = 0; k < q.length; k++) d += (q[k]! - e[k]!) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
const embeddings = new WeakMap<CurveTable, number[][]>();

/** The subset of a trial the replay objective uses. */
export interface ReplayTrial extends CurveTrial {
  report(value: number, step: number): Promise<void>;
  shouldPrune(): Promise<boolean>;
  setUserAttr(key: string, value: number): void;
}

/** Counts the epochs the replayed trials ran; with `budget`, no epoch runs past it. */
export interface EpochCounter {
  epochs: number;
  /** When set, a trial that would run an epoch beyond this total is pruned before it. */
  budget?: number | undefined;
}

/**
 * An objective that replays the table: suggests the space, takes the nearest configuration,
 * reports its validation accuracy after every epoch (step = epoch, 1-based) and asks
 * `shouldPrune`, throwing `TrialPruned` when told to. Each reported epoch adds 1 to
 * `counter.epochs`; a trial is pruned (without running the epoch) once `counter.budget` is spent. Returns the last epoch's validation accuracy (maximize).
 */
export function replayObjective(table: CurveTable, counter: EpochCounter) {
  return async (trial: ReplayTrial): Promise<number> => {
    const p = suggestCurveParams(trial);
    const params: Record<string, string | number> = {
      optimizer: p.optimizer,
      lr: p.lr,
      batch_size: p.batchSize,
      layers: p.layers,
      units: p.units,
      dropout: p.dropout,
      l2: p.l2,
    };
    if (p.optimizer === 'sgd') params.momentum = p.momentum;
    const id = nearestConfig(table, params);
    trial.setUserAttr('config_id', id);
    const curve = table.configs[id]!.valAcc;
    for (let epoch = 1; epoch <= table.epochs; epoch++) {
      if (counter.budget !== undefined && counter.epochs >= counter.budget) {
        throw new TrialPruned(`epoch budget of ${counter.budget} spent`);
      }
      counter.epochs++;
      await trial.report(curve[epoch - 1]!, epoch);
      if (epoch < table.epochs && (await trial.shouldPrune())) {
        throw new TrialPruned(`pruned at epoch ${epoch}`);
      }
    }
    return curve[table.epochs - 1]!;
  };
}
