/**
 * Options and argument checks shared by the quasi-random engines.
 *
 * Notation: d = dimension of an engine; an output array holds one point, a Float64Array (d).
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** Options of the quasi-random engines ({@link SobolEngine}, {@link HaltonEngine}). */
export interface QmcOptions {
  /** Randomize the sequence (keeps its balance properties). Default `true`. */
  scramble?: boolean | undefined;
  /** Seed of the scrambling `Rng`; the same seed gives the same sequence. Default: from the OS. */
  seed?: number | undefined;
}

/** Number of points an engine can produce: indices run from 0 to 2^32 − 1. */
export const QMC_MAX_POINTS = 4294967296;

/** @internal Throws unless `dim` is an integer in [1, max]. */
export function checkDim(dim: number, max: number, engine: string): void {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > max) {
    throw new InvalidArgumentError(
      `${engine} dimension must be an integer from 1 to ${max}, got ${String(dim)}. ` +
        `Pass the number of coordinates per point (at most ${max}).`,
    );
  }
}

/** @internal Throws unless `n` is an integer in [0, limit]. */
export function checkCount(n: number, what: string, limit: number, engine: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > limit) {
    throw new InvalidArgumentError(
      `${engine}: ${what} must be an integer from 0 to ${limit}, got ${String(n)}. ` +
        `The sequence holds ${QMC_MAX_POINTS} points; pass a non-negative integer within that range.`,
    );
  }
}

/** @internal Throws unless `out` holds exactly one point. */
export function checkOut(out: Float64Array, dim: number, engine: string): void {
  if (out.length !== dim) {
    throw new InvalidArgumentError(
      `${engine}: the output array has length ${out.length}, but the dimension is ${dim}. ` +
        `Pass a Float64Array of length ${dim} (subarray a larger buffer if needed).`,
    );
  }
}

/** @internal Throws unless `seed` is undefined or finite. */
export function checkSeed(seed: number | undefined, engine: string): void {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new InvalidArgumentError(
      `${engine}: seed must be a finite number, got ${String(seed)}. Pass an integer seed or omit it.`,
    );
  }
}

/** @internal Throws when the engine has produced all of its points. */
export function checkNotExhausted(position: number, engine: string): void {
  if (position >= QMC_MAX_POINTS) {
    throw new InvalidArgumentError(
      `${engine} is exhausted after ${QMC_MAX_POINTS} points. Create a new engine (with another seed).`,
    );
  }
}
