/**
 * `fmin`: Hyperopt's entry point on tunekit's samplers and storage.
 *
 * Differences from Hyperopt: it returns a promise (tunekit's storage is async, and `fn` may be
 * async); `maxEvals` counts every trial in `trials`, as in Hyperopt, so passing the same
 * `Trials` again with a larger `maxEvals` continues the run. The trials are a tunekit study
 * (in memory by default, or `storage`/`studyName`), so tunekit's tools can read them.
 * @module
 */
import { InvalidArgumentError, InvalidTrialResultError, NoCompletedTrialsError } from '../core/errors.js';
import { log } from '../core/logging.js';
import { randomSeed } from '../core/rng.js';
import type { StorageLike } from '../storages/get-storage.js';
import type { Trial } from '../trial/trial.js';
import type { Algo } from './algos.js';
import type { EarlyStopFn } from './early-stop.js';
import type { Sample } from './hp.js';
import { internalValue } from './node-param.js';
import { type CompiledSpace, compileSpace, sampleSpace, spaceEval } from './space.js';
import { ERROR_ATTR, type HyperoptResult, STATUS_FAIL, STATUS_OK, Trials, VALS_ATTR } from './trials.js';

/** What `fn` returns: a loss, or `{ loss, status, ...extras }`. */
export type FnResult =
  | number
  | {
      readonly loss?: number | undefined;
      readonly status?: 'ok' | 'fail' | undefined;
      readonly [key: string]: unknown;
    };

/** Options of {@link fmin}. */
export interface FminOptions<S> {
  /** The objective: receives the space with values filled in; returns a loss to minimise or a result object. */
  fn: (args: Sample<S>) => FnResult | Promise<FnResult>;
  /** The search space: `hp` expressions anywhere inside objects, arrays and literals. */
  space: S;
  /** `tpe.suggest`, `rand.suggest`, `tpe.configure({...})`, or any {@link Algo}. */
  algo: Algo;
  /** Total evaluations in `trials` (those of earlier calls included). `Infinity` with a `timeout`. */
  maxEvals: number;
  /** Where the evaluations are recorded; pass the same object again to continue. */
  trials?: Trials | undefined;
  /** Same seed, same evaluations. Default: a random seed. */
  seed?: number | undefined;
  /** A storage URL or `Storage` for a new `Trials`. */
  storage?: StorageLike | undefined;
  /** The tunekit study's name for a new `Trials`. */
  studyName?: string | undefined;
  /** Seconds after which no new evaluation starts. */
  timeout?: number | undefined;
  /** Stop once the best loss is ≤ this. */
  lossThreshold?: number | undefined;
  /** Called after each evaluation; stops the run when it answers true (see `noProgressLoss`). */
  earlyStopFn?: EarlyStopFn | undefined;
  /**
   * When `fn` throws: false (default, as Hyperopt) marks the trial failed and re-throws; true
   * records the error in `misc.error` and goes on.
   */
  catchEvalExceptions?: boolean | undefined;
  /**
   * Points to evaluate first, when `trials` is empty (Hyperopt's `points_to_evaluate`): label →
   * value, with a choice's index; labels left out are sampled.
   */
  pointsToEvaluate?: readonly Readonly<Record<string, number>>[] | undefined;
  /** true (default): return `argmin` (choice indices). false: return `spaceEval(space, argmin)`. */
  returnArgmin?: boolean | undefined;
}

function checkOptions<S>(o: FminOptions<S>): void {
  if (o === null || typeof o !== 'object') {
    throw new InvalidArgumentError('fmin() needs an options object { fn, space, algo, maxEvals }.');
  }
  if (typeof o.fn !== 'function') {
    throw new InvalidArgumentError(`fmin: fn must be a function (args) => loss, got ${typeof o.fn}.`);
  }
  if (o.algo === null || typeof o.algo !== 'object' || typeof o.algo.createSampler !== 'function') {
    throw new InvalidArgumentError(
      'fmin: algo must be tpe.suggest, rand.suggest, tpe.configure({...}) or an object { name, createSampler(seed) }.',
    );
  }
  const unbounded = o.maxEvals === Number.POSITIVE_INFINITY && o.timeout !== undefined;
  if (!unbounded && !(Number.isInteger(o.maxEvals) && o.maxEvals >= 1)) {
    throw new InvalidArgumentError(
      `fmin: maxEvals must be an integer ≥ 1 (or Infinity with a timeout), got ${String(o.maxEvals)}.`,
    );
  }
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) {
    throw new InvalidArgumentError(`fmin: seed must be an integer, got ${String(o.seed)}.`);
  }
  if (o.timeout !== undefined && !(o.timeout > 0)) {
    throw new InvalidArgumentError(
      `fmin: timeout must be a positive number of seconds, got ${String(o.timeout)}.`,
    );
  }
  if (o.lossThreshold !== undefined && typeof o.lossThreshold !== 'number') {
    throw new InvalidArgumentError(`fmin: lossThreshold must be a number, got ${String(o.lossThreshold)}.`);
  }
  if (o.earlyStopFn !== undefined && typeof o.earlyStopFn !== 'function') {
    throw new InvalidArgumentError('fmin: earlyStopFn must be a function (trials, state) => [stop, state].');
  }
  if (o.trials !== undefined && !(o.trials instanceof Trials)) {
    throw new InvalidArgumentError('fmin: trials must be a Trials object (new Trials()).');
  }
}

/** Checks what `fn` returned; returns the result to record and the loss for the study. */
function parseResult(raw: unknown): HyperoptResult {
  if (typeof raw === 'number') return { status: STATUS_OK, loss: raw };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidTrialResultError(
      `fmin: fn must return a number (the loss) or { loss, status: 'ok' | 'fail' }, got ${JSON.stringify(raw)}.`,
    );
  }
  const r = raw as Record<string, unknown>;
  const status = r.status ?? STATUS_OK;
  if (status !== STATUS_OK && status !== STATUS_FAIL) {
    throw new InvalidTrialResultError(
      `fmin: fn returned status ${JSON.stringify(r.status)}; use 'ok' or 'fail'.`,
    );
  }
  if (status === STATUS_OK && typeof r.loss !== 'number') {
    throw new InvalidTrialResultError(
      `fmin: fn returned status 'ok' without a numeric loss (got ${JSON.stringify(r.loss)}); return { loss: number, status: 'ok' }.`,
    );
  }
  return { ...r, status } as HyperoptResult;
}

/** Stores the JSON-serialisable extras of a result as user attributes; warns once per skipped key. */
function storeExtras(trial: Trial, result: HyperoptResult, warned: Set<string>): void {
  for (const [key, value] of Object.entries(result)) {
    if (key === 'loss' || key === 'status' || key.startsWith('hyperopt:') || value === undefined) continue;
    try {
      trial.setUserAttr(key, value as never);
    } catch {
      if (!warned.has(key)) {
        warned.add(key);
        log.warn(
          `fmin: the result key '${key}' is not JSON; it is kept in trials.results but not in the storage.`,
        );
      }
    }
  }
}

/** The tunekit parameters of each given point (see `internalValue`), checked. */
function pointsToParams(
  compiled: CompiledSpace,
  points: readonly Readonly<Record<string, number>>[],
): Record<string, number>[] {
  if (!Array.isArray(points)) {
    throw new InvalidArgumentError('fmin: pointsToEvaluate must be an array of { label: value } objects.');
  }
  return points.map((point) => {
    if (point === null || typeof point !== 'object' || Array.isArray(point)) {
      throw new InvalidArgumentError(
        `fmin: each of pointsToEvaluate must be an object, got ${JSON.stringify(point)}.`,
      );
    }
    const params: Record<string, number> = {};
    for (const [label, v] of Object.entries(point as Readonly<Record<string, number>>)) {
      const node = compiled.nodes.get(label);
      if (node === undefined) {
        throw new InvalidArgumentError(
          `fmin: pointsToEvaluate names '${label}', which is no label of the space (labels: ${[...compiled.nodes.keys()].join(', ')}).`,
        );
      }
      params[label] = internalValue(node, v);
    }
    return params;
  });
}

function bestLoss(trials: Trials): number {
  let best = Number.POSITIVE_INFINITY;
  for (const l of trials.losses()) if (l !== null && l < best) best = l;
  return best;
}

/**
 * Minimises `fn` over `space`, as Hyperopt's `fmin`, and resolves to the best point: label →
 * value, with the index of the chosen option for `hp.choice` (use {@link spaceEval} for the
 * values, or `returnArgmin: false`).
 * @example
 * ```ts
 * import { fmin, hp, spaceEval, tpe, Trials } from 'tunekit/hyperopt';
 * const space = { x: hp.uniform('x', -10, 10), kind: hp.choice('kind', ['a', 'b']) };
 * const trials = new Trials();
 * const best = await fmin({ fn: ({ x, kind }) => (x - 2) ** 2 + (kind === 'a' ? 0 : 1), space,
 *                           algo: tpe.suggest, maxEvals: 100, trials, seed: 1 });
 * console.log(best, spaceEval(space, best), trials.bestTrial.result.loss);
 * ```
 */
export function fmin<S>(
  options: FminOptions<S> & { returnArgmin?: true | undefined },
): Promise<Record<string, number>>;
export function fmin<S>(options: FminOptions<S> & { returnArgmin: false }): Promise<Sample<S>>;
export function fmin<S>(options: FminOptions<S>): Promise<Record<string, number> | Sample<S>>;
export async function fmin<S>(options: FminOptions<S>): Promise<Record<string, number> | Sample<S>> {
  checkOptions(options);
  const compiled = compileSpace(options.space);
  const trials = options.trials ?? new Trials({ storage: options.storage, studyName: options.studyName });
  try {
    return await run(options, compiled, trials);
  } finally {
    // Trials made here cannot be reached by the caller: close a storage they opened from a URL.
    if (options.trials === undefined) await trials.close();
  }
}

async function run<S>(
  options: FminOptions<S>,
  compiled: CompiledSpace,
  trials: Trials,
): Promise<Record<string, number> | Sample<S>> {
  const seed = options.seed ?? randomSeed();
  const study = await trials.open(options.algo.createSampler(seed), {
    storage: options.storage,
    studyName: options.studyName,
  });
  trials.addLabels(compiled.nodes.keys());
  if (options.pointsToEvaluate !== undefined && trials.length === 0) {
    const params = pointsToParams(compiled, options.pointsToEvaluate).slice(0, options.maxEvals);
    for (const point of params) await study.enqueueTrial(point);
  }
  const deadline =
    options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout * 1000;
  const warned = new Set<string>();
  let stopState: unknown;
  while (trials.length < options.maxEvals && Date.now() < deadline) {
    if (options.lossThreshold !== undefined && bestLoss(trials) <= options.lossThreshold) break;
    const trial = await study.ask();
    const vals: Record<string, number> = {};
    let args: unknown;
    try {
      args = sampleSpace(compiled, trial, vals);
      trial.setUserAttr(VALS_ATTR, vals);
    } catch (e) {
      trials.add(await study.tell(trial, { state: 'fail' }), { status: STATUS_FAIL });
      throw e;
    }
    let result: HyperoptResult;
    try {
      result = parseResult(await options.fn(args as Sample<S>));
    } catch (e) {
      const invalid = e instanceof InvalidTrialResultError;
      const error: [string, string] = e instanceof Error ? [e.name, e.message] : ['Error', String(e)];
      if (!invalid) trial.setUserAttr(ERROR_ATTR, error);
      trials.add(await study.tell(trial, { state: 'fail' }), { status: STATUS_FAIL });
      if (invalid || !options.catchEvalExceptions) throw e;
      continue;
    }
    storeExtras(trial, result, warned);
    const frozen = await study.tell(
      trial,
      result.status === STATUS_OK ? (result.loss as number) : { state: 'fail' },
    );
    // tunekit fails a NaN loss; the record says so too.
    trials.add(
      frozen,
      frozen.state === 'complete' || result.status === STATUS_FAIL
        ? result
        : { ...result, status: STATUS_FAIL },
    );
    if (options.earlyStopFn !== undefined) {
      const answer = await options.earlyStopFn(trials, stopState);
      const stop = Array.isArray(answer) ? answer[0] : answer;
      if (Array.isArray(answer)) stopState = answer[1];
      if (stop === true) break;
    }
  }
  if (trials.length === 0) {
    throw new NoCompletedTrialsError(
      'fmin: no evaluation ran (maxEvals or timeout too small); there is no argmin.',
    );
  }
  const argmin = trials.argmin;
  return options.returnArgmin === false ? spaceEval(options.space, argmin) : argmin;
}
