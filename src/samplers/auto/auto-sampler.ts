/**
 * The default sampler: picks a strategy per study and per phase from the study's trials alone
 * (so every worker picks the same; nothing is remembered that another worker could not see), and
 * records the pick in each trial's system attribute `auto:sampler`.
 *
 * The rule, for a trial of a snapshot with n finished (complete or pruned) trials and P
 * parameters seen so far:
 *
 * | study | n < `gpMaxTrials` (300) | n ≥ `gpMaxTrials` |
 * |---|---|---|
 * | one objective, fixed space, P ≤ `gpMaxParams` (30) | GP (`GPSampler`) | TPE |
 * | one objective, mostly conditional space or P > `gpMaxParams` | TPE | TPE |
 * | 2–3 objectives, fixed space, P ≤ `gpMaxParams` | GP, log EHVI | NSGA-II |
 * | 4+ objectives, or P > `gpMaxParams` (fixed space) | TPE (multi-objective) | NSGA-II (2–3), NSGA-III (4+) |
 * | several objectives, mostly conditional space | TPE | TPE |
 *
 * Why: the GP is the strongest per trial on small budgets (categorical and integer parameters
 * included; bench/RESULTS.md) but its cost grows with n², and with P; TPE is cheap per trial and
 * the only strategy here that models conditional spaces (parameters some trials lack) as a whole;
 * for long multi-objective studies the genetic samplers are cheap and keep a spread front,
 * NSGA-III's reference directions doing better than crowding distance with 4+ objectives.
 *
 * A space is *mostly conditional* when fewer than half of the parameters the study has seen are
 * shared by every complete trial. The GP models the shared ones and samples the others
 * uniformly, which costs little when they are few: on mixed_mlp (`momentum` only for SGD, 7 of
 * 8 parameters shared) the GP's regret is a third of TPE's (bench/RESULTS.md), so a space with a
 * few conditional parameters stays with the GP.
 *
 * Constraints (`createStudy({ constraints })`): every strategy above respects them (GP by the
 * probability of feasibility, TPE and the genetic samplers by ranking feasible trials first), so
 * they change no pick.
 *
 * Hand-overs keep the data: the GP and TPE model every finished trial whoever sampled it; the
 * genetic samplers start their own generations at the hand-over (generation 0 random, as
 * documented on GeneticSampler), while the study's Pareto front keeps the earlier trials.
 * @module
 */
import type { Distribution } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { deriveSeed, randomSeed } from '../../core/rng.js';
import type { Storage } from '../../storages/base.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { GPSampler } from '../gp/index.js';
import { NSGAIISampler } from '../nsga2/index.js';
import { NSGAIIISampler } from '../nsga3/index.js';
import { TPESampler } from '../tpe/index.js';

/** Options of {@link AutoSampler}. */
export interface AutoSamplerOptions {
  /** Same seed, same suggestions. Omitted: a random seed. */
  seed?: number | undefined;
  /** Finished trials after which the GP hands over to TPE (or to the genetic samplers). Default 300. */
  gpMaxTrials?: number | undefined;
  /** Parameters above which the GP is not used. Default 30. */
  gpMaxParams?: number | undefined;
  /** Population of the genetic samplers of long multi-objective studies. Default 100. */
  populationSize?: number | undefined;
}

/** The strategies {@link AutoSampler} picks among. */
export type AutoStrategy = 'gp' | 'tpe' | 'nsga2' | 'nsga3';

/** Trial system attribute holding the strategy the AutoSampler picked for the trial. */
export const AUTO_SAMPLER_ATTR = 'auto:sampler';

/** What {@link AutoSampler} has read of a study's complete trials (see `mostlyConditional`). */
interface Scan {
  /** Trials [0, prefix) are all finished and taken into `shared`. */
  prefix: number;
  /** The parameters every complete trial of the prefix has (null: none complete yet). */
  shared: Set<string> | null;
}

/**
 * Picks GP, TPE, NSGA-II or NSGA-III per study and phase (see the module documentation).
 * @example
 * ```ts
 * const study = await createStudy(); // an AutoSampler with a random seed
 * const seeded = await createStudy({ sampler: new AutoSampler({ seed: 1 }) });
 * ```
 */
export class AutoSampler implements Sampler {
  readonly name = 'auto';
  readonly seed: number;
  private readonly gpMaxTrials: number;
  private readonly gpMaxParams: number;
  private readonly samplers: Record<AutoStrategy, Sampler>;
  private readonly picks = new WeakMap<FrozenTrial, Sampler>();
  /** Memo of the conditional-space scan, per storage and study (derived from the trials only). */
  private readonly scans = new WeakMap<Storage, Map<number, Scan>>();

  constructor(options: AutoSamplerOptions = {}) {
    this.seed = options.seed ?? randomSeed();
    this.gpMaxTrials = options.gpMaxTrials ?? 300;
    this.gpMaxParams = options.gpMaxParams ?? 30;
    const populationSize = options.populationSize ?? 100;
    for (const [name, value] of [
      ['gpMaxTrials', this.gpMaxTrials],
      ['gpMaxParams', this.gpMaxParams],
      ['populationSize', populationSize],
    ] as const) {
      if (!Number.isInteger(value) || value < (name === 'populationSize' ? 2 : 0)) {
        throw new InvalidArgumentError(
          `AutoSampler: ${name} must be an integer ≥ ${name === 'populationSize' ? 2 : 0}, got ${value}.`,
        );
      }
    }
    this.samplers = {
      gp: new GPSampler({ seed: deriveSeed(this.seed, 'gp') }),
      tpe: new TPESampler({ seed: deriveSeed(this.seed, 'tpe') }),
      nsga2: new NSGAIISampler({ seed: deriveSeed(this.seed, 'nsga2'), populationSize }),
      nsga3: new NSGAIIISampler({ seed: deriveSeed(this.seed, 'nsga3'), populationSize }),
    };
  }

  /** The strategy for a trial of this snapshot (see the module documentation). */
  choose(study: StudyView): AutoStrategy {
    const objectives = study.directions.length;
    let finished = 0;
    for (const t of study.trials) if (t.state === 'complete' || t.state === 'pruned') finished++;
    const conditional = this.mostlyConditional(study);
    const large = Object.keys(study.paramDistributions).length > this.gpMaxParams;
    if (conditional) return 'tpe';
    if (finished >= this.gpMaxTrials) {
      if (objectives === 1) return 'tpe';
      return objectives <= 3 ? 'nsga2' : 'nsga3';
    }
    if (large || objectives > 3) return 'tpe';
    return 'gp';
  }

  /**
   * Whether fewer than half of the parameters seen are shared by every complete trial. Each
   * complete trial is read once: a memo keeps the shared names over the longest prefix of
   * finished trials (a finished trial's parameters never change).
   */
  private mostlyConditional(study: StudyView): boolean {
    const names = Object.keys(study.paramDistributions).length;
    let byStudy = this.scans.get(study.storage);
    if (byStudy === undefined) {
      byStudy = new Map();
      this.scans.set(study.storage, byStudy);
    }
    const trials = study.trials;
    let scan = byStudy.get(study.studyId);
    if (scan === undefined || scan.prefix > trials.length) {
      scan = { prefix: 0, shared: null };
      byStudy.set(study.studyId, scan);
    }
    const intersect = (shared: Set<string> | null, t: FrozenTrial): Set<string> | null => {
      if (t.state !== 'complete') return shared;
      if (shared === null) return new Set(Object.keys(t.params));
      for (const k of shared) if (!Object.hasOwn(t.params, k)) shared.delete(k);
      return shared;
    };
    while (scan.prefix < trials.length) {
      const t = trials[scan.prefix]!;
      if (t.state === 'running' || t.state === 'waiting') break;
      scan.shared = intersect(scan.shared, t);
      scan.prefix++;
    }
    let shared = scan.shared === null ? null : new Set(scan.shared);
    for (let i = scan.prefix; i < trials.length; i++) shared = intersect(shared, trials[i]!);
    return shared !== null && 2 * shared.size < names;
  }

  private pick(study: StudyView, trial: FrozenTrial): Sampler {
    let s = this.picks.get(trial);
    if (s === undefined) {
      s = this.samplers[this.choose(study)];
      this.picks.set(trial, s);
    }
    return s;
  }

  async beforeTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    const s = this.pick(study, trial);
    await study.storage.setTrialSystemAttr(trial.trialId, AUTO_SAMPLER_ATTR, s.name);
    await s.beforeTrial?.(study, trial);
  }

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace {
    return this.pick(study, trial).inferRelativeSearchSpace(study, trial);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    return this.pick(study, trial).sampleRelative(study, trial, searchSpace);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    return this.pick(study, trial).sampleIndependent(study, trial, name, distribution);
  }

  /** Forwarded to the strategy recorded on the trial (the genetic samplers count completions). */
  async afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: 'complete' | 'pruned' | 'fail',
    values: readonly number[] | null,
  ): Promise<void> {
    const picked = trial.systemAttrs[AUTO_SAMPLER_ATTR];
    if (typeof picked !== 'string' || !Object.hasOwn(this.samplers, picked)) return;
    await this.samplers[picked as AutoStrategy].afterTrial?.(study, trial, state, values);
  }
}
