/**
 * Callbacks for `model.fit` / `model.fitDataset`: pruning, early stopping with best-weights
 * restore, and learning-rate schedules.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, TrialPruned } from '../../core/errors.js';
import type { PrunableTrial } from '../types.js';
import { getLearningRate, setLearningRate } from './optimizers.js';

type Logs = Record<string, unknown> | undefined;

/**
 * The value of a metric in epoch logs. TensorFlow.js hands subclasses of `tf.Callback` logs whose
 * values may still be scalar tensors; they are read here.
 */
export async function readMetric(logs: Logs, name: string): Promise<number | undefined> {
  const v = logs?.[name];
  if (typeof v === 'number') return v;
  if (v instanceof tf.Tensor) return (await v.data())[0];
  return undefined;
}

export type { PrunableTrial };

/** Options of {@link PruningCallback}. */
export interface PruningCallbackOptions {
  /** The metric of the epoch logs to report, such as 'val_loss' (default) or 'val_acc'. */
  monitor?: string | undefined;
  /**
   * Also report these metrics by name (a record `{ [monitor]: v, other: w }`; the monitored
   * metric first, so it is the step's intermediate value). Default: only the monitored one,
   * as a plain number.
   */
  alsoReport?: readonly string[] | undefined;
  /** The step of epoch e is e + stepOffset. Default 0. */
  stepOffset?: number | undefined;
}

/**
 * Reports a metric to the trial after every epoch and stops training when the pruner says so
 * (or when the metric is NaN: the model diverged). Training stops cleanly (the model stays
 * usable); call {@link PruningCallback.throwIfPruned} after `fit` to end the trial as pruned.
 * Works with every pruner: the pruner sees the trial's intermediate values, step = epoch.
 * @example
 * ```ts
 * const pruning = new PruningCallback(trial, { monitor: 'val_acc' });
 * await model.fit(x, y, { epochs: 27, validationData: [xv, yv], callbacks: [pruning] });
 * pruning.throwIfPruned();
 * ```
 */
export class PruningCallback extends tf.Callback {
  /** Whether training was stopped because the trial should be pruned. */
  pruned = false;
  /** The epoch at which it was stopped. */
  prunedAtEpoch: number | null = null;
  /** Why: 'pruner' or 'diverged' (the monitored metric was NaN). */
  reason: 'pruner' | 'diverged' | null = null;
  private readonly monitor: string;
  private readonly alsoReport: readonly string[];
  private readonly stepOffset: number;

  constructor(
    private readonly trial: PrunableTrial,
    options: PruningCallbackOptions = {},
  ) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.alsoReport = options.alsoReport ?? [];
    this.stepOffset = options.stepOffset ?? 0;
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const value = await readMetric(logs, this.monitor);
    if (value === undefined) {
      throw new InvalidArgumentError(
        `PruningCallback: the epoch logs have no metric '${this.monitor}' (they have ${Object.keys(logs ?? {}).join(', ') || 'none'}); pass validationData and monitor one of those.`,
      );
    }
    const stop = (reason: 'pruner' | 'diverged') => {
      this.pruned = true;
      this.prunedAtEpoch = epoch;
      this.reason = reason;
      this.model.stopTraining = true;
    };
    if (Number.isNaN(value)) {
      stop('diverged');
      return;
    }
    const step = epoch + this.stepOffset;
    if (this.alsoReport.length === 0) {
      await this.trial.report(value, step);
    } else {
      const record: Record<string, number> = { [this.monitor]: value };
      for (const name of this.alsoReport) {
        const v = await readMetric(logs, name);
        if (v !== undefined && !Number.isNaN(v)) record[name] = v;
      }
      await this.trial.report(record, step);
    }
    if (await this.trial.shouldPrune()) stop('pruner');
  }

  /** Throws `TrialPruned` when training was stopped for pruning. */
  throwIfPruned(): void {
    if (!this.pruned) return;
    throw new TrialPruned(
      this.reason === 'diverged'
        ? `trial ${this.trial.number}: '${this.monitor}' was NaN at epoch ${this.prunedAtEpoch}`
        : `trial ${this.trial.number} pruned at epoch ${this.prunedAtEpoch}`,
    );
  }
}

/** 'min' or 'max' for a metric name: accuracy-like names are maximised. */
export function metricMode(monitor: string, mode: 'auto' | 'min' | 'max' = 'auto'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|f1|r2/i.test(monitor) ? 'max' : 'min';
}

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Default 'val_loss'. */
  monitor?: string | undefined;
  /** Default 'auto' (max for accuracy-like names, min otherwise). */
  mode?: 'auto' | 'min' | 'max' | undefined;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number | undefined;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number | undefined;
  /** At the end of training, set the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean | undefined;
}

/**
 * Stops training when the monitored metric has not improved for `patience` epochs and, with
 * `restoreBestWeights`, puts back the weights of the best epoch when training ends (also
 * when it ran to the last epoch, or was stopped by another callback).
 */
export class EarlyStopping extends tf.Callback {
  /** The best value seen, and its epoch. */
  best = Number.NaN;
  bestEpoch = -1;
  /** The epoch training was stopped at, or -1. */
  stoppedEpoch = -1;
  private wait = 0;
  private bestWeights: tf.Tensor[] | null = null;
  private readonly monitor: string;
  private readonly mode: 'min' | 'max';
  private readonly minDelta: number;
  private readonly patience: number;
  private readonly restore: boolean;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = metricMode(this.monitor, options.mode);
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.restore = options.restoreBestWeights ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    this.best = Number.NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
    this.dropWeights();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const v = await readMetric(logs, this.monitor);
    if (v === undefined) {
      throw new InvalidArgumentError(`EarlyStopping: the epoch logs have no metric '${this.monitor}'.`);
    }
    const better =
      !Number.isNaN(v) &&
      (Number.isNaN(this.best) ||
        (this.mode === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta));
    if (better) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restore) {
        this.dropWeights();
        this.bestWeights = this.model.getWeights().map((w) => w.clone());
      }
      return;
    }
    this.wait++;
    if (this.wait > this.patience || Number.isNaN(v)) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.restore && this.bestWeights !== null) this.model.setWeights(this.bestWeights);
    this.dropWeights();
  }

  private dropWeights(): void {
    if (this.bestWeights !== null) tf.dispose(this.bestWeights);
    this.bestWeights = null;
  }
}

/** A learning-rate schedule: the rate for `epoch` (0-based), given the initial rate. */
export type Schedule = (epoch: number, initialLr: number) => number;

/** lr₀ · factor^⌊epoch / every⌋. */
export function stepDecay(options: { every: number; factor?: number | undefined }): Schedule {
  const factor = options.factor ?? 0.5;
  if (!(options.every >= 1)) throw new InvalidArgumentError('stepDecay: every must be ≥ 1.');
  return (epoch, lr0) => lr0 * factor ** Math.floor(epoch / options.every);
}

/** lr₀ · rate^epoch. */
export function exponentialDecay(options: { rate: number }): Schedule {
  if (!(options.rate > 0)) throw new InvalidArgumentError('exponentialDecay: rate must be > 0.');
  return (epoch, lr0) => lr0 * options.rate ** epoch;
}

/** Options of {@link cosineDecay}. */
export interface CosineOptions {
  /** Epochs of the (first) cosine cycle, after the warm-up. */
  period: number;
  /** The rate at the end of a cycle, as a share of lr₀. Default 0. */
  alpha?: number | undefined;
  /** Epochs of linear warm-up from lr₀/(warmup+1) to lr₀. Default 0. */
  warmup?: number | undefined;
  /** Restart the cycle (SGDR) instead of staying at the minimum. Default false. */
  restarts?: boolean | undefined;
  /** With restarts: each cycle is tMult times longer than the previous. Default 1. */
  tMult?: number | undefined;
}

/**
 * Cosine decay from lr₀ to alpha·lr₀ over `period` epochs, with an optional linear warm-up and
 * warm restarts (Loshchilov & Hutter's SGDR).
 */
export function cosineDecay(options: CosineOptions): Schedule {
  const { period } = options;
  const alpha = options.alpha ?? 0;
  const warmup = options.warmup ?? 0;
  const tMult = options.tMult ?? 1;
  if (!(period >= 1)) throw new InvalidArgumentError('cosineDecay: period must be ≥ 1.');
  return (epoch, lr0) => {
    if (epoch < warmup) return (lr0 * (epoch + 1)) / (warmup + 1);
    let t = epoch - warmup;
    let len = period;
    if (options.restarts) {
      while (t >= len) {
        t -= len;
        len *= tMult;
      }
    } else if (t >= len) {
      t = len;
    }
    const cos = 0.5 * (1 + Math.cos((Math.PI * t) / len));
    return lr0 * (alpha + (1 - alpha) * cos);
  };
}

/**
 * Sets the optimizer's learning rate at the start of every epoch from a {@link Schedule}; lr₀
 * is the optimizer's rate when training begins. The rate is added to the epoch logs as `lr`.
 * @example
 * ```ts
 * await model.fit(x, y, { epochs: 30, callbacks: [new LearningRateScheduler(cosineDecay({ period: 30, warmup: 2 }))] });
 * ```
 */
export class LearningRateScheduler extends tf.Callback {
  private lr0 = Number.NaN;
  private current = Number.NaN;
  constructor(private readonly schedule: Schedule) {
    super();
  }
  override async onTrainBegin(): Promise<void> {
    this.lr0 = getLearningRate(this.model.optimizer);
  }
  override async onEpochBegin(epoch: number): Promise<void> {
    this.current = this.schedule(epoch, this.lr0);
    setLearningRate(this.model.optimizer, this.current);
  }
  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs) logs.lr = this.current;
  }
  override async onTrainEnd(): Promise<void> {
    // Leave the optimizer as it was found, so that a second fit() starts from lr₀ again.
    if (!Number.isNaN(this.lr0)) setLearningRate(this.model.optimizer, this.lr0);
  }
}

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** Default 'val_loss'. */
  monitor?: string | undefined;
  mode?: 'auto' | 'min' | 'max' | undefined;
  /** Multiplier of the rate. Default 0.1. */
  factor?: number | undefined;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number | undefined;
  /** Default 1e-4. */
  minDelta?: number | undefined;
  /** Epochs to wait after a reduction. Default 0. */
  cooldown?: number | undefined;
  /** Lower bound of the rate. Default 0. */
  minLr?: number | undefined;
}

/** Multiplies the learning rate by `factor` when the monitored metric stops improving. */
export class ReduceLROnPlateau extends tf.Callback {
  private best = Number.NaN;
  private wait = 0;
  private cooldownLeft = 0;
  private readonly monitor: string;
  private readonly mode: 'min' | 'max';
  private readonly factor: number;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly cooldown: number;
  private readonly minLr: number;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = metricMode(this.monitor, options.mode);
    this.factor = options.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) {
      throw new InvalidArgumentError('ReduceLROnPlateau: factor must be in (0, 1).');
    }
    this.patience = options.patience ?? 10;
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
  }

  override async onTrainBegin(): Promise<void> {
    this.best = Number.NaN;
    this.wait = 0;
    this.cooldownLeft = 0;
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    const v = await readMetric(logs, this.monitor);
    if (v === undefined || Number.isNaN(v)) return;
    const opt = this.model.optimizer;
    if (logs) logs.lr = getLearningRate(opt);
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    const better =
      Number.isNaN(this.best) ||
      (this.mode === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta);
    if (better) {
      this.best = v;
      this.wait = 0;
      return;
    }
    if (this.cooldownLeft > 0) return;
    this.wait++;
    if (this.wait >= this.patience) {
      const lr = getLearningRate(opt);
      const next = Math.max(this.minLr, lr * this.factor);
      if (next < lr) setLearningRate(opt, next);
      this.cooldownLeft = this.cooldown;
      this.wait = 0;
    }
  }
}

/** The schedules {@link makeScheduleCallback} builds by name. */
export const SCHEDULE_NAMES = [
  'constant',
  'step',
  'exponential',
  'cosine',
  'cosine-restarts',
  'plateau',
] as const;
/** One of {@link SCHEDULE_NAMES}. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/**
 * A schedule callback by name, with defaults suited to a run of `epochs` epochs: step halves
 * the rate every ⌈epochs/3⌉ epochs; exponential decays to 5% by the end; cosine decays to 0 by
 * the end after a warm-up of ⌊epochs/10⌋; cosine-restarts restarts every ⌈epochs/3⌉ epochs;
 * plateau divides by 5 after 3 epochs without improvement of val_loss. 'constant' gives null.
 */
export function makeScheduleCallback(name: ScheduleName, epochs: number): tf.Callback | null {
  switch (name) {
    case 'constant':
      return null;
    case 'step':
      return new LearningRateScheduler(stepDecay({ every: Math.max(1, Math.ceil(epochs / 3)), factor: 0.5 }));
    case 'exponential':
      return new LearningRateScheduler(exponentialDecay({ rate: 0.05 ** (1 / Math.max(1, epochs)) }));
    case 'cosine': {
      const warmup = Math.floor(epochs / 10);
      return new LearningRateScheduler(cosineDecay({ period: Math.max(1, epochs - warmup), warmup }));
    }
    case 'cosine-restarts':
      return new LearningRateScheduler(
        cosineDecay({ period: Math.max(1, Math.ceil(epochs / 3)), restarts: true, alpha: 0.05 }),
      );
    case 'plateau':
      return new ReduceLROnPlateau({ factor: 0.2, patience: 3 });
    default:
      throw new InvalidArgumentError(
        `unknown schedule '${String(name)}'; choose one of ${SCHEDULE_NAMES.join(', ')}.`,
      );
  }
}
