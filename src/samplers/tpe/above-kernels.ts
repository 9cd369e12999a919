/**
 * The "above" side of TPE, kept across suggestions. Between two suggestions its observations
 * change by a few trials only (the newly finished ones, the few that enter or leave the good
 * fraction, the running ones of the constant liar), so each kernel's width and normalising
 * constants are kept per trial and recomputed only where a neighbour changed. The result is the
 * log-density {@link ParzenEstimator} would give for the same observations, bit for bit (tested):
 * every quantity is formed by the same expressions in the same order.
 *
 * Notation (as in parzen-estimator.ts): d dimensions, j indexes them; kernels are the "above"
 * trials in number order, then the prior. Per trial number `num` (a slot), kernel-major:
 * sig[num·d + j] (clipped width), nh (−1/(2σ²)), lm (log mass of [lo, hi]); 1/σ is formed where used.
 * "Members" are the finished trials with every parameter (the rows of {@link ObsRows}); the kept
 * set is the members less those `removed` (the "below" ones, which change rarely), with its
 * widths and constants updated where a neighbour changed; a suggestion's set adds `running`
 * (the constant liar), whose kernels and their neighbours get patched constants, undone afterwards.
 *
 * Used only when the magic clip no longer depends on the count (≥ 98 observations) or is off.
 * @module
 */
import { logGaussMass } from '../../math/special/index.js';
import { LOG_SQRT_2PI, logMassFast, type ParzenDim, type ParzenOptions } from './parzen-estimator.js';
import type { ObsRows } from './study-cache.js';

/** Fewest observations for which the kernels' widths no longer depend on their count. */
export const ABOVE_MIN_OBS = 98;

export class AboveKernels {
  readonly d: number;
  private readonly kind: Int8Array;
  /** Per numeric dimension: member numbers sorted by (value, number). */
  private readonly sorted: number[][];
  private sig = new Float64Array(0);
  private nh = new Float64Array(0);
  private lm = new Float64Array(0);
  private consumed = 0;
  /** Members left out of the kept set (the "removed" ones of the last call). */
  private readonly excluded = new Set<number>();
  private readonly minSigma: Float64Array;
  private readonly maxSigma: Float64Array;
  /** Scratch per trial number: the kernel index in the current evaluation. */
  private kpos = new Int32Array(0);
  /** Scratch per trial number: 2 for running trials (reset after use). */
  private mark = new Uint8Array(0);

  constructor(
    private readonly dims: readonly ParzenDim[],
    private readonly options: ParzenOptions,
    private readonly rows: ObsRows,
  ) {
    const d = dims.length;
    this.d = d;
    this.kind = Int8Array.from(dims, (dim) => (dim.kind === 'categorical' ? 2 : dim.step > 0 ? 1 : 0));
    this.sorted = dims.map(() => []);
    this.minSigma = Float64Array.from(dims, (dim) =>
      dim.kind === 'categorical' ? 0 : options.considerMagicClip ? (dim.hi - dim.lo) / 100 : 1e-12,
    );
    this.maxSigma = Float64Array.from(dims, (dim) => (dim.kind === 'categorical' ? 0 : dim.hi - dim.lo));
  }

  private value(num: number, j: number): number {
    return this.rows.rows[num * this.d + j]!;
  }

  private grow(num: number): void {
    const need = (num + 1) * this.d;
    if (need <= this.sig.length) return;
    const size = this.d * Math.max(num + 1, Math.ceil((1.5 * this.sig.length) / this.d), 64);
    for (const key of ['sig', 'nh', 'lm'] as const) {
      const grown = new Float64Array(size);
      grown.set(this[key]);
      this[key] = grown;
    }
    const mark = new Uint8Array(size / this.d);
    mark.set(this.mark);
    this.mark = mark;
  }

  /** Whether element (num, running) comes before (num2, running2) in dimension j's order. */
  private before(j: number, v: number, running: boolean, num: number, num2: number): boolean {
    const v2 = this.value(num2, j);
    const running2 = this.mark[num2] === 2;
    return v2 < v || (v2 === v && (running2 === running ? num2 < num : !running2));
  }

  /** Index of the first sorted member of dimension j not before (v, running, num). */
  private lowerBound(j: number, v: number, running: boolean, num: number): number {
    const s = this.sorted[j]!;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = s[mid]!;
      const mv = this.value(m, j);
      // Members are finished: running elements go after equal values.
      if (mv < v || (mv === v && (running || m < num))) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Brings the kept set to the members less `removed`: takes in the members added to the rows
   * since the last call and the changes of the removed set, updating the widths and constants of
   * the kernels whose neighbours changed.
   */
  private catchUp(removed: readonly number[]): void {
    const want = new Set(removed);
    const inserts: number[] = [];
    const deletes: number[] = [];
    const taken = this.rows.taken;
    for (; this.consumed < taken.length; this.consumed++) {
      const num = taken[this.consumed]!;
      this.grow(num);
      if (want.has(num)) this.excluded.add(num);
      else inserts.push(num);
    }
    for (const num of this.excluded) {
      if (!want.has(num)) {
        this.excluded.delete(num);
        inserts.push(num);
      }
    }
    for (const num of want) {
      if (!this.excluded.has(num)) {
        this.excluded.add(num);
        deletes.push(num);
      }
    }
    if (inserts.length === 0 && deletes.length === 0) return;
    for (let j = 0; j < this.d; j++) {
      if (this.kind[j] === 2) continue;
      const s = this.sorted[j]!;
      const touched = new Set<number>();
      for (const num of deletes) {
        const at = this.lowerBound(j, this.value(num, j), false, num);
        if (s[at] !== num) throw new Error(`AboveKernels: trial ${num} is not kept`);
        s.splice(at, 1);
        if (at > 0) touched.add(s[at - 1]!);
        if (at < s.length) touched.add(s[at]!);
      }
      if (inserts.length >= 64) {
        // Many at once (the first call on a large study): sort, then every width anew.
        for (const num of inserts) s.push(num);
        const value = s.map((num) => this.value(num, j));
        const idx = Array.from(s.keys()).sort((a, b) =>
          value[a]! < value[b]! ? -1 : value[a]! > value[b]! ? 1 : s[a]! - s[b]!,
        );
        const sortedNums = idx.map((i) => s[i]!);
        s.length = 0;
        for (let p = 0; p < sortedNums.length; p++) s.push(sortedNums[p]!);
        for (let p = 0; p < s.length; p++) {
          const num = s[p]!;
          const pred = p > 0 ? s[p - 1]! : -1;
          const succ = p + 1 < s.length ? s[p + 1]! : -1;
          this.setConstants(num, j, this.rawSigma(j, this.value(num, j), pred, succ, s.length));
        }
        continue;
      }
      for (const num of inserts) {
        const at = this.lowerBound(j, this.value(num, j), false, num);
        if (at === s.length) s.push(num);
        else s.splice(at, 0, num);
        for (let p = Math.max(0, at - 1); p <= Math.min(s.length - 1, at + 1); p++) touched.add(s[p]!);
      }
      for (const num of touched) {
        const v = this.value(num, j);
        const at = this.lowerBound(j, v, false, num);
        if (s[at] !== num) continue;
        const pred = at > 0 ? s[at - 1]! : -1;
        const succ = at + 1 < s.length ? s[at + 1]! : -1;
        this.setConstants(num, j, this.rawSigma(j, v, pred, succ, s.length));
      }
    }
  }

  /** The width rule of ParzenEstimator (orderedSigmas) for an element with neighbours pred/succ. */
  private rawSigma(j: number, v: number, pred: number, succ: number, m: number): number {
    const dim = this.dims[j] as { lo: number; hi: number };
    const endpoints = this.options.considerEndpoints;
    if (!endpoints && m >= 2 && pred < 0) return this.value(succ, j) - v;
    if (!endpoints && m >= 2 && succ < 0) return v - this.value(pred, j);
    const left = v - (pred < 0 ? dim.lo : this.value(pred, j));
    const right = (succ < 0 ? dim.hi : this.value(succ, j)) - v;
    return Math.max(left, right);
  }

  /** Clips the width and derives the constants of kernel `num` in dimension j (fitNumeric). */
  private setConstants(num: number, j: number, raw: number): void {
    const dim = this.dims[j] as { lo: number; hi: number };
    const i = num * this.d + j;
    const s = Math.min(this.maxSigma[j]!, Math.max(this.minSigma[j]!, raw));
    const m = this.value(num, j);
    this.sig[i] = s;
    this.nh[i] = -0.5 / (s * s);
    this.lm[i] = logMassFast((dim.lo - m) / s, (dim.hi - m) / s);
  }

  /**
   * log-density at `count` points ((count × d) row-major) of the estimator over `above` (trial
   * numbers, ascending) with `weights`, where `above` is the members less `removed` plus
   * `running` (whose rows must be in the rows' slots). Returns null when this path does not apply
   * (too few observations); the caller then builds a {@link ParzenEstimator}.
   */
  logPdf(
    above: readonly number[],
    removed: readonly number[],
    running: readonly number[],
    weights: ArrayLike<number>,
    points: Float64Array,
    count: number,
    out: Float64Array,
  ): Float64Array | null {
    const nObs = above.length;
    if (nObs < ABOVE_MIN_OBS && this.options.considerMagicClip) return null;
    this.catchUp(removed);
    const d = this.d;
    for (const num of running) this.grow(num);
    const mark = this.mark;
    for (const num of running) mark[num] = 2;
    // Patch the kernels next to a removed or running element (and the running ones).
    const saved: number[] = [];
    const savedVals: number[] = [];
    for (let j = 0; j < d; j++) {
      if (this.kind[j] === 2) continue;
      const patch = new Set<number>(running);
      for (const e of running) this.neighbours(j, e, running, patch);
      for (const num of patch) {
        const i = num * d + j;
        saved.push(i);
        savedVals.push(this.sig[i]!, this.nh[i]!, this.lm[i]!);
      }
      for (const num of patch) {
        const v = this.value(num, j);
        const isRunning = mark[num] === 2;
        const pred = this.step(j, v, isRunning, num, running, -1);
        const succ = this.step(j, v, isRunning, num, running, 1);
        this.setConstants(num, j, this.rawSigma(j, v, pred, succ, nObs));
      }
    }
    try {
      return this.evaluate(above, weights, points, count, out);
    } finally {
      for (let s = saved.length - 1; s >= 0; s--) {
        const i = saved[s]!;
        this.sig[i] = savedVals[3 * s]!;
        this.nh[i] = savedVals[3 * s + 1]!;
        this.lm[i] = savedVals[3 * s + 2]!;
      }
      for (const num of running) mark[num] = 0;
    }
  }

  /** Adds to `into` the current neighbours (in dimension j) of element `e`, which is removed or running. */
  private neighbours(j: number, e: number, running: readonly number[], into: Set<number>): void {
    const v = this.value(e, j);
    const isRunning = this.mark[e] === 2;
    const pred = this.step(j, v, isRunning, e, running, -1);
    const succ = this.step(j, v, isRunning, e, running, 1);
    if (pred >= 0) into.add(pred);
    if (succ >= 0) into.add(succ);
  }

  /**
   * The nearest element of the current set before (dir −1) or after (dir 1) the position
   * (v, running, num) in dimension j, other than `num`; −1 when none.
   */
  private step(
    j: number,
    v: number,
    isRunning: boolean,
    num: number,
    running: readonly number[],
    dir: number,
  ): number {
    const s = this.sorted[j]!;
    let best = -1;
    let at = this.lowerBound(j, v, isRunning, num);
    if (dir < 0) {
      if (at > 0) best = s[at - 1]!;
    } else {
      if (at < s.length && s[at] === num) at++;
      if (at < s.length) best = s[at]!;
    }
    for (const r of running) {
      if (r === num) continue;
      const rBefore = this.before(j, v, isRunning, num, r);
      if (dir < 0 ? !rBefore : rBefore) continue;
      if (best < 0) best = r;
      else {
        // The nearer of best and r: the later one when looking back, the earlier one forward.
        const bestBeforeR = this.before(j, this.value(r, j), true, r, best);
        if (dir < 0 ? bestBeforeR : !bestBeforeR) best = r;
      }
    }
    return best;
  }

  private evaluate(
    above: readonly number[],
    weights: ArrayLike<number>,
    points: Float64Array,
    count: number,
    out: Float64Array,
  ): Float64Array {
    const d = this.d;
    const nObs = above.length;
    const n = nObs + 1;
    const { priorWeight } = this.options;
    const kind = this.kind;
    // Weights and normalising constants, as the ParzenEstimator constructor forms them.
    let total = priorWeight;
    for (let k = 0; k < nObs; k++) total += weights[k]!;
    const logNorm = new Float64Array(n);
    const priorSig = new Float64Array(d);
    const priorMu = new Float64Array(d);
    const priorNh = new Float64Array(d);
    const priorInv = new Float64Array(d);
    const priorLm = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const dim = this.dims[j]!;
      if (dim.kind === 'categorical') continue;
      const m = 0.5 * (dim.lo + dim.hi);
      const s = dim.hi - dim.lo;
      priorMu[j] = m;
      priorSig[j] = s;
      priorInv[j] = 1 / s;
      priorNh[j] = -0.5 / (s * s);
      priorLm[j] = logMassFast((dim.lo - m) / s, (dim.hi - m) / s);
    }
    for (let k = 0; k < n; k++) {
      const prior = k === nObs;
      const base = prior ? 0 : above[k]! * d;
      const sig = prior ? priorSig : this.sig;
      const lm = prior ? priorLm : this.lm;
      let ln = Math.log((prior ? priorWeight : weights[k]!) / total);
      let p = 1;
      for (let j = 0; j < d; j++) {
        if (kind[j] !== 0) continue;
        ln -= LOG_SQRT_2PI + lm[base + j]!;
        p *= sig[base + j]!;
        if (p < 1e-200 || p > 1e200) {
          ln -= Math.log(p);
          p = 1;
        }
      }
      if (p !== 1) ln -= Math.log(p);
      logNorm[k] = ln;
    }
    // Categorical log-probabilities: every kernel spreads priorWeight / n over the choices.
    const hit = new Float64Array(d);
    const miss = new Float64Array(d);
    const uniform = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const dim = this.dims[j]!;
      if (dim.kind !== 'categorical') continue;
      const b = priorWeight / n;
      const norm = 1 + dim.nChoices * b;
      hit[j] = Math.log((b + 1) / norm);
      miss[j] = Math.log((b + 0) / norm);
      uniform[j] = -Math.log(dim.nChoices);
    }
    const prune = !kind.includes(1);
    const rows = this.rows.rows;
    const vals = new Float64Array(n);
    const x = new Float64Array(d);
    const halfStep = Float64Array.from(this.dims, (dim) => (dim.kind === 'numeric' ? 0.5 * dim.step : 0));
    // One kernel's log term at x, or −Infinity once it is ≤ floor (see ParzenEstimator.logPdfPruned).
    const term = (k: number, floor: number): number => {
      const prior = k === nObs;
      const base = prior ? 0 : above[k]! * d;
      const mu = prior ? priorMu : rows;
      const nh = prior ? priorNh : this.nh;
      let a = logNorm[k]!;
      if (prune && a <= floor) return Number.NEGATIVE_INFINITY;
      for (let j = 0; j < d; j++) {
        const kj = kind[j]!;
        if (kj === 0) {
          const u = x[j]! - mu[base + j]!;
          a += nh[base + j]! * u * u;
        } else if (kj === 1) {
          const w = prior ? priorInv[j]! : 1 / this.sig[base + j]!;
          const m = mu[base + j]!;
          const h = halfStep[j]!;
          a +=
            logGaussMass((x[j]! - h - m) * w, (x[j]! + h - m) * w) - (prior ? priorLm : this.lm)[base + j]!;
        } else {
          a += prior ? uniform[j]! : x[j] === rows[base + j] ? hit[j]! : miss[j]!;
        }
        if (prune && a <= floor) return Number.NEGATIVE_INFINITY;
      }
      return a;
    };
    if (prune && !kind.includes(2)) {
      return this.evaluateContinuous(above, logNorm, priorMu, priorNh, points, count, out);
    }
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) x[j] = points[i * d + j]!;
      let max = Number.NEGATIVE_INFINITY;
      let floor = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < n; r++) {
        // The prior first: a good lower bound of the maximum.
        const k = r === 0 ? nObs : r - 1;
        const v = term(k, floor);
        vals[k] = v;
        if (v > max) {
          max = v;
          if (prune) floor = max - 40;
        }
      }
      if (max === Number.NEGATIVE_INFINITY) {
        out[i] = max;
        continue;
      }
      floor = max - 40;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const v = vals[k]!;
        if (v > floor) sum += Math.exp(v - max);
      }
      out[i] = max + Math.log(sum);
    }
    return out;
  }

  /**
   * {@link evaluate} for continuous dimensions only: the same arithmetic, in a tight loop, visiting
   * only the kernels that can matter. A kernel's log term is at most LN + nh₀·u₀² (its first
   * term added to its log-normaliser, LN ≤ the largest LN; every later term is ≤ 0 and rounding is
   * monotone). For the kernels whose first width is the clipped minimum (nearly all of them in a
   * large study) nh₀ is one and the same number, so that bound falls as |u₀| grows: walking the
   * kept set in dimension 0's sorted order outward from the point, each direction stops at the
   * first such kernel whose bound is ≤ floor; every kernel beyond is one the dense sum skips. The
   * other kernels (wider first width, running ones) are all visited. The kernels kept are summed
   * in kernel order, as the dense path does.
   */
  private evaluateContinuous(
    above: readonly number[],
    logNorm: Float64Array,
    priorMu: Float64Array,
    priorNh: Float64Array,
    points: Float64Array,
    count: number,
    out: Float64Array,
  ): Float64Array {
    const d = this.d;
    const nObs = above.length;
    const n = nObs + 1;
    const mu = this.rows.rows;
    const nh = this.nh;
    const mark = this.mark;
    const s0 = this.sorted[0]!;
    const minSigma0 = this.minSigma[0]!;
    const nhClip = -0.5 / (minSigma0 * minSigma0);
    // Kernel index of each trial number, the largest log-normaliser, and the irregular kernels.
    if (this.kpos.length < mark.length) this.kpos = new Int32Array(mark.length);
    const kpos = this.kpos;
    let lnMax = Number.NEGATIVE_INFINITY;
    let irregular: number[] = [];
    let nRunning = 0;
    for (let k = 0; k < nObs; k++) {
      const num = above[k]!;
      kpos[num] = k;
      if (logNorm[k]! > lnMax) lnMax = logNorm[k]!;
      if (mark[num] === 2) nRunning++;
      if (mark[num] === 2 || nh[num * d] !== nhClip) irregular.push(k);
    }
    // The kept set is the observations less the running ones; should it not be, visit them all.
    const walk = s0.length + nRunning === nObs;
    if (!walk) irregular = Array.from(above.keys());
    const vals = new Float64Array(n);
    const kept = new Int32Array(n);
    const x = new Float64Array(d);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) x[j] = points[i * d + j]!;
      let nKept = 0;
      // The prior first: a good lower bound of the maximum.
      let a = logNorm[nObs]!;
      for (let j = 0; j < d; j++) {
        const u = x[j]! - priorMu[j]!;
        a += priorNh[j]! * u * u;
      }
      // (Not Math.max: a NaN term is skipped, as in the dense path.)
      let max = Number.NEGATIVE_INFINITY;
      if (a > max) max = a;
      let floor = max - 40;
      vals[nObs] = a;
      kept[nKept++] = nObs;
      const visit = (k: number, b: number): void => {
        let v = logNorm[k]!;
        if (v <= floor) return;
        for (let j = 0; j < d; j++) {
          const u = x[j]! - mu[b + j]!;
          v += nh[b + j]! * u * u;
          if (v <= floor) return;
        }
        vals[k] = v;
        kept[nKept++] = k;
        if (v > max) {
          max = v;
          floor = max - 40;
        }
      };
      for (const k of irregular) visit(k, above[k]! * d);
      const x0 = x[0]!;
      let lo = 0;
      let hi = walk ? s0.length : 0;
      const end = hi;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (mu[s0[mid]! * d]! < x0) lo = mid + 1;
        else hi = mid;
      }
      for (let q = lo - 1; q >= 0; q--) {
        const b = s0[q]! * d;
        if (nh[b] !== nhClip) continue;
        const u = x0 - mu[b]!;
        if (lnMax + nhClip * u * u <= floor) break;
        visit(kpos[s0[q]!]!, b);
      }
      for (let q = lo; q < end; q++) {
        const b = s0[q]! * d;
        if (nh[b] !== nhClip) continue;
        const u = x0 - mu[b]!;
        if (lnMax + nhClip * u * u <= floor) break;
        visit(kpos[s0[q]!]!, b);
      }
      if (max === Number.NEGATIVE_INFINITY) {
        out[i] = max;
        continue;
      }
      const order = kept.subarray(0, nKept).sort();
      let sum = 0;
      for (let r = 0; r < nKept; r++) {
        const v = vals[order[r]!]!;
        if (v > floor) sum += Math.exp(v - max);
      }
      out[i] = max + Math.log(sum);
    }
    return out;
  }
}
