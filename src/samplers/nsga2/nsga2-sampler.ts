/**
 * NSGA-II (Deb et al. 2002): a genetic algorithm for multi-objective studies. Each generation's
 * parents are the best `populationSize` trials of the previous generation and its parents, by
 * non-dominated rank and then crowding distance (which keeps the front spread out). Children come
 * from tournaments on that order (rank, then crowding), crossover (uniform by default; SBX or
 * BLX-α) and polynomial mutation (η 5, each gene with probability 1/D); a child that repeats a
 * parent or a trial of its generation is drawn again (duplicate elimination).
 *
 * Defaults: tournaments of 8 (`tournamentSize`; 2 is Deb's binary tournament) and crossover
 * probability 1 (`crossoverProb`). The operators match Deb's (bounded SBX and polynomial
 * mutation as in his NSGA-II code); with his settings (binary tournament, SBX η 20, mutation
 * η 20) 10,000 evaluations of ZDT2 stop at about 91% of the true front's hypervolume, still
 * converging (with 25,000, g − 1 ≈ 0.001, as in Deb's paper). The harder tournament spends the
 * budget on the front's best and most isolated points: on ZDT1 / ZDT2 / ZDT3 (30 variables,
 * 10,000 evaluations, population 100, 5 seeds) it reaches 98.97 / 98.20 / 99.03% of the true
 * fronts' hypervolume, against 98.31 / 95.69 / 98.84% (3 seeds) with binary tournaments and
 * crossover probability 0.9; on the multimodal ZDT4 81.6% against 55.2%, on ZDT6 95.2% against
 * 76.1% (10 variables, 3 seeds). Pass `tournamentSize: 2` for the textbook algorithm.
 *
 * Several workers share one population: generations, counts and parents live in the study's
 * system attributes (see {@link GeneticSampler}). Single-objective studies work too (the rank is
 * the order of the values). Constraints (`createStudy({ constraints })`) use constrained
 * domination: feasible trials survive before infeasible ones, infeasible ones by increasing
 * violation (see `constrainedSelection`).
 *
 * @example
 * ```ts
 * const study = await createStudy({
 *   directions: ['minimize', 'minimize'],
 *   sampler: new NSGAIISampler({ seed: 1, populationSize: 100, crossover: 'sbx' }),
 * });
 * await study.optimize(objective, { nTrials: 10_000 });
 * const front = await study.bestTrials();
 * ```
 * @module
 */
import type { FrozenTrial, StudyDirection } from '../../core/frozen-trial.js';
import { GeneticSampler, type GeneticSamplerOptions, minimisedValues } from './genetic-sampler.js';
import { crowdingDistance, nonDominatedFronts } from './non-dominated-sort.js';

/** Options of {@link NSGAIISampler}. */
export type NSGAIISamplerOptions = GeneticSamplerOptions;

/**
 * The best `size` of `candidates` by non-dominated rank, ties (and the last front) by crowding
 * distance, ordered best first.
 */
export function rankAndCrowdingSelection(
  candidates: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  size: number,
): FrozenTrial[] {
  // Repeated objective vectors add nothing to the front: only the first of each takes part in
  // the sort, the copies come last (they fill the population only when nothing else is left).
  const all = minimisedValues(candidates, directions);
  const firstOf = new Map<string, number>();
  const unique: number[] = [];
  const copies: number[] = [];
  all.forEach((v, i) => {
    const key = v.join(',');
    if (firstOf.has(key)) copies.push(i);
    else {
      firstOf.set(key, i);
      unique.push(i);
    }
  });
  const values = unique.map((i) => all[i]!);
  const out: FrozenTrial[] = [];
  for (const front of nonDominatedFronts(values)) {
    if (out.length >= size) break;
    const crowd = crowdingDistance(values, front);
    const order = front.map((_, k) => k).sort((a, b) => crowd[b]! - crowd[a]! || front[a]! - front[b]!);
    for (const k of order) {
      if (out.length >= size) break;
      out.push(candidates[unique[front[k]!]!]!);
    }
  }
  for (const i of copies) {
    if (out.length >= size) break;
    out.push(candidates[i]!);
  }
  return out;
}

/** NSGA-II's own defaults (see the module documentation). */
const NSGAII_DEFAULTS = { tournamentSize: 8, crossoverProb: 1 } as const;

/** NSGA-II. See the module documentation. */
export class NSGAIISampler extends GeneticSampler {
  readonly name = 'nsga2';

  constructor(options: NSGAIISamplerOptions = {}) {
    super('NSGAIISampler', 'nsga2:', options, NSGAII_DEFAULTS);
  }

  protected selectSurvivors(
    candidates: readonly FrozenTrial[],
    directions: readonly StudyDirection[],
    size: number,
  ): FrozenTrial[] {
    return rankAndCrowdingSelection(candidates, directions, size);
  }
}
