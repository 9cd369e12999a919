/**
 * Seeded pseudo-random numbers. The global unseeded generator is never used in library code: every sampler owns
 * an {@link Rng} built from its `seed`, so the same seed gives the same sequence.
 *
 * Generator: xoshiro128** (32-bit state words, period 2^128 − 1), seeded through splitmix32.
 * Doubles are built from 53 random bits. {@link deriveSeed} hashes a seed with keys (a trial
 * number, a parameter name) into an independent stream, which lets samplers draw per trial
 * without any state shared between workers.
 *
 * @module
 */

const UINT32 = 4294967296;

let splitState = 0;

function splitmix32(): number {
  splitState = (splitState + 0x9e3779b9) | 0;
  let z = splitState;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over a string, 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * A seed for an independent stream derived from `seed` and `keys`.
 * Equal inputs give equal outputs in every process.
 */
export function deriveSeed(seed: number, ...keys: ReadonlyArray<number | string>): number {
  let h = mix32(seed >>> 0, Math.floor(seed / UINT32) >>> 0);
  for (const key of keys) {
    const k = typeof key === 'string' ? hashString(key) : mix32(key >>> 0, Math.floor(key / UINT32) >>> 0);
    h = mix32(h, k);
  }
  return h;
}

/** A random 32-bit seed from the operating system, for samplers created without a seed. */
export function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** A small, fast, seeded generator (xoshiro128**). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = Number.NaN;

  /** @param seed any finite number; the same seed gives the same sequence. Omitted: from the OS. */
  constructor(seed?: number) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(seed === undefined ? randomSeed() : seed);
  }

  /** Restarts the generator from `seed`, as if it were new (allocates nothing). */
  reseed(seed: number): void {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number, got ${seed}.`);
    splitState = mix32(seed >>> 0, Math.floor(Math.abs(seed) / UINT32) >>> 0) | 0;
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
    this.spare = Number.NaN;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** A uniform integer in [low, high], both ends included. */
  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  /** A standard normal draw (Marsaglia's polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = Number.NaN;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly chosen element of a non-empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.choice needs a non-empty array.');
    return items[Math.floor(this.random() * items.length)]!;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
