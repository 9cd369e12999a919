/**
 * Maps a search space to the unit box [0, 1]^D and back, so that numeric samplers (GP, CMA-ES,
 * particle swarm, gradient search) work in one continuous box and never branch on kinds.
 *
 * Notation: d parameters (in the given order), D ≥ d encoded columns. A float or int parameter
 * is one column: log scale first when `log`, then ints and steps widened by half a step on each
 * side (so every grid value owns an equal share of the column), then scaled to [0, 1]. A
 * categorical with C choices is C one-hot columns (or one index column with
 * `categorical: 'index'`). `transform` writes D numbers; `untransform` reads D numbers and returns
 * internal values, rounding ints and steps to their grid and taking the argmax of one-hot blocks.
 * @module
 */
import { type Distribution, snap } from './distributions.js';
import { InvalidArgumentError } from './errors.js';

/** Options of {@link SearchSpaceTransform}. */
export interface TransformOptions {
  /** 'onehot' (default) or 'index' (one column holding choice index / (C − 1)). */
  readonly categorical?: 'onehot' | 'index';
}

/** One parameter's place in the encoded columns. */
export interface EncodedParam {
  readonly name: string;
  readonly distribution: Distribution;
  /** First column. */
  readonly column: number;
  /** Number of columns (C for one-hot categoricals, else 1). */
  readonly width: number;
  /** Lower and upper ends before scaling to [0, 1] (after log and half-step widening). */
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
  /** Width of one grid cell in [0, 1] units (0 for continuous and categorical columns). */
  readonly unitStep: number;
}

/** The map between a search space and [0, 1]^D. See the module notation. */
export class SearchSpaceTransform {
  readonly params: readonly EncodedParam[];
  /** D, the number of encoded columns. */
  readonly dim: number;
  /** Per column: 1 when it belongs to a one-hot categorical block. */
  readonly isCategoricalColumn: Uint8Array;
  private readonly categorical: 'onehot' | 'index';

  constructor(space: Readonly<Record<string, Distribution>>, options: TransformOptions = {}) {
    this.categorical = options.categorical ?? 'onehot';
    const params: EncodedParam[] = [];
    let column = 0;
    for (const [name, d] of Object.entries(space)) {
      if (d.type === 'categorical') {
        const width = this.categorical === 'onehot' ? d.choices.length : 1;
        params.push({ name, distribution: d, column, width, lo: 0, hi: 1, log: false, unitStep: 0 });
        column += width;
        continue;
      }
      const step = d.type === 'int' ? d.step : (d.step ?? 0);
      let lo: number;
      let hi: number;
      if (d.log) {
        const half = d.type === 'int' ? 0.5 : 0;
        lo = Math.log(d.low - half);
        hi = Math.log(d.high + half);
      } else {
        lo = d.low - step / 2;
        hi = d.high + step / 2;
      }
      const unitStep = !d.log && step > 0 && hi > lo ? step / (hi - lo) : 0;
      params.push({ name, distribution: d, column, width: 1, lo, hi, log: d.log, unitStep });
      column += 1;
    }
    this.params = params;
    this.dim = column;
    this.isCategoricalColumn = new Uint8Array(column);
    if (this.categorical === 'onehot') {
      for (const p of params)
        if (p.distribution.type === 'categorical')
          this.isCategoricalColumn.fill(1, p.column, p.column + p.width);
    }
  }

  /** Encodes internal values (by name) into `out` (length D). Every parameter must be present. */
  transform(
    values: Readonly<Record<string, number>>,
    out: Float64Array = new Float64Array(this.dim),
  ): Float64Array {
    for (const p of this.params) {
      const v = values[p.name];
      if (v === undefined) {
        throw new InvalidArgumentError(`SearchSpaceTransform.transform: parameter '${p.name}' is missing.`);
      }
      const d = p.distribution;
      if (d.type === 'categorical') {
        if (this.categorical === 'onehot') {
          out.fill(0, p.column, p.column + p.width);
          out[p.column + v] = 1;
        } else out[p.column] = d.choices.length === 1 ? 0.5 : v / (d.choices.length - 1);
        continue;
      }
      const t = p.log ? Math.log(v) : v;
      out[p.column] = p.hi === p.lo ? 0.5 : (t - p.lo) / (p.hi - p.lo);
    }
    return out;
  }

  /** Decodes a point of [0, 1]^D (values outside are clipped) into internal values, on their grids. */
  untransform(x: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.params) {
      const d = p.distribution;
      if (d.type === 'categorical') {
        if (this.categorical === 'onehot') {
          let best = 0;
          for (let c = 1; c < p.width; c++) if (x[p.column + c]! > x[p.column + best]!) best = c;
          out[p.name] = best;
        } else {
          out[p.name] = snap(d, Math.max(0, Math.min(1, x[p.column]!)) * (d.choices.length - 1));
        }
        continue;
      }
      const u = Math.max(0, Math.min(1, x[p.column]!));
      const t = p.lo + u * (p.hi - p.lo);
      out[p.name] = snap(d, p.log ? Math.exp(t) : t);
    }
    return out;
  }
}
