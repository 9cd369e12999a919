/**
 * CMA-ES over the numeric parameters of a single-objective study, in the [0, 1] box of
 * {@link SearchSpaceTransform} (log scales, ints and steps mapped there; ints and steps rounded
 * back to their grid, with a margin so they do not freeze on one value).
 *
 * Search space. The optimizer starts once a trial has completed: its space is the float and int
 * parameters every complete trial shares (single-valued ones left out), fixed from then on.
 * **Categorical parameters, and any parameter outside that space, are sampled independently and
 * uniformly at random** — CMA-ES has no model of them.
 *
 * Warm start. When the optimizer starts and the study already holds more complete trials than
 * the random startup ones (enqueued points, another sampler's trials, an earlier run), the mean
 * starts at the best of them, so they are not wasted; otherwise (or with `warmStart: false`) at
 * the centre of the box.
 *
 * Shared state (study system attributes), so that several workers and a resumed study continue
 * one search:
 * - `cmaes:optimizer` — `{ epoch, trialId }`: which trial holds the current optimizer. The
 *   optimizer itself (the space, the CMA-ES state — mean, σ, C and its eigendecomposition,
 *   evolution paths — the restart bookkeeping and an `epoch`, one per generation) is JSON text in
 *   that trial's system attribute `cmaes:state` (so the study attributes every worker reads per
 *   trial stay small), the CMA state's arrays packed (`f64:` + base64 of their bytes): one string,
 *   which storages copy far faster than thousands of numbers, and exact. Once per generation, whichever worker first sees λ complete trials of the
 *   current epoch computes the next optimizer, stores it on its trial and moves the pointer with
 *   compare-and-set.
 * - `cmaes:count` — `{ epoch, complete }`: complete trials of the current epoch (compare-and-set in
 *   `afterTrial`).
 * Each trial records the epoch it was sampled from (`cmaes:epoch`) and its continuous point
 * (`cmaes:x`, packed the same way); an update uses the trials of its epoch in number order (the stored point when it
 * still matches the trial's parameters, else the parameters mapped into the box, so enqueued
 * trials count too). Each trial draws from a stream derived from (seed, trial number).
 *
 * Restarts: with `'ipop'`, when the run stalls (σ tiny, flat best values or an ill-conditioned
 * C) it restarts from a random mean with a doubled population; `'bipop'` alternates such large
 * populations with small ones with a smaller σ, balancing the evaluations of both regimes
 * (Hansen 2009). `'none'` (default) keeps sampling the converged distribution.
 *
 * Multi-objective studies are not supported by CMA-ES: every parameter is then sampled at
 * random, with one warning.
 * @module
 */

import { type Distribution, distributionFromJson, distributionToJson } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { log } from '../../core/logging.js';
import { deriveSeed, Rng, randomSeed } from '../../core/rng.js';
import { SearchSpaceTransform } from '../../core/search-space-transform.js';
import {
  type CmaState,
  cmaShouldStop,
  createCmaState,
  defaultPopsize,
  sampleCmaInBox,
  tellCma,
} from '../../math/cmaes/index.js';
import type { Storage } from '../../storages/base.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { claimedRelative } from '../claimed-values.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { sampleUniform } from '../random/sample-uniform.js';
import { packNumbers, unpackNumbers } from './packed-numbers.js';

/** Study system attribute: where the current optimizer is, `{ epoch, trialId }`. */
export const CMAES_OPTIMIZER_ATTR = 'cmaes:optimizer';
/** Trial system attribute: the optimizer (JSON) the trial computed. */
export const CMAES_STATE_ATTR = 'cmaes:state';
/** Study system attribute: complete trials of the current epoch. */
export const CMAES_COUNT_ATTR = 'cmaes:count';
/** How many trial numbers below the trial that created an epoch an update looks for its trials. */
const EPOCH_WINDOW = 1024;
/** Trial system attribute: the epoch the trial was sampled from. */
export const CMAES_EPOCH_ATTR = 'cmaes:epoch';
/** Trial system attribute: the trial's point in [0, 1]^D. */
export const CMAES_X_ATTR = 'cmaes:x';

/** Options of {@link CmaEsSampler}. */
export interface CmaEsSamplerOptions {
  /** Same seed, same suggestions (sequential studies). Omitted: a random seed. */
  seed?: number;
  /** Initial step size in the [0, 1] box. Default 0.15 (Optuna: 1/6). */
  sigma0?: number;
  /** λ, the trials per generation. Default 4 + ⌊3 ln D⌋. */
  popsize?: number;
  /** Default 'none'. */
  restartStrategy?: 'none' | 'ipop' | 'bipop';
  /** Diagonal covariance (sep-CMA-ES): cheaper and faster on separable problems. Default false. */
  separable?: boolean;
  /** Margin for int and step parameters (see the module documentation). Default true. */
  withMargin?: boolean;
  /** Start the mean at the best earlier trial (see the module documentation). Default true. */
  warmStart?: boolean;
  /** Trials sampled at random before the optimizer may start. Default 1. */
  nStartupTrials?: number;
}

interface Optimizer {
  seed: number;
  names: string[];
  space: Record<string, string>;
  epoch: number;
  cma: CmaState;
  restarts: number;
  /** bipop bookkeeping: the large regime's popsize and the evaluations of each regime. */
  largePopsize: number;
  largeEvals: number;
  smallEvals: number;
  regime: 'large' | 'small';
  evals: number;
}

interface Parsed {
  readonly opt: Optimizer;
  /** Number of the trial that holds this optimizer. */
  readonly holderNumber: number;
  readonly space: SearchSpace;
  readonly transform: SearchSpaceTransform;
  readonly steps: Float64Array;
}

/** CMA-ES. See the module documentation. */
export class CmaEsSampler implements Sampler {
  readonly name = 'cmaes';
  readonly seed: number;
  readonly sigma0: number;
  readonly popsize: number | null;
  readonly restartStrategy: 'none' | 'ipop' | 'bipop';
  readonly separable: boolean;
  readonly withMargin: boolean;
  readonly warmStart: boolean;
  readonly nStartupTrials: number;
  private readonly claims = new WeakMap<
    FrozenTrial,
    { space: SearchSpace; values: Record<string, number>; epoch: number }
  >();
  private readonly parsed = new Map<string, Parsed>();
  /** The last optimizer space mapped (key: its names and distributions as JSON). */
  private lastSpace: {
    key: string;
    space: SearchSpace;
    transform: SearchSpaceTransform;
    steps: Float64Array;
  } | null = null;
  /** The `cmaes:count` last seen, per storage and study (see afterTrial). */
  private readonly countGuesses = new WeakMap<Storage, Map<number, JsonValue>>();
  /** Complete trials by epoch, per storage and study (see {@link epochTrials}). */
  private readonly epochIndex = new WeakMap<
    Storage,
    Map<number, { prefix: number; byEpoch: Map<number, number[]> }>
  >();
  private readonly rng = new Rng(0);
  private warnedMulti = false;

  constructor(options: CmaEsSamplerOptions = {}) {
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(
        `CmaEsSampler: seed must be a finite number, got ${String(options.seed)}.`,
      );
    }
    const sigma0 = options.sigma0 ?? 0.15;
    if (!(sigma0 > 0 && Number.isFinite(sigma0))) {
      throw new InvalidArgumentError(`CmaEsSampler: sigma0 must be > 0, got ${String(options.sigma0)}.`);
    }
    if (options.popsize !== undefined && !(Number.isInteger(options.popsize) && options.popsize >= 2)) {
      throw new InvalidArgumentError(
        `CmaEsSampler: popsize must be an integer ≥ 2, got ${String(options.popsize)}.`,
      );
    }
    const restart = options.restartStrategy ?? 'none';
    if (restart !== 'none' && restart !== 'ipop' && restart !== 'bipop') {
      throw new InvalidArgumentError(
        `CmaEsSampler: restartStrategy must be 'none', 'ipop' or 'bipop', got ${JSON.stringify(restart)}.`,
      );
    }
    const nStartup = options.nStartupTrials ?? 1;
    if (!(Number.isInteger(nStartup) && nStartup >= 1)) {
      throw new InvalidArgumentError(
        `CmaEsSampler: nStartupTrials must be an integer ≥ 1, got ${String(nStartup)}.`,
      );
    }
    this.seed = options.seed ?? randomSeed();
    this.sigma0 = sigma0;
    this.popsize = options.popsize ?? null;
    this.restartStrategy = restart;
    this.separable = options.separable ?? false;
    this.withMargin = options.withMargin ?? true;
    this.warmStart = options.warmStart ?? true;
    this.nStartupTrials = nStartup;
  }

  async beforeTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    if (study.directions.length !== 1) {
      if (!this.warnedMulti) {
        this.warnedMulti = true;
        log.warn(
          `CmaEsSampler: study '${study.studyName}' has ${study.directions.length} objectives; CMA-ES handles one, so every parameter is sampled at random. Use NSGAIISampler for multi-objective studies.`,
        );
      }
      return;
    }
    const { storage, studyId } = study;
    let attrs = await storage.getStudySystemAttrs(studyId);
    let raw = attrs[CMAES_OPTIMIZER_ATTR];
    if (raw === undefined) {
      const fresh = this.initialOptimizer(study);
      if (fresh === null) return; // nothing complete yet: random
      await storage.setTrialSystemAttr(trial.trialId, CMAES_STATE_ATTR, toStored(fresh));
      const pointer = { epoch: 0, trialId: trial.trialId };
      if (await storage.compareAndSetStudySystemAttr(studyId, CMAES_OPTIMIZER_ATTR, undefined, pointer)) {
        raw = pointer;
        this.remember(studyId, pointer, fresh, trial.number);
      } else {
        attrs = await storage.getStudySystemAttrs(studyId);
        raw = attrs[CMAES_OPTIMIZER_ATTR];
      }
    }
    let parsed = await this.load(study, raw!);
    for (;;) {
      const count = attrs[CMAES_COUNT_ATTR] as { epoch: number; complete: number } | undefined;
      if (count !== undefined) this.countGuess(study).set(studyId, count);
      if (count === undefined || count.epoch !== parsed.opt.epoch || count.complete < parsed.opt.cma.lambda)
        break;
      const next = this.update(study, parsed);
      if (next === null) break;
      await storage.setTrialSystemAttr(trial.trialId, CMAES_STATE_ATTR, toStored(next));
      const pointer = { epoch: next.epoch, trialId: trial.trialId };
      if (await storage.compareAndSetStudySystemAttr(studyId, CMAES_OPTIMIZER_ATTR, raw!, pointer)) {
        raw = pointer;
        parsed = this.remember(studyId, pointer, next, trial.number);
        break;
      }
      attrs = await storage.getStudySystemAttrs(studyId);
      raw = attrs[CMAES_OPTIMIZER_ATTR]!;
      parsed = await this.load(study, raw);
    }
    const rng = this.rng;
    rng.reseed(deriveSeed(parsed.opt.seed, trial.number, 'cmaes'));
    const x = sampleCmaInBox(parsed.opt.cma, () => rng.normal());
    await storage.setTrialSystemAttr(trial.trialId, CMAES_EPOCH_ATTR, parsed.opt.epoch);
    await storage.setTrialSystemAttr(trial.trialId, CMAES_X_ATTR, packFinite(x, CMAES_X_ATTR));
    this.claims.set(trial, {
      space: parsed.space,
      values: parsed.transform.untransform(x),
      epoch: parsed.opt.epoch,
    });
  }

  async afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: 'complete' | 'pruned' | 'fail',
  ): Promise<void> {
    if (state !== 'complete' || study.directions.length !== 1) return;
    let epoch = this.claims.get(trial)?.epoch;
    const own = trial.systemAttrs[CMAES_EPOCH_ATTR];
    if (epoch === undefined && typeof own === 'number') epoch = own;
    const { storage, studyId } = study;
    if (epoch === undefined) {
      const e = (await storage.getTrial(trial.trialId)).systemAttrs[CMAES_EPOCH_ATTR];
      if (typeof e !== 'number') return;
      epoch = e;
    }
    // Optimistic: compare-and-set against the count last seen here (reading the study's
    // attributes only when that guess is stale). Counts only grow, so a guess newer than this
    // trial's epoch is a safe reason to stop.
    const guesses = this.countGuess(study);
    let raw: JsonValue | undefined = guesses.get(studyId);
    let read = raw === undefined;
    if (read) raw = (await storage.getStudySystemAttrs(studyId))[CMAES_COUNT_ATTR];
    for (;;) {
      const count = raw as { epoch: number; complete: number } | undefined;
      let next: { epoch: number; complete: number };
      if (count === undefined || count.epoch < epoch) next = { epoch, complete: 1 };
      else if (count.epoch === epoch) next = { epoch, complete: count.complete + 1 };
      else return;
      if (await storage.compareAndSetStudySystemAttr(studyId, CMAES_COUNT_ATTR, raw, next)) {
        guesses.set(studyId, next);
        return;
      }
      if (read) guesses.delete(studyId);
      raw = (await storage.getStudySystemAttrs(studyId))[CMAES_COUNT_ATTR];
      read = true;
    }
  }

  inferRelativeSearchSpace(_study: StudyView, trial: FrozenTrial): SearchSpace {
    return this.claims.get(trial)?.space ?? {};
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    const claim = this.claims.get(trial);
    // The space this sampler inferred for the trial: every claimed value is in it (the values
    // are the trial's own, fresh object).
    if (claim !== undefined && searchSpace === claim.space) return claim.values;
    return claimedRelative(claim?.values, searchSpace);
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    this.rng.reseed(deriveSeed(this.seed, trial.number, name));
    return sampleUniform(distribution, this.rng);
  }

  /** The last `cmaes:count` seen per study of the view's storage (a guess for compare-and-set). */
  private countGuess(study: StudyView): Map<number, JsonValue> {
    let m = this.countGuesses.get(study.storage);
    if (m === undefined) {
      m = new Map();
      this.countGuesses.set(study.storage, m);
    }
    return m;
  }

  /** The optimizer for a study whose first trials completed, or null when there is no space yet. */
  private initialOptimizer(study: StudyView): Optimizer | null {
    const complete = study.getTrials(['complete']).filter((t) => t.values !== null);
    if (complete.length < this.nStartupTrials) return null;
    const all = intersectionSearchSpace(complete, { excludeSingle: true });
    const space: SearchSpace = {};
    for (const [name, d] of Object.entries(all)) if (d.type !== 'categorical') space[name] = d;
    const names = Object.keys(space);
    if (names.length === 0) return null;
    const transform = new SearchSpaceTransform(space);
    let mean: number[] = new Array<number>(transform.dim).fill(0.5);
    // Warm start only from trials beyond the random startup ones (another sampler's, enqueued
    // points, a study run before): a single random point is a worse start than the centre.
    if (this.warmStart && complete.length > this.nStartupTrials) {
      const sign = study.directions[0] === 'maximize' ? -1 : 1;
      let best: FrozenTrial | null = null;
      for (const t of complete) {
        const v = sign * t.values![0]!;
        if (Number.isNaN(v)) continue;
        if (best === null || v < sign * best.values![0]!) best = t;
      }
      if (best !== null) mean = Array.from(transform.transform(best.internalParams));
    }
    const lambda = this.popsize ?? defaultPopsize(transform.dim);
    const serialSpace: Record<string, string> = {};
    for (const name of names) serialSpace[name] = distributionToJson(space[name]!);
    return {
      seed: this.seed,
      names,
      space: serialSpace,
      epoch: 0,
      cma: createCmaState({ mean, sigma: this.sigma0, popsize: lambda, separable: this.separable }),
      restarts: 0,
      largePopsize: lambda,
      largeEvals: 0,
      smallEvals: 0,
      regime: 'large',
      evals: 0,
    };
  }

  /** The optimizer a pointer `{ epoch, trialId }` names, from the memo, the snapshot or the storage. */
  private async load(study: StudyView, raw: JsonValue): Promise<Parsed> {
    const pointer = raw as { epoch?: unknown; trialId?: unknown } | null;
    if (
      typeof pointer !== 'object' ||
      pointer === null ||
      typeof pointer.epoch !== 'number' ||
      typeof pointer.trialId !== 'number'
    ) {
      throw new InvalidArgumentError(
        `CmaEsSampler: the study system attribute '${CMAES_OPTIMIZER_ATTR}' holds ${JSON.stringify(raw)}, not { epoch, trialId }.`,
      );
    }
    const p = { epoch: pointer.epoch, trialId: pointer.trialId };
    const known = this.parsed.get(`${study.studyId}:${p.trialId}:${p.epoch}`);
    if (known !== undefined) return known;
    let holder: FrozenTrial | undefined;
    for (let i = study.trials.length - 1; i >= 0; i--) {
      if (study.trials[i]!.trialId === p.trialId) {
        holder = study.trials[i];
        break;
      }
    }
    let state = holder?.systemAttrs[CMAES_STATE_ATTR];
    if (state === undefined) {
      holder = await study.storage.getTrial(p.trialId);
      state = holder.systemAttrs[CMAES_STATE_ATTR];
    }
    const opt = fromStored(state);
    if (opt === null || opt.epoch !== p.epoch) {
      throw new InvalidArgumentError(
        `CmaEsSampler: trial ${p.trialId} does not hold the optimizer of epoch ${p.epoch} ('${CMAES_STATE_ATTR}').`,
      );
    }
    return this.remember(study.studyId, p, opt, holder!.number);
  }

  private remember(
    studyId: number,
    pointer: { epoch: number; trialId: number },
    opt: Optimizer,
    holderNumber: number,
  ): Parsed {
    // The space rarely changes between epochs: reuse the last one's transform when it is equal.
    const key = JSON.stringify([opt.names, opt.space]);
    let mapped = this.lastSpace;
    if (mapped === null || mapped.key !== key) {
      const space: SearchSpace = {};
      for (const name of opt.names) space[name] = distributionFromJson(opt.space[name]!);
      const transform = new SearchSpaceTransform(space);
      const steps = new Float64Array(transform.dim);
      if (this.withMargin) for (const p of transform.params) steps[p.column] = p.unitStep;
      mapped = { key, space, transform, steps };
      this.lastSpace = mapped;
    }
    const { space, transform, steps } = mapped;
    const parsed = { opt, holderNumber, space, transform, steps };
    if (this.parsed.size > 8) this.parsed.clear();
    this.parsed.set(`${studyId}:${pointer.trialId}:${pointer.epoch}`, parsed);
    return parsed;
  }

  /**
   * The complete trials (with values) sampled from `epoch`, in number order. Each finished trial
   * is indexed once: a memo per storage and study files the trials of the longest finished
   * prefix of the snapshot by epoch (a finished trial's epoch and values never change); the
   * trials after it are looked at on every call.
   */
  private epochTrials(study: StudyView, epoch: number): FrozenTrial[] {
    let byStudy = this.epochIndex.get(study.storage);
    if (byStudy === undefined) {
      byStudy = new Map();
      this.epochIndex.set(study.storage, byStudy);
    }
    const trials = study.trials;
    let index = byStudy.get(study.studyId);
    if (index === undefined || index.prefix > trials.length) {
      index = { prefix: 0, byEpoch: new Map() };
      byStudy.set(study.studyId, index);
    }
    const epochOf = (t: FrozenTrial): number | null => {
      const e = t.systemAttrs[CMAES_EPOCH_ATTR];
      return t.state === 'complete' && t.values !== null && typeof e === 'number' ? e : null;
    };
    while (index.prefix < trials.length) {
      const t = trials[index.prefix]!;
      if (t.state === 'running' || t.state === 'waiting') break;
      const e = epochOf(t);
      if (e !== null) {
        let list = index.byEpoch.get(e);
        if (list === undefined) {
          list = [];
          index.byEpoch.set(e, list);
        }
        list.push(index.prefix);
      }
      index.prefix++;
    }
    const out = (index.byEpoch.get(epoch) ?? []).map((i) => trials[i]!);
    for (let i = index.prefix; i < trials.length; i++)
      if (epochOf(trials[i]!) === epoch) out.push(trials[i]!);
    return out;
  }

  /** The optimizer after the current epoch's trials, or null when too few are in the snapshot. */
  private update(study: StudyView, parsed: Parsed): Optimizer | null {
    const { opt, transform } = parsed;
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    // The epoch's trials are recent: scan back from the newest trial, down to a window below the
    // trial that created the epoch (trials are numbered when created, so one that started a
    // little earlier may still have sampled from this epoch).
    const lowest = parsed.holderNumber - EPOCH_WINDOW;
    const found: FrozenTrial[] = [];
    for (const t of this.epochTrials(study, opt.epoch)) {
      if (t.number < lowest) continue;
      if (!opt.names.every((n) => t.internalParams[n] !== undefined)) continue;
      found.push(t);
    }
    const xs: Float64Array[] = [];
    const values: number[] = [];
    for (const t of found.slice(0, opt.cma.lambda)) {
      const stored = unpackNumbers(t.systemAttrs[CMAES_X_ATTR]);
      let x: Float64Array | null = null;
      if (stored !== null && stored.length === transform.dim) {
        const cand = Float64Array.from(stored);
        const back = transform.untransform(cand);
        if (opt.names.every((n) => back[n] === t.internalParams[n])) x = cand;
      }
      xs.push(x ?? transform.transform(t.internalParams));
      values.push(sign * t.values![0]!);
    }
    if (xs.length < Math.min(2, opt.cma.lambda)) return null;
    let cma = tellCma(opt.cma, xs, values, { steps: parsed.steps });
    const next: Optimizer = { ...opt, epoch: opt.epoch + 1, cma, evals: opt.evals + xs.length };
    if (next.regime === 'large') next.largeEvals += xs.length;
    else next.smallEvals += xs.length;
    if (this.restartStrategy !== 'none' && cmaShouldStop(cma) !== null) {
      const rng = new Rng(deriveSeed(opt.seed, 'cmaes-restart', opt.restarts + 1));
      const mean = Array.from({ length: transform.dim }, () => rng.random());
      const lambda0 = this.popsize ?? defaultPopsize(transform.dim);
      let popsize: number;
      let sigma = this.sigma0;
      if (this.restartStrategy === 'ipop' || next.smallEvals >= next.largeEvals) {
        next.largePopsize *= 2;
        popsize = next.largePopsize;
        next.regime = 'large';
      } else {
        const u = rng.random();
        popsize = Math.max(2, Math.floor(lambda0 * (0.5 * (next.largePopsize / lambda0)) ** (u * u)));
        sigma = this.sigma0 * 10 ** (-2 * rng.random());
        next.regime = 'small';
      }
      cma = createCmaState({ mean, sigma, popsize, separable: this.separable });
      next.cma = cma;
      next.restarts = opt.restarts + 1;
      log.info(
        `CmaEsSampler: study '${study.studyName}' restarts (${this.restartStrategy}, run ${next.restarts}) with population ${popsize}.`,
      );
    }
    return next;
  }
}

/** The CMA state's arrays, stored packed (see packed-numbers.ts). */
const CMA_ARRAYS = ['mean', 'C', 'B', 'D', 'pc', 'ps', 'history'] as const;

/** Packed finite numbers (throws on a non-finite one, as storing it as JSON would). */
function packFinite(values: ArrayLike<number>, what: string): string {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new InvalidArgumentError(`CmaEsSampler: ${what} holds ${values[i]}, which cannot be stored.`);
    }
  }
  return packNumbers(values);
}

/**
 * The optimizer as a system attribute: JSON text, its CMA arrays packed (a separable state's B,
 * always the identity, left out). One string is what storages copy fastest.
 */
function toStored(opt: Optimizer): string {
  const cma: Record<string, unknown> = { ...opt.cma };
  for (const k of CMA_ARRAYS) {
    cma[k] = k === 'B' && opt.cma.separable ? '' : packFinite(opt.cma[k], `the CMA state's '${k}'`);
  }
  return JSON.stringify({ ...opt, cma });
}

/** The optimizer a system attribute holds (JSON text, or from earlier versions an object). */
function fromStored(raw: JsonValue | undefined): Optimizer | null {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const opt = value as Optimizer;
  if (!Array.isArray(opt.names) || typeof opt.cma !== 'object' || opt.cma === null) return null;
  const cma: Record<string, unknown> = { ...opt.cma };
  for (const k of CMA_ARRAYS) {
    if (k === 'B' && opt.cma.separable && cma[k] === '') {
      const n = opt.cma.n;
      cma[k] = Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
      continue;
    }
    const values = unpackNumbers(cma[k]);
    if (values === null) return null;
    cma[k] = values;
  }
  return { ...opt, cma: cma as unknown as CmaState };
}
