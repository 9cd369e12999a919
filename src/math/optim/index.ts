/**
 * Numerical optimisation: L-BFGS-B for smooth objectives under box constraints.
 *
 * @module
 */
export {
  type LbfgsbObjective,
  type LbfgsbOptions,
  type LbfgsbResult,
  type LbfgsbStatus,
  lbfgsb,
} from './lbfgsb.js';
