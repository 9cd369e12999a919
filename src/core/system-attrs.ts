/**
 * Names of the system attributes tunekit itself writes. Samplers use their own prefix
 * (`grid:`, `tpe:`…).
 * @module
 */

/** Trial system attribute: parameter values an enqueued trial or a grid point fixes (user-facing values). */
export const FIXED_PARAMS_ATTR = 'tunekit:fixed_params';
/** Trial system attribute: why a trial failed (the error message). */
export const FAIL_REASON_ATTR = 'tunekit:fail_reason';
