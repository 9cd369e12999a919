/**
 * `tunekit/importance`: hyperparameter importances — which parameters explain the objective.
 * fANOVA over a seeded random forest ({@link FanovaImportanceEvaluator}, the default) and the
 * fast, forest-free PED-ANOVA ({@link PedAnovaImportanceEvaluator}).
 *
 * @example
 * ```ts
 * import { getParamImportances } from 'tunekit/importance';
 * const importances = await getParamImportances(study); // { lr: 0.8, layers: 0.15, dropout: 0.05 }
 * ```
 * @module
 */
export { FanovaImportanceEvaluator, type FanovaOptions } from './fanova-evaluator.js';
export {
  computeParamImportances,
  DEFAULT_MAX_TRIALS,
  getParamImportances,
  type ParamImportanceOptions,
  type TrialsSource,
} from './get-param-importances.js';
export { type ImportanceEvaluator, type ImportanceTarget, targetValues } from './importance-evaluator.js';
export { PedAnovaImportanceEvaluator, type PedAnovaOptions } from './ped-anova-evaluator.js';
