/**
 * Maximising an acquisition function over the encoded space (mixed continuous, grid and
 * one-hot parameters).
 *
 * 1. Score `nCandidates` scrambled Sobol points (seeded) and the given warm starts.
 * 2. Start local searches from the best candidate, the warm starts, and further candidates drawn
 *    without replacement with weights exp(a − a_max) (a roulette that favours good regions
 *    without collapsing onto one), `nLocalSearch` in all.
 * 3. Each local search alternates (a) L-BFGS-B over the continuous columns, preconditioned by the
 *    kernel's length scales (it moves z = x/ℓ inside [0, 1/ℓ], where the acquisition is about
 *    equally curved in every direction), and (b) a coordinate search over each discrete
 *    parameter: every other vertex of a one-hot block, every other value of a grid of at most
 *    {@link EXHAUSTIVE_GRID} values, and for larger grids the values ±1, ±2, ±4… grid steps away,
 *    repeated while it improves. It stops when a pass changes no discrete parameter.
 * 4. The best point seen wins (ties: the earlier one, so the result is deterministic).
 *
 * With a `box` (a warm start's trust region, see trust-region.ts) the candidates, warm starts and
 * local searches stay inside it: continuous columns within [lower, upper] (snapped ones up to half
 * a step beyond, as they are put on their grid last), grids on their values in [lower, upper],
 * and one-hot blocks on the vertices c with upper[column + c] = 1.
 *
 * Notation: D encoded columns, points are Float64Arrays of length D (batches m×D row-major).
 * @module
 */
import { Rng } from '../../core/rng.js';
import { lbfgsb } from '../../math/optim/index.js';
import type { Acquisition } from './acquisition.js';
import { type EncodedSpace, nearestIndex } from './encoded-space.js';

/** Grids with at most this many values are searched exhaustively. */
export const EXHAUSTIVE_GRID = 16;

/** Options of {@link optimizeAcquisition}. */
export interface OptimizeAcquisitionOptions {
  /** Seed of the Sobol scrambling and of the roulette. */
  seed: number;
  /** Sobol candidates scored first. Default 2048. */
  nCandidates?: number | undefined;
  /** Local searches, warm starts included. Default 10. */
  nLocalSearch?: number | undefined;
  /** Encoded points (length D each) that always start a local search, e.g. the best trial. */
  warmStarts?: readonly Float64Array[] | undefined;
  /** Length scale per column, for preconditioning the gradient steps. Default 1. */
  lengthScales?: ArrayLike<number> | undefined;
  /** Tolerance of the local searches: L-BFGS-B stops at a projected gradient of √tol. Default 1e−4. */
  tol?: number | undefined;
  /** Passes (gradient step + discrete sweep) per local search. Default 20. */
  maxPasses?: number | undefined;
  /**
   * A box to stay in (encoded coordinates, length D each; see the module documentation). It must
   * hold at least one grid value per grid and one vertex per one-hot block.
   */
  box?: AcquisitionBox | undefined;
}

/** Bounds of each encoded column (see {@link OptimizeAcquisitionOptions.box}). */
export interface AcquisitionBox {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Moves the point at `offset` of `x` into `box`: clamps, snaps grids to an allowed value, swaps a barred vertex for the first allowed one. */
export function projectIntoBox(space: EncodedSpace, box: AcquisitionBox, x: Float64Array, offset = 0): void {
  const { lower, upper } = box;
  for (const s of space.slots) {
    const c = s.column;
    if (s.kind === 'onehot') {
      let on = 0;
      for (let v = 1; v < s.width; v++) if (x[offset + c + v]! > x[offset + c + on]!) on = v;
      if (upper[c + on]! >= 1) continue;
      let allowed = 0;
      while (allowed < s.width - 1 && !(upper[c + allowed]! >= 1)) allowed++;
      x.fill(0, offset + c, offset + c + s.width);
      x[offset + c + allowed] = 1;
      continue;
    }
    const u = Math.min(upper[c]!, Math.max(lower[c]!, x[offset + c]!));
    if (s.grid === null) {
      x[offset + c] = u;
      continue;
    }
    const g = s.grid;
    let i = nearestIndex(g, u);
    if (g[i]! < lower[c]! && i + 1 < g.length && g[i + 1]! <= upper[c]!) i++;
    else if (g[i]! > upper[c]! && i > 0 && g[i - 1]! >= lower[c]!) i--;
    x[offset + c] = g[i]!;
  }
}

/** The outcome of {@link optimizeAcquisition}. */
export interface OptimizeAcquisitionResult {
  /** The best point (length D), on the space's grids and vertices. */
  x: Float64Array;
  /** The acquisition there. */
  value: number;
}

/** Maximises `acq` over `space`. See the module documentation. */
export function optimizeAcquisition(
  acq: Acquisition,
  space: EncodedSpace,
  options: OptimizeAcquisitionOptions,
): OptimizeAcquisitionResult {
  const D = space.dim;
  const nCandidates = Math.max(1, options.nCandidates ?? 2048);
  const nLocal = Math.max(1, options.nLocalSearch ?? 10);
  const warm = (options.warmStarts ?? []).slice(0, Math.max(0, nLocal - 1));
  const rng = new Rng(options.seed);

  const cands = space.sample(nCandidates, rng.nextUint32());
  const box = options.box;
  if (box !== undefined) {
    // Stretch the quasi-random coordinates over the box, then put each candidate on it.
    for (const s of space.slots) {
      if (s.kind === 'onehot') continue;
      const j = s.column;
      for (let i = 0; i < nCandidates; i++)
        cands[i * D + j] = box.lower[j]! + cands[i * D + j]! * (box.upper[j]! - box.lower[j]!);
    }
    for (let i = 0; i < nCandidates; i++) {
      projectIntoBox(space, box, cands, i * D);
      space.round(cands, i * D);
    }
  }
  const values = new Float64Array(nCandidates);
  acq.evaluate(cands, nCandidates, values);
  let iMax = -1;
  for (let i = 0; i < nCandidates; i++) {
    if (!Number.isNaN(values[i]!) && (iMax < 0 || values[i]! > values[iMax]!)) iMax = i;
  }
  if (iMax < 0) iMax = 0;

  const starts: Float64Array[] = [cands.slice(iMax * D, iMax * D + D)];
  for (const w of warm) {
    const x = Float64Array.from(w);
    if (box !== undefined) projectIntoBox(space, box, x);
    space.round(x);
    starts.push(x);
  }
  // Roulette without replacement (Efraimidis–Spirakis keys log(u)/w, largest first).
  const extra = nLocal - starts.length;
  if (extra > 0) {
    const top = values[iMax]!;
    const keyed: Array<{ i: number; key: number }> = [];
    for (let i = 0; i < nCandidates; i++) {
      const u = rng.random();
      if (i === iMax) continue;
      const w = Math.exp(values[i]! - top);
      if (!(w > 0)) continue;
      keyed.push({ i, key: Math.log(u) / w });
    }
    keyed.sort((a, b) => b.key - a.key || a.i - b.i);
    for (const { i } of keyed.slice(0, extra)) starts.push(cands.slice(i * D, i * D + D));
  }

  const search = new LocalSearch(acq, space, options);
  let best: OptimizeAcquisitionResult = { x: starts[0]!, value: values[iMax]! };
  if (Number.isNaN(best.value)) best.value = Number.NEGATIVE_INFINITY;
  for (const x0 of starts) {
    const res = search.run(x0);
    if (res.value > best.value) best = res;
  }
  return best;
}

/** Local search from one start; see the module documentation, step 3. */
class LocalSearch {
  private readonly D: number;
  private readonly cont: Int32Array;
  private readonly scale: Float64Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly pgtol: number;
  private readonly maxPasses: number;
  private readonly grad: Float64Array;
  private readonly work: Float64Array;
  private batch = new Float64Array(0);
  private batchValues = new Float64Array(0);
  private readonly box: AcquisitionBox | undefined;

  constructor(
    private readonly acq: Acquisition,
    private readonly space: EncodedSpace,
    options: OptimizeAcquisitionOptions,
  ) {
    this.D = space.dim;
    this.cont = space.continuousColumns;
    const k = this.cont.length;
    this.scale = new Float64Array(k);
    this.lower = new Float64Array(k);
    this.upper = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const l = options.lengthScales?.[this.cont[c]!] ?? 1;
      const s = Number.isFinite(l) && l > 0 ? Math.min(Math.max(l, 1e-4), 1e4) : 1;
      this.scale[c] = s;
      this.upper[c] = (options.box?.upper[this.cont[c]!] ?? 1) / s;
      this.lower[c] = (options.box?.lower[this.cont[c]!] ?? 0) / s;
    }
    this.box = options.box;
    this.pgtol = Math.sqrt(options.tol ?? 1e-4);
    this.maxPasses = options.maxPasses ?? 20;
    this.grad = new Float64Array(this.D);
    this.work = new Float64Array(this.D);
  }

  run(x0: Float64Array): OptimizeAcquisitionResult {
    const x = Float64Array.from(x0);
    const one = new Float64Array(1);
    this.acq.evaluate(x, 1, one);
    let f = Number.isNaN(one[0]!) ? Number.NEGATIVE_INFINITY : one[0]!;
    for (let pass = 0; pass < this.maxPasses; pass++) {
      f = this.continuousStep(x, f);
      let changed = false;
      for (const s of this.space.slots) {
        if (s.kind === 'continuous') continue;
        const g = this.discreteStep(x, f, s.column, s.width, s.grid);
        if (g > f) {
          f = g;
          changed = true;
        }
      }
      if (!changed) break;
    }
    // Snap columns that moved continuously over large grids.
    const before = Float64Array.from(x);
    if (this.box !== undefined) projectIntoBox(this.space, this.box, x);
    this.space.round(x);
    let moved = false;
    for (let j = 0; j < this.D; j++) if (x[j] !== before[j]) moved = true;
    if (moved) {
      this.acq.evaluate(x, 1, one);
      f = Number.isNaN(one[0]!) ? Number.NEGATIVE_INFINITY : one[0]!;
    }
    return { x, value: f };
  }

  /** L-BFGS-B over the continuous columns from x (value f); updates x when it improves. */
  private continuousStep(x: Float64Array, f: number): number {
    const k = this.cont.length;
    if (k === 0) return f;
    const { cont, scale, grad, work } = this;
    work.set(x);
    const objective = (z: Float64Array, g: Float64Array): number => {
      for (let c = 0; c < k; c++) work[cont[c]!] = Math.min(1, Math.max(0, z[c]! * scale[c]!));
      const v = this.acq.evaluateWithGradient(work, grad);
      if (!Number.isFinite(v)) {
        g.fill(0);
        return 1e300;
      }
      for (let c = 0; c < k; c++) g[c] = -grad[cont[c]!]! * scale[c]!;
      return -v;
    };
    const z0 = new Float64Array(k);
    for (let c = 0; c < k; c++)
      z0[c] = Math.min(this.upper[c]!, Math.max(this.lower[c]!, x[cont[c]!]! / scale[c]!));
    const res = lbfgsb(objective, z0, {
      lower: this.lower,
      upper: this.upper,
      pgtol: this.pgtol,
      maxIter: 200,
    });
    if (res.iterations > 0 && Number.isFinite(res.f) && -res.f > f) {
      for (let c = 0; c < k; c++) x[cont[c]!] = Math.min(1, Math.max(0, res.x[c]! * scale[c]!));
      return -res.f;
    }
    return f;
  }

  /** Coordinate search over one discrete parameter; updates x when it improves. */
  private discreteStep(
    x: Float64Array,
    f: number,
    column: number,
    width: number,
    grid: Float64Array | null,
  ): number {
    if (grid === null) {
      // A one-hot block: try every other vertex.
      let current = 0;
      for (let c = 1; c < width; c++) if (x[column + c]! > x[column + current]!) current = c;
      const rows: number[] = [];
      for (let c = 0; c < width; c++) if (c !== current && this.allowed(column + c, 1)) rows.push(c);
      const vals = this.score(x, rows.length, (row, r) => {
        row.fill(0, column, column + width);
        row[column + rows[r]!] = 1;
      });
      let best = -1;
      for (let r = 0; r < rows.length; r++)
        if (vals[r]! > f && (best < 0 || vals[r]! > vals[best]!)) best = r;
      if (best < 0) return f;
      x.fill(0, column, column + width);
      x[column + rows[best]!] = 1;
      return vals[best]!;
    }
    const G = grid.length;
    if (G <= 1) return f;
    let index = nearestIndex(grid, x[column]!);
    if (G <= EXHAUSTIVE_GRID) {
      const rows: number[] = [];
      for (let i = 0; i < G; i++) if (i !== index && this.allowed(column, grid[i]!)) rows.push(i);
      const vals = this.score(x, rows.length, (row, r) => {
        row[column] = grid[rows[r]!]!;
      });
      let best = -1;
      for (let r = 0; r < rows.length; r++)
        if (vals[r]! > f && (best < 0 || vals[r]! > vals[best]!)) best = r;
      if (best < 0) return f;
      x[column] = grid[rows[best]!]!;
      return vals[best]!;
    }
    // Large grid: pattern search over offsets ±1, ±2, ±4…
    let value = f;
    for (let round = 0; round < 64; round++) {
      const rows: number[] = [];
      for (let step = 1; step < G; step *= 2) {
        if (index - step >= 0 && this.allowed(column, grid[index - step]!)) rows.push(index - step);
        if (index + step < G && this.allowed(column, grid[index + step]!)) rows.push(index + step);
      }
      const vals = this.score(x, rows.length, (row, r) => {
        row[column] = grid[rows[r]!]!;
      });
      let best = -1;
      for (let r = 0; r < rows.length; r++)
        if (vals[r]! > value && (best < 0 || vals[r]! > vals[best]!)) best = r;
      if (best < 0) break;
      index = rows[best]!;
      value = vals[best]!;
      x[column] = grid[index]!;
    }
    return value;
  }

  /** Whether `value` lies in the box in `column` (always, without a box). */
  private allowed(column: number, value: number): boolean {
    const box = this.box;
    return box === undefined || (value >= box.lower[column]! && value <= box.upper[column]!);
  }

  /** Acquisition values of `m` copies of x, each changed by `edit(row, r)`. */
  private score(x: Float64Array, m: number, edit: (row: Float64Array, r: number) => void): Float64Array {
    const D = this.D;
    if (this.batch.length < m * D) {
      this.batch = new Float64Array(m * D);
      this.batchValues = new Float64Array(m);
    }
    for (let r = 0; r < m; r++) {
      const row = this.batch.subarray(r * D, (r + 1) * D);
      row.set(x);
      edit(row, r);
    }
    const out = this.batchValues.subarray(0, m);
    this.acq.evaluate(this.batch, m, out);
    return out;
  }
}
