/**
 * The search space as the GP sees it: the unit box [0, 1]^D of {@link SearchSpaceTransform}, with
 * what the acquisition optimiser needs to know about each parameter's columns — whether they move
 * continuously, lie on a grid, or form a one-hot block — and quasi-random candidates that respect
 * those structures.
 *
 * Notation: D encoded columns; a point is D numbers (row-major in batches). A slot is one
 * parameter: `continuous` (one column, moved by gradient steps), `grid` (one column on a finite
 * grid of at most `maxGrid` values, kept as sorted unit coordinates) or `onehot` (C columns, a
 * categorical; a point holds one of the C vertices). Finite grids larger than `maxGrid` (say an
 * int range of a million values) move continuously and are snapped to their grid at the end.
 * The kind of a slot comes from the transform's column flags and from the distribution's
 * cardinality, never from its type.
 * @module
 */
import { cardinality, enumerate } from '../../core/distributions.js';
import { Rng } from '../../core/rng.js';
import { SearchSpaceTransform } from '../../core/search-space-transform.js';
import { SOBOL_MAX_DIM, SobolEngine } from '../../math/qmc/index.js';
import type { SearchSpace } from '../base.js';

/** A key that is equal for the same parameters with the same distributions (names in order). */
export function spaceSignature(names: readonly string[], space: SearchSpace): string {
  return JSON.stringify(names.map((k) => [k, space[k]]));
}

/** How the columns of one parameter move. */
export type SlotKind = 'continuous' | 'grid' | 'onehot';

/** One parameter's columns. */
export interface Slot {
  readonly name: string;
  readonly kind: SlotKind;
  /** First column. */
  readonly column: number;
  /** Number of columns (C for a one-hot block, else 1). */
  readonly width: number;
  /** Sorted unit coordinates of the grid values (kind `grid`), else null. */
  readonly grid: Float64Array | null;
  /** One-parameter transform that snaps a continuous column onto a large finite grid, else null. */
  readonly snapper: SearchSpaceTransform | null;
}

/** Largest grid kept as a list of values (larger ones move continuously and are snapped). */
export const DEFAULT_MAX_GRID = 1024;

/** The GP's view of a search space. See the module notation. */
export class EncodedSpace {
  readonly transform: SearchSpaceTransform;
  /** D, the number of encoded columns. */
  readonly dim: number;
  readonly slots: readonly Slot[];
  /** Columns moved by gradient steps (continuous slots, snapped ones included). */
  readonly continuousColumns: Int32Array;

  constructor(space: SearchSpace, maxGrid = DEFAULT_MAX_GRID) {
    this.transform = new SearchSpaceTransform(space);
    this.dim = this.transform.dim;
    const slots: Slot[] = [];
    const continuous: number[] = [];
    for (const p of this.transform.params) {
      if (this.transform.isCategoricalColumn[p.column] === 1) {
        slots.push({
          name: p.name,
          kind: 'onehot',
          column: p.column,
          width: p.width,
          grid: null,
          snapper: null,
        });
        continue;
      }
      const size = cardinality(p.distribution);
      if (!Number.isFinite(size)) {
        slots.push({
          name: p.name,
          kind: 'continuous',
          column: p.column,
          width: 1,
          grid: null,
          snapper: null,
        });
        continuous.push(p.column);
        continue;
      }
      const one = new SearchSpaceTransform({ [p.name]: p.distribution });
      if (size > maxGrid) {
        slots.push({
          name: p.name,
          kind: 'continuous',
          column: p.column,
          width: 1,
          grid: null,
          snapper: one,
        });
        continuous.push(p.column);
        continue;
      }
      const grid = Float64Array.from(enumerate(p.distribution), (v) => one.transform({ [p.name]: v })[0]!);
      grid.sort();
      slots.push({ name: p.name, kind: 'grid', column: p.column, width: 1, grid, snapper: null });
    }
    this.slots = slots;
    this.continuousColumns = Int32Array.from(continuous);
  }

  /** Encodes a trial's internal values (every parameter of the space present) into `out` at `offset`. */
  encode(internal: Readonly<Record<string, number>>, out: Float64Array, offset = 0): void {
    this.transform.transform(internal, out.subarray(offset, offset + this.dim));
  }

  /** Internal values of the point x (length D). */
  decode(x: ArrayLike<number>): Record<string, number> {
    return this.transform.untransform(x);
  }

  /** Puts the point at `offset` of `x` onto the space: grids and snapped columns rounded, in [0, 1]. */
  round(x: Float64Array, offset = 0): void {
    for (const s of this.slots) {
      const c = offset + s.column;
      if (s.kind === 'onehot') continue;
      const u = Math.min(1, Math.max(0, x[c]!));
      if (s.grid !== null) x[c] = nearest(s.grid, u);
      else if (s.snapper !== null) x[c] = s.snapper.transform(s.snapper.untransform([u]))[0]!;
      else x[c] = u;
    }
  }

  /**
   * m points spread over the space (m×D): a scrambled Sobol sequence with one coordinate per
   * parameter (a one-hot block takes the vertex floor(u·C)), grids rounded to their nearest value.
   */
  sample(m: number, seed: number): Float64Array {
    const k = this.slots.length;
    const D = this.dim;
    const out = new Float64Array(m * D);
    if (k === 0) return out;
    let u: Float64Array;
    if (k <= SOBOL_MAX_DIM) {
      u = new SobolEngine(k, { seed }).draw(m);
    } else {
      const rng = new Rng(seed);
      u = Float64Array.from({ length: m * k }, () => rng.random());
    }
    for (let i = 0; i < m; i++) {
      const row = i * D;
      for (let j = 0; j < k; j++) {
        const s = this.slots[j]!;
        const v = u[i * k + j]!;
        if (s.kind === 'onehot') {
          out[row + s.column + Math.min(s.width - 1, Math.floor(v * s.width))] = 1;
        } else {
          out[row + s.column] = v;
        }
      }
      this.round(out, row);
    }
    return out;
  }
}

/** The element of the sorted array `grid` nearest to u. */
export function nearest(grid: Float64Array, u: number): number {
  return grid[nearestIndex(grid, u)]!;
}

/** Index of the element of the sorted array `grid` nearest to u. */
export function nearestIndex(grid: Float64Array, u: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  if (u <= grid[0]!) return 0;
  if (u >= grid[hi]!) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (grid[mid]! <= u) lo = mid;
    else hi = mid;
  }
  return u - grid[lo]! <= grid[hi]! - u ? lo : hi;
}
