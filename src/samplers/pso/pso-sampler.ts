/**
 * Particle swarm optimisation over the [0, 1] box of {@link SearchSpaceTransform} (log scales,
 * ints and steps mapped there; a categorical as a one-hot block whose largest column wins), for
 * single-objective studies. Every trial evaluates one particle's position; ints, steps and
 * categoricals are decoded the same way for every particle (rounded to their grid), and the
 * swarm keeps the continuous positions so that small moves accumulate.
 *
 * The swarm lives in the study system attribute `pso:swarm` (JSON): the space, and per particle
 * its position, velocity and personal best, plus the global best and a claim counter. It is
 * updated with compare-and-set, so several workers share one swarm:
 * - `beforeTrial` claims the next particle (round robin) and moves it first — velocity
 *   v ← w·v + c₁r₁(pbest − x) + c₂r₂(gbest − x) (r per coordinate), clamped to ±`maxVelocity`,
 *   position clipped to the box with the velocity of a clipped coordinate zeroed — except in
 *   the first round, whose positions are the initial ones; the trial records its particle and
 *   position (`pso:particle`, `pso:x`).
 * - `afterTrial` updates that particle's personal best and the global best.
 *
 * The swarm starts once a trial has completed (its space: the parameters every complete trial
 * shares, single-valued ones left out); the complete trials so far become the first particles'
 * starting points and bests (warm start), the others start at random. Parameters outside the
 * space are sampled at random. Default coefficients: Clerc's constriction (w = 0.7298,
 * c₁ = c₂ = 1.49618), 10 + ⌊2√D⌋ particles. Multi-objective studies are sampled at random.
 * @module
 */

import { type Distribution, distributionFromJson, distributionToJson } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { log } from '../../core/logging.js';
import { deriveSeed, Rng, randomSeed } from '../../core/rng.js';
import { SearchSpaceTransform } from '../../core/search-space-transform.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { claimedRelative } from '../claimed-values.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { sampleUniform } from '../random/sample-uniform.js';

/** Study system attribute: the swarm (JSON). */
export const PSO_SWARM_ATTR = 'pso:swarm';
/** Trial system attribute: the particle the trial evaluated. */
export const PSO_PARTICLE_ATTR = 'pso:particle';
/** Trial system attribute: the particle's continuous position. */
export const PSO_X_ATTR = 'pso:x';

/** Options of {@link PSOSampler}. */
export interface PSOSamplerOptions {
  /** Same seed, same suggestions (sequential studies). Omitted: a random seed. */
  seed?: number;
  /** Number of particles. Default 10 + ⌊2√D⌋. */
  swarmSize?: number;
  /** Inertia weight w. Default 0.7298. */
  inertia?: number;
  /** Pull towards the particle's own best, c₁. Default 1.49618. */
  cognitive?: number;
  /** Pull towards the swarm's best, c₂. Default 1.49618. */
  social?: number;
  /** Largest velocity per coordinate, in box units. Default 0.5. */
  maxVelocity?: number;
}

interface Particle {
  x: number[];
  v: number[];
  bx: number[];
  /** Personal best value (minimised); null until the particle has a complete evaluation. */
  bv: number | null;
}

interface Swarm {
  seed: number;
  names: string[];
  space: Record<string, string>;
  particles: Particle[];
  gx: number[] | null;
  gv: number | null;
  /** Claims so far (the next trial takes particle `next % particles.length`). */
  next: number;
}

/** Particle swarm optimisation. See the module documentation. */
export class PSOSampler implements Sampler {
  readonly name = 'pso';
  readonly seed: number;
  readonly swarmSize: number | null;
  readonly inertia: number;
  readonly cognitive: number;
  readonly social: number;
  readonly maxVelocity: number;
  private readonly claims = new WeakMap<
    FrozenTrial,
    { space: SearchSpace; values: Record<string, number>; particle: number; x: number[] }
  >();
  private readonly transforms = new Map<string, { space: SearchSpace; transform: SearchSpaceTransform }>();
  private readonly rng = new Rng(0);
  private warnedMulti = false;

  constructor(options: PSOSamplerOptions = {}) {
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(
        `PSOSampler: seed must be a finite number, got ${String(options.seed)}.`,
      );
    }
    if (options.swarmSize !== undefined && !(Number.isInteger(options.swarmSize) && options.swarmSize >= 2)) {
      throw new InvalidArgumentError(
        `PSOSampler: swarmSize must be an integer ≥ 2, got ${String(options.swarmSize)}.`,
      );
    }
    for (const key of ['inertia', 'cognitive', 'social'] as const) {
      const v = options[key];
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
        throw new InvalidArgumentError(`PSOSampler: ${key} must be a finite number ≥ 0, got ${String(v)}.`);
      }
    }
    if (options.maxVelocity !== undefined && !(options.maxVelocity > 0)) {
      throw new InvalidArgumentError(
        `PSOSampler: maxVelocity must be > 0, got ${String(options.maxVelocity)}.`,
      );
    }
    this.seed = options.seed ?? randomSeed();
    this.swarmSize = options.swarmSize ?? null;
    this.inertia = options.inertia ?? 0.7298;
    this.cognitive = options.cognitive ?? 1.49618;
    this.social = options.social ?? 1.49618;
    this.maxVelocity = options.maxVelocity ?? 0.5;
  }

  async beforeTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    if (study.directions.length !== 1) {
      if (!this.warnedMulti) {
        this.warnedMulti = true;
        log.warn(
          `PSOSampler: study '${study.studyName}' has ${study.directions.length} objectives; the swarm handles one, so parameters are sampled at random.`,
        );
      }
      return;
    }
    const { storage, studyId } = study;
    for (;;) {
      const raw = (await storage.getStudySystemAttrs(studyId))[PSO_SWARM_ATTR];
      let swarm: Swarm;
      if (raw === undefined) {
        const fresh = this.initialSwarm(study);
        if (fresh === null) return;
        swarm = fresh;
      } else swarm = structuredClone(raw) as unknown as Swarm;
      const { space, transform } = this.decode(swarm);
      const index = swarm.next % swarm.particles.length;
      const particle = swarm.particles[index]!;
      // A particle moves before each evaluation, except the first of a fresh one.
      if (swarm.next >= swarm.particles.length || particle.bv !== null)
        this.move(swarm, particle, trial.number);
      swarm.next += 1;
      if (
        await storage.compareAndSetStudySystemAttr(
          studyId,
          PSO_SWARM_ATTR,
          raw,
          swarm as unknown as JsonValue,
        )
      ) {
        await storage.setTrialSystemAttr(trial.trialId, PSO_PARTICLE_ATTR, index);
        await storage.setTrialSystemAttr(trial.trialId, PSO_X_ATTR, particle.x);
        this.claims.set(trial, {
          space,
          values: transform.untransform(particle.x),
          particle: index,
          x: particle.x,
        });
        return;
      }
    }
  }

  async afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: 'complete' | 'pruned' | 'fail',
    values: readonly number[] | null,
  ): Promise<void> {
    if (state !== 'complete' || values === null || study.directions.length !== 1) return;
    // afterTrial receives the finished trial from the storage: its system attributes say which
    // particle it evaluated, and where.
    const particle = trial.systemAttrs[PSO_PARTICLE_ATTR];
    const x = trial.systemAttrs[PSO_X_ATTR];
    if (typeof particle !== 'number' || !Array.isArray(x)) return;
    const claim = { particle, x: x as number[] };
    const v = (study.directions[0] === 'maximize' ? -1 : 1) * values[0]!;
    if (Number.isNaN(v)) return;
    const { storage, studyId } = study;
    for (;;) {
      const raw = (await storage.getStudySystemAttrs(studyId))[PSO_SWARM_ATTR];
      if (raw === undefined) return;
      const swarm = structuredClone(raw) as unknown as Swarm;
      const p = swarm.particles[claim.particle];
      if (p === undefined) return;
      let changed = false;
      if (p.bv === null || v < p.bv) {
        p.bv = v;
        p.bx = claim.x;
        changed = true;
      }
      if (swarm.gv === null || v < swarm.gv) {
        swarm.gv = v;
        swarm.gx = claim.x;
        changed = true;
      }
      if (!changed) return;
      if (
        await storage.compareAndSetStudySystemAttr(
          studyId,
          PSO_SWARM_ATTR,
          raw,
          swarm as unknown as JsonValue,
        )
      )
        return;
    }
  }

  inferRelativeSearchSpace(_study: StudyView, trial: FrozenTrial): SearchSpace {
    return this.claims.get(trial)?.space ?? {};
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    return claimedRelative(this.claims.get(trial)?.values, searchSpace);
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    this.rng.reseed(deriveSeed(this.seed, trial.number, name));
    return sampleUniform(distribution, this.rng);
  }

  /** One velocity and position update of `p` (randomness from the trial number). */
  private move(swarm: Swarm, p: Particle, trialNumber: number): void {
    const rng = this.rng;
    rng.reseed(deriveSeed(swarm.seed, trialNumber, 'pso'));
    const gx = swarm.gx ?? p.bx;
    const vmax = this.maxVelocity;
    for (let j = 0; j < p.x.length; j++) {
      let v =
        this.inertia * p.v[j]! +
        this.cognitive * rng.random() * (p.bx[j]! - p.x[j]!) +
        this.social * rng.random() * (gx[j]! - p.x[j]!);
      v = Math.max(-vmax, Math.min(vmax, v));
      let x = p.x[j]! + v;
      if (x < 0 || x > 1) {
        x = Math.max(0, Math.min(1, x));
        v = 0;
      }
      p.v[j] = v;
      p.x[j] = x;
    }
  }

  private initialSwarm(study: StudyView): Swarm | null {
    const complete = study.getTrials(['complete']).filter((t) => t.values !== null);
    if (complete.length === 0) return null;
    const space = intersectionSearchSpace(complete, { excludeSingle: true });
    const names = Object.keys(space);
    if (names.length === 0) return null;
    const transform = new SearchSpaceTransform(space);
    const size = this.swarmSize ?? 10 + Math.floor(2 * Math.sqrt(transform.dim));
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    const rng = new Rng(deriveSeed(this.seed, 'pso-init'));
    const seeds = complete
      .filter((t) => !Number.isNaN(t.values![0]!))
      .sort((a, b) => sign * a.values![0]! - sign * b.values![0]!)
      .slice(0, size);
    const particles: Particle[] = [];
    let gx: number[] | null = null;
    let gv: number | null = null;
    for (let i = 0; i < size; i++) {
      const v = Array.from({ length: transform.dim }, () => (rng.random() - 0.5) * 0.2);
      const t = seeds[i];
      if (t !== undefined) {
        const x = Array.from(transform.transform(t.internalParams));
        const value = sign * t.values![0]!;
        particles.push({ x: [...x], v, bx: x, bv: value });
        if (gv === null || value < gv) {
          gv = value;
          gx = x;
        }
      } else {
        const x = Array.from({ length: transform.dim }, () => rng.random());
        particles.push({ x, v, bx: [...x], bv: null });
      }
    }
    const serial: Record<string, string> = {};
    for (const name of names) serial[name] = distributionToJson(space[name]!);
    return { seed: this.seed, names, space: serial, particles, gx, gv, next: 0 };
  }

  private decode(swarm: Swarm): { space: SearchSpace; transform: SearchSpaceTransform } {
    const key = JSON.stringify(swarm.space);
    let known = this.transforms.get(key);
    if (known === undefined) {
      const space: SearchSpace = {};
      for (const name of swarm.names) space[name] = distributionFromJson(swarm.space[name]!);
      known = { space, transform: new SearchSpaceTransform(space) };
      if (this.transforms.size > 8) this.transforms.clear();
      this.transforms.set(key, known);
    }
    return known;
  }
}
