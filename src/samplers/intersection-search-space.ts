/**
 * The intersection search space: the parameters every finished trial of a study shares, each
 * with the one distribution all of them used. Relative samplers (QMC, and later TPE's
 * multivariate mode, CMA-ES, GP) sample these jointly.
 * @module
 */
import { type Distribution, distributionsEqual, isSingle } from '../core/distributions.js';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import type { SearchSpace } from './base.js';

/** Options of {@link intersectionSearchSpace}. */
export interface IntersectionOptions {
  /** Count pruned trials as well as complete ones. Default false. */
  includePruned?: boolean;
  /** Leave out parameters with a single possible value. Default false. */
  excludeSingle?: boolean;
}

/**
 * The parameters that every complete (optionally also pruned) trial among `trials` has, with the
 * same distribution in each; a name whose distribution differs between two trials is left out.
 * Names come in sorted order. Empty when no trial qualifies.
 */
export function intersectionSearchSpace(
  trials: readonly FrozenTrial[],
  options: IntersectionOptions = {},
): SearchSpace {
  const states: readonly TrialState[] = options.includePruned ? ['complete', 'pruned'] : ['complete'];
  let space: Map<string, Distribution> | null = null;
  for (const t of trials) {
    if (!states.includes(t.state)) continue;
    if (space === null) {
      space = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [name, d] of space) {
      const other = t.distributions[name];
      if (other === undefined || !distributionsEqual(d, other)) space.delete(name);
    }
    if (space.size === 0) break;
  }
  const out: SearchSpace = {};
  if (space === null) return out;
  for (const name of [...space.keys()].sort()) {
    const d = space.get(name)!;
    if (options.excludeSingle && isSingle(d)) continue;
    out[name] = d;
  }
  return out;
}
