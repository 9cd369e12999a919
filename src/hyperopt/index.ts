/**
 * `tunekit/hyperopt`: Hyperopt's interface — `fmin`, `hp`, `tpe`, `rand`, `Trials`,
 * `spaceEval` — on tunekit's samplers and storage.
 *
 * @example
 * ```ts
 * import { fmin, hp, spaceEval, STATUS_OK, tpe, Trials } from 'tunekit/hyperopt';
 *
 * const space = {
 *   lr: hp.loguniform('lr', Math.log(1e-4), Math.log(1e-1)),   // bounds in log space
 *   model: hp.choice('model', [
 *     { kind: 'mlp', layers: hp.quniform('layers', 1, 4, 1) },  // sampled only for 'mlp'
 *     { kind: 'linear' },
 *   ]),
 * };
 * const trials = new Trials();
 * const best = await fmin({                                        // a Promise, unlike Hyperopt
 *   fn: async ({ lr, model }) => ({ loss: await train(lr, model), status: STATUS_OK }),
 *   space, algo: tpe.suggest, maxEvals: 100, trials, seed: 1,
 * });
 * console.log(best, spaceEval(space, best), trials.losses());
 * ```
 *
 * Differences from Hyperopt (also in the README, "Coming from Hyperopt"):
 * - `fmin` is async and takes one options object with camelCase names (`maxEvals`,
 *   `earlyStopFn`, `lossThreshold`, `catchEvalExceptions`, `returnArgmin`).
 * - `hp.normal`/`hp.lognormal` (and the q- forms) are sampled through their quantile: the tunekit
 *   parameter holds u ∈ [1e-9, 1 − 1e-9] and the value is mu + sigma·Φ⁻¹(u) (tails beyond ±6
 *   sigma are cut). `hp.qloguniform` is a log-uniform tunekit float rounded to q, so its tunekit
 *   parameter holds the unrounded value; `hp.pchoice` is a uniform u mapped through the
 *   cumulative probabilities. The values the objective saw are in each trial's `hyperopt:vals`
 *   user attribute and in `trials.trials[i].misc.vals`.
 * - `hp.quniform` gives every grid point the same probability (Hyperopt gives the two end
 *   points half as much).
 * - `tpe.suggest` is tunekit's TPE with Hyperopt's defaults (20 random startup trials, 24
 *   candidates, ceil(0.25·√n) good trials, prior weight 1) but models co-occurring parameters
 *   jointly by default; `tpe.configure({ multivariate: false })` models each on its own as
 *   Hyperopt does. Its kernels and bandwidths are tunekit's, so runs differ from Hyperopt's even
 *   with equal seeds.
 * - No pyll arithmetic inside spaces (`hp.uniform(...) + 1`, `scope.int`): transform in `fn`.
 *   Numbers have no int/float distinction, so `hp.quniform('n', 1, 10, 1)` gives integers.
 * - No `anneal`, no MongoDB/Spark trials, no `Trials` attachments; JSON-serialisable extras of a
 *   result are stored as user attributes, others are kept in memory only.
 * @module
 */
export { type Algo, hyperoptGamma, rand, type TpeOptions, tpe } from './algos.js';
export { type EarlyStopAnswer, type EarlyStopFn, noProgressLoss } from './early-stop.js';
export { type FminOptions, type FnResult, fmin } from './fmin.js';
export { HpNode, type HpSpec, type HpType, hp, isHpNode, type Sample } from './hp.js';
export { NORMAL_QUANTILE_HIGH, NORMAL_QUANTILE_LOW, quantize } from './node-param.js';
export { type CompiledSpace, compileSpace, type HpVals, spaceEval } from './space.js';
export {
  ERROR_ATTR,
  type HyperoptMisc,
  type HyperoptResult,
  type HyperoptStatus,
  type HyperoptTrial,
  STATUS_FAIL,
  STATUS_OK,
  Trials,
  type TrialsOptions,
  VALS_ATTR,
} from './trials.js';
