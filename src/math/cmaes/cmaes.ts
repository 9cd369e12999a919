/**
 * The (μ/μ_w, λ) CMA-ES update (Hansen's tutorial, 2016), as pure functions over a plain,
 * JSON-serialisable state, so that a sampler can keep the optimizer in storage.
 *
 * - Positive recombination weights w_i ∝ ln((λ+1)/2) − ln i, i ≤ μ = ⌊λ/2⌋.
 * - Cumulative step-size adaptation, rank-one and rank-μ covariance updates with the default
 *   learning rates; the h_σ stall of the rank-one path.
 * - `separable`: a diagonal covariance with the sep-CMA learning rates ((n + 2)/3 times faster).
 * - Margin (for integer and step coordinates, after Hamano et al., 2022, simplified): after each
 *   update, a discrete coordinate whose standard deviation σ·√C_ii has shrunk so far that a
 *   sample would leave its grid cell with probability below α = 1/(nλ) gets its row and column
 *   of C scaled up to that level, so the search does not freeze on one grid value.
 * - Stop tests for restarts: σ·√max C_ii below `tolX`, the best values of recent generations
 *   flat within `tolFun`, or the condition number of C above 1e14.
 *
 * Matrices are flat row-major `number[]` (n² entries; n for a separable state). The
 * eigendecomposition C = B diag(D²) Bᵀ is kept in the state (cyclic Jacobi), refreshed lazily.
 * @module
 */
import { ndtri } from '../special/index.js';

/** The optimizer state (plain JSON). */
export interface CmaState {
  readonly n: number;
  readonly lambda: number;
  readonly separable: boolean;
  /** Generations told so far. */
  readonly generation: number;
  readonly mean: number[];
  readonly sigma: number;
  /** Covariance: n×n row-major, or its diagonal when separable. */
  readonly C: number[];
  /** Eigenvectors (columns, n×n row-major) and square roots of the eigenvalues of C. */
  readonly B: number[];
  readonly D: number[];
  /** Generation at which B and D were last computed (they are refreshed lazily). */
  readonly eigenGeneration: number;
  readonly pc: number[];
  readonly ps: number[];
  /** Best value of each recent generation (the stagnation test), newest last. */
  readonly history: number[];
}

/** Options of {@link createCmaState}. */
export interface CmaInit {
  readonly mean: ArrayLike<number>;
  readonly sigma: number;
  /** λ; default 4 + ⌊3 ln n⌋. */
  readonly popsize?: number;
  readonly separable?: boolean;
}

/** The default population size 4 + ⌊3 ln n⌋. */
export function defaultPopsize(n: number): number {
  return 4 + Math.floor(3 * Math.log(Math.max(1, n)));
}

/** A fresh state: C = I. */
export function createCmaState(init: CmaInit): CmaState {
  const n = init.mean.length;
  if (n === 0) throw new RangeError('createCmaState: no dimensions.');
  if (!(init.sigma > 0)) throw new RangeError(`createCmaState: sigma must be > 0, got ${init.sigma}.`);
  const lambda = init.popsize ?? defaultPopsize(n);
  if (!Number.isInteger(lambda) || lambda < 2) {
    throw new RangeError(`createCmaState: popsize must be an integer ≥ 2, got ${lambda}.`);
  }
  const separable = init.separable ?? false;
  const C = separable ? new Array<number>(n).fill(1) : identity(n);
  return {
    n,
    lambda,
    separable,
    generation: 0,
    mean: Array.from(init.mean),
    sigma: init.sigma,
    C,
    B: identity(n),
    D: new Array<number>(n).fill(1),
    eigenGeneration: 0,
    pc: new Array<number>(n).fill(0),
    ps: new Array<number>(n).fill(0),
    history: [],
  };
}

function identity(n: number): number[] {
  const m = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

/** Strategy constants for (n, λ). */
export function cmaConstants(n: number, lambda: number, separable = false) {
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / sum);
  const mueff = 1 / weights.reduce((a, w) => a + w * w, 0);
  const cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
  const cs = (mueff + 2) / (n + mueff + 5);
  let c1 = 2 / ((n + 1.3) ** 2 + mueff);
  let cmu = Math.min(1 - c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
  if (separable) {
    const f = (n + 2) / 3;
    c1 = Math.min(1, c1 * f);
    cmu = Math.min(1 - c1, cmu * f);
  }
  const damps = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs;
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { mu, weights, mueff, cc, cs, c1, cmu, damps, chiN };
}

/** One draw m + σ·B·D·z with z ~ N(0, I) from `normal`, into `out`. */
export function sampleCma(
  state: CmaState,
  normal: () => number,
  out = new Float64Array(state.n),
): Float64Array {
  const { n, B, D, mean, sigma } = state;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = D[i]! * normal();
  if (state.separable) {
    for (let i = 0; i < n; i++) out[i] = mean[i]! + sigma * z[i]!;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += B[i * n + k]! * z[k]!;
    out[i] = mean[i]! + sigma * s;
  }
  return out;
}

/**
 * A draw inside [0, 1]ⁿ: up to `tries` draws, the first inside the box wins; else the last one,
 * clipped.
 */
export function sampleCmaInBox(state: CmaState, normal: () => number, tries = 100): Float64Array {
  const x = new Float64Array(state.n);
  for (let t = 0; t < tries; t++) {
    sampleCma(state, normal, x);
    if (x.every((v) => v >= 0 && v <= 1)) return x;
  }
  for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, x[i]!));
  return x;
}

/** Options of {@link tellCma}. */
export interface TellOptions {
  /** Per coordinate, the width of one grid cell (0 for continuous): enables the margin. */
  readonly steps?: ArrayLike<number>;
}

/**
 * The state after one generation: `xs` the λ (or more; the first λ are used) points, `values`
 * their objective values (minimised; NaN counts as +Infinity).
 */
export function tellCma(
  state: CmaState,
  xs: readonly ArrayLike<number>[],
  values: readonly number[],
  options: TellOptions = {},
): CmaState {
  const { n, lambda, separable, sigma } = state;
  if (xs.length < 2) throw new RangeError('tellCma: at least two points are needed.');
  const count = Math.min(xs.length, lambda);
  const k = cmaConstants(n, count, separable);
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => key(values[a]!) - key(values[b]!));
  const m = state.mean;
  const ys = order.slice(0, k.mu).map((i) => {
    const y = new Float64Array(n);
    const x = xs[i]!;
    for (let j = 0; j < n; j++) y[j] = (x[j]! - m[j]!) / sigma;
    return y;
  });
  const yw = new Float64Array(n);
  ys.forEach((y, r) => {
    for (let j = 0; j < n; j++) yw[j]! += k.weights[r]! * y[j]!;
  });
  const mean = m.map((v, j) => v + sigma * yw[j]!);
  // C^{-1/2} y_w = B D⁻¹ Bᵀ y_w.
  const cinv = new Float64Array(n);
  if (separable) {
    for (let j = 0; j < n; j++) cinv[j] = yw[j]! / state.D[j]!;
  } else {
    const t = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += state.B[j * n + a]! * yw[j]!;
      t[a] = s / state.D[a]!;
    }
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < n; a++) s += state.B[j * n + a]! * t[a]!;
      cinv[j] = s;
    }
  }
  const csf = Math.sqrt(k.cs * (2 - k.cs) * k.mueff);
  const ps = state.ps.map((v, j) => (1 - k.cs) * v + csf * cinv[j]!);
  const psNorm = Math.hypot(...ps);
  const gen = state.generation + 1;
  const hsig = psNorm / Math.sqrt(1 - (1 - k.cs) ** (2 * gen)) < (1.4 + 2 / (n + 1)) * k.chiN ? 1 : 0;
  const ccf = Math.sqrt(k.cc * (2 - k.cc) * k.mueff);
  const pc = state.pc.map((v, j) => (1 - k.cc) * v + hsig * ccf * yw[j]!);
  const decay = 1 - k.c1 - k.cmu + (1 - hsig) * k.c1 * k.cc * (2 - k.cc);
  let C: number[];
  if (separable) {
    C = state.C.map((c, j) => {
      let r = 0;
      ys.forEach((y, i) => {
        r += k.weights[i]! * y[j]! * y[j]!;
      });
      return decay * c + k.c1 * pc[j]! * pc[j]! + k.cmu * r;
    });
  } else {
    C = new Array<number>(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let r = 0;
        for (let i = 0; i < ys.length; i++) r += k.weights[i]! * ys[i]![a]! * ys[i]![b]!;
        const v = decay * state.C[a * n + b]! + k.c1 * pc[a]! * pc[b]! + k.cmu * r;
        C[a * n + b] = v;
        C[b * n + a] = v;
      }
    }
  }
  let newSigma = sigma * Math.exp(Math.min(1, (k.cs / k.damps) * (psNorm / k.chiN - 1)));
  // Margin for discrete coordinates.
  if (options.steps !== undefined) {
    const z = ndtri(1 - 1 / (2 * n * lambda));
    for (let j = 0; j < n; j++) {
      const w = options.steps[j]!;
      if (!(w > 0)) continue;
      const cjj = separable ? C[j]! : C[j * n + j]!;
      const sd = newSigma * Math.sqrt(cjj);
      const minSd = w / (2 * z);
      if (sd >= minSd) continue;
      const f = minSd / Math.max(sd, 1e-300);
      if (separable) C[j] = C[j]! * f * f;
      else {
        for (let b = 0; b < n; b++) {
          C[j * n + b] = C[j * n + b]! * f;
          C[b * n + j] = C[b * n + j]! * f;
        }
      }
    }
  }
  let B = state.B;
  let D = state.D;
  let eigenGeneration = state.eigenGeneration;
  if (separable) {
    D = C.map((c) => Math.sqrt(Math.max(c, 1e-300)));
    eigenGeneration = gen;
  } else if (n <= 10 || gen - state.eigenGeneration >= count / ((k.c1 + k.cmu) * n * 10)) {
    // Lazy update (Hansen) above 10 dimensions: C changes little per generation, so B and D are
    // refreshed only every λ / (10 n (c1 + cμ)) generations, keeping the O(n³) cost per sample
    // O(n²). Small problems refresh every generation (cheap, and it helps short budgets).
    const eig = symmetricEigen(C, n);
    B = eig.vectors;
    D = eig.values.map((v) => Math.sqrt(Math.max(v, 1e-300)));
    eigenGeneration = gen;
  }
  if (!Number.isFinite(newSigma)) newSigma = sigma;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) best = Math.min(best, key(values[i]!));
  const historyLength = 10 + Math.ceil((30 * n) / lambda);
  const history = [...state.history, best].slice(-historyLength);
  return {
    n,
    lambda,
    separable,
    generation: gen,
    mean,
    sigma: newSigma,
    C,
    B,
    D,
    eigenGeneration,
    pc,
    ps,
    history,
  };
}

function key(v: number): number {
  return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
}

/** Options of {@link cmaShouldStop}. */
export interface StopOptions {
  readonly tolX?: number;
  readonly tolFun?: number;
}

/** Why the run should restart, or null (see the module documentation). */
export function cmaShouldStop(state: CmaState, options: StopOptions = {}): string | null {
  const tolX = options.tolX ?? 1e-11;
  const tolFun = options.tolFun ?? 1e-12;
  const { n } = state;
  let maxC = 0;
  for (let j = 0; j < n; j++) maxC = Math.max(maxC, state.separable ? state.C[j]! : state.C[j * n + j]!);
  if (state.sigma * Math.sqrt(maxC) < tolX) return 'tolX';
  const historyLength = 10 + Math.ceil((30 * n) / state.lambda);
  if (state.history.length >= historyLength) {
    const h = state.history.filter(Number.isFinite);
    if (h.length === state.history.length && Math.max(...h) - Math.min(...h) < tolFun) return 'tolFun';
  }
  const dmax = Math.max(...state.D);
  const dmin = Math.min(...state.D);
  if ((dmax / dmin) ** 2 > 1e14) return 'conditionCov';
  if (!state.mean.every(Number.isFinite) || !Number.isFinite(state.sigma)) return 'numerics';
  return null;
}

/** Above this size {@link symmetricEigen} uses Householder + QL instead of Jacobi rotations. */
export const JACOBI_MAX_N = 10;

/**
 * Eigendecomposition of a symmetric n×n matrix (flat, row-major): `values[k]` with eigenvector
 * column k of `vectors` (row-major n×n). Up to {@link JACOBI_MAX_N}, cyclic Jacobi rotations
 * (accurate, cheap at that size; eigenvalues in no particular order, as CMA-ES runs of earlier
 * versions drew them); above, Householder reduction to tridiagonal form then the QL algorithm
 * with implicit shifts (the classic tred2/tql2 pair; eigenvalues ascending): about 4n³ flops,
 * several times fewer than the Jacobi sweeps at n = 40.
 */
export function symmetricEigen(
  matrix: readonly number[],
  n: number,
): { values: number[]; vectors: number[] } {
  if (n <= JACOBI_MAX_N) return jacobiEigen(matrix, n);
  return householderQlEigen(matrix, n);
}

/** Cyclic Jacobi rotations (eigenvalues in no particular order). */
function jacobiEigen(matrix: readonly number[], n: number): { values: number[]; vectors: number[] } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p]! ** 2;
      for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: n }, (_, i) => a[i * n + i]!);
  return { values, vectors: Array.from(v) };
}

/** Householder tridiagonalisation + implicit QL (eigenvalues ascending). */
function householderQlEigen(matrix: readonly number[], n: number): { values: number[]; vectors: number[] } {
  const V = Float64Array.from(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(V, d, e, n);
  tridiagonalQl(V, d, e, n);
  // Ascending eigenvalues, vectors permuted with them.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]! || a - b);
  const values = order.map((i) => d[i]!);
  const vectors = new Array<number>(n * n);
  for (let r = 0; r < n; r++) for (let k = 0; k < n; k++) vectors[r * n + k] = V[r * n + order[k]!]!;
  return { values, vectors };
}

/**
 * Householder reduction of the symmetric V (n×n, row-major, overwritten by the accumulated
 * orthogonal transformation) to tridiagonal form: diagonal d, subdiagonal e[1..n−1] (e[0] = 0).
 */
function tridiagonalize(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k] = e[k]! + V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Eigenvalues (into d) and eigenvectors (V ← V·Q) of the tridiagonal matrix (d, e) by the QL
 * algorithm with implicit shifts.
 */
function tridiagonalQl(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 100; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const vk1 = V[k * n + i + 1]!;
            const vk = V[k * n + i]!;
            V[k * n + i + 1] = s * vk + c * vk1;
            V[k * n + i] = c * vk - s * vk1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]!) > eps * tst1)) break;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
