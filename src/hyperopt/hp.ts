/**
 * `hp`: Hyperopt's stochastic expressions, as plain tagged data. Each call validates its
 * arguments at once (a typed error names the label and the fix) and returns an {@link HpNode}
 * that a search space may hold anywhere inside nested objects and arrays.
 *
 * | call | value | tunekit parameter behind it |
 * |---|---|---|
 * | `hp.uniform(label, low, high)` | uniform in [low, high] | float [low, high] |
 * | `hp.loguniform(label, low, high)` | exp(uniform(low, high)): bounds in log space | float [e^low, e^high], log |
 * | `hp.quniform(label, low, high, q)` | round(uniform(low, high) / q)·q | float on the grid q·round(low/q) … q·round(high/q), step q |
 * | `hp.qloguniform(label, low, high, q)` | round(exp(uniform(low, high)) / q)·q | float [e^low, e^high], log, rounded to q |
 * | `hp.randint(label, upper)`, `hp.randint(label, low, upper)` | an integer in [low, upper) (low = 0) | int [low, upper − 1] |
 * | `hp.normal(label, mu, sigma)` | mu + sigma·z, z standard normal | the quantile u ∈ [1e-9, 1 − 1e-9], z = Φ⁻¹(u) |
 * | `hp.qnormal(label, mu, sigma, q)` | round(normal / q)·q | as normal, rounded to q |
 * | `hp.lognormal(label, mu, sigma)` | exp(normal(mu, sigma)) | as normal, then exp |
 * | `hp.qlognormal(label, mu, sigma, q)` | round(lognormal / q)·q | as lognormal, rounded to q |
 * | `hp.choice(label, options)` | one of the options (an index in `argmin`) | categorical over the indices |
 * | `hp.pchoice(label, [[p, option], …])` | an option with probability p | the quantile u ∈ [0, 1) mapped through the cumulative p |
 *
 * tunekit distributions are bounded, so the unbounded normal family is sampled through its
 * quantile: the tunekit parameter named `label` holds u, and the value the objective sees is
 * mu + sigma·Φ⁻¹(u) (tails beyond ±6 sigma are cut). The values the objective saw are recorded
 * per trial in the user attribute `hyperopt:vals`.
 * @module
 */
import { InvalidArgumentError, InvalidDistributionError } from '../core/errors.js';

/** The specification of one stochastic expression (see the module table). */
export type HpSpec =
  | { readonly type: 'uniform'; readonly low: number; readonly high: number }
  | { readonly type: 'loguniform'; readonly low: number; readonly high: number }
  | { readonly type: 'quniform'; readonly low: number; readonly high: number; readonly q: number }
  | { readonly type: 'qloguniform'; readonly low: number; readonly high: number; readonly q: number }
  | { readonly type: 'randint'; readonly low: number; readonly upper: number }
  | { readonly type: 'normal'; readonly mu: number; readonly sigma: number }
  | { readonly type: 'qnormal'; readonly mu: number; readonly sigma: number; readonly q: number }
  | { readonly type: 'lognormal'; readonly mu: number; readonly sigma: number }
  | { readonly type: 'qlognormal'; readonly mu: number; readonly sigma: number; readonly q: number }
  | { readonly type: 'choice'; readonly options: readonly unknown[] }
  | {
      readonly type: 'pchoice';
      readonly options: readonly unknown[];
      readonly probabilities: readonly number[];
    };

/** The kinds of {@link HpSpec}. */
export type HpType = HpSpec['type'];

/**
 * One labelled stochastic expression. `T` is the type of the value the objective receives
 * (inferred; it exists for the type checker only).
 */
export class HpNode<T = unknown> {
  /** The label: the parameter's name in the study and in `argmin`. */
  readonly label: string;
  readonly spec: HpSpec;
  /** Type-level only: the value this expression takes. Never set. */
  declare readonly __value?: T;

  constructor(label: string, spec: HpSpec) {
    this.label = label;
    this.spec = spec;
  }
}

/**
 * The value a search space takes once every expression in it is sampled: an {@link HpNode}
 * becomes its value, arrays and plain objects are mapped, anything else stays as it is.
 */
export type Sample<S> =
  S extends HpNode<infer T>
    ? T
    : S extends (...args: never[]) => unknown
      ? S
      : S extends readonly unknown[]
        ? { -readonly [K in keyof S]: Sample<S[K]> }
        : S extends object
          ? { -readonly [K in keyof S]: Sample<S[K]> }
          : S;

function checkLabel(label: unknown, fn: string): asserts label is string {
  if (typeof label !== 'string' || label.length === 0) {
    throw new InvalidArgumentError(
      `hp.${fn}: the label must be a non-empty string (the parameter's name), got ${JSON.stringify(label)}.`,
    );
  }
}

function checkFinite(label: string, fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidDistributionError(
      `hp.${fn}('${label}'): ${name} must be a finite number, got ${String(value)}.`,
    );
  }
}

function checkRange(label: string, fn: string, low: unknown, high: unknown): void {
  checkFinite(label, fn, 'low', low);
  checkFinite(label, fn, 'high', high);
  if (low >= high) {
    throw new InvalidDistributionError(
      `hp.${fn}('${label}'): low=${low} must be less than high=${high}. Swap them or widen the range.`,
    );
  }
}

function checkQ(label: string, fn: string, q: unknown): asserts q is number {
  if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) {
    throw new InvalidDistributionError(
      `hp.${fn}('${label}'): q must be a positive finite number, got ${String(q)}.`,
    );
  }
}

function checkSigma(label: string, fn: string, mu: unknown, sigma: unknown): void {
  checkFinite(label, fn, 'mu', mu);
  checkFinite(label, fn, 'sigma', sigma);
  if (sigma <= 0) {
    throw new InvalidDistributionError(`hp.${fn}('${label}'): sigma must be > 0, got ${sigma}.`);
  }
}

function checkLogBounds(label: string, fn: string, low: number, high: number): void {
  if (!Number.isFinite(Math.exp(high)) || Math.exp(low) <= 0) {
    throw new InvalidDistributionError(
      `hp.${fn}('${label}'): the bounds are in log space (the value is exp(uniform(low, high))); ` +
        `exp(${low})…exp(${high}) is out of the floating-point range. Pass Math.log of the bounds you mean.`,
    );
  }
}

/** A uniform float in [low, high]. */
function uniform(label: string, low: number, high: number): HpNode<number> {
  checkLabel(label, 'uniform');
  checkRange(label, 'uniform', low, high);
  return new HpNode(label, { type: 'uniform', low, high });
}

/** exp(uniform(low, high)): the bounds are in log space, as in Hyperopt (`hp.loguniform('lr', Math.log(1e-5), Math.log(1e-1))`). */
function loguniform(label: string, low: number, high: number): HpNode<number> {
  checkLabel(label, 'loguniform');
  checkRange(label, 'loguniform', low, high);
  checkLogBounds(label, 'loguniform', low, high);
  return new HpNode(label, { type: 'loguniform', low, high });
}

/** round(uniform(low, high) / q)·q. */
function quniform(label: string, low: number, high: number, q: number): HpNode<number> {
  checkLabel(label, 'quniform');
  checkRange(label, 'quniform', low, high);
  checkQ(label, 'quniform', q);
  return new HpNode(label, { type: 'quniform', low, high, q });
}

/** round(exp(uniform(low, high)) / q)·q; the bounds are in log space. */
function qloguniform(label: string, low: number, high: number, q: number): HpNode<number> {
  checkLabel(label, 'qloguniform');
  checkRange(label, 'qloguniform', low, high);
  checkLogBounds(label, 'qloguniform', low, high);
  checkQ(label, 'qloguniform', q);
  return new HpNode(label, { type: 'qloguniform', low, high, q });
}

/** An integer in [0, upper), or in [low, upper) with three arguments. */
function randint(label: string, lowOrUpper: number, upper?: number): HpNode<number> {
  checkLabel(label, 'randint');
  const low = upper === undefined ? 0 : lowOrUpper;
  const up = upper === undefined ? lowOrUpper : upper;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(up)) {
    throw new InvalidDistributionError(
      `hp.randint('${label}'): the bounds must be integers, got low=${String(low)}, upper=${String(up)}.`,
    );
  }
  if (low >= up) {
    throw new InvalidDistributionError(
      `hp.randint('${label}'): needs low < upper (upper is excluded), got low=${low}, upper=${up}.`,
    );
  }
  return new HpNode(label, { type: 'randint', low, upper: up });
}

/** A normal value mu + sigma·z (see the module documentation for how it is sampled). */
function normal(label: string, mu: number, sigma: number): HpNode<number> {
  checkLabel(label, 'normal');
  checkSigma(label, 'normal', mu, sigma);
  return new HpNode(label, { type: 'normal', mu, sigma });
}

/** round(normal(mu, sigma) / q)·q. */
function qnormal(label: string, mu: number, sigma: number, q: number): HpNode<number> {
  checkLabel(label, 'qnormal');
  checkSigma(label, 'qnormal', mu, sigma);
  checkQ(label, 'qnormal', q);
  return new HpNode(label, { type: 'qnormal', mu, sigma, q });
}

/** exp(normal(mu, sigma)). */
function lognormal(label: string, mu: number, sigma: number): HpNode<number> {
  checkLabel(label, 'lognormal');
  checkSigma(label, 'lognormal', mu, sigma);
  return new HpNode(label, { type: 'lognormal', mu, sigma });
}

/** round(exp(normal(mu, sigma)) / q)·q. */
function qlognormal(label: string, mu: number, sigma: number, q: number): HpNode<number> {
  checkLabel(label, 'qlognormal');
  checkSigma(label, 'qlognormal', mu, sigma);
  checkQ(label, 'qlognormal', q);
  return new HpNode(label, { type: 'qlognormal', mu, sigma, q });
}

/**
 * One of `options`. Options may be literals or nested spaces holding further expressions, which
 * are sampled only when their option is chosen (conditional parameters). `argmin` holds the
 * chosen index; `spaceEval` turns it back into the option.
 */
function choice<const O extends readonly unknown[]>(label: string, options: O): HpNode<Sample<O[number]>> {
  checkLabel(label, 'choice');
  if (!Array.isArray(options) || options.length === 0) {
    throw new InvalidDistributionError(
      `hp.choice('${label}'): options must be a non-empty array, got ${JSON.stringify(options)}.`,
    );
  }
  return new HpNode(label, { type: 'choice', options: [...options] });
}

/** One of the options, with the given probabilities: `hp.pchoice('act', [[0.7, 'relu'], [0.3, 'tanh']])`. */
function pchoice<const O>(label: string, weighted: readonly (readonly [number, O])[]): HpNode<Sample<O>> {
  checkLabel(label, 'pchoice');
  if (!Array.isArray(weighted) || weighted.length === 0) {
    throw new InvalidDistributionError(
      `hp.pchoice('${label}'): give a non-empty array of [probability, option] pairs.`,
    );
  }
  const probabilities: number[] = [];
  const options: unknown[] = [];
  for (const pair of weighted) {
    const p: unknown = Array.isArray(pair) ? pair[0] : undefined;
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof p !== 'number' ||
      !(p >= 0) ||
      !Number.isFinite(p)
    ) {
      throw new InvalidDistributionError(
        `hp.pchoice('${label}'): each entry must be [probability ≥ 0, option], got ${JSON.stringify(pair)}.`,
      );
    }
    probabilities.push(p);
    options.push(pair[1]);
  }
  const total = probabilities.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) {
    throw new InvalidDistributionError(
      `hp.pchoice('${label}'): the probabilities must sum to 1, got ${total}.`,
    );
  }
  return new HpNode(label, { type: 'pchoice', options, probabilities: probabilities.map((p) => p / total) });
}

/** Hyperopt's `hp` namespace. */
export const hp = {
  uniform,
  loguniform,
  quniform,
  qloguniform,
  randint,
  normal,
  qnormal,
  lognormal,
  qlognormal,
  choice,
  pchoice,
} as const;

/** Whether `value` is an {@link HpNode}. */
export function isHpNode(value: unknown): value is HpNode {
  return value instanceof HpNode;
}
