/**
 * Halton sequences: coordinate j is the radical inverse of the point index in the j-th prime base,
 * optionally scrambled by random digit permutations (Owen's randomized Halton).
 *
 * Notation: d = dimension (1..{@link HALTON_MAX_DIM}), b_j = the j-th prime, i = point index
 * (0 ≤ i < 2^32) with base-b digits i = Σ_k δ_k b^k.
 * - Unscrambled: x_j = Σ_k δ_k b^-(k+1), summed from k = 0 in floating point (the same rounding as
 *   SciPy's `qmc.Halton(d, scramble=False)`).
 * - Scrambled: x_j = Σ_{k<D} π_{j,k}(δ_k) b^-(k+1), where D = D_j is the largest count with
 *   b^D ≤ 2^53 and every π_{j,k} is an independent uniform permutation of the digits 0..b−1. The sum
 *   is formed exactly as the integer N = Σ π_{j,k}(δ_k) b^(D−1−k) < b^D, then x_j = N / b^D < 1.
 *   Positions k with b^k ≥ 2^32 never see a nonzero digit, so only π_{j,k}(0) is drawn for them.
 * Per dimension j (flat arrays, offsets in `start`/`permStart`):
 * - `weight`: Float64Array (D_j), b^(D−1−k); `tail`: Float64Array (D_j + 1),
 *   Σ_{k' ≥ k} π_{j,k'}(0) b^(D−1−k'), the contribution of the all-zero digits from k on.
 * - `perm`: Uint16Array (K_j × b_j), row-major; `perm[permStart_j + k b + δ]` = π_{j,k}(δ) for the
 *   K_j positions with b^k < 2^32.
 * - `draw(n)`: Float64Array (n × d), row-major.
 *
 * @module
 */
import { Rng } from '../../core/rng.js';
import {
  checkCount,
  checkDim,
  checkNotExhausted,
  checkOut,
  checkSeed,
  QMC_MAX_POINTS,
  type QmcOptions,
} from './common.js';

/** Largest dimension a {@link HaltonEngine} supports (bases up to the 1000th prime, 7919). */
export const HALTON_MAX_DIM = 1000;

const TWO_53 = 9007199254740992;

/** The first `count` primes. */
function firstPrimes(count: number): Uint32Array {
  const primes = new Uint32Array(count);
  let found = 0;
  for (let n = 2; found < count; n++) {
    let prime = true;
    for (let k = 0; k < found; k++) {
      const p = primes[k]!;
      if (p * p > n) break;
      if (n % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes[found++] = n;
  }
  return primes;
}

/**
 * A Halton sequence generator in [0, 1)^dim, optionally scrambled with random digit permutations.
 * Up to {@link HALTON_MAX_DIM} dimensions and {@link QMC_MAX_POINTS} points. Scrambling is
 * recommended: unscrambled Halton points are strongly correlated across the larger bases.
 *
 * @example
 * ```ts
 * const engine = new HaltonEngine(4, { seed: 7 });
 * const first = engine.next();
 * const tenth = engine.pointAt(9);
 * ```
 */
export class HaltonEngine {
  /** Number of coordinates per point. */
  readonly dim: number;
  /** Whether the sequence is scrambled. */
  readonly scrambled: boolean;
  private readonly bases: Uint32Array;
  private readonly digits: Uint32Array;
  private readonly denominator: Float64Array;
  private readonly start: Uint32Array;
  private readonly weight: Float64Array;
  private readonly tail: Float64Array;
  private readonly permStart: Uint32Array;
  private readonly perm: Uint16Array;
  private position = 0;

  /**
   * @param dim number of coordinates, an integer from 1 to {@link HALTON_MAX_DIM}.
   * @param options `scramble` (default `true`) and `seed` of the permutations. A scrambled engine
   *   stores about b_j · log_b_j(2^32) permutation entries per dimension (≈ 0.1 MB for 100
   *   dimensions, ≈ 20 MB for 1000).
   * @throws InvalidArgumentError on a bad dimension or seed.
   */
  constructor(dim: number, options: QmcOptions = {}) {
    checkDim(dim, HALTON_MAX_DIM, 'HaltonEngine');
    checkSeed(options.seed, 'HaltonEngine');
    this.dim = dim;
    this.scrambled = options.scramble ?? true;
    this.bases = firstPrimes(dim);
    this.digits = new Uint32Array(dim);
    this.denominator = new Float64Array(dim);
    this.start = new Uint32Array(dim + 1);
    this.permStart = new Uint32Array(dim + 1);
    if (!this.scrambled) {
      this.weight = new Float64Array(0);
      this.tail = new Float64Array(0);
      this.perm = new Uint16Array(0);
      return;
    }
    // Digit counts D_j (b^D ≤ 2^53) and permuted positions K_j (b^k < 2^32).
    let weights = 0;
    let permEntries = 0;
    const permuted = new Uint32Array(dim);
    for (let j = 0; j < dim; j++) {
      const b = this.bases[j]!;
      let count = 0;
      let power = 1;
      let k = 0;
      while (power * b <= TWO_53) {
        if (power < QMC_MAX_POINTS) k++;
        power *= b;
        count++;
      }
      this.digits[j] = count;
      this.denominator[j] = power;
      permuted[j] = k;
      this.start[j] = weights;
      this.permStart[j] = permEntries;
      weights += count + 1;
      permEntries += k * b;
    }
    this.start[dim] = weights;
    this.permStart[dim] = permEntries;
    this.weight = new Float64Array(weights);
    this.tail = new Float64Array(weights);
    this.perm = new Uint16Array(permEntries);
    const rng = new Rng(options.seed);
    for (let j = 0; j < dim; j++) {
      const b = this.bases[j]!;
      const count = this.digits[j]!;
      const at = this.start[j]!;
      const permAt = this.permStart[j]!;
      let w = 1;
      for (let k = count - 1; k >= 0; k--) {
        this.weight[at + k] = w;
        w *= b;
      }
      const perm = this.perm;
      for (let k = 0; k < count; k++) {
        let zeroImage: number;
        if (k < permuted[j]!) {
          // A uniform permutation of 0..b−1 (Fisher–Yates).
          const row = permAt + k * b;
          for (let t = 0; t < b; t++) perm[row + t] = t;
          for (let t = b - 1; t > 0; t--) {
            const u = rng.int(0, t);
            const tmp = perm[row + t]!;
            perm[row + t] = perm[row + u]!;
            perm[row + u] = tmp;
          }
          zeroImage = perm[row]!;
        } else {
          zeroImage = rng.int(0, b - 1);
        }
        this.tail[at + k] = zeroImage * this.weight[at + k]!;
      }
      // Suffix sums: tail[k] = Σ_{k' ≥ k} π_{k'}(0) · weight[k'], tail[count] = 0 (exact integers).
      this.tail[at + count] = 0;
      for (let k = count - 1; k >= 0; k--) this.tail[at + k] = this.tail[at + k]! + this.tail[at + k + 1]!;
    }
  }

  /** Number of points produced or skipped so far: the index of the point {@link next} returns. */
  get index(): number {
    return this.position;
  }

  /**
   * The next point of the sequence.
   * @param out where to write it (length `dim`); a new array when omitted. Nothing is allocated
   *   when `out` is given.
   */
  next(out?: Float64Array): Float64Array {
    if (out !== undefined) checkOut(out, this.dim, 'HaltonEngine.next');
    checkNotExhausted(this.position, 'HaltonEngine');
    const result = out ?? new Float64Array(this.dim);
    this.fill(this.position, result, 0);
    this.position++;
    return result;
  }

  /**
   * Skips `n` points, as if {@link next} had been called `n` times.
   * @throws InvalidArgumentError when `n` is not a non-negative integer or runs past the end.
   */
  fastForward(n: number): void {
    checkCount(n, 'fastForward(n)', QMC_MAX_POINTS - this.position, 'HaltonEngine');
    this.position += n;
  }

  /**
   * The next `n` points.
   * @returns a Float64Array of n × dim values, row-major (point r at `[r * dim, (r + 1) * dim)`).
   */
  draw(n: number): Float64Array {
    checkCount(n, 'draw(n)', QMC_MAX_POINTS - this.position, 'HaltonEngine');
    const result = new Float64Array(n * this.dim);
    for (let r = 0; r < n; r++) this.fill(this.position + r, result, r * this.dim);
    this.position += n;
    return result;
  }

  /**
   * The point with the given index (0-based), computed directly from the index; the engine's
   * position is left unchanged. Equals the `index`-th output of {@link next} on a fresh engine.
   * @param out where to write it (length `dim`); a new array when omitted.
   */
  pointAt(index: number, out?: Float64Array): Float64Array {
    checkCount(index, 'pointAt(index)', QMC_MAX_POINTS - 1, 'HaltonEngine');
    if (out !== undefined) checkOut(out, this.dim, 'HaltonEngine.pointAt');
    const result = out ?? new Float64Array(this.dim);
    this.fill(index, result, 0);
    return result;
  }

  /** Writes point `index` into `target[offset .. offset + dim)`. */
  private fill(index: number, target: Float64Array, offset: number): void {
    const bases = this.bases;
    if (!this.scrambled) {
      for (let j = 0; j < this.dim; j++) {
        const b = bases[j]!;
        let factor = 1 / b;
        let x = 0;
        let q = index;
        while (q > 0) {
          const digit = q % b;
          x += digit * factor;
          factor /= b;
          q = (q - digit) / b;
        }
        target[offset + j] = x;
      }
      return;
    }
    const perm = this.perm;
    const weight = this.weight;
    for (let j = 0; j < this.dim; j++) {
      const b = bases[j]!;
      const at = this.start[j]!;
      const permAt = this.permStart[j]!;
      let n = 0;
      let k = 0;
      let q = index;
      while (q > 0) {
        const digit = q % b;
        n += perm[permAt + k * b + digit]! * weight[at + k]!;
        q = (q - digit) / b;
        k++;
      }
      target[offset + j] = (n + this.tail[at + k]!) / this.denominator[j]!;
    }
  }
}
