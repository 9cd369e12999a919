/**
 * L-BFGS-B: limited-memory BFGS minimisation under box constraints lower ≤ x ≤ upper
 * (Byrd, Lu, Nocedal & Zhu, "A limited memory algorithm for bound constrained optimization",
 * SIAM J. Sci. Comput. 16(5), 1995; with the projected subspace step of Morales & Nocedal, 2011).
 *
 * Notation: n variables; x, g, lower, upper, d are n-vectors (Float64Array; bounds may be ±Infinity).
 * The memory holds k ≤ m correction pairs sᵢ = x₊ − x, yᵢ = g₊ − g, stored as rows of two m×n
 * ring buffers S and Y, oldest first in logical order. The quasi-Newton matrix is kept in compact
 * form B = θ·I − W·M·Wᵀ with W = [Y, θ·S] (n×2k) and M = [[−D, Lᵀ], [L, θ·SᵀS]]⁻¹ (2k×2k), where
 * D = diag(sᵢᵀyᵢ) and L is the strictly lower triangle of SᵀY (Lᵢⱼ = sᵢᵀyⱼ, i > j). M is never formed:
 * products M·v use the factorization [[−D, Lᵀ], [L, θSᵀS]] = [[D½, 0], [−LD⁻½, J]]·[[−D½, D⁻½Lᵀ],
 * [0, Jᵀ]] with J·Jᵀ = θ·SᵀS + L·D⁻¹·Lᵀ (a k×k Cholesky). wᵢ denotes row i of W (a 2k-vector).
 *
 * Each iteration: (1) the generalized Cauchy point x̂ᶜ, the first local minimiser of the quadratic
 * model along the projected steepest-descent path x(t) = P(x − t·g), found by walking the sorted
 * breakpoints (a binary heap); (2) subspace minimisation of the model over the variables free at
 * x̂ᶜ, by the Sherman–Morrison–Woodbury form of the reduced inverse Hessian, projected back into
 * the box (or truncated when the projection is not a descent direction); (3) a line search along
 * d = x̄ − x satisfying the strong Wolfe conditions (c₁ = 1e−3, c₂ = 0.9) by bracketing and
 * safeguarded cubic interpolation, never leaving the box; (4) the memory update, skipped when the
 * curvature sᵀy is not safely positive. A failed line search discards the memory and retries with
 * steepest descent once before giving up.
 *
 * Every buffer is allocated once per call; the objective writes its gradient into the array it is
 * given and must not keep a reference to `x`.
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** The objective: returns f(x) and writes ∇f(x) into `gradOut` (length n). */
export type LbfgsbObjective = (x: Float64Array, gradOut: Float64Array) => number;

/** Options of {@link lbfgsb}. */
export interface LbfgsbOptions {
  /** Lower bounds (length n; −Infinity for none). Default: all −Infinity. */
  lower?: ArrayLike<number>;
  /** Upper bounds (length n; +Infinity for none). Default: all +Infinity. */
  upper?: ArrayLike<number>;
  /** Number of correction pairs kept. Default 10. */
  m?: number;
  /** Maximum number of iterations. Default 15000. */
  maxIter?: number;
  /** Maximum number of objective evaluations. Default 15000. */
  maxFun?: number;
  /** Stop when maxᵢ |P(x − g)ᵢ − xᵢ| ≤ pgtol (the projected gradient). Default 1e−5. */
  pgtol?: number;
  /**
   * Stop when (f_prev − f) ≤ ftol·max(|f_prev|, |f|, 1). Default 2.220446049250313e−9
   * (factr = 1e7). Give either `ftol` or `factr`, not both.
   */
  ftol?: number;
  /** ftol in units of the machine epsilon: ftol = factr·2⁻⁵². */
  factr?: number;
  /** Maximum objective evaluations in one line search. Default 20. */
  maxLineSearch?: number;
}

/** Why {@link lbfgsb} stopped. */
export type LbfgsbStatus = 'pgtol' | 'ftol' | 'maxIter' | 'maxFun' | 'lineSearchFailed' | 'nonFiniteStart';

/** The outcome of {@link lbfgsb}. */
export interface LbfgsbResult {
  /** The best point found (inside the bounds). */
  x: Float64Array;
  /** f(x). */
  f: number;
  /** ∇f(x). */
  grad: Float64Array;
  /** Iterations taken (accepted steps). */
  iterations: number;
  /** Objective evaluations. */
  evaluations: number;
  /** True when a convergence test (`pgtol` or `ftol`) was met. */
  converged: boolean;
  /** Which test ended the run. */
  status: LbfgsbStatus;
  /** A sentence describing `status`. */
  message: string;
  /** maxᵢ |P(x − g)ᵢ − xᵢ| at the returned point. */
  projectedGradientNorm: number;
}

const EPS = 2.220446049250313e-16;
const C1 = 1e-3;
const C2 = 0.9;
const MAX_STEP = 1e10;

const MESSAGES: Record<LbfgsbStatus, string> = {
  pgtol: 'Converged: the projected gradient norm is at most pgtol.',
  ftol: 'Converged: the relative reduction of f is at most ftol.',
  maxIter: 'Stopped: the iteration limit was reached.',
  maxFun: 'Stopped: the evaluation limit was reached.',
  lineSearchFailed: 'Stopped: the line search found no acceptable step, even along steepest descent.',
  nonFiniteStart: 'Stopped: the objective or its gradient is not finite at the initial point.',
};

/** All state of one run, allocated once. */
class Workspace {
  readonly n: number;
  readonly m: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly boxed: boolean;
  readonly constrained: boolean;

  x: Float64Array;
  g: Float64Array;
  f = 0;
  xTrial: Float64Array;
  gTrial: Float64Array;
  readonly xLo: Float64Array;
  readonly gLo: Float64Array;
  readonly xOld: Float64Array;
  readonly gOld: Float64Array;
  readonly sNew: Float64Array;
  readonly yNew: Float64Array;

  // Memory: ring buffers (physical slot of logical i is (head + i) % m) and k×k matrices in logical order.
  readonly S: Float64Array;
  readonly Y: Float64Array;
  head = 0;
  count = 0;
  theta = 1;
  readonly SY: Float64Array; // m×m, SY[i·m + j] = sᵢᵀyⱼ
  readonly SS: Float64Array; // m×m, SS[i·m + j] = sᵢᵀsⱼ
  readonly J: Float64Array; // m×m lower Cholesky factor of θ·SᵀS + L·D⁻¹·Lᵀ

  // Cauchy point and subspace step.
  readonly t: Float64Array; // breakpoints
  readonly d: Float64Array; // direction along the path, then the search direction
  readonly xcp: Float64Array;
  readonly heap: Int32Array;
  readonly free: Int32Array;
  readonly rhat: Float64Array;
  readonly p: Float64Array; // 2m
  readonly c: Float64Array; // 2m
  readonly w: Float64Array; // 2m, a row of W
  readonly v1: Float64Array; // 2m scratch
  readonly v2: Float64Array; // 2m scratch
  readonly v3: Float64Array; // 2m scratch
  readonly mvTmp: Float64Array; // m scratch for M·v
  readonly A: Float64Array; // (2m)×(2m)
  readonly N: Float64Array; // (2m)×(2m)
  readonly pivots: Int32Array;

  evaluations = 0;

  constructor(n: number, m: number, lower: Float64Array, upper: Float64Array) {
    this.n = n;
    this.m = m;
    this.lower = lower;
    this.upper = upper;
    let boxed = true;
    let constrained = false;
    for (let i = 0; i < n; i++) {
      const lo = Number.isFinite(lower[i]!);
      const hi = Number.isFinite(upper[i]!);
      if (lo || hi) constrained = true;
      if (!(lo && hi)) boxed = false;
    }
    this.boxed = boxed;
    this.constrained = constrained;
    const vec = () => new Float64Array(n);
    this.x = vec();
    this.g = vec();
    this.xTrial = vec();
    this.gTrial = vec();
    this.xLo = vec();
    this.gLo = vec();
    this.xOld = vec();
    this.gOld = vec();
    this.sNew = vec();
    this.yNew = vec();
    this.S = new Float64Array(m * n);
    this.Y = new Float64Array(m * n);
    this.SY = new Float64Array(m * m);
    this.SS = new Float64Array(m * m);
    this.J = new Float64Array(m * m);
    this.t = vec();
    this.d = vec();
    this.xcp = vec();
    this.heap = new Int32Array(n);
    this.free = new Int32Array(n);
    this.rhat = vec();
    const m2 = 2 * m;
    this.p = new Float64Array(m2);
    this.c = new Float64Array(m2);
    this.w = new Float64Array(m2);
    this.v1 = new Float64Array(m2);
    this.v2 = new Float64Array(m2);
    this.v3 = new Float64Array(m2);
    this.mvTmp = new Float64Array(m);
    this.A = new Float64Array(m2 * m2);
    this.N = new Float64Array(m2 * m2);
    this.pivots = new Int32Array(m2);
  }
}

/** Row `i` of W = [Y, θS] into `out` (length 2k). */
function wRow(ws: Workspace, i: number, out: Float64Array): void {
  const { count: k, m, n, head, theta } = ws;
  for (let j = 0; j < k; j++) {
    const slot = (head + j) % m;
    out[j] = ws.Y[slot * n + i]!;
    out[k + j] = theta * ws.S[slot * n + i]!;
  }
}

function dot2k(a: Float64Array, b: Float64Array, k2: number): number {
  let s = 0;
  for (let i = 0; i < k2; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * out = M·v for v = [v₁; v₂] (each of length k): w₂ = (JJᵀ)⁻¹(v₂ + L·D⁻¹·v₁) and
 * w₁ = D⁻¹(Lᵀ·w₂ − v₁). `out` must differ from `v`.
 */
function multiplyM(ws: Workspace, v: Float64Array, out: Float64Array): void {
  const { count: k, m, SY, J } = ws;
  const tmp = ws.mvTmp;
  for (let i = 0; i < k; i++) {
    let s = v[k + i]!;
    for (let j = 0; j < i; j++) s += (SY[i * m + j]! * v[j]!) / SY[j * m + j]!;
    tmp[i] = s;
  }
  // Solve J·u = tmp, then Jᵀ·w₂ = u.
  for (let i = 0; i < k; i++) {
    let s = tmp[i]!;
    for (let j = 0; j < i; j++) s -= J[i * m + j]! * tmp[j]!;
    tmp[i] = s / J[i * m + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = tmp[i]!;
    for (let j = i + 1; j < k; j++) s -= J[j * m + i]! * tmp[j]!;
    tmp[i] = s / J[i * m + i]!;
  }
  for (let i = 0; i < k; i++) {
    out[k + i] = tmp[i]!;
    let s = -v[i]!;
    for (let j = i + 1; j < k; j++) s += SY[j * m + i]! * tmp[j]!;
    out[i] = s / SY[i * m + i]!;
  }
}

/** Rebuilds J from SY and SS; returns false when θ·SᵀS + L·D⁻¹·Lᵀ is not numerically positive definite. */
function factorMiddle(ws: Workspace): boolean {
  const { count: k, m, SY, SS, J, theta } = ws;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = theta * SS[i * m + j]!;
      for (let l = 0; l < j; l++) s += (SY[i * m + l]! * SY[j * m + l]!) / SY[l * m + l]!;
      J[i * m + j] = s;
    }
  }
  for (let j = 0; j < k; j++) {
    let dj = J[j * m + j]!;
    for (let l = 0; l < j; l++) dj -= J[j * m + l]! * J[j * m + l]!;
    if (!(dj > 0)) return false;
    const ljj = Math.sqrt(dj);
    J[j * m + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = J[i * m + j]!;
      for (let l = 0; l < j; l++) s -= J[i * m + l]! * J[j * m + l]!;
      J[i * m + j] = s / ljj;
    }
  }
  return true;
}

function resetMemory(ws: Workspace): void {
  ws.count = 0;
  ws.head = 0;
  ws.theta = 1;
}

/** Adds the pair (sNew, yNew) with sᵀy = sy and yᵀy = yy; drops the oldest when full. */
function pushPair(ws: Workspace, sy: number, yy: number): void {
  const { m, n, SY, SS } = ws;
  let slot: number;
  if (ws.count < m) {
    slot = (ws.head + ws.count) % m;
    ws.count++;
  } else {
    slot = ws.head;
    ws.head = (ws.head + 1) % m;
    for (let i = 0; i < m - 1; i++) {
      for (let j = 0; j < m - 1; j++) {
        SY[i * m + j] = SY[(i + 1) * m + j + 1]!;
        SS[i * m + j] = SS[(i + 1) * m + j + 1]!;
      }
    }
  }
  ws.S.set(ws.sNew, slot * n);
  ws.Y.set(ws.yNew, slot * n);
  const k = ws.count - 1;
  for (let j = 0; j <= k; j++) {
    const sj = ((ws.head + j) % m) * n;
    let ss = 0;
    let sjy = 0;
    let syj = 0;
    for (let i = 0; i < n; i++) {
      ss += ws.sNew[i]! * ws.S[sj + i]!;
      sjy += ws.S[sj + i]! * ws.yNew[i]!;
      syj += ws.sNew[i]! * ws.Y[sj + i]!;
    }
    SS[k * m + j] = ss;
    SS[j * m + k] = ss;
    SY[k * m + j] = syj;
    SY[j * m + k] = sjy;
  }
  SY[k * m + k] = sy;
  ws.theta = yy / sy;
}

function heapPush(ws: Workspace, size: number, i: number): number {
  const { heap, t } = ws;
  let pos = size;
  heap[pos] = i;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (t[heap[parent]!]! <= t[heap[pos]!]!) break;
    const tmp = heap[parent]!;
    heap[parent] = heap[pos]!;
    heap[pos] = tmp;
    pos = parent;
  }
  return size + 1;
}

/** Removes the root of the heap of `size` entries (the caller reads it first as heap[0]). */
function heapPop(ws: Workspace, size: number): void {
  const { heap, t } = ws;
  const last = size - 1;
  heap[0] = heap[last]!;
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    const r = l + 1;
    let smallest = pos;
    if (l < last && t[heap[l]!]! < t[heap[smallest]!]!) smallest = l;
    if (r < last && t[heap[r]!]! < t[heap[smallest]!]!) smallest = r;
    if (smallest === pos) break;
    const tmp = heap[smallest]!;
    heap[smallest] = heap[pos]!;
    heap[pos] = tmp;
    pos = smallest;
  }
}

/**
 * The generalized Cauchy point: fills ws.xcp and ws.c = Wᵀ(xcp − x). Uses ws.d, ws.t, ws.heap,
 * ws.p, ws.w, ws.v1, ws.v2 as scratch.
 */
function cauchyPoint(ws: Workspace): void {
  const { n, x, g, lower, upper, t, d, xcp, p, c, w, v1, theta } = ws;
  const k2 = 2 * ws.count;
  p.fill(0, 0, k2);
  c.fill(0, 0, k2);
  let f1 = 0;
  let heapSize = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const xi = x[i]!;
    let ti = Number.POSITIVE_INFINITY;
    if (gi < 0) {
      if (upper[i]! < Number.POSITIVE_INFINITY) ti = (xi - upper[i]!) / gi;
    } else if (gi > 0) {
      if (lower[i]! > Number.NEGATIVE_INFINITY) ti = (xi - lower[i]!) / gi;
    }
    t[i] = ti;
    xcp[i] = xi;
    if (ti <= 0 || gi === 0) {
      d[i] = 0;
      continue;
    }
    d[i] = -gi;
    f1 -= gi * gi;
    if (k2 > 0) {
      wRow(ws, i, w);
      for (let j = 0; j < k2; j++) p[j] = p[j]! - w[j]! * gi;
    }
    if (ti < Number.POSITIVE_INFINITY) heapSize = heapPush(ws, heapSize, i);
  }
  if (f1 >= 0) return; // d = 0: x is stationary along the projected path
  let f2 = -theta * f1;
  if (k2 > 0) {
    multiplyM(ws, p, v1);
    f2 -= dot2k(p, v1, k2);
  }
  const f2Initial = f2;
  let dtMin = -f1 / f2;
  let tOld = 0;
  while (heapSize > 0) {
    const b = ws.heap[0]!;
    const tb = t[b]!;
    const dt = tb - tOld;
    if (dtMin < dt) break;
    heapPop(ws, heapSize);
    heapSize--;
    // Move to breakpoint b: variable b reaches its bound and leaves the path.
    const gb = g[b]!;
    const zb = (d[b]! > 0 ? upper[b]! : lower[b]!) - x[b]!;
    xcp[b] = d[b]! > 0 ? upper[b]! : lower[b]!;
    d[b] = 0;
    for (let j = 0; j < k2; j++) c[j] = c[j]! + dt * p[j]!;
    let wMc = 0;
    let wMp = 0;
    let wMw = 0;
    if (k2 > 0) {
      wRow(ws, b, w);
      multiplyM(ws, w, v1);
      wMc = dot2k(v1, c, k2);
      wMp = dot2k(v1, p, k2);
      wMw = dot2k(v1, w, k2);
    }
    f1 = f1 + dt * f2 + gb * gb + theta * gb * zb - gb * wMc;
    f2 = f2 - theta * gb * gb - 2 * gb * wMp - gb * gb * wMw;
    for (let j = 0; j < k2; j++) p[j] = p[j]! + gb * w[j]!;
    f2 = Math.max(EPS * f2Initial, f2);
    dtMin = -f1 / f2;
    tOld = tb;
  }
  dtMin = Math.max(dtMin, 0);
  tOld += dtMin;
  for (let i = 0; i < n; i++) {
    const di = d[i]!;
    if (di !== 0) xcp[i] = x[i]! + tOld * di;
  }
  for (let j = 0; j < k2; j++) c[j] = c[j]! + dtMin * p[j]!;
}

/** Solves N·q = rhs (size s, row-major N overwritten) by LU with partial pivoting; false if singular. */
function solveSmall(N: Float64Array, s: number, rhs: Float64Array, pivots: Int32Array): boolean {
  for (let col = 0; col < s; col++) {
    let best = col;
    let bestAbs = Math.abs(N[col * s + col]!);
    for (let r = col + 1; r < s; r++) {
      const a = Math.abs(N[r * s + col]!);
      if (a > bestAbs) {
        best = r;
        bestAbs = a;
      }
    }
    if (!(bestAbs > 0)) return false;
    pivots[col] = best;
    if (best !== col) {
      for (let j = 0; j < s; j++) {
        const tmp = N[col * s + j]!;
        N[col * s + j] = N[best * s + j]!;
        N[best * s + j] = tmp;
      }
      const tmp = rhs[col]!;
      rhs[col] = rhs[best]!;
      rhs[best] = tmp;
    }
    const pivot = N[col * s + col]!;
    for (let r = col + 1; r < s; r++) {
      const factor = N[r * s + col]! / pivot;
      if (factor === 0) continue;
      for (let j = col; j < s; j++) N[r * s + j] = N[r * s + j]! - factor * N[col * s + j]!;
      rhs[r] = rhs[r]! - factor * rhs[col]!;
    }
  }
  for (let r = s - 1; r >= 0; r--) {
    let sum = rhs[r]!;
    for (let j = r + 1; j < s; j++) sum -= N[r * s + j]! * rhs[j]!;
    rhs[r] = sum / N[r * s + r]!;
  }
  for (let i = 0; i < s; i++) if (!Number.isFinite(rhs[i]!)) return false;
  return true;
}

/**
 * Subspace minimisation from the Cauchy point: writes the search direction d = x̄ − x into ws.d.
 * Returns the directional derivative gᵀd.
 */
function subspaceStep(ws: Workspace): number {
  const { n, x, g, lower, upper, xcp, c, free, rhat, w, v1, v2, v3, A, N, theta, d } = ws;
  const k2 = 2 * ws.count;
  let nFree = 0;
  for (let i = 0; i < n; i++) {
    if (xcp[i]! > lower[i]! && xcp[i]! < upper[i]!) free[nFree++] = i;
  }
  // x̄ starts as the Cauchy point; d holds x̄ − x.
  for (let i = 0; i < n; i++) d[i] = xcp[i]! - x[i]!;
  if (nFree === 0) return directional(ws);

  // r̂ = Zᵀ(g + θ(xcp − x) − W·M·c).
  if (k2 > 0) multiplyM(ws, c, v1);
  for (let f = 0; f < nFree; f++) {
    const i = free[f]!;
    let r = g[i]! + theta * (xcp[i]! - x[i]!);
    if (k2 > 0) {
      wRow(ws, i, w);
      r -= dot2k(w, v1, k2);
    }
    rhat[f] = r;
  }

  let ok = true;
  if (k2 > 0) {
    // v2 = M·Wᵀ·Z·r̂; A = Wᵀ·Z·Zᵀ·W; N = I − (1/θ)·M·A; solve N·q = v2 (q into v2).
    v3.fill(0, 0, k2);
    A.fill(0, 0, k2 * k2);
    for (let f = 0; f < nFree; f++) {
      wRow(ws, free[f]!, w);
      const r = rhat[f]!;
      for (let a = 0; a < k2; a++) {
        const wa = w[a]!;
        v3[a] = v3[a]! + wa * r;
        for (let b = 0; b < k2; b++) A[a * k2 + b] = A[a * k2 + b]! + wa * w[b]!;
      }
    }
    multiplyM(ws, v3, v2);
    for (let b = 0; b < k2; b++) {
      for (let a = 0; a < k2; a++) v3[a] = A[a * k2 + b]!;
      multiplyM(ws, v3, v1);
      for (let a = 0; a < k2; a++) N[a * k2 + b] = (a === b ? 1 : 0) - v1[a]! / theta;
    }
    ok = solveSmall(N, k2, v2, ws.pivots);
  }
  if (!ok) return directional(ws); // fall back to the Cauchy point

  // d̂ = −r̂/θ − Zᵀ·W·q/θ²; the unconstrained subspace minimiser is x̂ = xcp + Z·d̂.
  for (let f = 0; f < nFree; f++) {
    const i = free[f]!;
    let step = -rhat[f]! / theta;
    if (k2 > 0) {
      wRow(ws, i, w);
      step -= dot2k(w, v2, k2) / (theta * theta);
    }
    rhat[f] = step; // reuse: rhat now holds d̂
  }
  // Projected variant: clip x̂ into the box and keep it if it is a descent direction from x.
  let gd = 0;
  for (let i = 0; i < n; i++) gd += g[i]! * (xcp[i]! - x[i]!);
  for (let f = 0; f < nFree; f++) {
    const i = free[f]!;
    const clipped = Math.min(Math.max(xcp[i]! + rhat[f]!, lower[i]!), upper[i]!);
    gd += g[i]! * (clipped - xcp[i]!);
  }
  if (gd < 0) {
    for (let f = 0; f < nFree; f++) {
      const i = free[f]!;
      d[i] = Math.min(Math.max(xcp[i]! + rhat[f]!, lower[i]!), upper[i]!) - x[i]!;
    }
    return gd;
  }
  // Otherwise truncate the subspace step at the first bound it meets.
  let alpha = 1;
  for (let f = 0; f < nFree; f++) {
    const i = free[f]!;
    const di = rhat[f]!;
    if (di > 0 && upper[i]! < Number.POSITIVE_INFINITY) alpha = Math.min(alpha, (upper[i]! - xcp[i]!) / di);
    else if (di < 0 && lower[i]! > Number.NEGATIVE_INFINITY)
      alpha = Math.min(alpha, (lower[i]! - xcp[i]!) / di);
  }
  alpha = Math.max(alpha, 0);
  for (let f = 0; f < nFree; f++) {
    const i = free[f]!;
    d[i] = xcp[i]! + alpha * rhat[f]! - x[i]!;
  }
  return directional(ws);
}

function directional(ws: Workspace): number {
  let s = 0;
  for (let i = 0; i < ws.n; i++) s += ws.g[i]! * ws.d[i]!;
  return s;
}

function projectedGradientNorm(ws: Workspace, x: Float64Array, g: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < ws.n; i++) {
    const pg = Math.min(Math.max(x[i]! - g[i]!, ws.lower[i]!), ws.upper[i]!) - x[i]!;
    const a = Math.abs(pg);
    if (a > norm || Number.isNaN(a)) norm = a;
  }
  return norm;
}

/** Cubic-interpolation minimiser between (a, fa, ga) and (b, fb, gb), or NaN when undefined. */
function cubicMinimizer(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}

/**
 * Strong-Wolfe line search along ws.d from (ws.x, ws.f, ws.g) with initial step `step0` and the
 * largest feasible step `stepMax`. On success ws.x, ws.g, ws.f hold the new point and it returns
 * true; on failure they are unchanged.
 */
function lineSearch(
  ws: Workspace,
  fun: LbfgsbObjective,
  gd0: number,
  step0: number,
  stepMax: number,
  maxLs: number,
  maxFun: number,
): boolean {
  const { n, d, lower, upper } = ws;
  const f0 = ws.f;
  let lo = 0;
  let fLo = f0;
  let gLo = gd0;
  let hi = Number.NaN;
  let fHi = Number.NaN;
  let gHi = Number.NaN;
  let step = step0;
  for (let ls = 0; ls < maxLs && ws.evaluations < maxFun; ls++) {
    const xt = ws.xTrial;
    const gt = ws.gTrial;
    for (let i = 0; i < n; i++) xt[i] = Math.min(Math.max(ws.x[i]! + step * d[i]!, lower[i]!), upper[i]!);
    const ft = fun(xt, gt);
    ws.evaluations++;
    let gdt = 0;
    for (let i = 0; i < n; i++) gdt += gt[i]! * d[i]!;
    const finite = Number.isFinite(ft) && Number.isFinite(gdt);
    if (!finite || ft > f0 + C1 * step * gd0 || (ft >= fLo && lo > 0)) {
      hi = step;
      fHi = finite ? ft : Number.NaN;
      gHi = finite ? gdt : Number.NaN;
    } else {
      if (Math.abs(gdt) <= -C2 * gd0) {
        acceptTrial(ws, ft);
        return true;
      }
      if (!Number.isNaN(hi) ? gdt * (hi - lo) >= 0 : gdt >= 0) {
        hi = lo;
        fHi = fLo;
        gHi = gLo;
      }
      lo = step;
      fLo = ft;
      gLo = gdt;
      ws.xLo.set(xt);
      ws.gLo.set(gt);
    }
    // Next trial step.
    if (Number.isNaN(hi)) {
      if (step >= stepMax) break; // sufficient decrease at the largest feasible step
      step = Math.min(stepMax, 4 * step);
      continue;
    }
    const width = Math.abs(hi - lo);
    if (width <= EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
    let next = Number.isNaN(fHi) ? Number.NaN : cubicMinimizer(lo, fLo, gLo, hi, fHi, gHi);
    const left = Math.min(lo, hi) + 0.1 * width;
    const right = Math.max(lo, hi) - 0.1 * width;
    if (!(next >= left && next <= right)) next = Number.isNaN(fHi) ? lo + 0.25 * (hi - lo) : 0.5 * (lo + hi);
    step = next;
  }
  if (lo > 0) {
    // The best point met satisfies sufficient decrease; take it.
    ws.x.set(ws.xLo);
    ws.g.set(ws.gLo);
    ws.f = fLo;
    return true;
  }
  return false;
}

function acceptTrial(ws: Workspace, ft: number): void {
  const x = ws.x;
  const g = ws.g;
  ws.x = ws.xTrial;
  ws.g = ws.gTrial;
  ws.xTrial = x;
  ws.gTrial = g;
  ws.f = ft;
}

function toBounds(name: string, v: ArrayLike<number> | undefined, n: number, fill: number): Float64Array {
  const out = new Float64Array(n);
  if (v === undefined) {
    out.fill(fill);
    return out;
  }
  if (v.length !== n)
    throw new InvalidArgumentError(`lbfgsb: ${name} has length ${v.length}, expected ${n}.`);
  for (let i = 0; i < n; i++) {
    const b = v[i]!;
    if (Number.isNaN(b)) throw new InvalidArgumentError(`lbfgsb: ${name}[${i}] is NaN.`);
    out[i] = b;
  }
  return out;
}

function positiveInteger(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new InvalidArgumentError(`lbfgsb: ${name} must be a positive integer, got ${v}.`);
  return v;
}

/**
 * Minimises `fun` over the box lower ≤ x ≤ upper with L-BFGS-B, starting from `x0` (projected
 * into the box). See the module notes for the algorithm.
 *
 * @example
 * ```ts
 * const res = lbfgsb((x, g) => {
 *   g[0] = 2 * (x[0]! - 3);
 *   return (x[0]! - 3) ** 2;
 * }, [0], { upper: [1] });
 * // res.x[0] === 1, res.converged === true
 * ```
 * @throws {@link InvalidArgumentError} for mismatched lengths, NaN in x0 or the bounds,
 * lower > upper, or bad options.
 */
export function lbfgsb(
  fun: LbfgsbObjective,
  x0: ArrayLike<number>,
  options: LbfgsbOptions = {},
): LbfgsbResult {
  const n = x0.length;
  const lower = toBounds('lower', options.lower, n, Number.NEGATIVE_INFINITY);
  const upper = toBounds('upper', options.upper, n, Number.POSITIVE_INFINITY);
  const m = positiveInteger('m', options.m, 10);
  const maxIter = options.maxIter === 0 ? 0 : positiveInteger('maxIter', options.maxIter, 15000);
  const maxFun = positiveInteger('maxFun', options.maxFun, 15000);
  const maxLs = positiveInteger('maxLineSearch', options.maxLineSearch, 20);
  const pgtol = options.pgtol ?? 1e-5;
  if (options.ftol !== undefined && options.factr !== undefined) {
    throw new InvalidArgumentError('lbfgsb: give either ftol or factr, not both.');
  }
  const ftol = options.ftol ?? (options.factr !== undefined ? options.factr * EPS : 1e7 * EPS);
  if (!(pgtol >= 0) || !(ftol >= 0)) throw new InvalidArgumentError('lbfgsb: pgtol and ftol must be ≥ 0.');
  for (let i = 0; i < n; i++) {
    if (!(lower[i]! <= upper[i]!)) {
      throw new InvalidArgumentError(`lbfgsb: lower[${i}] = ${lower[i]} exceeds upper[${i}] = ${upper[i]}.`);
    }
    if (Number.isNaN(x0[i]!)) throw new InvalidArgumentError(`lbfgsb: x0[${i}] is NaN.`);
  }

  const ws = new Workspace(n, m, lower, upper);
  for (let i = 0; i < n; i++) ws.x[i] = Math.min(Math.max(x0[i]!, lower[i]!), upper[i]!);
  ws.f = fun(ws.x, ws.g);
  ws.evaluations = 1;

  let iterations = 0;
  let status: LbfgsbStatus;
  let gFinite = true;
  for (let i = 0; i < n; i++) if (!Number.isFinite(ws.g[i]!)) gFinite = false;
  if (!Number.isFinite(ws.f) || !gFinite) {
    status = 'nonFiniteStart';
  } else if (projectedGradientNorm(ws, ws.x, ws.g) <= pgtol) {
    status = 'pgtol';
  } else {
    status = 'maxIter';
    let retried = false;
    while (iterations < maxIter) {
      if (ws.evaluations >= maxFun) {
        status = 'maxFun';
        break;
      }
      cauchyPoint(ws);
      const gd = subspaceStep(ws);
      if (!(gd < 0)) {
        // Not a descent direction: the memory is misleading. Retry with steepest descent.
        if (ws.count > 0) {
          resetMemory(ws);
          continue;
        }
        // Without memory the direction is the projected steepest descent; gd ≥ 0 means stationary.
        status = projectedGradientNorm(ws, ws.x, ws.g) <= pgtol ? 'pgtol' : 'lineSearchFailed';
        break;
      }
      // The largest feasible step along d, and the first trial step.
      let stepMax = MAX_STEP;
      let dNorm = 0;
      for (let i = 0; i < n; i++) {
        const di = ws.d[i]!;
        dNorm += di * di;
        if (di > 0 && upper[i]! < Number.POSITIVE_INFINITY) {
          stepMax = Math.min(stepMax, (upper[i]! - ws.x[i]!) / di);
        } else if (di < 0 && lower[i]! > Number.NEGATIVE_INFINITY) {
          stepMax = Math.min(stepMax, (lower[i]! - ws.x[i]!) / di);
        }
      }
      dNorm = Math.sqrt(dNorm);
      stepMax = Math.max(stepMax, 1);
      if (ws.constrained && ws.count === 0 && iterations === 0) stepMax = 1;
      const step0 = ws.count === 0 && !ws.boxed ? Math.min(1 / dNorm, stepMax) : Math.min(1, stepMax);

      ws.xOld.set(ws.x);
      ws.gOld.set(ws.g);
      const fOld = ws.f;
      if (!lineSearch(ws, fun, gd, step0, stepMax, maxLs, maxFun)) {
        if (ws.count > 0 && !retried) {
          resetMemory(ws);
          retried = true;
          continue;
        }
        status = ws.evaluations >= maxFun ? 'maxFun' : 'lineSearchFailed';
        break;
      }
      retried = false;
      iterations++;

      // Memory update with s = x₊ − x, y = g₊ − g, when the curvature is safely positive.
      let sy = 0;
      let yy = 0;
      let gs = 0;
      for (let i = 0; i < n; i++) {
        const s = ws.x[i]! - ws.xOld[i]!;
        const y = ws.g[i]! - ws.gOld[i]!;
        ws.sNew[i] = s;
        ws.yNew[i] = y;
        sy += s * y;
        yy += y * y;
        gs += ws.gOld[i]! * s;
      }
      if (sy > EPS * -gs && sy > 0 && yy > 0) {
        pushPair(ws, sy, yy);
        if (!factorMiddle(ws)) resetMemory(ws);
      }

      if (projectedGradientNorm(ws, ws.x, ws.g) <= pgtol) {
        status = 'pgtol';
        break;
      }
      if (fOld - ws.f <= ftol * Math.max(Math.abs(fOld), Math.abs(ws.f), 1)) {
        status = 'ftol';
        break;
      }
      if (ws.evaluations >= maxFun) {
        status = 'maxFun';
        break;
      }
    }
  }
  return {
    x: Float64Array.from(ws.x),
    f: ws.f,
    grad: Float64Array.from(ws.g),
    iterations,
    evaluations: ws.evaluations,
    converged: status === 'pgtol' || status === 'ftol',
    status,
    message: MESSAGES[status],
    projectedGradientNorm: projectedGradientNorm(ws, ws.x, ws.g),
  };
}
