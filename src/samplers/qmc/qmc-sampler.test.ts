import {
  categoricalDistribution,
  contains,
  createStudy,
  type Distribution,
  type FrozenTrial,
  floatDistribution,
  InMemoryStorage,
  InvalidArgumentError,
  intDistribution,
  setLogSink,
  type Trial,
  type TrialState,
} from 'tunekit';
import { afterEach, describe, expect, it } from 'vitest';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { fromUnit, QMC_INDEX_ATTR, QMC_SEARCH_SPACE_ATTR, QMCSampler } from './index.js';

describeSamplerConformance('QMCSampler (sobol)', (seed) => new QMCSampler({ seed }));
describeSamplerConformance('QMCSampler (halton)', (seed) => new QMCSampler({ seed, qmcType: 'halton' }));

const LOG_LOW = 1e-3;
const LOG_HIGH = 10;

/** Objective over three continuous parameters (sorted names: a, b, c → dimensions 0, 1, 2). */
async function threeFloats(trial: Trial): Promise<number> {
  const a = trial.suggestFloat('a', 0, 1);
  const b = trial.suggestFloat('b', -5, 5);
  const c = trial.suggestFloat('c', LOG_LOW, LOG_HIGH, { log: true });
  return a + b + Math.log(c);
}

/** The unit-cube coordinates of a trial of {@link threeFloats}. */
function unitPoint(t: FrozenTrial): number[] {
  const { a, b, c } = t.params as { a: number; b: number; c: number };
  return [a, (b + 5) / 10, (Math.log(c) - Math.log(LOG_LOW)) / (Math.log(LOG_HIGH) - Math.log(LOG_LOW))];
}

/** QMC trials ordered by their point index. */
function byIndex(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials
    .filter((t) => typeof t.systemAttrs[QMC_INDEX_ATTR] === 'number')
    .sort((x, y) => (x.systemAttrs[QMC_INDEX_ATTR] as number) - (y.systemAttrs[QMC_INDEX_ATTR] as number));
}

/** Whether the values put exactly one point in each of `cells` equal slices of [0, 1). */
function stratified(values: readonly number[], cells: number): boolean {
  const seen = new Set(values.map((u) => Math.min(cells - 1, Math.floor(u * cells + 1e-9))));
  return values.length === cells && seen.size === cells;
}

describe('QMCSampler', () => {
  afterEach(() => setLogSink(undefined));

  it('samples the first trial at random, then the sequence; the first 2^k points are stratified', async () => {
    const study = await createStudy({ sampler: new QMCSampler({ seed: 3 }) });
    await study.optimize(threeFloats, { nTrials: 33 });
    const trials = await study.getTrials();
    expect(Object.hasOwn(trials[0]!.systemAttrs, QMC_INDEX_ATTR)).toBe(false);
    expect(trials.slice(1).map((t) => t.systemAttrs[QMC_INDEX_ATTR])).toEqual(
      Array.from({ length: 32 }, (_, i) => i),
    );
    const points = byIndex(trials).map(unitPoint);
    for (const k of [1, 2, 3, 4, 5]) {
      const n = 2 ** k;
      for (let j = 0; j < 3; j++) {
        expect(
          stratified(
            points.slice(0, n).map((p) => p[j]!),
            n,
          ),
          `dim ${j}, first ${n}`,
        ).toBe(true);
      }
    }
    const stored = (await study.systemAttrs())[QMC_SEARCH_SPACE_ATTR] as Record<string, unknown>;
    expect(Object.keys(stored.space as object).sort()).toEqual(['a', 'b', 'c']);
    expect(stored).toMatchObject({ seed: 3, qmcType: 'sobol', scramble: true });
  });

  it('stratifies Halton points in base b_j along dimension j', async () => {
    const study = await createStudy({ sampler: new QMCSampler({ seed: 4, qmcType: 'halton' }) });
    await study.optimize(threeFloats, { nTrials: 26 });
    const points = byIndex(await study.getTrials()).map(unitPoint);
    expect(points).toHaveLength(25);
    expect(
      stratified(
        points.slice(0, 16).map((p) => p[0]!),
        16,
      ),
    ).toBe(true);
    expect(
      stratified(
        points.slice(0, 9).map((p) => p[1]!),
        9,
      ),
    ).toBe(true);
    expect(
      stratified(
        points.slice(0, 25).map((p) => p[2]!),
        25,
      ),
    ).toBe(true);
  });

  it('never reuses a point with concurrent trials', async () => {
    const study = await createStudy({ sampler: new QMCSampler({ seed: 5 }) });
    await study.optimize(
      async (trial) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
        return threeFloats(trial);
      },
      { nTrials: 40, concurrency: 4 },
    );
    const trials = await study.getTrials();
    expect(trials).toHaveLength(40);
    const keys = trials.map((t) => JSON.stringify(t.params));
    expect(new Set(keys).size).toBe(40);
    const indexed = byIndex(trials);
    expect(indexed.length).toBeGreaterThanOrEqual(30);
    expect(indexed.map((t) => t.systemAttrs[QMC_INDEX_ATTR])).toEqual(
      Array.from({ length: indexed.length }, (_, i) => i),
    );
    const first16 = indexed.slice(0, 16).map(unitPoint);
    for (let j = 0; j < 3; j++)
      expect(
        stratified(
          first16.map((p) => p[j]!),
          16,
        ),
      ).toBe(true);
  });

  it('maps every kind of distribution consistently and falls back to random outside the space', async () => {
    const study = await createStudy({ sampler: new QMCSampler({ seed: 6 }) });
    await study.optimize(
      (trial) => {
        const opt = trial.suggestCategorical('opt', ['sgd', 'adam', 'rmsprop', 'adagrad']);
        const units = trial.suggestInt('units', 16, 256, { step: 16 });
        const depth = trial.suggestInt('depth', 1, 64, { log: true });
        if (trial.number > 0) trial.suggestFloat('late', 0, 1); // not in the fixed space
        return units / depth + opt.length;
      },
      { nTrials: 17 },
    );
    const trials = await study.getTrials();
    const space = (await study.systemAttrs())[QMC_SEARCH_SPACE_ATTR] as { space: object };
    expect(Object.keys(space.space).sort()).toEqual(['depth', 'opt', 'units']);
    const qmc = byIndex(trials);
    expect(qmc).toHaveLength(16);
    // 16 points, 4 choices: each choice exactly 4 times; 16 grid values of units: each once.
    const counts = new Map<unknown, number>();
    for (const t of qmc) counts.set(t.params.opt, (counts.get(t.params.opt) ?? 0) + 1);
    expect([...counts.values()]).toEqual([4, 4, 4, 4]);
    expect(new Set(qmc.map((t) => t.params.units)).size).toBe(16);
    for (const t of trials.slice(1)) {
      const late = t.params.late as number;
      expect(late >= 0 && late <= 1).toBe(true);
    }
    expect(new Set(trials.slice(1).map((t) => t.params.late)).size).toBe(16);
  });

  it('starts an unscrambled Sobol sequence at the origin', async () => {
    const study = await createStudy({ sampler: new QMCSampler({ seed: 1, scramble: false }) });
    await study.optimize(threeFloats, { nTrials: 3 });
    const [, first, second] = await study.getTrials();
    expect(unitPoint(first!)[0]).toBeCloseTo(0, 12);
    expect(unitPoint(first!)[1]).toBeCloseTo(0, 12);
    expect(unitPoint(second!)[0]).toBeCloseTo(0.5, 12);
  });

  it('lets workers with other settings follow the stored sequence, warning once', async () => {
    const warnings: string[] = [];
    setLogSink((level, message) => {
      if (level === 'warn') warnings.push(message);
    });
    const storage = new InMemoryStorage();
    const one = await createStudy({ studyName: 'q', storage, sampler: new QMCSampler({ seed: 1 }) });
    await one.optimize(threeFloats, { nTrials: 5 });
    const two = await createStudy({
      studyName: 'q',
      storage,
      loadIfExists: true,
      sampler: new QMCSampler({ seed: 2, qmcType: 'halton' }),
    });
    await Promise.all([
      one.optimize(threeFloats, { nTrials: 14, concurrency: 2 }),
      two.optimize(threeFloats, { nTrials: 14, concurrency: 2 }),
    ]);
    const points = byIndex(await one.getTrials()).map(unitPoint);
    expect(points).toHaveLength(32);
    for (let j = 0; j < 3; j++)
      expect(
        stratified(
          points.map((p) => p[j]!),
          32,
        ),
      ).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/already runs a scrambled sobol sequence with seed 1/);
  });

  it('validates its options', () => {
    expect(() => new QMCSampler({ qmcType: 'lattice' as 'sobol' })).toThrow(InvalidArgumentError);
    expect(() => new QMCSampler({ seed: Number.POSITIVE_INFINITY })).toThrow(/seed/);
  });
});

describe('fromUnit', () => {
  it('maps categorical choices and int grids to equal shares of [0, 1)', () => {
    const cat = categoricalDistribution(['a', 'b', 'c']);
    expect([0, 0.33, 0.34, 0.66, 0.67, 0.999, 1].map((u) => fromUnit(cat, u))).toEqual([0, 0, 1, 1, 2, 2, 2]);
    const int = intDistribution(1, 4);
    expect([0, 0.24, 0.25, 0.5, 0.75, 0.9999, 1].map((u) => fromUnit(int, u))).toEqual([1, 1, 2, 3, 4, 4, 4]);
    const stepped = intDistribution(0, 10, { step: 5 });
    expect([0, 0.4, 0.5, 0.7, 1].map((u) => fromUnit(stepped, u))).toEqual([0, 5, 5, 10, 10]);
    const floatStep = floatDistribution(0, 1, { step: 0.25 });
    expect([0, 0.19, 0.2, 0.5, 0.99, 1].map((u) => fromUnit(floatStep, u))).toEqual([0, 0, 0.25, 0.5, 1, 1]);
  });

  it('maps floats linearly or on a log scale, and log ints by their log-width', () => {
    const lin = floatDistribution(-2, 6);
    expect(fromUnit(lin, 0)).toBe(-2);
    expect(fromUnit(lin, 0.25)).toBe(0);
    expect(fromUnit(lin, 1)).toBe(6);
    const log = floatDistribution(1e-4, 1, { log: true });
    expect(fromUnit(log, 0)).toBeCloseTo(1e-4, 15);
    expect(fromUnit(log, 0.5)).toBeCloseTo(1e-2, 12);
    expect(fromUnit(log, 1)).toBe(1);
    const intLog = intDistribution(1, 8, { log: true });
    const values = Array.from({ length: 1000 }, (_, i) => fromUnit(intLog, i / 1000));
    expect(new Set(values)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    // 1 has the widest share (ln 1.5 − ln 0.5), 8 the narrowest.
    expect(values.filter((v) => v === 1).length).toBeGreaterThan(values.filter((v) => v === 8).length);
  });

  it('always returns a value inside the distribution', () => {
    const ds: Distribution[] = [
      floatDistribution(0.1, 0.7, { step: 0.1 }),
      floatDistribution(1, 1),
      floatDistribution(3e-5, 2e3, { log: true }),
      intDistribution(-7, 7, { step: 3 }),
      intDistribution(2, 1000, { log: true }),
      intDistribution(5, 5),
      categoricalDistribution([null, true, 1, 'x']),
    ];
    for (const d of ds) {
      for (const u of [0, 1e-12, 0.1, 0.123456, 0.5, 0.777, 1 - 1e-16, 1, -0.5, 1.5, Number.NaN]) {
        const x = fromUnit(d, u);
        expect(contains(d, x), `${JSON.stringify(d)} at ${u} → ${x}`).toBe(true);
      }
    }
  });
});

describe('intersectionSearchSpace', () => {
  let nextId = 0;
  function fake(state: TrialState, distributions: Record<string, Distribution>): FrozenTrial {
    const id = nextId++;
    return {
      trialId: id,
      number: id,
      state,
      params: {},
      internalParams: {},
      distributions,
      values: state === 'complete' ? [0] : null,
      intermediateValues: new Map(),
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: null,
      datetimeComplete: null,
    };
  }
  const x = floatDistribution(0, 1);
  const y = intDistribution(1, 5);
  const z = categoricalDistribution(['a']);

  it('keeps the parameters every complete trial shares with one distribution, sorted', () => {
    expect(intersectionSearchSpace([])).toEqual({});
    expect(intersectionSearchSpace([fake('running', { x })])).toEqual({});
    const trials = [
      fake('complete', { y, x, z }),
      fake('running', { q: x }),
      fake('complete', { x, y: intDistribution(1, 6), z }),
      fake('pruned', { z }),
    ];
    const space = intersectionSearchSpace(trials);
    expect(Object.keys(space)).toEqual(['x', 'z']);
    expect(intersectionSearchSpace(trials, { excludeSingle: true })).toEqual({ x });
    expect(intersectionSearchSpace(trials, { includePruned: true })).toEqual({ z });
  });
});
