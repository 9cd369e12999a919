/**
 * Gaussian-process Bayesian optimisation.
 *
 * Per trial, once `nStartupTrials` trials are complete:
 * 1. The relative search space is the intersection of the complete trials' parameters (those
 *    with one possible value left out). It is mapped to [0, 1]^D by the search-space transform:
 *    log parameters in log space, ints and steps on half-step-widened cells, categoricals one-hot.
 *    Parameters outside it are drawn uniformly, as RandomSampler does.
 * 2. Objective values are turned into a maximisation (minimise → negate), ±Infinity clipped to the
 *    finite range, standardised, then warped by a Yeo–Johnson power transform fitted to them
 *    (order-preserving; it tames heavy tails such as Rosenbrock's or Ackley's plateau, which
 *    otherwise make the GP overconfident) and standardised again.
 * 3. A zero-mean GP with the Matérn-5/2 ARD kernel is fitted by maximising the log marginal
 *    likelihood plus a log-prior (−0.1/λ − 0.1·λ per inverse squared length scale λ, Gamma(2, 1)
 *    on the signal variance, Gamma(1.1, 30) on the noise) with bounded L-BFGS-B,
 *    starting from the previous fit of the same study and space (kept in memory and validated;
 *    only a starting point, the optimum is the trials').
 * 4. Other workers' running trials are given a lie: the posterior mean there, capped at the best
 *    value (a kriging believer that never promises an improvement), and the GP is conditioned on
 *    them as nearly exact observations, so concurrent suggestions spread out. A running trial's
 *    point is read from the storage, or — for trials of this process that have not suggested yet
 *    — from this sampler's own record of what it proposed to them.
 * 5. Log expected improvement over the best standardised value is maximised from 2048 scrambled
 *    Sobol candidates (seeded by the trial number) and local searches — L-BFGS-B over continuous
 *    columns, coordinate search over grids and one-hot blocks — from the best candidates and the
 *    best trial.
 *
 * Degradation and fallbacks, each said once per study in the log: above `maxModelTrials` complete
 * trials the GP uses the best half and a seeded random half of that many (and fits its
 * hyperparameters on at most `maxFitTrials` of them), so a suggestion stays within a few seconds;
 * no finite value, a constant objective or a numerical failure → uniform sampling for that trial.
 *
 * Several objectives (`directions: [...]`): one independent GP per objective, each fitted as above
 * (its own warping, hyperparameters and warm start), and the acquisition is the exact log expected
 * hypervolume improvement (log EHVI) of their joint prediction over the Pareto front of the
 * model's trials (in the standardised, maximised units; reference point: each objective's worst
 * value minus a tenth of its range), computed on a box decomposition of the non-dominated region
 * (see src/math/gp/log-ehvi). Running trials get the posterior means as fantasies in every GP
 * and join the front, so concurrent suggestions spread out. An objective whose values are all
 * equal is left out of the model. Above `maxModelTrials` the subset keeps the best
 * non-domination ranks. With 3+ objectives a front whose box grid would exceed
 * {@link MAX_EHVI_CELLS} cells is thinned to its least crowded points (an approximation).
 *
 * Constraints (`createStudy({ constraints })`, trials carrying `tunekit:constraints`): as Optuna's
 * GPSampler, the acquisition is constrained log EI — log EI over the best *feasible* value plus,
 * for each constraint k, log P(c_k(x) ≤ 0) from a GP fitted to that constraint's values
 * (standardised, same kernel and prior as the objective's). The objective GP still sees every
 * complete trial (feasible or not). With no feasible trial yet, the acquisition is the log
 * probability of feasibility alone. A trial without constraint values (its constraint function
 * threw) is infeasible for the threshold and left out of the constraint GPs.
 *
 * Notation: n complete trials used by the model, D encoded columns, X is n×D row-major, y the
 * standardised values (larger is better).
 * @module
 */
import { constraintValues, hasConstraints, violationForRanking } from '../../core/constraints.js';
import { type Distribution, distributionsEqual } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { log } from '../../core/logging.js';
import { deriveSeed, Rng, randomSeed } from '../../core/rng.js';
import {
  fitKernelParamsMap,
  type KernelLogPriorFn,
  twoSidedLengthScalePrior,
} from '../../math/gp/fit-map.js';
import {
  copyKernelParams,
  type GpPosteriorState,
  gpPosteriorState,
  type KernelParams,
} from '../../math/gp/index.js';
import { ehviBoxes } from '../../math/gp/log-ehvi.js';
import {
  createPosteriorWorkspace,
  gpPosteriorWithGradient,
  type PosteriorWorkspace,
} from '../../math/gp/posterior.js';
import {
  type BatchPosteriorWorkspace,
  createBatchPosteriorWorkspace,
  gpPosteriorBatch,
} from '../../math/gp/posterior-batch.js';
import { logNdtr, normLogPdf } from '../../math/special/normal.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { observationsAtBudget } from '../budget.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { crowdingDistance, nonDominatedFronts } from '../nsga2/non-dominated-sort.js';
import { sampleUniform } from '../random/sample-uniform.js';
import { trustRegionSide, warmPhaseHistory } from '../trust-region.js';
import { warmSearchSpace } from '../warm-start.js';
import { type Acquisition, LogEIAcquisition } from './acquisition.js';
import { EncodedSpace, spaceSignature } from './encoded-space.js';
import { conditionWithFantasies, encodePending, fantasyMeans } from './fantasies.js';
import { LogEHVIAcquisition } from './log-ehvi-acquisition.js';
import { optimizeAcquisition } from './optimize-acquisition.js';
import { clipToFiniteRange, isFlat, type OutputWarping, warpOutputs } from './output-warping.js';
import { isStalled, NEAR_REPEAT_DISTANCE, nearestScaledDistance, STALL_WINDOW } from './stall-escape.js';
import { bestAndRandomSubset } from './subset.js';
import { type TrustRegionBox, trustRegionBox } from './trust-region.js';
import { stackedWarmGpModel, type WarmStartModel, warmGpModel } from './warm-gp.js';

/** Options of {@link GPSampler}. */
export interface GPSamplerOptions {
  /** Same seed, same suggestions. Omitted: a random seed. */
  seed?: number | undefined;
  /** Complete trials sampled at random before the GP is used. Default 10. */
  nStartupTrials?: number | undefined;
  /** Fix the noise variance at its minimum (the objective has no noise). Default false. */
  deterministicObjective?: boolean | undefined;
  /**
   * Sobol candidates scored per suggestion. Default 2048; above 300 model trials it shrinks as
   * 300/n (to at least 512), since scoring costs O(n²) per candidate.
   */
  nCandidates?: number | undefined;
  /** Local searches of the acquisition per suggestion. Default 10. */
  nLocalSearch?: number | undefined;
  /** Most complete trials the GP is conditioned on (best half + random half above). Default 600. */
  maxModelTrials?: number | undefined;
  /** Most trials the hyperparameters are fitted on (a subset of the model's). Default 200. */
  maxFitTrials?: number | undefined;
  /**
   * Log-prior of the kernel hyperparameters. Default: −0.1/λ − 0.1·λ per inverse squared length
   * scale, Gamma(2, 1) on the signal variance, Gamma(1.1, 30) on the noise.
   */
  logPrior?: KernelLogPriorFn | undefined;
  /**
   * Order-preserving transform of the values before the GP sees them. Default 'yeo-johnson' with
   * one objective, 'none' with several (a warping per objective reshapes the hypervolume the
   * acquisition measures; on DTLZ2 it cost about 10% of the hypervolume at 50 trials).
   */
  outputWarping?: OutputWarping | undefined;
  /** Lower bound of the noise variance (standardised units). Default 1e-6. */
  minimumNoise?: number | undefined;
  /** Say (log level info) when a parameter outside the GP's space is sampled uniformly. Default true. */
  warnIndependentSampling?: boolean | undefined;
  /**
   * Budget-aware modelling (BOHB-style), for studies whose trials report intermediate values under
   * a pruner: the GP is fitted on the finished (complete and pruned) trials' reports at the highest
   * step that at least `budgetMinTrials` of them reached, instead of on the complete trials'
   * values only. Before a step has that many reports, and in multi-objective or constrained
   * studies, the GP models the complete trials as usual. Default false.
   */
  budgetAware?: boolean | undefined;
  /**
   * How a warm start (`createStudy({ warmStartFrom })`) enters the GP. 'pooled' (default): the
   * warm trials are extra observations of this study's function with inflated noise; with the
   * trust region ({@link warmTrustRegion}) it reached 30-trial regrets of 0.050 (shifted hartmann6)
   * and 3.9e-6 (shifted mixed_mlp) in `bench/warm-start.ts`. 'stacked': a GP fitted to the sources
   * is the prior mean (scaled to this study's values by ridge regression) and a second GP models
   * this study's residuals, as in Google Vizier's transfer learning; precise when the objective
   * changed smoothly (mixed_mlp 8.3e-6) but it keeps a source's optimum attractive when the
   * optimum moved (hartmann6 0.23).
   */
  warmStartModel?: WarmStartModel | undefined;
  /**
   * Stall escape (see stall-escape.ts): when the best value has not moved for 10 trials and the
   * GP's proposal nearly repeats a trial already run, every second such trial is drawn uniformly
   * instead. Single objective without constraints, cold GP only. Default true; on hartmann6 it cut the default
   * sampler's mean regret over 50 seeds from 0.178 to 0.082 (bench/RESULTS.md).
   */
  escapeStalls?: boolean | undefined;
  /**
   * Warm starts only: maximise the acquisition inside a trust region around the study's best
   * trial, which doubles after 3 improvements in a row and halves after 4 trials without one
   * (see trust-region.ts; TuRBO's rule, replayed from the trials); categorical parameters keep the
   * best trial's category until the region has doubled; until the study has as many complete
   * trials of its own as its warm start has trials. Default true with the pooled warm-start
   * model, false with the stacked one. In `bench/warm-start.ts` (30 trials, 10 seeds) it cut the
   * pooled model's mean regret from 0.159 to 0.050 on the shifted hartmann6 and from 3.4e-4 to
   * 3.9e-6 on the shifted mixed_mlp (the warm GP no longer spends its trials on corners of the
   * space and on other optimizers and batch sizes).
   */
  warmTrustRegion?: boolean | undefined;
  /** Finished trials that must have reported at a step for the budget-aware GP to model it. Default max(5, ⌈nStartupTrials / 2⌉) (5 with the defaults; 5 and 8 did better than 10 and 20 on the learning-curve benchmark). */
  budgetMinTrials?: number | undefined;
}

interface Memo {
  signature: string;
  params: KernelParams;
}

/** What the GP step saw: the model's trials and their standardised values. */
interface Observations {
  readonly trials: FrozenTrial[];
  readonly y: Float64Array;
}

/**
 * Gaussian-process Bayesian optimisation for single-objective studies (see the module
 * documentation for the model, the acquisition and the fallbacks).
 *
 * @example
 * ```ts
 * const study = await createStudy({ sampler: new GPSampler({ seed: 1 }) });
 * await study.optimize((t) => (t.suggestFloat('x', -5, 5) - 1) ** 2, { nTrials: 30 });
 * ```
 */
export class GPSampler implements Sampler {
  readonly name = 'gp';
  readonly seed: number;
  private readonly nStartupTrials: number;
  private readonly deterministic: boolean;
  private readonly nCandidates: number;
  private readonly nLocalSearch: number;
  private readonly maxModelTrials: number;
  private readonly maxFitTrials: number;
  private readonly warnIndependent: boolean;
  private readonly logPrior: KernelLogPriorFn;
  /** The transform of the values before the GP sees them (see {@link GPSamplerOptions.outputWarping}). */
  readonly outputWarping: OutputWarping;
  /** The warping of each objective of a multi-objective study. */
  private readonly multiOutputWarping: OutputWarping;
  private readonly minimumNoise: number;
  private readonly budgetAware: boolean;
  /** Whether stalled studies get a uniform trial instead of a near repeat ({@link GPSamplerOptions.escapeStalls}). */
  readonly escapeStalls: boolean;
  private readonly budgetMinTrials: number;
  /** How a warm start enters the GP (see {@link GPSamplerOptions.warmStartModel}). */
  readonly warmStartModel: WarmStartModel;
  /** Whether warm steps stay in a trust region ({@link GPSamplerOptions.warmTrustRegion}). */
  readonly warmTrustRegion: boolean;
  private readonly rng = new Rng(0);
  private readonly memo = new Map<number, Memo>();
  private readonly said = new Map<number, Set<string>>();
  /** This process's suggestions to trials still running, by trial id (see {@link pending}). */
  private readonly proposed = new Map<
    number,
    { studyId: number; signature: string; params: Record<string, number> }
  >();
  /** Previous fits of the multi-objective GPs, by study id and objective index. */
  private readonly memoByObjective = new Map<string, Memo>();
  /** Trials this process drew uniformly by the stall escape (only so their parameters are not reported as outside the space). */
  private readonly escaped = new Set<number>();

  constructor(options: GPSamplerOptions = {}) {
    this.seed = options.seed ?? randomSeed();
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.deterministic = options.deterministicObjective ?? false;
    this.nCandidates = options.nCandidates ?? 2048;
    this.nLocalSearch = options.nLocalSearch ?? 10;
    this.maxModelTrials = options.maxModelTrials ?? 600;
    this.maxFitTrials = options.maxFitTrials ?? 200;
    this.warnIndependent = options.warnIndependentSampling ?? true;
    this.logPrior = options.logPrior ?? twoSidedLengthScalePrior();
    this.outputWarping = options.outputWarping ?? 'yeo-johnson';
    this.multiOutputWarping = options.outputWarping ?? 'none';
    this.minimumNoise = options.minimumNoise ?? 1e-6;
    this.budgetAware = options.budgetAware ?? false;
    this.escapeStalls = options.escapeStalls ?? true;
    this.budgetMinTrials = options.budgetMinTrials ?? Math.max(5, Math.ceil(this.nStartupTrials / 2));
    this.warmStartModel = options.warmStartModel ?? 'pooled';
    if (this.warmStartModel !== 'pooled' && this.warmStartModel !== 'stacked') {
      throw new InvalidArgumentError(
        `GPSampler: warmStartModel must be 'pooled' or 'stacked', got ${JSON.stringify(this.warmStartModel)}.`,
      );
    }
    this.warmTrustRegion = options.warmTrustRegion ?? this.warmStartModel === 'pooled';
    if (typeof this.warmTrustRegion !== 'boolean') {
      throw new InvalidArgumentError(
        `GPSampler: warmTrustRegion must be true or false, got ${JSON.stringify(this.warmTrustRegion)}.`,
      );
    }
    const ints: Array<[string, number, number]> = [
      ['budgetMinTrials', this.budgetMinTrials, 2],
      ['nStartupTrials', this.nStartupTrials, 0],
      ['nCandidates', this.nCandidates, 1],
      ['nLocalSearch', this.nLocalSearch, 1],
      ['maxModelTrials', this.maxModelTrials, 2],
      ['maxFitTrials', this.maxFitTrials, 2],
    ];
    if (!(this.minimumNoise > 0 && this.minimumNoise < 1)) {
      throw new InvalidArgumentError(`GPSampler: minimumNoise must be in (0, 1), got ${this.minimumNoise}.`);
    }
    for (const [name, value, min] of ints) {
      if (!Number.isInteger(value) || value < min) {
        throw new InvalidArgumentError(`GPSampler: ${name} must be an integer ≥ ${min}, got ${value}.`);
      }
    }
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    // Warm start, before the study has a complete trial: the space the warm trials share.
    if (study.warmStart !== undefined && study.getTrials(['complete']).length === 0) {
      return warmSearchSpace(study.warmStart);
    }
    return intersectionSearchSpace(study.trials, { excludeSingle: true });
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    if (Object.keys(searchSpace).length === 0) return {};
    try {
      // Warm start (single objective, no constraints): see warm-gp.ts; null → the cold GP.
      if (study.warmStart !== undefined && study.directions.length === 1 && !hasConstraints(study.trials)) {
        const warm = this.sampleWarm(study, trial, searchSpace);
        if (warm !== null) return warm;
      }
      return study.directions.length > 1
        ? this.sampleGpMulti(study, trial, searchSpace)
        : this.sampleGp(study, trial, searchSpace);
    } catch (e) {
      this.memo.delete(study.studyId);
      for (let j = 0; j < study.directions.length; j++) this.memoByObjective.delete(`${study.studyId}:${j}`);
      log.warn(
        `GPSampler: trial ${trial.number} of study '${study.studyName}' is sampled uniformly because the GP step failed: ${(e as Error).message}`,
      );
      return {};
    }
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    if (
      this.warnIndependent &&
      !this.escaped.has(trial.trialId) &&
      study.getTrials(['complete']).length >= this.nStartupTrials
    ) {
      this.once(
        study,
        `independent:${name}`,
        'info',
        `GPSampler: parameter '${name}' is outside the space every complete trial shares; it is sampled uniformly (first at trial ${trial.number}).`,
      );
    }
    this.rng.reseed(deriveSeed(this.seed, trial.number, name));
    return sampleUniform(distribution, this.rng);
  }

  private once(study: StudyView, key: string, level: 'info' | 'warn', message: string): void {
    let keys = this.said.get(study.studyId);
    if (keys === undefined) {
      keys = new Set();
      this.said.set(study.studyId, keys);
    }
    if (keys.has(key)) return;
    keys.add(key);
    log[level](message);
  }

  /**
   * The warm-started GP step (see warm-gp.ts: the pooled or the stacked model, by
   * `warmStartModel`), or null when no warm trial serves the space.
   */
  private sampleWarm(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: SearchSpace,
  ): Record<string, number> | null {
    const names = Object.keys(searchSpace).sort();
    const space: SearchSpace = {};
    for (const n of names) space[n] = searchSpace[n]!;
    const enc = new EncodedSpace(space);
    const spaceKey = spaceSignature(names, space);
    const signature = `warm-${this.warmStartModel}:${spaceKey}`;
    const memo = this.memo.get(study.studyId);
    const step = this.warmProposal(
      study,
      trial,
      names,
      space,
      enc,
      memo !== undefined && memo.signature === signature && validParams(memo.params, enc.dim)
        ? memo.params
        : undefined,
    );
    if (step === null) return null;
    this.memo.set(study.studyId, { signature, params: copyKernelParams(step.params) });
    const params = enc.decode(step.x);
    this.proposed.set(trial.trialId, {
      studyId: study.studyId,
      signature: spaceKey,
      params,
    });
    return params;
  }

  /**
   * One warm step's proposal (encoded) and fitted hyperparameters, by the sampler's warm-start
   * model, inside the trust region when it has one; null when no warm trial serves the space.
   */
  private warmProposal(
    study: StudyView,
    trial: FrozenTrial,
    names: readonly string[],
    space: SearchSpace,
    enc: EncodedSpace,
    init: KernelParams | undefined,
  ): { x: Float64Array; params: KernelParams } | null {
    const build = this.warmStartModel === 'stacked' ? stackedWarmGpModel : warmGpModel;
    const model = build(
      study.warmStart!,
      study.directions,
      study.getTrials(['complete']),
      names,
      space,
      enc,
      this.pending(study, trial, names, space),
      {
        nStartupTrials: this.nStartupTrials,
        maxModelTrials: this.maxModelTrials,
        maxFitTrials: this.maxFitTrials,
        logPrior: this.logPrior,
        deterministic: this.deterministic,
        minimumNoise: this.minimumNoise,
        outputWarping: this.outputWarping,
        seed: deriveSeed(this.seed, trial.number, 'gp-warm'),
      },
      init,
    );
    if (model === null) return null;
    const box = this.warmTrustRegion
      ? this.warmBox(study, names, enc, model.incumbent, model.lengthScales)
      : undefined;
    const x = optimizeAcquisition(model.acquisition, enc, {
      seed: deriveSeed(this.seed, trial.number, 'gp-acquisition'),
      nCandidates: this.candidateCount(model.modelSize),
      nLocalSearch: this.nLocalSearch,
      warmStarts: [model.incumbent],
      lengthScales: model.lengthScales,
      box,
    }).x;
    return { x, params: model.params };
  }

  /**
   * The trust region of a warm step (see trust-region.ts): around the study's best complete
   * trial of the space (before one, the model's incumbent), its side replayed from the values;
   * undefined once the warm phase is over (see warmPhaseHistory) and the GP searches the whole
   * space again.
   */
  private warmBox(
    study: StudyView,
    names: readonly string[],
    enc: EncodedSpace,
    incumbent: Float64Array,
    lengthScales: Float64Array,
  ): TrustRegionBox | undefined {
    const history = warmPhaseHistory(study, names);
    if (history === null) return undefined;
    const center = Float64Array.from(incumbent);
    if (history.best !== undefined) enc.encode(history.best.internalParams, center, 0);
    return trustRegionBox(center, trustRegionSide(history.values), lengthScales, enc);
  }

  /**
   * Complete trials of the space with their standardised values (budget-aware: the finished
   * trials' reports at the modelled step), or null (with a log line).
   */
  private observations(study: StudyView, trial: FrozenTrial, names: readonly string[]): Observations | null {
    const sign = study.directions[0] === 'maximize' ? 1 : -1;
    const trials: FrozenTrial[] = [];
    const raw: number[] = [];
    const atBudget =
      this.budgetAware && !hasConstraints(study.trials)
        ? observationsAtBudget(study.trials, this.budgetMinTrials, trial.trialId)
        : null;
    const source = atBudget?.trials ?? study.getTrials(['complete']);
    for (let i = 0; i < source.length; i++) {
      const t = source[i]!;
      const v = atBudget === null ? t.values?.[0] : atBudget.values[i];
      if (v === undefined || Number.isNaN(v)) continue;
      if (!names.every((n) => Object.hasOwn(t.internalParams, n))) continue;
      trials.push(t);
      raw.push(sign * v);
    }
    if (trials.length < this.nStartupTrials || trials.length === 0) return null;
    const c = clipToFiniteRange(raw);
    if (c === null) {
      this.once(
        study,
        'no-finite',
        'warn',
        `GPSampler: study '${study.studyName}' has no finite objective value yet; trials are sampled uniformly until it has (trial ${trial.number}).`,
      );
      return null;
    }
    if (c.clipped) {
      this.once(
        study,
        'infinite',
        'warn',
        `GPSampler: study '${study.studyName}' has infinite objective values; the GP sees them clipped to the finite range [${c.lo}, ${c.hi}].`,
      );
    }
    const y = c.y;
    if (isFlat(c) || !warpOutputs(y, this.outputWarping)) {
      this.once(
        study,
        'constant',
        'info',
        `GPSampler: every objective value of study '${study.studyName}' is the same so far; trials are sampled uniformly until they differ (trial ${trial.number}).`,
      );
      return null;
    }
    return { trials, y };
  }

  /** {@link bestAndRandomSubset} of y, its draw seeded by `seed`. */
  private subset(y: Float64Array, k: number, seed: number): number[] {
    this.rng.reseed(seed);
    return bestAndRandomSubset(y, k, this.rng);
  }

  private sampleGp(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    const names = Object.keys(searchSpace).sort();
    const space: SearchSpace = {};
    for (const n of names) space[n] = searchSpace[n]!;
    const obs = this.observations(study, trial, names);
    if (obs === null) return {};

    const enc = new EncodedSpace(space);
    const D = enc.dim;
    let index = Array.from({ length: obs.trials.length }, (_, i) => i);
    if (obs.trials.length > this.maxModelTrials) {
      this.once(
        study,
        'subset',
        'info',
        `GPSampler: study '${study.studyName}' has more than ${this.maxModelTrials} complete trials; the GP uses the best ${Math.ceil(this.maxModelTrials / 2)} and a random draw of the others, to keep suggestions fast.`,
      );
      index = this.subset(obs.y, this.maxModelTrials, deriveSeed(this.seed, trial.number, 'gp-subset'));
    }
    const n = index.length;
    const X = new Float64Array(n * D);
    const y = new Float64Array(n);
    let best = 0;
    for (let i = 0; i < n; i++) {
      enc.encode(obs.trials[index[i]!]!.internalParams, X, i * D);
      y[i] = obs.y[index[i]!]!;
      if (y[i]! > y[best]!) best = i;
    }
    if (n < obs.trials.length) standardiseInPlace(y);
    // Constraints: the threshold is the best feasible value; the incumbent, with none feasible,
    // the least violating trial.
    const constrained = hasConstraints(study.trials);
    let bestFeasible = -1;
    if (constrained) {
      let leastViolation = Number.POSITIVE_INFINITY;
      let least = 0;
      for (let i = 0; i < n; i++) {
        const v = violationForRanking(obs.trials[index[i]!]!);
        if (v === 0 && (bestFeasible < 0 || y[i]! > y[bestFeasible]!)) bestFeasible = i;
        if (v < leastViolation) {
          leastViolation = v;
          least = i;
        }
      }
      best = bestFeasible >= 0 ? bestFeasible : least;
    }

    // Hyperparameters, warm-started from this study's previous fit over the same space.
    const signature = spaceSignature(names, space);
    const memo = this.memo.get(study.studyId);
    const init =
      memo !== undefined && memo.signature === signature && validParams(memo.params, D)
        ? memo.params
        : undefined;
    let fitX = X;
    let fitY = y;
    let nFit = n;
    if (n > this.maxFitTrials) {
      const fitIndex = this.subset(
        y,
        this.maxFitTrials,
        deriveSeed(this.seed, trial.number, 'gp-fit-subset'),
      );
      nFit = fitIndex.length;
      fitX = new Float64Array(nFit * D);
      fitY = new Float64Array(nFit);
      fitIndex.forEach((i, r) => {
        fitX.set(X.subarray(i * D, i * D + D), r * D);
        fitY[r] = y[i]!;
      });
    }
    const fit = fitKernelParamsMap(fitX, fitY, nFit, D, init, {
      logPrior: this.logPrior,
      deterministic: this.deterministic,
      minimumNoise: this.minimumNoise,
      pgtol: 1e-2,
    });
    this.memo.set(study.studyId, { signature, params: copyKernelParams(fit.params) });
    let state = gpPosteriorState(X, y, n, D, fit.params);

    // Other workers' running trials: condition on min(posterior mean, best) there.
    const pending = this.pending(study, trial, names, space);
    if (pending.length > 0) {
      const p = pending.length;
      const Xp = encodePending(enc, pending);
      const fantasy = fantasyMeans(state, Xp, p, y[best]!);
      state = conditionWithFantasies(
        X,
        y,
        fit.params.noiseVariance,
        n,
        D,
        Xp,
        fantasy,
        p,
        fit.params,
        this.minimumNoise,
      );
    }

    const constraintModels = constrained
      ? this.constraintModels(
          index.map((i) => obs.trials[i]!),
          X,
          D,
          trial,
        )
      : [];
    const x = this.maximise(
      state,
      y[best]!,
      enc,
      X.slice(best * D, best * D + D),
      fit.params,
      trial,
      constrained ? { models: constraintModels, anyFeasible: bestFeasible >= 0 } : null,
    );
    if (
      this.escapeStalls &&
      !constrained &&
      trial.number % 2 === 0 &&
      isStalled(obs.y) &&
      nearestScaledDistance(x, X, n, D, fit.params.inverseSquaredLengthScales) < NEAR_REPEAT_DISTANCE
    ) {
      this.once(
        study,
        'stall',
        'info',
        `GPSampler: study '${study.studyName}' has not improved for ${STALL_WINDOW} trials and the GP proposes a near repeat of a trial already run; such trials are drawn uniformly every other time (first at trial ${trial.number}).`,
      );
      if (this.escaped.size >= 1024) this.escaped.clear();
      this.escaped.add(trial.trialId);
      return {};
    }
    const params = enc.decode(x);
    this.proposed.set(trial.trialId, { studyId: study.studyId, signature, params });
    return params;
  }

  /**
   * Internal values (length-D encodings into `out`) of the points other workers are evaluating:
   * running trials other than `trial` whose values for the whole space are known — from the
   * storage, or from this sampler's own suggestions to trials of this process that have not
   * written them yet. Suggestions for trials finished in the snapshot are forgotten here.
   */
  private pending(
    study: StudyView,
    trial: FrozenTrial,
    names: readonly string[],
    space: SearchSpace,
  ): Array<Readonly<Record<string, number>>> {
    const out: Array<Readonly<Record<string, number>>> = [];
    const seen = new Set<number>();
    const signature = spaceSignature(names, space);
    for (const t of study.trials) {
      const mine = this.proposed.get(t.trialId);
      if (mine !== undefined && t.state !== 'running' && t.state !== 'waiting')
        this.proposed.delete(t.trialId);
      if (t.state !== 'running' || t.trialId === trial.trialId) continue;
      seen.add(t.trialId);
      const values: Record<string, number> = {};
      let complete = true;
      for (const k of names) {
        const d = t.distributions[k];
        if (d !== undefined && Object.hasOwn(t.internalParams, k)) {
          if (!distributionsEqual(d, space[k]!)) {
            complete = false;
            break;
          }
          values[k] = t.internalParams[k]!;
        } else if (mine !== undefined && mine.signature === signature && Object.hasOwn(mine.params, k)) {
          values[k] = mine.params[k]!;
        } else {
          complete = false;
          break;
        }
      }
      if (complete) out.push(values);
    }
    // Suggestions of this process for trials the snapshot does not show yet.
    for (const [id, p] of this.proposed) {
      if (id === trial.trialId || seen.has(id) || p.studyId !== study.studyId || p.signature !== signature)
        continue;
      if (study.trials.some((t) => t.trialId === id)) continue;
      out.push(p.params);
    }
    return out;
  }

  /**
   * One GP per constraint over the model's trials that carry constraint values (as many as the
   * first such trial has), with the threshold 0 in the GP's standardised units. Constraints whose
   * values are constant are left out (nothing to learn).
   */
  private constraintModels(
    trials: readonly FrozenTrial[],
    X: Float64Array,
    D: number,
    trial: FrozenTrial,
  ): ConstraintModel[] {
    const rows: number[] = [];
    const values: number[][] = [];
    let k = -1;
    trials.forEach((t, i) => {
      const c = constraintValues(t);
      if (c === null) return;
      if (k < 0) k = c.length;
      if (c.length !== k) return;
      rows.push(i);
      values.push(c);
    });
    const m = rows.length;
    const models: ConstraintModel[] = [];
    if (m < 2) return models;
    const Xc = new Float64Array(m * D);
    rows.forEach((i, r) => {
      Xc.set(X.subarray(i * D, i * D + D), r * D);
    });
    for (let j = 0; j < k; j++) {
      const raw = values.map((c) => c[j]!);
      let mean = 0;
      for (const v of raw) mean += v;
      mean /= m;
      let sq = 0;
      for (const v of raw) sq += (v - mean) ** 2;
      const std = Math.sqrt(sq / m);
      if (!(std > 1e-12 * Math.max(1, Math.abs(mean)))) continue;
      const yc = Float64Array.from(raw, (v) => (v - mean) / std);
      let fitX = Xc;
      let fitY = yc;
      let nFit = m;
      if (m > this.maxFitTrials) {
        const neg = Float64Array.from(yc, (v) => -v);
        const idx = this.subset(neg, this.maxFitTrials, deriveSeed(this.seed, trial.number, `gp-c${j}`));
        nFit = idx.length;
        fitX = new Float64Array(nFit * D);
        fitY = new Float64Array(nFit);
        idx.forEach((i, r) => {
          fitX.set(Xc.subarray(i * D, i * D + D), r * D);
          fitY[r] = yc[i]!;
        });
      }
      const fit = fitKernelParamsMap(fitX, fitY, nFit, D, undefined, {
        logPrior: this.logPrior,
        deterministic: this.deterministic,
        minimumNoise: this.minimumNoise,
        pgtol: 1e-2,
      });
      models.push({ state: gpPosteriorState(Xc, yc, m, D, fit.params), threshold: -mean / std });
    }
    return models;
  }

  /** Multi-objective suggestion: one GP per objective and log EHVI (see the module documentation). */
  private sampleGpMulti(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: SearchSpace,
  ): Record<string, number> {
    const names = Object.keys(searchSpace).sort();
    const space: SearchSpace = {};
    for (const n of names) space[n] = searchSpace[n]!;
    const K = study.directions.length;
    const trials: FrozenTrial[] = [];
    for (const t of study.getTrials(['complete'])) {
      const v = t.values;
      if (v === null || v === undefined || v.length !== K || v.some((x) => Number.isNaN(x))) continue;
      if (!names.every((n) => Object.hasOwn(t.internalParams, n))) continue;
      trials.push(t);
    }
    if (trials.length < this.nStartupTrials || trials.length === 0) return {};
    // Per objective: maximised, clipped to its finite range, warped and standardised.
    const columns: Float64Array[] = [];
    const objectives: number[] = [];
    for (let j = 0; j < K; j++) {
      const sign = study.directions[j] === 'maximize' ? 1 : -1;
      const raw = trials.map((t) => sign * t.values![j]!);
      const c = clipToFiniteRange(raw);
      if (c === null) {
        this.once(
          study,
          'no-finite',
          'warn',
          `GPSampler: objective ${j} of study '${study.studyName}' has no finite value yet; trials are sampled uniformly until it has (trial ${trial.number}).`,
        );
        return {};
      }
      if (c.clipped) {
        this.once(
          study,
          `infinite:${j}`,
          'warn',
          `GPSampler: objective ${j} of study '${study.studyName}' has infinite values; the GP sees them clipped to the finite range [${c.lo}, ${c.hi}].`,
        );
      }
      const y = c.y;
      if (isFlat(c) || !warpOutputs(y, this.multiOutputWarping)) {
        this.once(
          study,
          `constant:${j}`,
          'info',
          `GPSampler: every value of objective ${j} of study '${study.studyName}' is the same so far; it is left out of the model until they differ (trial ${trial.number}).`,
        );
        continue;
      }
      columns.push(y);
      objectives.push(j);
    }
    if (columns.length === 0) {
      this.once(
        study,
        'constant',
        'info',
        `GPSampler: every objective value of study '${study.studyName}' is the same so far; trials are sampled uniformly until they differ (trial ${trial.number}).`,
      );
      return {};
    }
    const k = columns.length;
    // Non-domination rank (0 best), negated so that larger is better for the subsets.
    const score = new Float64Array(trials.length);
    nonDominatedFronts(trials.map((_, i) => columns.map((c) => -c[i]!))).forEach((front, r) => {
      for (const i of front) score[i] = -r;
    });
    let index = Array.from({ length: trials.length }, (_, i) => i);
    if (trials.length > this.maxModelTrials) {
      this.once(
        study,
        'subset',
        'info',
        `GPSampler: study '${study.studyName}' has more than ${this.maxModelTrials} complete trials; the GPs use the ${Math.ceil(this.maxModelTrials / 2)} best ranked and a random draw of the others, to keep suggestions fast.`,
      );
      index = this.subset(score, this.maxModelTrials, deriveSeed(this.seed, trial.number, 'gp-subset'));
    }
    const enc = new EncodedSpace(space);
    const D = enc.dim;
    const n = index.length;
    const X = new Float64Array(n * D);
    const ys = columns.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      enc.encode(trials[index[i]!]!.internalParams, X, i * D);
      for (let j = 0; j < k; j++) ys[j]![i] = columns[j]![index[i]!]!;
    }
    if (n < trials.length) for (const y of ys) standardiseInPlace(y);
    const modelTrials = index.map((i) => trials[i]!);
    const constrained = hasConstraints(study.trials);
    const feasible = modelTrials.map((t) => !constrained || violationForRanking(t) === 0);

    // One GP per objective, each warm-started from its previous fit.
    const signature = spaceSignature(names, space);
    const fitIndex =
      n > this.maxFitTrials
        ? this.subset(
            Float64Array.from(index, (i) => score[i]!),
            this.maxFitTrials,
            deriveSeed(this.seed, trial.number, 'gp-fit-subset'),
          )
        : null;
    const fits = ys.map((y, j) => {
      const key = `${study.studyId}:${objectives[j]}`;
      const memo = this.memoByObjective.get(key);
      const init =
        memo !== undefined && memo.signature === signature && validParams(memo.params, D)
          ? memo.params
          : undefined;
      let fitX = X;
      let fitY = y;
      if (fitIndex !== null) {
        fitX = new Float64Array(fitIndex.length * D);
        fitY = new Float64Array(fitIndex.length);
        fitIndex.forEach((i, r) => {
          fitX.set(X.subarray(i * D, i * D + D), r * D);
          fitY[r] = y[i]!;
        });
      }
      const fit = fitKernelParamsMap(fitX, fitY, fitY.length, D, init, {
        logPrior: this.logPrior,
        deterministic: this.deterministic,
        minimumNoise: this.minimumNoise,
        pgtol: 1e-2,
      });
      this.memoByObjective.set(key, { signature, params: copyKernelParams(fit.params) });
      return fit.params;
    });
    let states = ys.map((y, j) => gpPosteriorState(X, y, n, D, fits[j]!));

    // The feasible model trials' Pareto front (standardised, maximised).
    const feasibleRows = Array.from({ length: n }, (_, i) => i).filter((i) => feasible[i]);
    const frontRows = (nonDominatedFronts(feasibleRows.map((i) => ys.map((y) => -y[i]!)))[0] ?? []).map(
      (r) => feasibleRows[r]!,
    );
    const front: number[][] = frontRows.map((i) => ys.map((y) => y[i]!));

    // Other workers' running trials: posterior means as fantasies, in the GPs and in the front.
    const pending = this.pending(study, trial, names, space);
    if (pending.length > 0) {
      const p = pending.length;
      const Xp = encodePending(enc, pending);
      const fantasies = Array.from({ length: p }, () => new Array<number>(k).fill(0));
      states = states.map((state, j) => {
        const mean = fantasyMeans(state, Xp, p);
        for (let i = 0; i < p; i++) fantasies[i]![j] = mean[i]!;
        const fit = fits[j]!;
        return conditionWithFantasies(
          X,
          ys[j]!,
          fit.noiseVariance,
          n,
          D,
          Xp,
          mean,
          p,
          fit,
          this.minimumNoise,
        );
      });
      if (frontRows.length > 0 || !constrained) front.push(...fantasies);
    }

    // Reference point: each objective's worst value less a tenth of its range.
    const reference = ys.map((y) => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of y) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return lo - 0.1 * Math.max(hi - lo, 1e-6);
    });
    const boxes = ehviBoxes(thinFront(front, MAX_EHVI_CELLS), reference, MAX_EHVI_CELLS);
    const ehvi = new LogEHVIAcquisition(states, boxes);
    const acq: Acquisition = constrained
      ? new ConstrainedLogEI(
          frontRows.length > 0 ? ehvi : null,
          this.constraintModels(modelTrials, X, D, trial),
          D,
        )
      : ehvi;
    // Warm starts: the front's best trial for each objective.
    const warm: Float64Array[] = [];
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      let best = -1;
      for (const i of frontRows) if (best < 0 || ys[j]![i]! > ys[j]![best]!) best = i;
      if (best >= 0 && !seen.has(best)) {
        seen.add(best);
        warm.push(X.slice(best * D, best * D + D));
      }
    }
    // Preconditioning: the geometric mean of the objectives' length scales.
    const lengthScales = new Float64Array(D);
    for (let c = 0; c < D; c++) {
      let s = 0;
      for (const f of fits) s += -0.5 * Math.log(f.inverseSquaredLengthScales[c]!);
      lengthScales[c] = Math.exp(s / k);
    }
    const x = optimizeAcquisition(acq, enc, {
      seed: deriveSeed(this.seed, trial.number, 'gp-acquisition'),
      nCandidates: this.candidateCount(n),
      nLocalSearch: this.nLocalSearch,
      warmStarts: warm,
      lengthScales,
    }).x;
    const params = enc.decode(x);
    this.proposed.set(trial.trialId, { studyId: study.studyId, signature, params });
    return params;
  }

  /** Sobol candidates for a model of n trials (fewer above 300: scoring costs O(n²) each). */
  private candidateCount(n: number): number {
    return n <= 300
      ? this.nCandidates
      : Math.min(this.nCandidates, Math.max(512, Math.round((this.nCandidates * 300) / n)));
  }

  private maximise(
    state: GpPosteriorState,
    threshold: number,
    enc: EncodedSpace,
    incumbent: Float64Array,
    params: KernelParams,
    trial: FrozenTrial,
    constraints: { models: ConstraintModel[]; anyFeasible: boolean } | null,
  ): Float64Array {
    const logEI = new LogEIAcquisition(state, threshold);
    const acq: Acquisition =
      constraints === null
        ? logEI
        : new ConstrainedLogEI(constraints.anyFeasible ? logEI : null, constraints.models, state.d);
    const lengthScales = Float64Array.from(params.inverseSquaredLengthScales, (l) => 1 / Math.sqrt(l));
    return optimizeAcquisition(acq, enc, {
      seed: deriveSeed(this.seed, trial.number, 'gp-acquisition'),
      nCandidates: this.candidateCount(state.n),
      nLocalSearch: this.nLocalSearch,
      warmStarts: [incumbent],
      lengthScales,
    }).x;
  }
}

/** @internal A GP of one constraint's standardised values and where 0 lies in those units. */
export interface ConstraintModel {
  readonly state: GpPosteriorState;
  readonly threshold: number;
}

/**
 * Constrained log EI: log EI (or 0 without a feasible trial) plus Σ_k log P(c_k ≤ t_k), with
 * c_k ~ N(μ_k(x), v_k(x)). With z = (t − μ)/σ and r = φ(z)/Φ(z):
 * ∂ log Φ(z)/∂μ = −r/σ and ∂ log Φ(z)/∂v = −r·z/(2v).
 */
export class ConstrainedLogEI implements Acquisition {
  private readonly batchWork: BatchPosteriorWorkspace[];
  private readonly pointWork: PosteriorWorkspace[];
  private mean = new Float64Array(0);
  private variance = new Float64Array(0);
  private readonly mv = new Float64Array(2);
  private readonly dMean: Float64Array;
  private readonly dVariance: Float64Array;

  constructor(
    private readonly objective: Acquisition | null,
    private readonly models: readonly ConstraintModel[],
    readonly dim: number,
  ) {
    this.batchWork = models.map((c) => createBatchPosteriorWorkspace(c.state.n));
    this.pointWork = models.map((c) => createPosteriorWorkspace(c.state.n));
    this.dMean = new Float64Array(dim);
    this.dVariance = new Float64Array(dim);
  }

  evaluate(X: Float64Array, m: number, out: Float64Array): void {
    if (this.objective !== null) this.objective.evaluate(X, m, out);
    else out.fill(0, 0, m);
    if (this.mean.length < m) {
      this.mean = new Float64Array(m);
      this.variance = new Float64Array(m);
    }
    this.models.forEach((c, k) => {
      gpPosteriorBatch(c.state, X, m, this.mean, this.variance, this.batchWork[k]);
      for (let i = 0; i < m; i++) {
        const sd = Math.sqrt(Math.max(this.variance[i]!, 1e-12));
        out[i] = out[i]! + logNdtr((c.threshold - this.mean[i]!) / sd);
      }
    });
  }

  evaluateWithGradient(x: Float64Array, gradOut: Float64Array): number {
    let value = 0;
    if (this.objective !== null) value = this.objective.evaluateWithGradient(x, gradOut);
    else gradOut.fill(0, 0, this.dim);
    this.models.forEach((c, k) => {
      gpPosteriorWithGradient(c.state, x, this.mv, this.dMean, this.dVariance, this.pointWork[k]);
      const clamped = this.mv[1]! < 1e-12;
      const v = Math.max(this.mv[1]!, 1e-12);
      const sd = Math.sqrt(v);
      const z = (c.threshold - this.mv[0]!) / sd;
      const logP = logNdtr(z);
      value += logP;
      const r = Math.exp(normLogPdf(z) - logP);
      const gm = -r / sd;
      const gv = clamped ? 0 : (-r * z) / (2 * v);
      for (let j = 0; j < this.dim; j++)
        gradOut[j] = gradOut[j]! + gm * this.dMean[j]! + gv * this.dVariance[j]!;
    });
    return value;
  }
}

/**
 * Most grid cells of the box decomposition of a multi-objective front (3+ objectives): each
 * candidate's log EHVI costs O(cells × objectives).
 */
export const MAX_EHVI_CELLS = 4096;

/**
 * The front itself when its box grid has at most `maxCells` cells; otherwise its least crowded
 * points (largest crowding distance, extremes first; ties by index), few enough to fit.
 */
function thinFront(front: number[][], maxCells: number): number[][] {
  const k = front[0]?.length ?? 0;
  if (k < 3) return front;
  let cells = 1;
  for (let d = 0; d < k - 1; d++) cells *= new Set(front.map((p) => p[d]!)).size + 1;
  if (cells <= maxCells) return front;
  const keep = Math.max(2, Math.floor(maxCells ** (1 / (k - 1))) - 1);
  const crowd = crowdingDistance(
    front,
    front.map((_, i) => i),
  );
  const order = front.map((_, i) => i).sort((a, b) => crowd[b]! - crowd[a]! || a - b);
  return order
    .slice(0, keep)
    .sort((a, b) => a - b)
    .map((i) => front[i]!);
}

/** Rescales y to mean 0 and variance 1 (left alone when constant). */
function standardiseInPlace(y: Float64Array): void {
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let sq = 0;
  for (const v of y) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / y.length);
  if (!(std > 0)) return;
  for (let i = 0; i < y.length; i++) y[i] = (y[i]! - mean) / std;
}

function validParams(p: KernelParams, d: number): boolean {
  if (p.inverseSquaredLengthScales.length !== d) return false;
  for (const v of p.inverseSquaredLengthScales) if (!(v > 0 && Number.isFinite(v))) return false;
  return (
    p.signalVariance > 0 &&
    Number.isFinite(p.signalVariance) &&
    p.noiseVariance > 0 &&
    Number.isFinite(p.noiseVariance)
  );
}
