/**
 * Samplers and pruners by name, as study files and flags name them, with the options each
 * takes (zod schemas, so that a typo is an error with its path rather than a silently ignored
 * option). Adding one: a schema here, a case in `createSampler`/`createPruner`.
 * @module
 */
import { z } from 'zod';
import { NopPruner, type Pruner } from '../pruners/base.js';
import { HyperbandPruner } from '../pruners/hyperband-pruner.js';
import { MedianPruner } from '../pruners/median-pruner.js';
import { PatientPruner } from '../pruners/patient-pruner.js';
import { PercentilePruner } from '../pruners/percentile-pruner.js';
import { SuccessiveHalvingPruner } from '../pruners/successive-halving-pruner.js';
import { ThresholdPruner } from '../pruners/threshold-pruner.js';
import { WilcoxonPruner } from '../pruners/wilcoxon-pruner.js';
import { AutoSampler } from '../samplers/auto/auto-sampler.js';
import type { Sampler } from '../samplers/base.js';
import { GPSampler } from '../samplers/gp/gp-sampler.js';
import { GridSampler } from '../samplers/grid/grid-sampler.js';
import { QMCSampler } from '../samplers/qmc/qmc-sampler.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { TPESampler } from '../samplers/tpe/tpe-sampler.js';

/** A categorical choice as a study file writes it. */
export const ChoiceSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const seed = z.int().describe('Same seed, same suggestions. Omitted: a random seed.').optional();
const direction = z
  .enum(['minimize', 'maximize'])
  .describe("Which way the reported values improve. Default: the study's direction (required with several).")
  .optional();

const samplerSchemas = [
  z.strictObject({ name: z.literal('random'), seed }).describe('Random search.'),
  z
    .strictObject({
      name: z.literal('grid'),
      seed,
      grid: z
        .record(z.string(), z.array(ChoiceSchema).min(1))
        .describe('Values to try per parameter. Omitted: every point of the (finite) search space.')
        .optional(),
    })
    .describe('Grid search: each point exactly once, even with concurrency.'),
  z
    .strictObject({
      name: z.literal('qmc'),
      seed,
      qmcType: z.enum(['sobol', 'halton']).describe("The sequence. Default 'sobol'.").optional(),
      scramble: z.boolean().describe('Randomize the sequence. Default true.').optional(),
    })
    .describe('Quasi-Monte Carlo (scrambled Sobol or Halton) search.'),
  z
    .strictObject({
      name: z.literal('tpe'),
      seed,
      nStartupTrials: z
        .int()
        .min(0)
        .describe('Random trials before the model is used. Default 10.')
        .optional(),
      nEiCandidates: z.int().min(1).describe('Candidates scored per suggestion. Default 24.').optional(),
      multivariate: z.boolean().describe('Model the parameters jointly. Default true.').optional(),
      group: z.boolean().describe('Split conditional spaces into groups. Default true.').optional(),
      constantLiar: z
        .boolean()
        .describe('Avoid proposing what running trials test. Default true.')
        .optional(),
      priorWeight: z.number().positive().optional(),
      considerEndpoints: z.boolean().optional(),
      considerMagicClip: z.boolean().optional(),
      warmTrustRegion: z
        .boolean()
        .describe(
          'Warm starts: draw inside a trust region around the best trial that grows after improvements and shrinks after failures. Default true.',
        )
        .optional(),
    })
    .describe('Tree-structured Parzen estimator.'),
  z
    .strictObject({
      name: z.literal('gp'),
      seed,
      nStartupTrials: z
        .int()
        .min(0)
        .describe('Random trials before the model is used. Default 10.')
        .optional(),
      deterministicObjective: z
        .boolean()
        .describe('The objective has no noise: fix the noise variance at its minimum. Default false.')
        .optional(),
      outputWarping: z
        .enum(['yeo-johnson', 'none'])
        .describe('Order-preserving transform of the values before the GP sees them. Default yeo-johnson.')
        .optional(),
      warmStartModel: z
        .enum(['pooled', 'stacked'])
        .describe(
          "How warm-start trials enter the GP: 'pooled' (extra noisy observations; default) or 'stacked' (a GP of the sources as prior mean plus a GP of this study's residuals).",
        )
        .optional(),
      warmTrustRegion: z
        .boolean()
        .describe(
          'Warm starts: maximise the acquisition inside a trust region around the best trial that grows after improvements and shrinks after failures. Default true with the pooled warm-start model, false with the stacked one.',
        )
        .optional(),
      escapeStalls: z
        .boolean()
        .describe(
          'When the best value has not moved for 10 trials and the GP proposes a near repeat of a trial already run, draw every second such trial uniformly. Default true.',
        )
        .optional(),
    })
    .describe('Gaussian-process Bayesian optimization (Matérn-5/2, log expected improvement).'),
  z
    .strictObject({
      name: z.literal('auto'),
      seed,
      gpMaxTrials: z
        .int()
        .min(0)
        .describe('Finished trials after which GP hands over to TPE. Default 300.')
        .optional(),
      gpMaxParams: z
        .int()
        .min(0)
        .describe('Parameters above which TPE is used from the start. Default 30.')
        .optional(),
    })
    .describe('The default: GP on small single-objective studies, TPE beyond.'),
] as const;

/** The names `sampler:` accepts. */
export const SAMPLER_NAMES = samplerSchemas.map((s) => s.shape.name.value);

/** `sampler: {name: tpe, seed: 1, …}` in a study file. */
export const SamplerObjectSchema = z.discriminatedUnion('name', samplerSchemas);
/** A sampler spec: a name, or a name with options. */
export const SamplerSpecSchema = z
  .union([z.enum(SAMPLER_NAMES as [string, ...string[]]), SamplerObjectSchema])
  .describe('The sampler: a name, or {name, ...options}. Default tpe.');
export type SamplerSpec = z.infer<typeof SamplerObjectSchema>;

const percentileOptions = {
  nStartupTrials: z
    .int()
    .min(0)
    .describe('No pruning until this many trials are complete. Default 5.')
    .optional(),
  nWarmupSteps: z.int().min(0).describe('No pruning before this step. Default 0.').optional(),
  intervalSteps: z.int().min(1).describe('Steps between checks. Default 1.').optional(),
  nMinTrials: z
    .int()
    .min(1)
    .describe('Complete trials needed at a step to prune there. Default 1.')
    .optional(),
  direction,
};

const basicPrunerSchemas = [
  z.strictObject({ name: z.literal('nop') }).describe('Never prunes.'),
  z
    .strictObject({ name: z.literal('median'), ...percentileOptions })
    .describe('Prunes below the median of the complete trials at the same step.'),
  z
    .strictObject({
      name: z.literal('percentile'),
      percentile: z.number().min(0).max(100).describe('The percentile a trial must beat, 0–100.'),
      ...percentileOptions,
    })
    .describe('Prunes below a percentile of the complete trials at the same step.'),
  z
    .strictObject({
      name: z.literal('threshold'),
      lower: z.number().describe('Prune when the latest value is below this.').optional(),
      upper: z.number().describe('Prune when the latest value is above this.').optional(),
      nWarmupSteps: z.int().min(0).optional(),
      intervalSteps: z.int().min(1).optional(),
    })
    .describe('Prunes a trial whose latest value leaves [lower, upper] (or is NaN).'),
  z
    .strictObject({
      name: z.literal('successive-halving'),
      minResource: z
        .union([z.int().min(1), z.literal('auto')])
        .describe("The step of the first rung, or 'auto' (default).")
        .optional(),
      reductionFactor: z
        .number()
        .describe('η: about 1/η of the trials go on at each rung. Default 4.')
        .optional(),
      minEarlyStoppingRate: z
        .int()
        .min(0)
        .describe('The first rung is at minResource·η^s. Default 0.')
        .optional(),
      bootstrapCount: z.int().min(0).optional(),
      direction,
    })
    .describe('Asynchronous successive halving (ASHA): steps are the resource (epochs).'),
  z
    .strictObject({
      name: z.literal('hyperband'),
      minResource: z
        .int()
        .min(1)
        .describe('The first rung of the most aggressive bracket. Default 1.')
        .optional(),
      maxResource: z
        .union([z.int().min(1), z.literal('auto')])
        .describe("The last step a trial reports (the full budget), or 'auto' (default).")
        .optional(),
      reductionFactor: z.number().describe('η of every bracket. Default 3.').optional(),
      bootstrapCount: z.int().min(0).optional(),
      direction,
    })
    .describe('Hyperband: successive halving over several brackets.'),
  z
    .strictObject({
      name: z.literal('wilcoxon'),
      pThreshold: z
        .number()
        .min(0)
        .max(1)
        .describe('Prune below this one-sided p-value. Default 0.1.')
        .optional(),
      nStartupSteps: z
        .int()
        .min(2)
        .describe('Instances shared with the best trial before pruning. Default 2.')
        .optional(),
      direction,
    })
    .describe('Paired Wilcoxon test against the best trial, for per-instance evaluations (steps = folds).'),
] as const;

const BasicPrunerObjectSchema = z.discriminatedUnion('name', basicPrunerSchemas);

const patientSchema = z
  .strictObject({
    name: z.literal('patient'),
    patience: z.int().min(0).describe('Steps without improvement to tolerate.'),
    minDelta: z.number().min(0).optional(),
    direction,
    wrapped: BasicPrunerObjectSchema.describe(
      'The pruner asked once a trial has stalled. Omitted: every stalled trial is pruned.',
    ).optional(),
  })
  .describe('Prunes trials that stopped improving (and that the wrapped pruner would prune).');

/** The names `pruner:` accepts. */
export const PRUNER_NAMES = [...basicPrunerSchemas.map((s) => s.shape.name.value), 'patient'];

/** `pruner: {name: median, nWarmupSteps: 2}` in a study file. */
export const PrunerObjectSchema = z.discriminatedUnion('name', [...basicPrunerSchemas, patientSchema]);
/** A pruner spec: a name, or a name with options. */
export const PrunerSpecSchema = z
  .union([z.enum(PRUNER_NAMES as [string, ...string[]]), PrunerObjectSchema])
  .describe('The pruner: a name, or {name, ...options}. Default nop (no pruning).');
export type PrunerSpec = z.infer<typeof PrunerObjectSchema>;

/** Whether a pruner needs a `direction` option in a study with several objectives. */
export function prunerNeedsDirection(spec: PrunerSpec): boolean {
  if (spec.name === 'nop' || spec.name === 'threshold') return false;
  if (spec.name === 'patient') return spec.direction === undefined;
  return spec.direction === undefined;
}

/** The options of a spec: without `name`, and without keys whose value is undefined. */
type Options<T, O = Omit<T, 'name'>> = { [K in keyof O as undefined extends O[K] ? never : K]: O[K] } & {
  [K in keyof O as undefined extends O[K] ? K : never]?: Exclude<O[K], undefined>;
};

function withoutName<T extends { name: string }>(spec: T): Options<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'name' && v !== undefined) out[k] = v;
  return out as Options<T>;
}

/** Builds the sampler a spec names. Throws the sampler's own `TunekitError` for a bad option. */
export function createSampler(spec: SamplerSpec): Sampler {
  switch (spec.name) {
    case 'random':
      return new RandomSampler(withoutName(spec));
    case 'grid': {
      const { grid, ...options } = withoutName(spec);
      return new GridSampler(grid ?? null, options);
    }
    case 'qmc':
      return new QMCSampler(withoutName(spec));
    case 'tpe':
      return new TPESampler(withoutName(spec));
    case 'gp':
      return new GPSampler(withoutName(spec));
    case 'auto':
      return new AutoSampler(withoutName(spec));
  }
}

function createBasicPruner(spec: z.infer<typeof BasicPrunerObjectSchema>): Pruner {
  switch (spec.name) {
    case 'nop':
      return new NopPruner();
    case 'median':
      return new MedianPruner(withoutName(spec));
    case 'percentile':
      return new PercentilePruner(withoutName(spec));
    case 'threshold':
      return new ThresholdPruner(withoutName(spec));
    case 'successive-halving':
      return new SuccessiveHalvingPruner(withoutName(spec));
    case 'hyperband':
      return new HyperbandPruner(withoutName(spec));
    case 'wilcoxon':
      return new WilcoxonPruner(withoutName(spec));
  }
}

/** Builds the pruner a spec names. Throws the pruner's own `TunekitError` for a bad option. */
export function createPruner(spec: PrunerSpec): Pruner {
  if (spec.name === 'patient') {
    const { wrapped, ...options } = withoutName(spec);
    return new PatientPruner(wrapped === undefined ? null : createBasicPruner(wrapped), options);
  }
  return createBasicPruner(spec);
}
