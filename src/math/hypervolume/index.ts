/**
 * Exact hypervolume (2-D and 3-D sweeps, WFG beyond) for multi-objective studies and benchmarks.
 * @module
 */
export { hypervolume, nonDominated, type PointSet } from './hypervolume.js';
