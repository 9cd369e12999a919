/**
 * Exact hypervolume (2-D and 3-D sweeps, WFG beyond) for multi-objective studies and benchmarks,
 * and the box decomposition of the non-dominated region (for expected hypervolume improvement).
 * @module
 */

export { type BoxDecomposition, nonDominatedBoxes } from './box-decomposition.js';
export { hypervolume, nonDominated, type PointSet } from './hypervolume.js';
