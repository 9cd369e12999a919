/**
 * Samplers that claim a point for a trial in `beforeTrial` (CMA-ES, particle swarm, gradient
 * search) answer relative sampling with the claimed values that fall in the search space.
 * @module
 */
import type { SearchSpace } from './base.js';

/** The claimed internal values whose parameters are in `searchSpace` (none when nothing was claimed). */
export function claimedRelative(
  values: Readonly<Record<string, number>> | undefined,
  searchSpace: SearchSpace,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (values === undefined) return out;
  for (const [name, v] of Object.entries(values)) if (searchSpace[name] !== undefined) out[name] = v;
  return out;
}
