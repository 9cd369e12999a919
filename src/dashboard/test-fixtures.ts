/**
 * Studies for the dashboard's tests and benchmark, written straight through the storage so that
 * every count is known: trial `i` of a seeded study is pruned when `i % 5 === 4`, failed when
 * `i % 13 === 12`, else complete; complete and pruned trials report intermediate values.
 * @module
 */
import {
  type CategoricalChoice,
  categoricalDistribution,
  type Distribution,
  floatDistribution,
  intDistribution,
  toInternal,
} from '../core/distributions.js';
import type { JsonValue, StudyDirection, TrialState } from '../core/frozen-trial.js';
import { Rng } from '../core/rng.js';
import type { Storage } from '../storages/base.js';

/** Options of {@link seedStudy}. */
export interface SeedOptions {
  readonly name: string;
  readonly nTrials: number;
  readonly directions?: readonly StudyDirection[];
  /** Names of the float, int and categorical parameter (default `x`, `n`, `kind`). */
  readonly paramNames?: readonly [string, string, string];
  /** Choices of the categorical parameter (default `['adam', 'sgd']`). */
  readonly choices?: readonly CategoricalChoice[];
  /** Steps reported by complete trials (pruned ones report half); default 5. */
  readonly steps?: number;
  /** User attributes of every trial. */
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly seed?: number;
}

/** The state seeded trial `i` gets. */
export function seededState(i: number): TrialState {
  if (i % 13 === 12) return 'fail';
  if (i % 5 === 4) return 'pruned';
  return 'complete';
}

/** Creates a study and its trials; returns the study id. */
export async function seedStudy(storage: Storage, options: SeedOptions): Promise<number> {
  const directions = options.directions ?? ['minimize'];
  const [xName, nName, cName] = options.paramNames ?? ['x', 'n', 'kind'];
  const choices = options.choices ?? ['adam', 'sgd'];
  const steps = options.steps ?? 5;
  const rng = new Rng(options.seed ?? 1);
  const dists: Record<string, Distribution> = {
    [xName]: floatDistribution(-5, 5),
    [nName]: intDistribution(1, 8),
    [cName]: categoricalDistribution(choices),
  };
  const studyId = await storage.createStudy(options.name, directions);
  const t0 = Date.UTC(2026, 0, 1, 12);
  for (let i = 0; i < options.nTrials; i++) {
    const x = -5 + 10 * rng.random();
    const n = 1 + Math.floor(8 * rng.random());
    const c = choices[i % choices.length]!;
    const state = seededState(i);
    const f = x * x + n + (i % choices.length);
    const iv = new Map<number, number>();
    const nSteps = state === 'complete' ? steps : state === 'pruned' ? Math.ceil(steps / 2) : 0;
    for (let s = 0; s < nSteps; s++) iv.set(s, f + (steps - s));
    await storage.createTrial(studyId, {
      state,
      params: { [xName]: x, [nName]: n, [cName]: toInternal(dists[cName]!, c) },
      distributions: dists,
      values:
        state === 'complete' ? directions.map((_, k) => (k === 0 ? f : k * Math.sqrt(f) + (i % 3))) : null,
      intermediateValues: iv,
      userAttrs: options.userAttrs ?? {},
      datetimeStart: new Date(t0 + i * 1000),
      datetimeComplete: new Date(t0 + i * 1000 + 800),
    });
  }
  return studyId;
}
