/**
 * Scrambled Sobol sequences (base-2 digital nets) with Joe–Kuo direction numbers.
 *
 * Notation: d = dimension (1..{@link SOBOL_MAX_DIM}), B = 32 binary digits per coordinate, i = point
 * index (0 ≤ i < 2^32), g(i) = i XOR (i >> 1) its Gray code.
 * - `directions`: Uint32Array (d × B), row-major; `directions[j * B + k]` is the direction integer
 *   v_{j,k} of dimension j. Bit 31 holds the first binary digit (weight 2^-1).
 * - `shift`: Uint32Array (d), the digital random shift (zero when unscrambled).
 * - `state`: Uint32Array (d), the integer form of point i: shift_j XOR the v_{j,k} for every bit k
 *   set in g(i). Coordinate j of the point is state_j · 2^-32.
 * - `draw(n)`: Float64Array (n × d), row-major.
 *
 * Points are produced in Gray-code order, so the first 2^m points are the same set as in natural
 * order, and unscrambled values equal SciPy's `qmc.Sobol(d, scramble=False)` (which keeps 30 digits:
 * for i < 2^30 the last two of our 32 digits are zero).
 *
 * Scrambling is a linear matrix scramble (Matoušek): each dimension's generator matrix is multiplied
 * on the left by a random lower-triangular binary matrix with unit diagonal, then a random digital
 * shift is XORed in. Both keep the (t, m, s)-net property of every block of 2^m points.
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
import { SOBOL_DEGREE_COUNTS, SOBOL_DIRECTION_DATA, SOBOL_MAX_DIM } from './sobol-directions.js';

export { SOBOL_MAX_DIM } from './sobol-directions.js';

/** Binary digits kept per coordinate. */
const BITS = 32;
/** 2^-32: scales a 32-bit integer into [0, 1). */
const SCALE = 1 / 4294967296;

/**
 * Decoded direction table. Notation: D = SOBOL_MAX_DIM; for dimension j ≥ 1 with degree s:
 * `degree[j]` = s, `poly[j]` = the inner coefficients a_1..a_(s-1) as bits (a_1 most significant),
 * `m[mStart[j] + i - 1]` = m_i for i = 1..s. Entry 0 (van der Corput) is unused.
 */
interface DirectionTable {
  degree: Uint8Array;
  poly: Uint32Array;
  mStart: Uint32Array;
  m: Uint32Array;
}

let table: DirectionTable | undefined;

function base64Value(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  if (code === 43) return 62; // +
  if (code === 47) return 63; // /
  return -1; // '=' padding
}

function decodeTable(): DirectionTable {
  if (table !== undefined) return table;
  const data = SOBOL_DIRECTION_DATA;
  // Bit reader over the base64 text: 6 bits per character, most significant first.
  let charPos = 0;
  let acc = 0;
  let accBits = 0;
  const read = (bits: number): number => {
    let value = 0;
    for (let b = 0; b < bits; b++) {
      if (accBits === 0) {
        acc = base64Value(data.charCodeAt(charPos++));
        accBits = 6;
      }
      accBits--;
      value = value * 2 + ((acc >>> accBits) & 1);
    }
    return value;
  };
  const degree = new Uint8Array(SOBOL_MAX_DIM);
  let j = 1;
  let total = 0;
  for (let s = 1; s <= SOBOL_DEGREE_COUNTS.length; s++) {
    const count = SOBOL_DEGREE_COUNTS[s - 1]!;
    for (let c = 0; c < count; c++) degree[j++] = s;
    total += count * s;
  }
  const poly = new Uint32Array(SOBOL_MAX_DIM);
  const mStart = new Uint32Array(SOBOL_MAX_DIM);
  const m = new Uint32Array(total);
  let pos = 0;
  for (let dim = 1; dim < SOBOL_MAX_DIM; dim++) {
    const s = degree[dim]!;
    poly[dim] = read(s - 1);
    mStart[dim] = pos;
    for (let i = 1; i <= s; i++) m[pos++] = read(i - 1) * 2 + 1;
  }
  table = { degree, poly, mStart, m };
  return table;
}

/** Fills `v` (length B, offset `at`) with the direction integers of dimension `dim`. */
function fillDirections(dim: number, v: Uint32Array, at: number): void {
  if (dim === 0) {
    for (let k = 0; k < BITS; k++) v[at + k] = 2 ** (BITS - 1 - k);
    return;
  }
  const t = decodeTable();
  const s = t.degree[dim]!;
  const a = t.poly[dim]!;
  const m0 = t.mStart[dim]!;
  for (let k = 0; k < s && k < BITS; k++) v[at + k] = (t.m[m0 + k]! << (BITS - 1 - k)) >>> 0;
  for (let k = s; k < BITS; k++) {
    const old = v[at + k - s]!;
    let x = old ^ (old >>> s);
    for (let i = 1; i < s; i++) {
      if ((a >>> (s - 1 - i)) & 1) x ^= v[at + k - i]!;
    }
    v[at + k] = x >>> 0;
  }
}

/** Index of the lowest set bit of a nonzero 32-bit value. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * A Sobol sequence generator in [0, 1)^dim, optionally scrambled (linear matrix scramble plus a
 * digital shift). Up to {@link SOBOL_MAX_DIM} dimensions and {@link QMC_MAX_POINTS} points.
 * Use point counts that are powers of two to keep the balance properties.
 *
 * @example
 * ```ts
 * const engine = new SobolEngine(3, { seed: 42 });
 * const points = engine.draw(8); // 8 × 3, row-major
 * const p = engine.pointAt(5); // the 6th point, no state needed
 * ```
 */
export class SobolEngine {
  /** Number of coordinates per point. */
  readonly dim: number;
  /** Whether the sequence is scrambled. */
  readonly scrambled: boolean;
  private readonly directions: Uint32Array;
  private readonly shift: Uint32Array;
  private readonly state: Uint32Array;
  private position = 0;

  /**
   * @param dim number of coordinates, an integer from 1 to {@link SOBOL_MAX_DIM}.
   * @param options `scramble` (default `true`) and `seed` of the scrambling.
   * @throws InvalidArgumentError on a bad dimension or seed.
   */
  constructor(dim: number, options: QmcOptions = {}) {
    checkDim(dim, SOBOL_MAX_DIM, 'SobolEngine');
    checkSeed(options.seed, 'SobolEngine');
    this.dim = dim;
    this.scrambled = options.scramble ?? true;
    this.directions = new Uint32Array(dim * BITS);
    this.shift = new Uint32Array(dim);
    this.state = new Uint32Array(dim);
    for (let j = 0; j < dim; j++) fillDirections(j, this.directions, j * BITS);
    if (this.scrambled) this.scramble(new Rng(options.seed));
    this.state.set(this.shift);
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
    const dim = this.dim;
    const result = out ?? new Float64Array(dim);
    if (out !== undefined) checkOut(out, dim, 'SobolEngine.next');
    const i = this.position;
    checkNotExhausted(i, 'SobolEngine');
    const state = this.state;
    for (let j = 0; j < dim; j++) result[j] = state[j]! * SCALE;
    this.advance(i);
    return result;
  }

  /**
   * Skips `n` points, as if {@link next} had been called `n` times.
   * @throws InvalidArgumentError when `n` is not a non-negative integer or runs past the end.
   */
  fastForward(n: number): void {
    checkCount(n, 'fastForward(n)', QMC_MAX_POINTS - this.position, 'SobolEngine');
    this.position += n;
    if (this.position < QMC_MAX_POINTS) this.integerPoint(this.position, this.state);
  }

  /**
   * The next `n` points.
   * @returns a Float64Array of n × dim values, row-major (point r at `[r * dim, (r + 1) * dim)`).
   */
  draw(n: number): Float64Array {
    checkCount(n, 'draw(n)', QMC_MAX_POINTS - this.position, 'SobolEngine');
    const dim = this.dim;
    const result = new Float64Array(n * dim);
    const state = this.state;
    for (let r = 0; r < n; r++) {
      const base = r * dim;
      for (let j = 0; j < dim; j++) result[base + j] = state[j]! * SCALE;
      this.advance(this.position);
    }
    return result;
  }

  /**
   * The point with the given index (0-based), computed directly from the index; the engine's
   * position is left unchanged. Equals the `index`-th output of {@link next} on a fresh engine.
   * @param out where to write it (length `dim`); a new array when omitted.
   */
  pointAt(index: number, out?: Float64Array): Float64Array {
    checkCount(index, 'pointAt(index)', QMC_MAX_POINTS - 1, 'SobolEngine');
    const dim = this.dim;
    const result = out ?? new Float64Array(dim);
    if (out !== undefined) checkOut(out, dim, 'SobolEngine.pointAt');
    const gray = (index ^ (index >>> 1)) >>> 0;
    const v = this.directions;
    const shift = this.shift;
    for (let j = 0; j < dim; j++) {
      let x = shift[j]!;
      let g = gray;
      const base = j * BITS;
      while (g !== 0) {
        x ^= v[base + lowestBit(g)]!;
        g &= g - 1;
      }
      result[j] = (x >>> 0) * SCALE;
    }
    return result;
  }

  /** Moves the state from point `i` to point `i + 1` (Gray-code step). */
  private advance(i: number): void {
    this.position = i + 1;
    if (i + 1 >= QMC_MAX_POINTS) return;
    // g(i + 1) differs from g(i) in the bit of the lowest zero bit of i.
    const k = lowestBit(~i);
    const v = this.directions;
    const state = this.state;
    for (let j = 0; j < this.dim; j++) state[j] = state[j]! ^ v[j * BITS + k]!;
  }

  /** Writes the integer form of point `index` into `target` (length dim). */
  private integerPoint(index: number, target: Uint32Array): void {
    const gray = (index ^ (index >>> 1)) >>> 0;
    const v = this.directions;
    for (let j = 0; j < this.dim; j++) {
      let x = this.shift[j]!;
      let g = gray;
      while (g !== 0) {
        x ^= v[j * BITS + lowestBit(g)]!;
        g &= g - 1;
      }
      target[j] = x;
    }
  }

  /** Linear matrix scramble of every dimension's directions, then a random digital shift. */
  private scramble(rng: Rng): void {
    const v = this.directions;
    // Column c of the random lower-triangular matrix L: its unit diagonal at bit 31 − c and random
    // bits below it (the later output digits that input digit c + 1 flows into).
    const columns = new Uint32Array(BITS);
    for (let j = 0; j < this.dim; j++) {
      for (let c = 0; c < BITS; c++) {
        const diagonal = 2 ** (BITS - 1 - c);
        columns[c] = ((rng.nextUint32() & (diagonal - 1)) | diagonal) >>> 0;
      }
      const base = j * BITS;
      for (let k = 0; k < BITS; k++) {
        // L · v_k: XOR of the columns of L picked by the digits of v_k.
        let digits = v[base + k]!;
        let y = 0;
        while (digits !== 0) {
          y ^= columns[BITS - 1 - lowestBit(digits)]!;
          digits &= digits - 1;
        }
        v[base + k] = y >>> 0;
      }
      this.shift[j] = rng.nextUint32();
    }
  }
}
