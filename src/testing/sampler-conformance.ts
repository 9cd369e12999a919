/**
 * The conformance suite every sampler passes: reproducibility, values inside their
 * distributions, conditional spaces, enqueued trials, running trials in the snapshot and
 * single-valued distributions.
 *
 * @example
 * ```ts
 * // my-sampler.test.ts
 * import { describeSamplerConformance } from 'tunekit/testing';
 * describeSamplerConformance('MySampler', (seed) => new MySampler({ seed }));
 * ```
 * @module
 */
import { describe, expect, it } from 'vitest';
import { contains, type Distribution, toExternal } from '../core/distributions.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import type { PreparedTrial, Sampler, SearchSpace, StudyContext, StudyView } from '../samplers/base.js';
import { createStudy } from '../study/create-study.js';
import type { Study } from '../study/study.js';
import type { Trial } from '../trial/trial.js';

/** Options of {@link describeSamplerConformance}. */
export interface SamplerConformanceOptions {
  /**
   * The sampler handles finite spaces only (an exhaustive grid): continuous floats get a step and
   * log-scale floats are left out. Default false.
   */
  finiteOnly?: boolean;
  /** Trials per study in the range checks. Default 50. */
  nTrials?: number;
  /** Seed passed to the factory (and seed + 1 for the "different seeds" check). Default 42. */
  seed?: number;
  /**
   * The studies' directions. Default one objective, minimised. With several, objective j > 0 is
   * a second deterministic function of the parameters (conflicting with the first).
   */
  directions?: readonly StudyDirection[];
}

/**
 * Wraps a sampler, records the snapshot each trial saw and checks every value the sampler returns
 * lies inside its distribution.
 */
export class SamplerProbe implements Sampler {
  readonly name: string;
  /** The snapshot each trial was sampled from, by trial number. */
  readonly views = new Map<number, StudyView>();
  /** Values the sampler returned outside their distribution (empty for a conforming sampler). */
  readonly violations: string[] = [];

  constructor(readonly inner: Sampler) {
    this.name = inner.name;
  }

  async prepareTrial(study: StudyContext): Promise<PreparedTrial | undefined> {
    return this.inner.prepareTrial?.(study);
  }

  async beforeTrial(study: StudyView, trial: FrozenTrial): Promise<void> {
    await this.inner.beforeTrial?.(study, trial);
  }

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace {
    this.views.set(trial.number, study);
    return this.inner.inferRelativeSearchSpace(study, trial);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, number> {
    const out = this.inner.sampleRelative(study, trial, searchSpace);
    for (const [name, value] of Object.entries(out)) {
      const d = searchSpace[name];
      if (d === undefined) this.violations.push(`trial ${trial.number}: relative '${name}' not in the space`);
      else this.check(trial, name, d, value, 'sampleRelative');
    }
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    const value = this.inner.sampleIndependent(study, trial, name, distribution);
    this.check(trial, name, distribution, value, 'sampleIndependent');
    return value;
  }

  async afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: 'complete' | 'pruned' | 'fail',
    values: readonly number[] | null,
  ): Promise<void> {
    await this.inner.afterTrial?.(study, trial, state, values);
  }

  private check(trial: FrozenTrial, name: string, d: Distribution, value: number, where: string): void {
    if (typeof value !== 'number' || !contains(d, value)) {
      this.violations.push(
        `trial ${trial.number}: ${where} returned ${String(value)} for '${name}', outside ${JSON.stringify(d)}`,
      );
    }
  }
}

/** Every kind of distribution, as (name, suggest) pairs. */
function allKinds(finiteOnly: boolean): Array<[string, (t: Trial) => unknown]> {
  const kinds: Array<[string, (t: Trial) => unknown]> = [
    ['f', (t) => (finiteOnly ? t.suggestFloat('f', -2, 3, { step: 0.5 }) : t.suggestFloat('f', -2, 3))],
    ['f_step', (t) => t.suggestFloat('f_step', 0, 1, { step: 0.25 })],
    ['i', (t) => t.suggestInt('i', -3, 4)],
    ['i_log', (t) => t.suggestInt('i_log', 1, finiteOnly ? 8 : 1000, { log: true })],
    ['i_step', (t) => t.suggestInt('i_step', 0, 10, { step: 5 })],
    ['c_str', (t) => t.suggestCategorical('c_str', ['a', 'b', 'c'])],
    ['c_num', (t) => t.suggestCategorical('c_num', [1, 2.5, -1])],
    ['c_bool', (t) => t.suggestCategorical('c_bool', [true, false])],
    ['c_mixed', (t) => t.suggestCategorical('c_mixed', [null, 'x', 0, false])],
  ];
  if (!finiteOnly) kinds.push(['f_log', (t) => t.suggestFloat('f_log', 1e-4, 1, { log: true })]);
  return kinds;
}

/** A deterministic objective value from whatever parameters a trial has (`shift` moves its optimum). */
function score(params: Readonly<Record<string, unknown>>, shift = 0): number {
  let s = 0;
  for (const [name, v] of Object.entries(params)) {
    const x = typeof v === 'number' ? v : v === true ? 1 : typeof v === 'string' ? v.length : 0;
    s += (x - name.length / 10 - shift) ** 2;
  }
  return s;
}

/**
 * Registers a vitest suite checking that samplers from `factory` follow the sampler contract.
 * @param name shown in the test names.
 * @param factory a new sampler for a seed; each test builds its own.
 */
export function describeSamplerConformance(
  name: string,
  factory: (seed: number) => Sampler,
  options: SamplerConformanceOptions = {},
): void {
  const finiteOnly = options.finiteOnly ?? false;
  const nTrials = options.nTrials ?? 50;
  const seed = options.seed ?? 42;
  const directions = options.directions;

  /** The objective value v, or with several directions [v, then one more value per objective]. */
  const withOthers = (v: number, params: Readonly<Record<string, unknown>>): number | number[] => {
    if (directions === undefined || directions.length === 1) return v;
    return directions.map((_, j) => (j === 0 ? v : score(params, j)));
  };

  const simple = (trial: Trial): number | number[] => {
    const x = finiteOnly ? trial.suggestFloat('x', 0, 1, { step: 0.1 }) : trial.suggestFloat('x', 0, 1);
    const n = trial.suggestInt('n', 1, 10);
    const c = trial.suggestCategorical('c', ['a', 'b', 'c']);
    return withOthers((x - 0.3) ** 2 + (n - 4) ** 2 / 10 + (c === 'b' ? 0 : 0.5), trial.params);
  };

  async function newStudy(sampler: Sampler): Promise<Study> {
    return directions === undefined ? createStudy({ sampler }) : createStudy({ sampler, directions });
  }

  async function paramsSequence(sampler: Sampler, count: number): Promise<unknown[]> {
    const study = await newStudy(sampler);
    await study.optimize(simple, { nTrials: count });
    return (await study.getTrials()).map((t) => ({ state: t.state, params: t.params }));
  }

  describe(`${name}: sampler conformance`, () => {
    it('gives the same parameters for the same seed (20 trials)', async () => {
      const a = await paramsSequence(factory(seed), 20);
      const b = await paramsSequence(factory(seed), 20);
      expect(a).toHaveLength(20);
      expect(b).toEqual(a);
    });

    it('gives different parameters for different seeds', async () => {
      const a = await paramsSequence(factory(seed), 20);
      const b = await paramsSequence(factory(seed + 1), 20);
      expect(b).not.toEqual(a);
    });

    it(`keeps every kind of distribution inside its range (${nTrials} trials)`, async () => {
      const probe = new SamplerProbe(factory(seed));
      const kinds = allKinds(finiteOnly);
      const study = await newStudy(probe);
      await study.optimize(
        (trial) => {
          for (const [, suggest] of kinds) suggest(trial);
          return withOthers(score(trial.params), trial.params);
        },
        { nTrials },
      );
      expect(probe.violations).toEqual([]);
      const trials = await study.getTrials();
      expect(trials).toHaveLength(nTrials);
      const distinct = new Map<string, Set<string>>();
      for (const t of trials) {
        expect(t.state).toBe('complete');
        expect(Object.keys(t.params).sort()).toEqual(kinds.map(([k]) => k).sort());
        for (const [k, d] of Object.entries(t.distributions)) {
          const internal = t.internalParams[k]!;
          expect(contains(d, internal), `${k} = ${internal} in ${JSON.stringify(d)}`).toBe(true);
          expect(t.params[k]).toStrictEqual(toExternal(d, internal));
          if (!distinct.has(k)) distinct.set(k, new Set());
          distinct.get(k)!.add(JSON.stringify(t.params[k]));
        }
      }
      // The sampler explores: the widest parameters take more than one value.
      expect(distinct.get('f')!.size).toBeGreaterThan(1);
      expect(distinct.get('i')!.size).toBeGreaterThan(1);
    });

    it('handles conditional search spaces', async () => {
      const probe = new SamplerProbe(factory(seed));
      const study = await newStudy(probe);
      await study.optimize(
        (trial) => {
          const optimizer = trial.suggestCategorical('optimizer', ['sgd', 'adam']);
          let v = trial.suggestInt('layers', 1, 4);
          if (optimizer === 'sgd') {
            v += finiteOnly
              ? trial.suggestFloat('momentum', 0, 0.9, { step: 0.1 })
              : trial.suggestFloat('momentum', 0, 0.9);
          } else {
            v += trial.suggestCategorical('amsgrad', [false, true]) ? 1 : 0;
          }
          return withOthers(v, trial.params);
        },
        { nTrials: 30 },
      );
      expect(probe.violations).toEqual([]);
      const trials = await study.getTrials();
      expect(trials.every((t) => t.state === 'complete')).toBe(true);
      for (const t of trials) {
        const sgd = t.params.optimizer === 'sgd';
        expect(Object.hasOwn(t.params, 'momentum')).toBe(sgd);
        expect(Object.hasOwn(t.params, 'amsgrad')).toBe(!sgd);
      }
      const branches = new Set(trials.map((t) => t.params.optimizer));
      expect(branches).toEqual(new Set(['sgd', 'adam']));
    });

    it('respects enqueued trials', async () => {
      const study = await newStudy(factory(seed));
      await study.enqueueTrial({ x: 0.5, n: 7, c: 'c' });
      await study.enqueueTrial({ n: 2 });
      await study.optimize(simple, { nTrials: 4 });
      const trials = await study.getTrials();
      expect(trials[0]!.params).toEqual({ x: 0.5, n: 7, c: 'c' });
      expect(trials[1]!.params.n).toBe(2);
      expect(Object.keys(trials[1]!.params).sort()).toEqual(['c', 'n', 'x']);
      expect(trials.every((t) => t.state === 'complete')).toBe(true);
    });

    it('sees running and waiting trials in the snapshot', async () => {
      const probe = new SamplerProbe(factory(seed));
      const study = await newStudy(probe);
      await study.optimize(simple, { nTrials: 2 });
      const first = await study.ask();
      first.suggestInt('n', 1, 10);
      await study.enqueueTrial({ n: 3 });
      await study.enqueueTrial({ n: 4 });
      const second = await study.ask(); // claims the first enqueued trial
      const view = probe.views.get(second.number)!;
      expect(view).toBeDefined();
      const states = new Map(view.trials.map((t) => [t.number, t.state]));
      expect(states.get(first.number)).toBe('running');
      expect(states.get(second.number)).toBe('running');
      expect(states.get(second.number + 1)).toBe('waiting');
      expect(view.getTrials(['complete'])).toHaveLength(2);
      await study.tell(first, simple(first));
      await study.tell(second, simple(second));
    });

    it('returns single-valued distributions as they are', async () => {
      const probe = new SamplerProbe(factory(seed));
      const study = await newStudy(probe);
      await study.optimize(
        (trial) => {
          expect(trial.suggestFloat('one', 2.5, 2.5)).toBe(2.5);
          expect(trial.suggestFloat('one_log', 1e-3, 1e-3, { log: true })).toBe(1e-3);
          expect(trial.suggestInt('k', 5, 5)).toBe(5);
          expect(trial.suggestCategorical('only', ['z'])).toBe('z');
          return simple(trial);
        },
        { nTrials: 8, stopOnError: true },
      );
      expect(probe.violations).toEqual([]);
      const trials = await study.getTrials();
      expect(trials).toHaveLength(8);
      for (const t of trials) {
        expect(t.state).toBe('complete');
        expect(t.params).toMatchObject({ one: 2.5, one_log: 1e-3, k: 5, only: 'z' });
      }
    });
  });
}
