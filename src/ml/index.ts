/**
 * `tunekit/ml`: machine-learning helpers that need no TensorFlow.js — metrics computed as
 * scikit-learn computes them, the bundled data sets (digits, iris, wine, breast cancer) with
 * seeded and stratified splits and standardisation, seeded (stratified) k-fold cross-validation
 * that reports each fold to a trial, and `searchCV` (grid, randomized and model-based search for
 * any estimator with `fit`/`predict`), and small models in plain TypeScript for them: logistic
 * regression (L1/L2), k-nearest neighbours, an MLP, and a linear regression trained by gradient
 * descent with the update rules written out. The TensorFlow.js toolkit is `tunekit/tfjs`.
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
  KNeighborsClassifier,
  type KNeighborsOptions,
} from './models/k-nearest-neighbors.js';
export {
  type EvalSet,
  LinearRegressionGD,
  type LinearRegressionGDOptions,
} from './models/linear-regression-gd.js';
export {
  LOGISTIC_PENALTIES,
  type LogisticPenalty,
  LogisticRegression,
  type LogisticRegressionOptions,
} from './models/logistic-regression.js';
export {
  MLP_ACTIVATIONS,
  type MlpActivation,
  MlpClassifier,
  type MlpClassifierOptions,
} from './models/mlp-classifier.js';
export { type InnerEstimator, ScaledEstimator } from './models/scaled-estimator.js';
export {
  makeUpdateRule,
  UPDATE_RULES,
  type UpdateRule,
  type UpdateRuleName,
  type UpdateRuleOptions,
} from './models/update-rules.js';
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
  type SpaceSearchCVOptions,
  type SpaceSpec,
  searchCV,
} from './search-cv.js';
export type { PrunableTrial } from './types.js';
