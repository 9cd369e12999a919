// The subpath entries `tunekit/ml` (no TensorFlow.js) and `tunekit/tfjs` export what they document.

import * as ml from 'tunekit/ml';
import * as tfjs from 'tunekit/tfjs';
import { describe, expect, it } from 'vitest';

const ML = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'fbeta',
  'logLoss',
  'confusionMatrix',
  'meanSquaredError',
  'meanAbsoluteError',
  'r2Score',
  'loadDigits',
  'loadIris',
  'loadWine',
  'loadBreastCancer',
  'trainTestSplit',
  'trainValTestSplit',
  'StandardScaler',
  'kFold',
  'stratifiedKFold',
  'crossValidate',
  'searchCV',
  'LogisticRegression',
  'KNeighborsClassifier',
  'MlpClassifier',
  'LinearRegressionGD',
  'ScaledEstimator',
  'makeUpdateRule',
];
const TFJS = [
  'useBackend',
  'withSeededRandom',
  'PruningCallback',
  'EarlyStopping',
  'LearningRateScheduler',
  'ReduceLROnPlateau',
  'stepDecay',
  'exponentialDecay',
  'cosineDecay',
  'makeScheduleCallback',
  'makeOptimizer',
  'setLearningRate',
  'buildMlp',
  'buildCnn',
  'suggestMlp',
  'toTensors',
  'predictClasses',
  'TfjsMlpClassifier',
];

describe('subpath entries', () => {
  it('tunekit/ml exports the tfjs-free toolkit', () => {
    for (const name of ML) expect(typeof (ml as Record<string, unknown>)[name], name).toBe('function');
  });
  it('tunekit/tfjs exports the TensorFlow.js toolkit and re-exports tunekit/ml', () => {
    for (const name of [...TFJS, ...ML])
      expect(typeof (tfjs as Record<string, unknown>)[name], name).toBe('function');
  });
});
