/**
 * Special functions for the samplers: the error-function family and its inverses, the standard
 * normal (pdf, cdf, log-cdf, quantiles), log expected improvement, log-space arithmetic and the
 * truncated normal. Every function is scalar (or reads an array) and allocates nothing.
 *
 * @module
 */
export { erf, erfc, erfcx } from './erf.js';
export { erfcinv, erfcinvLog, erfinv } from './erf-inverse.js';
export { expNegHalfSquare, expNegSquare, expSquare } from './exp-square.js';
export { logEI, logEIDerivative } from './log-ei.js';
export { log1mExp, logAddExp, logSubExp, logSumExp } from './log-sum-exp.js';
export { logNdtr, ndtr, ndtri, ndtriExp, normLogPdf, normPdf } from './normal.js';
export { logGaussMass, truncnormCdf, truncnormLogPdf, truncnormPpf, truncnormSample } from './truncnorm.js';
