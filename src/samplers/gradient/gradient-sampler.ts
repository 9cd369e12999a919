/**
 * Gradient-based search with SPSA (simultaneous perturbation stochastic approximation, Spall
 * 1992) over the [0, 1] box of the numeric parameters: each iteration evaluates the pair
 * θ ± c_k·Δ (Δ a random ±1 vector) in two trials, estimates the gradient as
 * ĝ_j = (f₊ − f₋) / (x₊_j − x₋_j), and moves θ ← clip(θ − a_k·ĝ/‖ĝ‖). The step sizes decay,
 * a_k = a / (k + 1 + A)^0.602 and c_k = c / (k + 1)^0.101; the step is normalised, so the
 * objective's scale does not matter. The box bounds are handled by clipping (the difference
 * quotient uses the clipped points). When the best value has not improved for `patience`
 * iterations, or the step has decayed below `minStep`, the search restarts with fresh step sizes
 * from a space-filling random point (of 32 candidates, the one farthest from every earlier run's
 * start and end).
 *
 * When it helps: smooth, low-noise objectives over continuous (float, log-float) parameters,
 * where a local descent with two evaluations per step beats global model-free search, and in
 * many dimensions, where SPSA's two evaluations per step do not grow with the dimension (finite
 * differences per coordinate would need 2D). When it does not: noisy objectives (the difference
 * of two noisy values swamps the gradient unless c is large), multi-modal landscapes (it finds
 * the nearest local minimum; restarts help only a little), plateaus and discrete parameters
 * (ints and steps are perturbed by at least one grid cell and still work, but poorly;
 * categoricals are not part of the descent and are sampled at random). For such problems use
 * TPESampler, GPSampler or CmaEsSampler.
 *
 * Shared state: the study system attribute `gradient:state` (JSON: space, θ, iteration, the
 * current pair's centre and the values of pending pairs, best point, restart count and the claim
 * counter), updated with compare-and-set, so several workers run one descent (a pair whose
 * centre has moved on still gives a valid, slightly stale, gradient estimate). Trials record
 * their pair (`gradient:pair`: `[run, iteration, ±1]`) and point (`gradient:x`). The first trial
 * is sampled at random; the descent starts from the best complete trial (warm start).
 * Single-objective studies only: other studies are sampled at random.
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

/** Study system attribute: the descent's state (JSON). */
export const GRADIENT_STATE_ATTR = 'gradient:state';
/** Trial system attribute: `[run, iteration, ±1]`. */
export const GRADIENT_PAIR_ATTR = 'gradient:pair';
/** Trial system attribute: the trial's point in the box. */
export const GRADIENT_X_ATTR = 'gradient:x';

/** Options of {@link GradientSampler}. */
export interface GradientSamplerOptions {
  /** Same seed, same suggestions (sequential studies). Omitted: a random seed. */
  seed?: number;
  /** Step size scale a (box units). Default 0.5. */
  stepSize?: number;
  /** Perturbation size c (box units). Default 0.05; raise it for noisy objectives. */
  perturbation?: number;
  /** Stability constant A of the step decay. Default 5. */
  stabilityConstant?: number;
  /** Iterations without a 0.1% improvement before a restart. Default 6 + ⌊D/10⌋. */
  patience?: number;
  /** Restart when the step a_k falls below this. Default 1e-3. */
  minStep?: number;
}

interface Pending {
  plus?: number;
  minus?: number;
  xPlus?: number[];
  xMinus?: number[];
}

interface DescentState {
  seed: number;
  names: string[];
  space: Record<string, string>;
  run: number;
  k: number;
  theta: number[];
  slot: number;
  center: { iteration: number; theta: number[] } | null;
  pending: Record<string, Pending>;
  bestX: number[] | null;
  bestV: number | null;
  runBest: number | null;
  sinceImprove: number;
  /** Start and end points of the runs so far (the restarts keep away from them). */
  visited?: number[][];
}

/** SPSA gradient descent. See the module documentation. */
export class GradientSampler implements Sampler {
  readonly name = 'gradient';
  readonly seed: number;
  readonly stepSize: number;
  readonly perturbation: number;
  readonly stabilityConstant: number;
  readonly patience: number | null;
  readonly minStep: number;
  private readonly claims = new WeakMap<
    FrozenTrial,
    { space: SearchSpace; values: Record<string, number> }
  >();
  private readonly transforms = new Map<string, { space: SearchSpace; transform: SearchSpaceTransform }>();
  private readonly rng = new Rng(0);
  private warnedMulti = false;

  constructor(options: GradientSamplerOptions = {}) {
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(
        `GradientSampler: seed must be a finite number, got ${String(options.seed)}.`,
      );
    }
    for (const key of ['stepSize', 'perturbation', 'minStep'] as const) {
      const v = options[key];
      if (v !== undefined && !(v > 0 && Number.isFinite(v))) {
        throw new InvalidArgumentError(
          `GradientSampler: ${key} must be a finite number > 0, got ${String(v)}.`,
        );
      }
    }
    if (options.stabilityConstant !== undefined && !(options.stabilityConstant >= 0)) {
      throw new InvalidArgumentError(
        `GradientSampler: stabilityConstant must be ≥ 0, got ${String(options.stabilityConstant)}.`,
      );
    }
    if (options.patience !== undefined && !(Number.isInteger(options.patience) && options.patience >= 1)) {
      throw new InvalidArgumentError(
        `GradientSampler: patience must be an integer ≥ 1, got ${String(options.patience)}.`,
      );
    }
    this.seed = options.seed ?? randomSeed();
    this.stepSize = options.stepSize ?? 0.5;
    this.perturbation = options.perturbation ?? 0.05;
    this.stabilityConstant = options.stabilityConstant ?? 5;
    this.patience = options.patience ?? null;
    this.minStep = options.minStep ?? 1e-3;
  }

  async beforeTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    if (study.directions.length !== 1) {
      if (!this.warnedMulti) {
        this.warnedMulti = true;
        log.warn(
          `GradientSampler: study '${study.studyName}' has ${study.directions.length} objectives; the descent handles one, so parameters are sampled at random.`,
        );
      }
      return;
    }
    const { storage, studyId } = study;
    for (;;) {
      const raw = (await storage.getStudySystemAttrs(studyId))[GRADIENT_STATE_ATTR];
      let state: DescentState;
      if (raw === undefined) {
        const fresh = this.initialState(study);
        if (fresh === null) return;
        state = fresh;
      } else state = structuredClone(raw) as unknown as DescentState;
      const { space, transform } = this.decode(state);
      const iteration = state.slot >> 1;
      const role = state.slot % 2 === 0 ? 1 : -1;
      if (role === 1 || state.center === null || state.center.iteration !== iteration) {
        state.center = { iteration, theta: [...state.theta] };
      }
      const x = this.perturbed(state, transform, iteration, role);
      state.slot += 1;
      if (
        await storage.compareAndSetStudySystemAttr(
          studyId,
          GRADIENT_STATE_ATTR,
          raw,
          state as unknown as JsonValue,
        )
      ) {
        await storage.setTrialSystemAttr(trial.trialId, GRADIENT_PAIR_ATTR, [state.run, iteration, role]);
        await storage.setTrialSystemAttr(trial.trialId, GRADIENT_X_ATTR, x);
        this.claims.set(trial, { space, values: transform.untransform(x) });
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
    if (study.directions.length !== 1) return;
    const pair = trial.systemAttrs[GRADIENT_PAIR_ATTR];
    const x = trial.systemAttrs[GRADIENT_X_ATTR];
    if (!Array.isArray(pair) || pair.length !== 3 || !Array.isArray(x)) return;
    const [run, iteration, role] = pair as [number, number, number];
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    let v = state === 'complete' && values !== null ? sign * values[0]! : Number.NaN;
    if (Number.isNaN(v)) v = Number.POSITIVE_INFINITY; // failed: the pair gives no gradient
    const { storage, studyId } = study;
    for (;;) {
      const raw = (await storage.getStudySystemAttrs(studyId))[GRADIENT_STATE_ATTR];
      if (raw === undefined) return;
      const s = structuredClone(raw) as unknown as DescentState;
      if (s.run !== run) return; // a pair from before a restart
      const key = String(iteration);
      const p: Pending = s.pending[key] ?? {};
      if (role === 1) {
        p.plus = v;
        p.xPlus = x as number[];
      } else {
        p.minus = v;
        p.xMinus = x as number[];
      }
      if (Number.isFinite(v) && (s.bestV === null || v < s.bestV)) {
        s.bestV = v;
        s.bestX = x as number[];
      }
      if (p.plus !== undefined && p.minus !== undefined) {
        delete s.pending[key];
        this.step(s, p);
      } else s.pending[key] = p;
      if (
        await storage.compareAndSetStudySystemAttr(
          studyId,
          GRADIENT_STATE_ATTR,
          raw,
          s as unknown as JsonValue,
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

  /** θ_centre ± c_k·Δ, clipped (discrete coordinates perturbed by at least one grid cell). */
  private perturbed(
    state: DescentState,
    transform: SearchSpaceTransform,
    iteration: number,
    role: number,
  ): number[] {
    const rng = this.rng;
    rng.reseed(deriveSeed(state.seed, 'spsa', state.run, iteration));
    const ck = this.perturbation / (state.k + 1) ** 0.101;
    const theta = state.center!.theta;
    const x = new Array<number>(theta.length);
    for (const p of transform.params) {
      const j = p.column;
      const delta = rng.random() < 0.5 ? -1 : 1;
      const c = Math.max(ck, p.unitStep);
      x[j] = Math.min(1, Math.max(0, theta[j]! + role * c * delta));
    }
    return x;
  }

  /** One SPSA step from a finished pair, with the restart test. */
  private step(s: DescentState, p: Pending): void {
    const d = s.theta.length;
    const fPlus = p.plus!;
    const fMinus = p.minus!;
    const patience = this.patience ?? 6 + Math.floor(d / 10);
    const pairBest = Math.min(fPlus, fMinus);
    // Only a real improvement resets the patience: creeping down a basin by tiny steps does not.
    if (s.runBest === null || pairBest < s.runBest - 1e-3 * (Math.abs(s.runBest) + 1e-12)) {
      s.runBest = pairBest;
      s.sinceImprove = 0;
    } else {
      if (pairBest < s.runBest) s.runBest = pairBest;
      s.sinceImprove += 1;
    }
    if (Number.isFinite(fPlus) && Number.isFinite(fMinus)) {
      const g = new Array<number>(d).fill(0);
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const dx = p.xPlus![j]! - p.xMinus![j]!;
        g[j] = dx === 0 ? 0 : (fPlus - fMinus) / dx;
        norm += g[j]! * g[j]!;
      }
      norm = Math.sqrt(norm);
      const ak = this.stepSize / (s.k + 1 + this.stabilityConstant) ** 0.602;
      if (norm > 0 && Number.isFinite(norm)) {
        for (let j = 0; j < d; j++) s.theta[j] = Math.min(1, Math.max(0, s.theta[j]! - (ak * g[j]!) / norm));
      }
    }
    s.k += 1;
    const nextStep = this.stepSize / (s.k + 1 + this.stabilityConstant) ** 0.602;
    if (s.sinceImprove >= patience || nextStep < this.minStep) {
      // Space-filling restart: of 32 random points, the one farthest from every run's start and
      // end, so that successive runs explore other basins.
      const rng = new Rng(deriveSeed(s.seed, 'spsa-restart', s.run + 1));
      s.visited = [...(s.visited ?? []), [...s.theta]].slice(-64);
      let theta: number[] = [];
      let farthest = -1;
      for (let c = 0; c < 32; c++) {
        const cand = Array.from({ length: d }, () => rng.random());
        let near = Number.POSITIVE_INFINITY;
        for (const v of s.visited) {
          let dist = 0;
          for (let j = 0; j < d; j++) dist += (cand[j]! - v[j]!) ** 2;
          near = Math.min(near, dist);
        }
        if (near > farthest) {
          farthest = near;
          theta = cand;
        }
      }
      s.visited.push([...theta]);
      s.run += 1;
      s.k = 0;
      s.theta = theta;
      s.center = null;
      s.pending = {};
      s.runBest = null;
      s.sinceImprove = 0;
      s.slot = 0;
    }
  }

  private initialState(study: StudyView): DescentState | null {
    const complete = study
      .getTrials(['complete'])
      .filter((t) => t.values !== null && !Number.isNaN(t.values[0]!));
    if (complete.length === 0) return null;
    const all = intersectionSearchSpace(complete, { excludeSingle: true });
    const space: SearchSpace = {};
    for (const [name, d] of Object.entries(all)) if (d.type !== 'categorical') space[name] = d;
    const names = Object.keys(space);
    if (names.length === 0) return null;
    const transform = new SearchSpaceTransform(space);
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    let best = complete[0]!;
    for (const t of complete) if (sign * t.values![0]! < sign * best.values![0]!) best = t;
    const theta = Array.from(transform.transform(best.internalParams));
    const serial: Record<string, string> = {};
    for (const name of names) serial[name] = distributionToJson(space[name]!);
    return {
      seed: this.seed,
      names,
      space: serial,
      run: 0,
      k: 0,
      theta,
      slot: 0,
      center: null,
      pending: {},
      bestX: theta,
      bestV: sign * best.values![0]!,
      runBest: null,
      sinceImprove: 0,
      visited: [theta],
    };
  }

  private decode(state: DescentState): { space: SearchSpace; transform: SearchSpaceTransform } {
    const key = JSON.stringify(state.space);
    let known = this.transforms.get(key);
    if (known === undefined) {
      const space: SearchSpace = {};
      for (const name of state.names) space[name] = distributionFromJson(state.space[name]!);
      known = { space, transform: new SearchSpaceTransform(space) };
      if (this.transforms.size > 8) this.transforms.clear();
      this.transforms.set(key, known);
    }
    return known;
  }
}
