/**
 * tunekit: hyperparameter optimization for TypeScript and Node.js.
 *
 * @example
 * ```ts
 * import { createStudy, RandomSampler } from 'tunekit';
 *
 * const study = await createStudy({
 *   studyName: 'quickstart',
 *   storage: 'sqlite:///tunekit.db',
 *   sampler: new RandomSampler({ seed: 1 }),
 *   loadIfExists: true,
 * });
 * await study.optimize((trial) => {
 *   const x = trial.suggestFloat('x', -10, 10);
 *   const kind = trial.suggestCategorical('kind', ['a', 'b']);
 *   return (x - 2) ** 2 + (kind === 'a' ? 0 : 1);
 * }, { nTrials: 50 });
 * console.log(await study.bestParams());
 * ```
 *
 * Suggest calls are synchronous; everything that touches the storage is async. See `Trial`.
 * @module
 */
export { type BestTrialOptions, bestOf, dominates, paretoFront } from './core/best-trial.js';
export {
  CONSTRAINTS_ATTR,
  type ConstraintsFunction,
  constraintValues,
  constraintViolation,
  isFeasible,
} from './core/constraints.js';
export {
  assertCompatible,
  type CategoricalChoice,
  type CategoricalDistribution,
  cardinality,
  categoricalDistribution,
  contains,
  type Distribution,
  distributionFromJson,
  distributionsEqual,
  distributionToJson,
  enumerate,
  type FloatDistribution,
  type FloatOptions,
  floatDistribution,
  type IntDistribution,
  type IntOptions,
  intDistribution,
  isSingle,
  type NarrowingWarning,
  type ParamValue,
  snap,
  toExternal,
  toInternal,
} from './core/distributions.js';
export {
  DuplicatedStudyError,
  IncompatibleDistributionError,
  InvalidArgumentError,
  InvalidDistributionError,
  InvalidStorageUrlError,
  InvalidTrialResultError,
  isTrialPruned,
  MissingDependencyError,
  NoCompletedTrialsError,
  NumericalError,
  SearchSpaceExhaustedError,
  StorageError,
  StudyNotFoundError,
  TrialFinishedError,
  TrialNotFoundError,
  TrialPruned,
  TunekitError,
  type TunekitErrorCode,
} from './core/errors.js';
export {
  type FrozenTrial,
  isFinished,
  type JsonValue,
  type StudyDirection,
  type StudySummary,
  TRIAL_STATES,
  type TrialState,
} from './core/frozen-trial.js';
export { getLogLevel, type LogLevel, type LogSink, log, setLogLevel, setLogSink } from './core/logging.js';
export { deriveSeed, Rng, randomSeed } from './core/rng.js';
export {
  type EncodedParam,
  SearchSpaceTransform,
  type TransformOptions,
} from './core/search-space-transform.js';
export { FAIL_REASON_ATTR, FIXED_PARAMS_ATTR } from './core/system-attrs.js';
export type { KernelLogPriorFn } from './math/gp/fit-map.js';
export { hypervolume, nonDominated, type PointSet } from './math/hypervolume/index.js';
export {
  HYPERBAND_BRACKET_ATTR,
  type HyperbandBrackets,
  HyperbandPruner,
  type HyperbandPrunerOptions,
  MedianPruner,
  type MedianPrunerOptions,
  type MetricOptions,
  type MetricRecord,
  NopPruner,
  ParetoPruner,
  type ParetoPrunerOptions,
  PatientPruner,
  type PatientPrunerOptions,
  PercentilePruner,
  type PercentilePrunerOptions,
  type Pruner,
  REPORTS_ATTR,
  SuccessiveHalvingPruner,
  type SuccessiveHalvingPrunerOptions,
  ThresholdPruner,
  type ThresholdPrunerOptions,
  WilcoxonPruner,
  type WilcoxonPrunerOptions,
} from './pruners/index.js';
export {
  AUTO_SAMPLER_ATTR,
  AutoSampler,
  type AutoSamplerOptions,
  type AutoStrategy,
} from './samplers/auto/index.js';
export type { PreparedTrial, Sampler, SearchSpace, StudyContext, StudyView } from './samplers/base.js';
export { CmaEsSampler, type CmaEsSamplerOptions } from './samplers/cmaes/index.js';
export { GPSampler, type GPSamplerOptions } from './samplers/gp/index.js';
export type { OutputWarping } from './samplers/gp/output-warping.js';
export { GradientSampler, type GradientSamplerOptions } from './samplers/gradient/index.js';
export { GridSampler, type GridSamplerOptions, type GridValues } from './samplers/grid/index.js';
export { type IntersectionOptions, intersectionSearchSpace } from './samplers/intersection-search-space.js';
export { type CrossoverKind, NSGAIISampler, type NSGAIISamplerOptions } from './samplers/nsga2/index.js';
export { NSGAIIISampler, type NSGAIIISamplerOptions } from './samplers/nsga3/index.js';
export { PSOSampler, type PSOSamplerOptions } from './samplers/pso/index.js';
export { fromUnit, QMCSampler, type QMCSamplerOptions, type QmcType } from './samplers/qmc/index.js';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random/index.js';
export { TPESampler, type TPESamplerOptions } from './samplers/tpe/index.js';
export { DEFAULT_WARM_START_WEIGHT, type WarmStart, type WarmStartSource } from './samplers/warm-start.js';
export {
  type Constraint,
  choice,
  enumerateSpace,
  flatParamsOf,
  float,
  InfeasibleSpaceError,
  type InferParams,
  type InferShape,
  InvalidSpaceError,
  int,
  isSpace,
  paramsOf,
  type RedrawStrategy,
  type Shape,
  SPACE_REDRAWS_ATTR,
  type Space,
  type SpaceOptions,
  sampleSpace,
  space,
  spaceFromJson,
  spaceToJson,
  when,
} from './space/index.js';
export {
  type HeartbeatStorage,
  hasHeartbeats,
  type NewTrial,
  type ParamRecord,
  type Storage,
  staleTrialReason,
  type TrialFilter,
} from './storages/base.js';
export { type CreateUnlessWaitingStorage, canCreateUnlessWaiting } from './storages/create-unless-waiting.js';
export { getStorage, isStorage, type StorageLike } from './storages/get-storage.js';
export { InMemoryStorage } from './storages/in-memory/index.js';
export {
  type CreateStudyOptions,
  createStudy,
  deleteStudy,
  type LoadStudyOptions,
  listStudies,
  loadStudy,
} from './study/create-study.js';
export { type CreateTrialOptions, createTrial } from './study/create-trial.js';
export {
  HEARTBEAT_ATTR,
  type HeartbeatOptions,
  type HeartbeatSettings,
  RETRIED_FROM_ATTR,
  RETRY_COUNT_ATTR,
} from './study/heartbeat.js';
export {
  BUDGET_ATTR,
  type BudgetStatus,
  budgetStatus,
  getStudyBudget,
  type RunWorkerOptions,
  runWorker,
  setStudyBudget,
  type WorkerResult,
} from './study/run-worker.js';
export {
  type EnqueueOptions,
  type Objective,
  type ObjectiveResult,
  type OptimizeCallback,
  type OptimizeOptions,
  type SpaceObjective,
  Study,
  type TellResult,
} from './study/study.js';
export { takeSnapshot } from './study/study-view.js';
export { WARM_START_ATTR, type WarmStartFrom, type WarmStartStudyLike } from './study/warm-start.js';
export { Trial } from './trial/trial.js';
