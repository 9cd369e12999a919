/**
 * Dense linear algebra on flat row-major Float64Arrays: Cholesky with jitter, triangular and
 * Cholesky solves, log-determinants. No explicit inverses.
 *
 * @module
 */
export { type CholeskyOptions, type CholeskyResult, choleskyInPlace, choleskyLogDet } from './cholesky.js';
export { choleskySolve, choleskySolveMatrix } from './cholesky-solve.js';
export {
  solveLower,
  solveLowerMatrix,
  solveLowerTransposed,
  solveLowerTransposedMatrix,
} from './triangular-solve.js';
