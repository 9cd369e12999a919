/**
 * Quasi-Monte Carlo search: the points of a scrambled Sobol (or Halton) sequence, mapped onto the
 * search space. Low-discrepancy points cover the space more evenly than random ones: the first
 * 2^k Sobol points put exactly one point in each of the 2^k equal slices of every parameter.
 *
 * As in Optuna, the first trials sample independently at random; once a trial completed, the
 * relative search space (the intersection search space of the complete trials, without
 * single-valued parameters) is fixed for the rest of the study and every later trial takes the
 * next point of the sequence for it. Parameters outside that space (conditional ones, or new
 * ones) are sampled uniformly at random from a stream derived from (seed, trial number, name).
 *
 * Shared state (study system attributes), so that concurrent trials and several processes
 * never reuse a point:
 * - `qmc:search_space` — the fixed space with the sequence settings (seed, kind, scrambling),
 *   stored by the first worker that fixes it (compare-and-set from absent); later workers adopt
 *   these settings, warning once when theirs differ.
 * - `qmc:next` — the next point index, claimed with a compare-and-set loop in `beforeTrial`.
 *   Each trial records its index in the trial system attribute `qmc:index`.
 *
 * @module
 */
import { type Distribution, distributionFromJson } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { log } from '../../core/logging.js';
import { deriveSeed, Rng, randomSeed } from '../../core/rng.js';
import { HaltonEngine, SobolEngine } from '../../math/qmc/index.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { sampleUniform } from '../random/sample-uniform.js';
import { fromUnit } from './from-unit.js';

/** Study system attribute: the fixed search space and the sequence settings. */
export const QMC_SEARCH_SPACE_ATTR = 'qmc:search_space';
/** Study system attribute: the next point index to claim. */
export const QMC_NEXT_ATTR = 'qmc:next';
/** Trial system attribute: the index of the trial's point in the sequence. */
export const QMC_INDEX_ATTR = 'qmc:index';

/** The low-discrepancy sequences {@link QMCSampler} offers. */
export type QmcType = 'sobol' | 'halton';

/** Options of {@link QMCSampler}. */
export interface QMCSamplerOptions {
  /** Seed of the scrambling and of the random fallback. Omitted: a random seed. */
  seed?: number;
  /** The sequence. Default `'sobol'`. */
  qmcType?: QmcType;
  /** Randomize the sequence (keeps its balance). Default `true`; unscrambled Sobol starts at 0. */
  scramble?: boolean;
}

/** The settings and space a study's sequence runs with, as stored. */
interface QmcSetup {
  readonly seed: number;
  readonly qmcType: QmcType;
  readonly scramble: boolean;
  /** Sorted names; dimension j of a point is `names[j]`. */
  readonly names: readonly string[];
  readonly space: SearchSpace;
}

interface Engine {
  pointAt(index: number, out?: Float64Array): Float64Array;
}

/**
 * Quasi-random search over the relative search space. See the module documentation.
 *
 * @example
 * ```ts
 * const study = await createStudy({ sampler: new QMCSampler({ seed: 1 }) });
 * await study.optimize(objective, { nTrials: 64 }); // trial 0 random, then 63 Sobol points
 * ```
 */
export class QMCSampler implements Sampler {
  readonly name = 'qmc';
  readonly seed: number;
  readonly qmcType: QmcType;
  readonly scramble: boolean;
  private readonly seedGiven: boolean;
  private readonly claims = new WeakMap<FrozenTrial, { setup: QmcSetup; index: number }>();
  private readonly engines = new Map<string, Engine>();
  private readonly rng = new Rng(0);
  private warnedSettings = false;

  constructor(options: QMCSamplerOptions = {}) {
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(
        `QMCSampler: seed must be a finite number, got ${String(options.seed)}.`,
      );
    }
    const qmcType = options.qmcType ?? 'sobol';
    if (qmcType !== 'sobol' && qmcType !== 'halton') {
      throw new InvalidArgumentError(
        `QMCSampler: qmcType must be 'sobol' or 'halton', got ${JSON.stringify(qmcType)}.`,
      );
    }
    this.seedGiven = options.seed !== undefined;
    this.seed = options.seed ?? randomSeed();
    this.qmcType = qmcType;
    this.scramble = options.scramble ?? true;
  }

  /**
   * Fixes the study's search space when the first trial has completed, then claims the next
   * point index for this trial.
   */
  async beforeTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    const { storage, studyId } = study;
    let attrs = await storage.getStudySystemAttrs(studyId);
    let stored = attrs[QMC_SEARCH_SPACE_ATTR];
    if (stored === undefined) {
      const space = intersectionSearchSpace(study.trials, { excludeSingle: true });
      if (Object.keys(space).length === 0) return; // nothing complete yet: independent sampling
      const mine = setupToJson({
        seed: this.seed,
        qmcType: this.qmcType,
        scramble: this.scramble,
        names: Object.keys(space),
        space,
      });
      if (await storage.compareAndSetStudySystemAttr(studyId, QMC_SEARCH_SPACE_ATTR, undefined, mine)) {
        stored = mine;
      } else {
        attrs = await storage.getStudySystemAttrs(studyId);
        stored = attrs[QMC_SEARCH_SPACE_ATTR];
      }
    }
    const setup = parseSetup(stored, study.studyName);
    this.checkSettings(setup, study.studyName);
    let index: number;
    for (;;) {
      const current = attrs[QMC_NEXT_ATTR];
      index = current === undefined ? 0 : readCount(current);
      if (await storage.compareAndSetStudySystemAttr(studyId, QMC_NEXT_ATTR, current, index + 1)) break;
      attrs = await storage.getStudySystemAttrs(studyId);
    }
    await storage.setTrialSystemAttr(trial.trialId, QMC_INDEX_ATTR, index);
    this.claims.set(trial, { setup, index });
  }

  inferRelativeSearchSpace(_study: StudyView, trial: FrozenTrial): SearchSpace {
    return this.claims.get(trial)?.setup.space ?? {};
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    const claim = this.claims.get(trial);
    if (claim === undefined) return {};
    const { setup, index } = claim;
    const point = this.engine(setup).pointAt(index);
    const out: Record<string, number> = {};
    setup.names.forEach((name, j) => {
      const d = searchSpace[name];
      if (d !== undefined) out[name] = fromUnit(d, point[j]!);
    });
    return out;
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    const seed = this.claims.get(trial)?.setup.seed ?? this.seed;
    this.rng.reseed(deriveSeed(seed, trial.number, name));
    return sampleUniform(distribution, this.rng);
  }

  private engine(setup: QmcSetup): Engine {
    const dim = setup.names.length;
    const key = `${setup.qmcType}:${setup.scramble}:${setup.seed}:${dim}`;
    let engine = this.engines.get(key);
    if (engine === undefined) {
      const options = { scramble: setup.scramble, seed: deriveSeed(setup.seed, 'qmc', setup.qmcType) };
      engine = setup.qmcType === 'sobol' ? new SobolEngine(dim, options) : new HaltonEngine(dim, options);
      this.engines.set(key, engine);
    }
    return engine;
  }

  private checkSettings(setup: QmcSetup, studyName: string): void {
    if (this.warnedSettings) return;
    const differs =
      setup.qmcType !== this.qmcType ||
      setup.scramble !== this.scramble ||
      (this.seedGiven && setup.seed !== this.seed);
    if (!differs) return;
    this.warnedSettings = true;
    log.warn(
      `QMCSampler: study '${studyName}' already runs a ${setup.scramble ? 'scrambled' : 'unscrambled'} ${setup.qmcType} sequence with seed ${setup.seed}; this sampler (${this.scramble ? 'scrambled' : 'unscrambled'} ${this.qmcType}, seed ${this.seed}) follows it so that no point is repeated.`,
    );
  }
}

function setupToJson(setup: QmcSetup): JsonValue {
  const space: Record<string, JsonValue> = {};
  for (const name of setup.names) space[name] = JSON.parse(JSON.stringify(setup.space[name])) as JsonValue;
  return { seed: setup.seed, qmcType: setup.qmcType, scramble: setup.scramble, space };
}

function parseSetup(value: JsonValue | undefined, studyName: string): QmcSetup {
  const o = value as Record<string, unknown> | null | undefined;
  const fail = (): never => {
    throw new InvalidArgumentError(
      `QMCSampler: study '${studyName}' has a malformed '${QMC_SEARCH_SPACE_ATTR}' system attribute: ${JSON.stringify(value)}.`,
    );
  };
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.seed !== 'number' ||
    (o.qmcType !== 'sobol' && o.qmcType !== 'halton') ||
    typeof o.scramble !== 'boolean' ||
    typeof o.space !== 'object' ||
    o.space === null
  ) {
    return fail();
  }
  const names = Object.keys(o.space).sort();
  if (names.length === 0) return fail();
  const space: SearchSpace = {};
  for (const name of names) {
    try {
      space[name] = distributionFromJson(JSON.stringify((o.space as Record<string, unknown>)[name]));
    } catch {
      return fail();
    }
  }
  return { seed: o.seed, qmcType: o.qmcType, scramble: o.scramble, names, space };
}

function readCount(value: JsonValue): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `QMCSampler: the study system attribute '${QMC_NEXT_ATTR}' holds ${JSON.stringify(value)}, not a count.`,
    );
  }
  return value;
}
