/**
 * `tunekit/ml`: machine-learning helpers that need no TensorFlow.js — metrics computed as
 * scikit-learn computes them, the bundled data sets (digits, iris, wine, breast cancer) with
 * seeded and stratified splits and standardisation, seeded (stratified) k-fold cross-validation
 * that reports each fold to a trial, and `searchCV` (grid, randomized and model-based search for
 * any estimator with `fit`/`predict`). The TensorFlow.js toolkit is `tunekit/tfjs`.
 * @module
 */
export {
  type CrossValidateOptions,
  type CrossValidationResult,
  crossValidate,
  type Fold,
  type KFoldOptions,
  kFold,
  meanStd,
  stratifiedKFold,
} from './cross-validation.js';
export {
  type Dataset,
  type DatasetName,
  dataDir,
  loadBreastCancer,
  loadDataset,
  loadDigits,
  loadIris,
  loadWine,
  type Part,
  type SplitOptions,
  StandardScaler,
  type ThreeWaySplit,
  type ThreeWaySplitOptions,
  trainTestSplit,
  trainValTestSplit,
} from './datasets.js';
export {
  type Average,
  type AverageOptions,
  accuracy,
  argmaxRows,
  confusionMatrix,
  f1,
  fbeta,
  type Label,
  logLoss,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  r2Score,
  recall,
  uniqueLabels,
} from './metrics.js';
export {
  type CVResult,
  type Estimator,
  probaToLabels,
  type RangeSpec,
  SCORINGS,
  type Scorer,
  type ScoringName,
  type SearchCVOptions,
  type SearchCVResult,
  type SpaceSpec,
  searchCV,
} from './search-cv.js';
export type { PrunableTrial } from './types.js';
