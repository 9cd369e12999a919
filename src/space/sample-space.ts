/**
 * `sampleSpace(trial, space)`: the typed params of a declared space, through the trial's own
 * suggest machinery (so fixed, enqueued, grid, relative and independent values apply as for
 * `trial.suggest*`), with the space's constraints enforced before anything is recorded.
 *
 * Strategy for constraints (every sampler; the grid also skips infeasible points up front):
 * 1. The sampler's proposal: each active parameter as a suggest call would answer it (already
 *    suggested → fixed → single value → relative sample → independent sample), not recorded yet.
 * 2. If a constraint rejects it, up to `maxRedraws` redraws (default 1000) of the free
 *    parameters (not fixed, enqueued or already suggested), by the space's `redraw` strategy:
 *    - **rejection**: every free parameter drawn uniformly again — the accepted point is uniform
 *      on the feasible region, which is what random search and QMC mean;
 *    - **repair**: in the first half of the attempts, each free parameter moves with
 *      probability ½ from the sampler's proposal towards a uniform draw, 2% of the way at the
 *      first attempt and geometrically more (the whole way after ~28 attempts), in its own
 *      scale (log for log parameters; a categorical jumps with that probability); then every
 *      free parameter is drawn uniformly. The accepted point stays close to what a model-based
 *      sampler proposed, which matters because optima often lie on a constraint's boundary.
 *    A redrawn branch choice activates the other branch's parameters, which take the sampler's
 *    proposal first. The redraws are seeded by the trial number and the sampler's proposal, so
 *    a seeded study stays reproducible.
 * 3. The first point that satisfies every constraint is recorded; if none does, the trial
 *    fails with an `InfeasibleSpaceError` (the constraints are nearly infeasible, or the fixed
 *    values violate them).
 *
 * Nothing is written to the storage before step 3; the trial's system attribute
 * `space:redraws` records how many redraws it took (absent: the proposal was kept).
 *
 * Per sampler (`redraw: 'auto'`, the default):
 * | sampler                                          | strategy |
 * | ------------------------------------------------ | -------- |
 * | `RandomSampler`, `QMCSampler`                    | rejection (a redrawn QMC point leaves the low-discrepancy sequence) |
 * | `TPESampler`, `GPSampler`, `AutoSampler`         | repair of the model's proposal; the models learn from the point evaluated |
 * | `CmaEsSampler`, `PSOSampler`, `GradientSampler`  | repair of the relative (joint) proposal; they learn from the point evaluated |
 * | `NSGAIISampler`, `NSGAIIISampler`                | repair of the child's proposal |
 * | any other sampler                                | repair |
 * | `GridSampler`                                    | infeasible points are skipped when the space is enumerated: never proposed, never redrawn |
 * | enqueued trials                                  | enqueued values are kept; only the other parameters are redrawn (an infeasible enqueued point fails its trial) |
 * @module
 */
import { type Distribution, type ParamValue, snap, toExternal } from '../core/distributions.js';
import { deriveSeed, hashString, Rng } from '../core/rng.js';
import { sampleUniform } from '../samplers/random/sample-uniform.js';
import type { Trial } from '../trial/trial.js';
import { InfeasibleSpaceError } from './errors.js';
import type { InferShape, Shape } from './nodes.js';
import { type FlatParam, isActive, paramsOf, type Space, satisfies } from './space.js';

/**
 * Trial system attribute: how many redraws the trial took to satisfy the space's constraints
 * (absent when the sampler's proposal satisfied them).
 */
export const SPACE_REDRAWS_ATTR = 'space:redraws';

/** Samplers whose proposals are uniform draws: plain rejection keeps them uniform. */
const UNIFORM_SAMPLERS = new Set(['random', 'qmc']);

interface Proposal {
  readonly internal: number;
  /** Fixed for this trial: already suggested, enqueued, a grid point, or a single value. */
  readonly locked: boolean;
  /** The trial already has this value (recorded earlier). */
  readonly recorded: boolean;
}

interface Candidate {
  /** Active parameters in sampling order, with their internal values. */
  readonly chosen: { param: FlatParam; internal: number }[];
  readonly flat: Record<string, ParamValue>;
}

/**
 * Samples every active parameter of `space` on `trial` and returns the typed params object.
 * Inactive parameters (a `when` that does not hold, another branch's) are not suggested and are
 * absent from the result. The objective may go on calling `trial.suggest*` for other parameters.
 * @throws InfeasibleSpaceError when no point satisfying the constraints was found.
 * @example
 * ```ts
 * const trial = await study.ask();
 * const p = sampleSpace(trial, s); // typed as InferParams<typeof s>
 * await study.tell(trial, train(p));
 * ```
 */
export function sampleSpace<S extends Shape>(trial: Trial, s: Space<S>): InferShape<S> {
  const proposals = new Map<string, Proposal>();
  const propose = (p: FlatParam): Proposal => {
    let found = proposals.get(p.name);
    if (found === undefined) {
      const r = trial.propose(p.name, p.distribution);
      found = {
        internal: r.internal,
        locked: r.source !== 'relative' && r.source !== 'independent',
        recorded: r.source === 'suggested',
      };
      proposals.set(p.name, found);
    }
    return found;
  };
  const build = (value: (p: FlatParam, proposal: Proposal) => number): Candidate => {
    const chosen: Candidate['chosen'] = [];
    const flat: Record<string, ParamValue> = {};
    for (const p of s.params) {
      if (!isActive(p, flat)) continue;
      const proposal = propose(p);
      const internal = proposal.locked ? proposal.internal : value(p, proposal);
      chosen.push({ param: p, internal });
      flat[p.name] = toExternal(p.distribution, internal);
    }
    return { chosen, flat };
  };

  let candidate = build((_, proposal) => proposal.internal);
  let params = paramsOf(s, candidate.flat);
  if (s.constraints.length > 0 && !satisfies(s, params)) {
    const first = JSON.stringify(candidate.flat);
    const rng = new Rng(deriveSeed(hashString(first), 'space-redraw', trial.number));
    const repair = s.redraw === 'repair' || (s.redraw === 'auto' && !UNIFORM_SAMPLERS.has(trial.samplerName));
    let ok = false;
    let attempt = 0;
    while (!ok && attempt < s.maxRedraws) {
      attempt++;
      const partial = repair && attempt <= s.maxRedraws / 2;
      // How far a moved parameter goes from the proposal towards a uniform draw: 2% at first,
      // growing geometrically to the whole way (a plain uniform redraw) after ~28 attempts.
      const reach = repair ? Math.min(1, 0.02 * 1.15 ** (attempt - 1)) : 1;
      candidate = build((p: FlatParam, proposal) =>
        !partial || rng.random() < 0.5
          ? towards(p.distribution, proposal.internal, sampleUniform(p.distribution, rng), reach, rng)
          : proposal.internal,
      );
      params = paramsOf(s, candidate.flat);
      ok = satisfies(s, params);
    }
    if (!ok) {
      const locked = [...proposals.entries()].filter(([, p]) => p.locked).map(([name]) => name);
      throw new InfeasibleSpaceError(
        `trial ${trial.number}: no parameters satisfying the space's constraints were found in ${s.maxRedraws} redraws (first proposal ${first}${locked.length > 0 ? `; fixed for this trial: ${locked.join(', ')}` : ''}). The constraints are (nearly) infeasible: loosen them, narrow the ranges towards the feasible region, raise maxRedraws, or fix values that satisfy them.`,
      );
    }
    trial.setSystemAttr(SPACE_REDRAWS_ATTR, attempt);
  }
  for (const { param, internal } of candidate.chosen) {
    if (proposals.get(param.name)?.recorded) continue;
    trial.record(param.name, param.distribution, internal);
  }
  return params;
}

/**
 * A point `reach` of the way from `from` to `to` (in the distribution's own scale: logarithmic
 * for log scales), snapped onto the distribution; a categorical jumps to `to` with probability
 * `reach`.
 */
function towards(d: Distribution, from: number, to: number, reach: number, rng: Rng): number {
  if (reach >= 1) return to;
  if (d.type === 'categorical') return rng.random() < reach ? to : from;
  if (d.log) return snap(d, Math.exp(Math.log(from) + reach * (Math.log(to) - Math.log(from))));
  return snap(d, from + reach * (to - from));
}
