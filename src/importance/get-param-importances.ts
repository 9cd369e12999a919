/**
 * Hyperparameter importances of a study: which parameters explain the variation of the objective
 * (or of any number computed from a trial). {@link getParamImportances} reads a study;
 * {@link computeParamImportances} works on trials already in memory (the dashboard server calls
 * it on its cached trials).
 * @module
 */
import { distributionsEqual } from '../core/distributions.js';
import { InvalidArgumentError, NoCompletedTrialsError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import { intersectionSearchSpace } from '../samplers/intersection-search-space.js';
import type { Study } from '../study/study.js';
import { FanovaImportanceEvaluator } from './fanova-evaluator.js';
import type { ImportanceEvaluator, ImportanceTarget } from './importance-evaluator.js';

/** Default of {@link ParamImportanceOptions.maxTrials}. */
export const DEFAULT_MAX_TRIALS = 5000;

/** Options of {@link getParamImportances} and {@link computeParamImportances}. */
export interface ParamImportanceOptions {
  /** The algorithm. Default: a {@link FanovaImportanceEvaluator} with its defaults (seed 0). */
  readonly evaluator?: ImportanceEvaluator;
  /**
   * Names to assess. Default: the parameters that every complete trial has, with one
   * distribution (the intersection search space). Given names keep only the trials that have them all.
   */
  readonly params?: readonly string[];
  /** The value to explain. Default: the objective value; required for multi-objective studies. */
  readonly target?: ImportanceTarget;
  /**
   * Whether a lower or higher `target` is better, for evaluators that look at the best trials
   * (PED-ANOVA). Default: the study's direction when it has one objective, else 'minimize'.
   * Needs `target`.
   */
  readonly targetDirection?: StudyDirection;
  /** Scale the importances to sum to 1 (equal shares when all are 0). Default true. */
  readonly normalize?: boolean;
  /**
   * At most this many trials are used: the most recent ones (highest numbers), which keeps the
   * cost bounded on studies of 100,000 trials. Default {@link DEFAULT_MAX_TRIALS} (5000).
   */
  readonly maxTrials?: number;
}

/** Trials and directions, for callers without a {@link Study} object. */
export interface TrialsSource {
  readonly trials: readonly FrozenTrial[];
  readonly directions: readonly StudyDirection[];
}

/**
 * Importances of the parameters of a study, ordered by importance (highest first; ties by name).
 * Uses complete trials with a finite target only.
 *
 * Note: JavaScript objects list integer-like keys ("0", "12") before other keys whatever the
 * insertion order; use `Object.entries(result).sort(...)` when parameter names look like numbers.
 *
 * @example
 * ```ts
 * const importances = await getParamImportances(study);
 * // { lr: 0.81, layers: 0.15, dropout: 0.04 }
 * const fast = await getParamImportances(study, { evaluator: new PedAnovaImportanceEvaluator() });
 * ```
 * @throws NoCompletedTrialsError with fewer than 2 usable trials
 * @throws InvalidArgumentError for a multi-objective study without `target`, an unknown name in
 *   `params` or a bad option
 */
export async function getParamImportances(
  source: Study | TrialsSource,
  options: ParamImportanceOptions = {},
): Promise<Record<string, number>> {
  if (isStudy(source)) {
    const trials = await source.getTrials({ states: ['complete'] });
    return computeParamImportances(trials, source.directions, options);
  }
  return computeParamImportances(source.trials, source.directions, options);
}

function isStudy(source: Study | TrialsSource): source is Study {
  return typeof (source as Partial<Study>).getTrials === 'function';
}

/** The synchronous core of {@link getParamImportances}, on trials already loaded. */
export function computeParamImportances(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  options: ParamImportanceOptions = {},
): Record<string, number> {
  if (!Array.isArray(trials))
    throw new InvalidArgumentError('importances: trials must be an array of FrozenTrial.');
  if (directions.length === 0) {
    throw new InvalidArgumentError("importances: directions is empty; pass the study's directions.");
  }
  const { target } = options;
  if (target === undefined && directions.length > 1) {
    throw new InvalidArgumentError(
      `importances of a study with ${directions.length} objectives need a target: pass { target: (t) => t.values![0] } for the first objective (or any other number computed from the trial).`,
    );
  }
  if (options.targetDirection !== undefined) {
    if (target === undefined) {
      throw new InvalidArgumentError(
        'importances: targetDirection applies to a target; pass target as well, or leave targetDirection out to use the study direction.',
      );
    }
    if (options.targetDirection !== 'minimize' && options.targetDirection !== 'maximize') {
      throw new InvalidArgumentError(
        `importances: targetDirection must be 'minimize' or 'maximize', got ${String(options.targetDirection)}.`,
      );
    }
  }
  const maxTrials = options.maxTrials ?? DEFAULT_MAX_TRIALS;
  if (!Number.isInteger(maxTrials) || maxTrials < 2) {
    throw new InvalidArgumentError(`importances: maxTrials must be an integer ≥ 2, got ${maxTrials}.`);
  }

  let usable = trials.filter((t) => {
    if (t.state !== 'complete' || t.values === null) return false;
    const v = target === undefined ? t.values[0] : target(t);
    return typeof v === 'number' && Number.isFinite(v);
  });

  const tooFew = (): NoCompletedTrialsError =>
    new NoCompletedTrialsError(
      `importances need at least 2 complete trials with a finite ${target === undefined ? 'objective value' : 'target'}${options.params === undefined ? '' : ' and every requested parameter'}; found ${usable.length}. Run more trials first.`,
    );
  if (usable.length < 2) throw tooFew();
  let names: string[];
  if (options.params !== undefined) {
    const wanted = checkParams(options.params, usable);
    usable = usable.filter((t) => wanted.every((p) => p in t.distributions));
  }
  if (usable.length > maxTrials) {
    usable = [...usable].sort((a, b) => a.number - b.number).slice(usable.length - maxTrials);
  }
  if (usable.length < 2) throw tooFew();
  if (options.params !== undefined) {
    names = [...options.params];
    for (const name of names) {
      const d = usable[0]!.distributions[name]!;
      const other = usable.find((t) => !distributionsEqual(t.distributions[name]!, d));
      if (other !== undefined) {
        throw new InvalidArgumentError(
          `parameter '${name}' has different distributions in trials ${usable[0]!.number} and ${other.number}; importances need one distribution per parameter. Pass trials from one search space, or leave '${name}' out of params.`,
        );
      }
    }
  } else {
    names = Object.keys(intersectionSearchSpace(usable));
  }
  if (names.length === 0) return {};

  const evaluator = options.evaluator ?? new FanovaImportanceEvaluator();
  const evalDirections = options.targetDirection === undefined ? directions : [options.targetDirection];
  const raw = evaluator.evaluate(usable, evalDirections, names, target);
  const values = names.map((name) => {
    const v = raw[name];
    if (v === undefined || Number.isNaN(v)) {
      throw new InvalidArgumentError(`importances: the evaluator returned no value for '${name}'.`);
    }
    return Math.max(0, v);
  });
  if (options.normalize ?? true) {
    const sum = values.reduce((a, b) => a + b, 0);
    for (let i = 0; i < values.length; i++) values[i] = sum > 0 ? values[i]! / sum : 1 / values.length;
  }
  const order = names
    .map((_, i) => i)
    .sort((a, b) => values[b]! - values[a]! || (names[a]! < names[b]! ? -1 : 1));
  const out: Record<string, number> = {};
  for (const i of order) out[names[i]!] = values[i]!;
  return out;
}

function checkParams(params: readonly string[], trials: readonly FrozenTrial[]): string[] {
  if (!Array.isArray(params) || params.some((p) => typeof p !== 'string')) {
    throw new InvalidArgumentError('importances: params must be an array of parameter names (strings).');
  }
  if (new Set(params).size !== params.length) {
    throw new InvalidArgumentError(`importances: params lists a name twice: ${JSON.stringify(params)}.`);
  }
  const known = new Set<string>();
  for (const t of trials) for (const name of Object.keys(t.distributions)) known.add(name);
  const unknown = params.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `importances: unknown parameter name(s) ${unknown.map((p) => `'${p}'`).join(', ')}; the complete trials have ${
        [...known]
          .sort()
          .map((p) => `'${p}'`)
          .join(', ') || 'no parameters'
      }.`,
    );
  }
  return [...params];
}
