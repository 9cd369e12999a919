/**
 * NSGA-III (Deb and Jain 2014) for studies with three or more objectives: NSGA-II's generations,
 * variation and shared state (see {@link GeneticSampler}), with crowding distance replaced by
 * reference-point niching, which keeps the front spread evenly when objectives are many.
 *
 * Survivors: whole non-dominated fronts while they fit; the last front that does not fit is
 * thinned by niching. The objectives of the kept fronts and the last one are normalised (ideal
 * point subtracted, divided by the intercepts of the hyperplane through the extreme points —
 * falling back to the largest values when that plane is degenerate); every trial is associated
 * with the nearest reference direction (Das–Dennis points on the unit simplex, `divisions` per
 * objective; default: as many as fit in the population); then, repeatedly, the reference
 * direction with the fewest associated survivors takes the nearest (when it has none yet) or a
 * random one of its last-front trials.
 *
 * Two objectives work too (then it is close to NSGA-II with a spread-out archive). Constraints
 * are not handled yet.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../../core/frozen-trial.js';
import { deriveSeed, Rng } from '../../core/rng.js';
import { GeneticSampler, type GeneticSamplerOptions, minimisedValues } from '../nsga2/genetic-sampler.js';
import { nonDominatedFronts } from '../nsga2/non-dominated-sort.js';

/** Options of {@link NSGAIIISampler}. */
export interface NSGAIIISamplerOptions extends GeneticSamplerOptions {
  /**
   * Divisions per objective of the Das–Dennis reference points. Default: the largest number
   * whose point count C(M + p − 1, p) does not exceed the population size.
   */
  divisions?: number;
}

/** The Das–Dennis points: every vector of M non-negative multiples of 1/p summing to 1. */
export function dasDennisPoints(m: number, p: number): number[][] {
  const out: number[][] = [];
  const current = new Array<number>(m).fill(0);
  const rec = (j: number, left: number): void => {
    if (j === m - 1) {
      current[j] = left / p;
      out.push([...current]);
      return;
    }
    for (let k = 0; k <= left; k++) {
      current[j] = k / p;
      rec(j + 1, left - k);
    }
  };
  if (p === 0) return [new Array<number>(m).fill(1 / m)];
  rec(0, p);
  return out;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Solves A x = b (n×n, Gaussian elimination with partial pivoting); null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    if (Math.abs(m[piv]![c]!) < 1e-12) return null;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * The NSGA-III survivor selection: `size` of `candidates`, ordered best first (by front, the last
 * front in niching order). `rng` breaks ties.
 */
export function referencePointSelection(
  candidates: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  size: number,
  references: readonly (readonly number[])[],
  rng: Rng,
): FrozenTrial[] {
  const values = minimisedValues(candidates, directions);
  const fronts = nonDominatedFronts(values);
  const chosen: number[] = [];
  let last: number[] = [];
  for (const front of fronts) {
    if (chosen.length + front.length <= size) {
      chosen.push(...front);
      if (chosen.length === size) break;
      continue;
    }
    last = front;
    break;
  }
  if (last.length === 0) return chosen.map((i) => candidates[i]!);
  const m = directions.length;
  const pool = [...chosen, ...last];
  // Normalisation.
  const ideal = new Array<number>(m).fill(Number.POSITIVE_INFINITY);
  for (const i of pool) for (let j = 0; j < m; j++) ideal[j] = Math.min(ideal[j]!, values[i]![j]!);
  const shifted = new Map<number, number[]>();
  for (const i of pool)
    shifted.set(
      i,
      values[i]!.map((v, j) => v - ideal[j]!),
    );
  const extremes: number[][] = [];
  for (let axis = 0; axis < m; axis++) {
    let best: number[] | null = null;
    let bestAsf = Number.POSITIVE_INFINITY;
    for (const i of pool) {
      const f = shifted.get(i)!;
      let asf = 0;
      for (let j = 0; j < m; j++) asf = Math.max(asf, f[j]! / (j === axis ? 1 : 1e-6));
      if (asf < bestAsf) {
        bestAsf = asf;
        best = f;
      }
    }
    extremes.push(best!);
  }
  let intercepts: number[] | null = null;
  const plane = solve(extremes, new Array<number>(m).fill(1));
  if (plane?.every((w) => w > 1e-12)) {
    intercepts = plane!.map((w) => 1 / w);
  }
  if (intercepts === null || intercepts.some((a) => !Number.isFinite(a) || a < 1e-10)) {
    intercepts = new Array<number>(m).fill(0);
    for (const i of pool)
      for (let j = 0; j < m; j++) intercepts[j] = Math.max(intercepts[j]!, shifted.get(i)![j]!);
  }
  const scale = intercepts.map((a) => (a > 1e-12 ? a : 1));
  // Association with the nearest reference direction.
  const refNorm2 = references.map((w) => w.reduce((s, v) => s + v * v, 0));
  const niche = new Map<number, { ref: number; dist: number }>();
  for (const i of pool) {
    const f = shifted.get(i)!.map((v, j) => v / scale[j]!);
    const ff = f.reduce((s, v) => s + v * v, 0);
    let bestRef = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    references.forEach((w, r) => {
      let dot = 0;
      for (let j = 0; j < m; j++) dot += f[j]! * w[j]!;
      const d2 = ff - (dot * dot) / refNorm2[r]!;
      if (d2 < bestDist) {
        bestDist = d2;
        bestRef = r;
      }
    });
    niche.set(i, { ref: bestRef, dist: Math.sqrt(Math.max(0, bestDist)) });
  }
  const count = new Array<number>(references.length).fill(0);
  for (const i of chosen) count[niche.get(i)!.ref]!++;
  const byRef = new Map<number, number[]>();
  for (const i of last) {
    const r = niche.get(i)!.ref;
    if (!byRef.has(r)) byRef.set(r, []);
    byRef.get(r)!.push(i);
  }
  const open = new Set(byRef.keys());
  const picked: number[] = [];
  while (chosen.length + picked.length < size && open.size > 0) {
    let minCount = Number.POSITIVE_INFINITY;
    for (const r of open) minCount = Math.min(minCount, count[r]!);
    const ties = [...open].filter((r) => count[r] === minCount).sort((a, b) => a - b);
    const r = ties[Math.floor(rng.random() * ties.length)]!;
    const members = byRef.get(r)!;
    let k: number;
    if (count[r] === 0) {
      k = 0;
      for (let q = 1; q < members.length; q++)
        if (niche.get(members[q]!)!.dist < niche.get(members[k]!)!.dist) k = q;
    } else k = Math.floor(rng.random() * members.length);
    picked.push(members[k]!);
    members.splice(k, 1);
    count[r]!++;
    if (members.length === 0) open.delete(r);
  }
  return [...chosen, ...picked].map((i) => candidates[i]!);
}

/** NSGA-III. See the module documentation. */
export class NSGAIIISampler extends GeneticSampler {
  readonly name = 'nsga3';
  readonly divisions: number | null;
  private readonly references = new Map<number, number[][]>();

  constructor(options: NSGAIIISamplerOptions = {}) {
    super('NSGAIIISampler', 'nsga3:', options);
    if (options.divisions !== undefined && !(Number.isInteger(options.divisions) && options.divisions >= 1)) {
      throw new InvalidArgumentError(
        `NSGAIIISampler: divisions must be an integer ≥ 1, got ${String(options.divisions)}.`,
      );
    }
    this.divisions = options.divisions ?? null;
  }

  /** The reference points for m objectives. */
  referencePoints(m: number): number[][] {
    let refs = this.references.get(m);
    if (refs === undefined) {
      let p = this.divisions;
      if (p === null) {
        // C(m + p, p + 1) points for p + 1 divisions; one objective has a single point.
        p = 1;
        while (m > 1 && p < this.populationSize && binomial(m + p, p + 1) <= this.populationSize) p++;
      }
      refs = dasDennisPoints(m, p);
      this.references.set(m, refs);
    }
    return refs;
  }

  protected selectSurvivors(
    candidates: readonly FrozenTrial[],
    directions: readonly StudyDirection[],
    size: number,
  ): FrozenTrial[] {
    const rng = new Rng(
      deriveSeed(
        this.seed,
        'nsga3',
        candidates.reduce((s, t) => (s * 31 + t.trialId) % 2 ** 31, 7),
      ),
    );
    return referencePointSelection(
      candidates,
      directions,
      size,
      this.referencePoints(directions.length),
      rng,
    );
  }
}
