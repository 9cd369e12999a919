/**
 * Classification and regression metrics on plain arrays (no TensorFlow.js needed), computed as
 * scikit-learn computes them: the tests compare with values from `sklearn.metrics`
 * (scripts/gen-metrics-fixtures.py).
 *
 * Labels are numbers or strings; the label set of a call is the sorted union of the true and
 * predicted labels (or `options.labels`). Undefined ratios (0/0, e.g. the precision of a class
 * never predicted) count as 0, scikit-learn's `zero_division` default, without a warning.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';

/** A class label. */
export type Label = number | string;

/** How precision, recall and F1 combine the classes. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

/** Options of {@link precision}, {@link recall}, {@link f1} and {@link fbeta}. */
export interface AverageOptions {
  /** Default 'binary' when there are at most two labels, else 'macro'. */
  average?: Average | undefined;
  /** The positive label for 'binary'. Default 1. */
  posLabel?: Label | undefined;
  /** The labels to consider, in this order. Default: the sorted labels present. */
  labels?: readonly Label[] | undefined;
}

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new InvalidArgumentError(`${what}: yTrue has ${a.length} elements but yPred has ${b.length}.`);
  }
  if (a.length === 0) throw new InvalidArgumentError(`${what}: needs at least one sample.`);
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** The sorted union of the labels in the arrays. */
export function uniqueLabels(...arrays: ReadonlyArray<ArrayLike<Label>>): Label[] {
  const set = new Set<Label>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) set.add(a[i]!);
  return [...set].sort(compareLabels);
}

/** The share of predictions equal to the truth. */
export function accuracy(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): number {
  checkSameLength(yTrue, yPred, 'accuracy');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/**
 * The confusion matrix: `m[i][j]` counts samples of true class `labels[i]` predicted as
 * `labels[j]`.
 */
export function confusionMatrix(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: { labels?: readonly Label[] | undefined } = {},
): { labels: Label[]; matrix: number[][] } {
  checkSameLength(yTrue, yPred, 'confusionMatrix');
  const labels = options.labels ? [...options.labels] : uniqueLabels(yTrue, yPred);
  const index = new Map<Label, number>(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(yTrue[i]!);
    const b = index.get(yPred[i]!);
    if (a !== undefined && b !== undefined) matrix[a]![b]!++;
  }
  return { labels, matrix };
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Per-class counts: true positives, predicted count, true count. */
function classCounts(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels: readonly Label[]) {
  const index = new Map<Label, number>(labels.map((l, i) => [l, i]));
  const tp = labels.map(() => 0);
  const pred = labels.map(() => 0);
  const truth = labels.map(() => 0);
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(yTrue[i]!);
    const b = index.get(yPred[i]!);
    if (a !== undefined) truth[a]!++;
    if (b !== undefined) pred[b]!++;
    if (a !== undefined && a === b) tp[a]!++;
  }
  return { tp, pred, truth };
}

/**
 * F-beta score (precision and recall when beta is 0 or ∞ are available as {@link precision}
 * and {@link recall}).
 */
export function fbeta(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  beta: number,
  options: AverageOptions = {},
): number {
  return prf(yTrue, yPred, options, 'fbeta', beta).f;
}

function prf(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AverageOptions,
  what: string,
  beta = 1,
): { p: number; r: number; f: number } {
  checkSameLength(yTrue, yPred, what);
  const present = uniqueLabels(yTrue, yPred);
  const labels = options.labels ? [...options.labels] : present;
  const average = options.average ?? (present.length <= 2 ? 'binary' : 'macro');
  const b2 = beta * beta;
  if (average === 'binary') {
    const pos = options.posLabel ?? 1;
    if (present.length > 2) {
      throw new InvalidArgumentError(
        `${what}: average 'binary' needs at most two labels, got ${present.length}; choose 'macro', 'micro' or 'weighted'.`,
      );
    }
    if (present.length === 2 && !present.includes(pos)) {
      throw new InvalidArgumentError(
        `${what}: posLabel ${String(pos)} is not one of the labels ${present.join(', ')}.`,
      );
    }
    const c = classCounts(yTrue, yPred, [pos]);
    const p = div(c.tp[0]!, c.pred[0]!);
    const r = div(c.tp[0]!, c.truth[0]!);
    return {
      p,
      r,
      f: div(
        (1 + b2) * c.tp[0]!,
        (1 + b2) * c.tp[0]! + b2 * (c.truth[0]! - c.tp[0]!) + (c.pred[0]! - c.tp[0]!),
      ),
    };
  }
  const c = classCounts(yTrue, yPred, labels);
  if (average === 'micro') {
    const tp = c.tp.reduce((a, b) => a + b, 0);
    const pred = c.pred.reduce((a, b) => a + b, 0);
    const truth = c.truth.reduce((a, b) => a + b, 0);
    const p = div(tp, pred);
    const r = div(tp, truth);
    return { p, r, f: div((1 + b2) * tp, (1 + b2) * tp + b2 * (truth - tp) + (pred - tp)) };
  }
  const ps = labels.map((_, i) => div(c.tp[i]!, c.pred[i]!));
  const rs = labels.map((_, i) => div(c.tp[i]!, c.truth[i]!));
  const fs = labels.map((_, i) =>
    div((1 + b2) * c.tp[i]!, (1 + b2) * c.tp[i]! + b2 * (c.truth[i]! - c.tp[i]!) + (c.pred[i]! - c.tp[i]!)),
  );
  if (average === 'macro') {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return { p: mean(ps), r: mean(rs), f: mean(fs) };
  }
  const total = c.truth.reduce((a, b) => a + b, 0);
  const w = (xs: number[]) =>
    div(
      xs.reduce((a, x, i) => a + x * c.truth[i]!, 0),
      total,
    );
  return { p: w(ps), r: w(rs), f: w(fs) };
}

/** Precision: of the samples predicted as a class, the share that belong to it. */
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AverageOptions = {},
): number {
  return prf(yTrue, yPred, options, 'precision').p;
}

/** Recall: of the samples of a class, the share predicted as it. */
export function recall(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AverageOptions = {},
): number {
  return prf(yTrue, yPred, options, 'recall').r;
}

/** F1: the harmonic mean of precision and recall. */
export function f1(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: AverageOptions = {}): number {
  return prf(yTrue, yPred, options, 'f1').f;
}

/**
 * Log loss (cross-entropy) of predicted class probabilities. `proba[i]` holds the probabilities
 * of `labels` (default: the sorted labels of `yTrue`; for two labels a single number per sample
 * is the probability of the second). Rows are normalised to sum to 1 and clipped to
 * [ε, 1 − ε] with ε the float64 machine epsilon, as scikit-learn does.
 */
export function logLoss(
  yTrue: ArrayLike<Label>,
  proba: ArrayLike<ArrayLike<number> | number>,
  options: { labels?: readonly Label[] | undefined } = {},
): number {
  checkSameLength(yTrue, proba, 'logLoss');
  const labels = options.labels ? [...options.labels] : uniqueLabels(yTrue);
  const index = new Map<Label, number>(labels.map((l, i) => [l, i]));
  const eps = Number.EPSILON;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const k = index.get(yTrue[i]!);
    if (k === undefined) {
      throw new InvalidArgumentError(
        `logLoss: label ${String(yTrue[i])} is not in labels ${labels.join(', ')}.`,
      );
    }
    const row = proba[i]!;
    const ps: number[] = typeof row === 'number' ? [1 - row, row] : Array.from(row);
    if (ps.length !== labels.length) {
      throw new InvalidArgumentError(
        `logLoss: sample ${i} has ${ps.length} probabilities for ${labels.length} labels.`,
      );
    }
    const clipped = ps.map((p) => Math.min(1 - eps, Math.max(eps, p)));
    const sum = clipped.reduce((a, b) => a + b, 0);
    total -= Math.log(clipped[k]! / sum);
  }
  return total / yTrue.length;
}

function checkNumeric(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  checkSameLength(yTrue, yPred, what);
}

/** Mean squared error. */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkNumeric(yTrue, yPred, 'meanSquaredError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return s / yTrue.length;
}

/** Mean absolute error. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkNumeric(yTrue, yPred, 'meanAbsoluteError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/**
 * The coefficient of determination R² = 1 − SS_res / SS_tot. As in scikit-learn, a constant
 * `yTrue` gives 1 when the predictions are perfect and 0 otherwise.
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkNumeric(yTrue, yPred, 'r2Score');
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i]!;
  mean /= yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i]! - yPred[i]!) ** 2;
    tot += (yTrue[i]! - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/** The index of the largest value of each row (ties: the first), e.g. probabilities to classes. */
export function argmaxRows(rows: ArrayLike<ArrayLike<number>>): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let best = 0;
    for (let j = 1; j < r.length; j++) if (r[j]! > r[best]!) best = j;
    out.push(best);
  }
  return out;
}
