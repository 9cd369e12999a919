/**
 * Inverses of the error functions: erfinv, erfcinv and erfcinvLog (the inverse of log erfc).
 *
 * Notation: y ∈ [−1, 1] is an erf value, c ∈ [0, 2] an erfc value and logc = log(c) ≤ log 2;
 * results are the x with erf(x) = y, erfc(x) = c, log erfc(x) = logc.
 * Algorithm (written for this library):
 * - |y| ≤ 0.5: Newton's method on erf(x) − y from the first four terms of the Maclaurin series of
 *   erfinv; three or four steps reach full precision.
 * - tails (c ≤ 0.5, or the complement 1 − |y| ≤ 0.5, which is exact in floating point): Newton's
 *   method on g(x) = log erfc(x) − logc, with g computed as −x² + log erfcx(x). g is concave and
 *   decreasing, so after the first step the iterates decrease monotonically to the root; the start
 *   comes from the asymptotic relation x² ≈ −logc − ½·log(−π·logc). Working in log space keeps the
 *   inverse accurate for complements far below the smallest double (logc = −1e6 gives x ≈ 1000).
 *
 * @module
 */
import { erf, erfc, erfcx } from './erf.js';

/** 2/√π. */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** √π/2, the first Maclaurin coefficient of erfinv. */
const HALF_SQRT_PI = 0.886226925452758;
const LOG_HALF = -Math.LN2;
const LOG_THREE_HALVES = Math.log(1.5);

/** erfinv(y) for |y| ≤ 0.5. */
function erfinvCentral(y: number): number {
  const pi = Math.PI;
  const y2 = y * y;
  // Maclaurin series of erfinv: (√π/2)(y + (π/12)y³ + (7π²/480)y⁵ + (127π³/40320)y⁷ + …).
  let x =
    HALF_SQRT_PI *
    y *
    (1 + y2 * (pi / 12 + y2 * ((7 * pi * pi) / 480 + y2 * ((127 * pi * pi * pi) / 40320))));
  for (let i = 0; i < 8; i++) {
    const dx = (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
    x -= dx;
    // The error after a Newton step is about |x|·dx², so a step below 1e−9·|x| leaves < 1e−18.
    if (!(Math.abs(dx) > 1e-9 * Math.abs(x))) break;
  }
  return x;
}

/** log erfc(x) for x ≥ 0, given erfcx(x). */
function logErfcNonNegative(x: number, scaled: number): number {
  return x < 0.5 ? Math.log(erfc(x)) : -x * x + Math.log(scaled);
}

/** The x ≥ 0.47 with log erfc(x) = logc, for finite logc ≤ −log 2. */
function erfcinvLogTail(logc: number): number {
  const s = -logc;
  // x² = s − ½·log(π·s) + O(log(s)/s): exact in double once s > 1e18 (and x² would overflow near 1e308).
  if (s > 1e18) return Math.sqrt(s - 0.5 * (Math.log(Math.PI) + Math.log(s)));
  let x = Math.sqrt(Math.max(s - 0.5 * Math.log(Math.PI * s), 0.2));
  for (let i = 0; i < 60; i++) {
    const scaled = erfcx(x);
    const g = logErfcNonNegative(x, scaled) - logc;
    // d/dx log erfc(x) = −(2/√π)·exp(−x²)/erfc(x) = −(2/√π)/erfcx(x).
    const dx = (g * scaled) / TWO_OVER_SQRT_PI;
    x += dx;
    if (!(Math.abs(dx) > 1e-9 * x)) break;
  }
  return x;
}

/**
 * The inverse error function: the x with erf(x) = y, for y ∈ [−1, 1] (±1 give ±Infinity).
 * Outside [−1, 1], and for NaN, the result is NaN. Relative error: a few ulps.
 */
export function erfinv(y: number): number {
  if (!(y >= -1 && y <= 1)) return Number.NaN;
  const ay = Math.abs(y);
  if (ay <= 0.5) return erfinvCentral(y);
  if (ay === 1) return y > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const x = erfcinvLogTail(Math.log(1 - ay));
  return y < 0 ? -x : x;
}

/**
 * The inverse complementary error function: the x with erfc(x) = c, for c ∈ [0, 2]
 * (0 gives +Infinity and 2 gives −Infinity). Accurate for c down to the smallest subnormal;
 * see {@link erfcinvLog} for complements that do not fit in a double. NaN outside [0, 2].
 */
export function erfcinv(c: number): number {
  if (!(c >= 0 && c <= 2)) return Number.NaN;
  if (c === 0) return Number.POSITIVE_INFINITY;
  if (c === 2) return Number.NEGATIVE_INFINITY;
  if (c <= 0.5) return erfcinvLogTail(Math.log(c));
  if (c >= 1.5) return -erfcinvLogTail(Math.log(2 - c));
  return erfinvCentral(1 - c);
}

/**
 * The x with log erfc(x) = logc, for logc ≤ log 2: the inverse of log erfc, so that complements
 * too small for a double still invert (erfcinvLog(−1e6) ≈ 999.996). logc = −Infinity gives
 * +Infinity, logc = log 2 gives −Infinity; NaN above log 2 and for NaN.
 */
export function erfcinvLog(logc: number): number {
  if (!(logc <= Math.LN2)) return Number.NaN;
  if (logc === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (logc <= LOG_HALF) return erfcinvLogTail(logc);
  // 1 − c = −expm1(logc) keeps its precision for c near 1 (logc near 0).
  if (logc < LOG_THREE_HALVES) return erfinvCentral(-Math.expm1(logc));
  const rest = 2 - Math.exp(logc); // exp(log 2) may round just above 2
  return rest > 0 ? -erfcinvLogTail(Math.log(rest)) : Number.NEGATIVE_INFINITY;
}
