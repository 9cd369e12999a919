/**
 * Test helpers for tunekit and for the authors of storages and samplers (needs vitest):
 * conformance suites that every storage and sampler runs, the numeric comparison helper, and the
 * quality-benchmark problems.
 * @module
 */
export { type CloseOptions, expectClose, isClose } from './expect-close.js';
export {
  ackley,
  BENCH_PROBLEMS,
  type BenchProblem,
  branin,
  hartmann3,
  hartmann6,
  type MixedMlpParams,
  mixedMlp,
  rosenbrock,
  suggestMixedMlp,
} from './problems.js';
export {
  checkDecision,
  describePrunerConformance,
  finishedTrial,
  PRUNER_CASES,
  type PrunerCase,
  type PrunerConformanceOptions,
  type PrunerDecision,
  type PrunerOp,
  PrunerProbe,
  reportedTrial,
  runPrunerCase,
  type TrialEnd,
} from './pruner-conformance.js';
export {
  describeSamplerConformance,
  type SamplerConformanceOptions,
  SamplerProbe,
} from './sampler-conformance.js';
export {
  CONFORMANCE_JSON,
  CONFORMANCE_PARAMS,
  describeStorageConformance,
  type StorageConformanceOptions,
} from './storage-conformance.js';
