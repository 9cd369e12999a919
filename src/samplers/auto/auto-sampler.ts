/**
 * The default sampler: picks a strategy per study and per phase, from the study's trials alone
 * (so every worker picks the same), and records the pick in each trial's system attribute
 * `auto:sampler`.
 *
 * The rules, fitted on the quality benchmark (bench/RESULTS.md):
 * - one objective, fewer than `gpMaxTrials` finished trials, at most `gpMaxParams` parameters:
 *   Gaussian-process BO (`GPSampler`), the strongest per trial on small budgets, categorical
 *   and integer parameters included;
 * - otherwise — several objectives, long studies, large spaces — multivariate TPE with group
 *   decomposition (`TPESampler`), which is cheap per trial and handles conditional spaces.
 * Both start with their own random startup trials; the GP keeps TPE's trials as its data when
 * the study crosses over, and so does TPE.
 * @module
 */
import type { Distribution } from '../../core/distributions.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { deriveSeed, randomSeed } from '../../core/rng.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { GPSampler } from '../gp/index.js';
import { TPESampler } from '../tpe/index.js';

/** Options of {@link AutoSampler}. */
export interface AutoSamplerOptions {
  /** Same seed, same suggestions. Omitted: a random seed. */
  seed?: number | undefined;
  /** Finished trials after which the GP hands over to TPE. Default 300. */
  gpMaxTrials?: number | undefined;
  /** Parameters above which TPE is used from the start. Default 30. */
  gpMaxParams?: number | undefined;
}

/** Trial system attribute holding the strategy the AutoSampler picked for the trial. */
export const AUTO_SAMPLER_ATTR = 'auto:sampler';

/**
 * Picks GP or TPE per study and phase (see the module documentation).
 * @example
 * ```ts
 * const study = await createStudy(); // an AutoSampler with a random seed
 * const seeded = await createStudy({ sampler: new AutoSampler({ seed: 1 }) });
 * ```
 */
export class AutoSampler implements Sampler {
  readonly name = 'auto';
  readonly seed: number;
  private readonly gp: GPSampler;
  private readonly tpe: TPESampler;
  private readonly gpMaxTrials: number;
  private readonly gpMaxParams: number;
  private readonly picks = new WeakMap<FrozenTrial, Sampler>();

  constructor(options: AutoSamplerOptions = {}) {
    this.seed = options.seed ?? randomSeed();
    this.gpMaxTrials = options.gpMaxTrials ?? 300;
    this.gpMaxParams = options.gpMaxParams ?? 30;
    this.gp = new GPSampler({ seed: deriveSeed(this.seed, 'gp') });
    this.tpe = new TPESampler({ seed: deriveSeed(this.seed, 'tpe') });
  }

  /** The strategy for a trial of this snapshot: 'gp' or 'tpe'. */
  choose(study: StudyView): 'gp' | 'tpe' {
    if (study.directions.length > 1) return 'tpe';
    let finished = 0;
    for (const t of study.trials) if (t.state === 'complete' || t.state === 'pruned') finished++;
    if (finished >= this.gpMaxTrials) return 'tpe';
    if (Object.keys(study.paramDistributions).length > this.gpMaxParams) return 'tpe';
    return 'gp';
  }

  private pick(study: StudyView, trial: FrozenTrial): Sampler {
    let s = this.picks.get(trial);
    if (s === undefined) {
      s = this.choose(study) === 'gp' ? this.gp : this.tpe;
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
}
