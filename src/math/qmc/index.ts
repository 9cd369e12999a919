/**
 * Quasi-random (low-discrepancy) point sets: scrambled Sobol and Halton sequences.
 *
 * Notation: d = dimension; a point is a Float64Array (d) in [0, 1)^d, `draw(n)` a Float64Array
 * (n × d), row-major.
 *
 * @module
 */
export { QMC_MAX_POINTS, type QmcOptions } from './common.js';
export { HALTON_MAX_DIM, HaltonEngine } from './halton.js';
export { SOBOL_MAX_DIM, SobolEngine } from './sobol.js';
