import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../core/distributions.js';
import { TunekitError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy, loadStudy } from './create-study.js';
import { createTrial } from './create-trial.js';

const dir = mkdtempSync(join(tmpdir(), 'tunekit-add-trials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof TunekitError ? `${e.code}: ${e.message}` : `untyped: ${String(e)}`;
  }
  return undefined;
}

const dists = {
  x: floatDistribution(-5, 5),
  n: intDistribution(1, 8),
  kind: categoricalDistribution(['a', 'b', null]),
};

function trials(): FrozenTrial[] {
  return [
    createTrial({
      params: { x: 1.5, n: 3, kind: 'b' },
      distributions: dists,
      value: 0.25,
      intermediateValues: { 0: 1, 3: 0.5 },
      userAttrs: { note: 'first' },
      systemAttrs: { origin: 'import' },
    }),
    createTrial({
      state: 'pruned',
      params: { x: -2, n: 8, kind: null },
      distributions: dists,
      intermediateValues: new Map([[1, 4]]),
    }),
    createTrial({ state: 'fail', params: { x: 0 }, distributions: { x: dists.x } }),
  ];
}

describe.each([
  ['in memory', undefined],
  ['SQLite', `sqlite:///${join(dir, 'add.db')}`],
])('addTrials round trip (%s)', (_label, storage) => {
  it('stores state, params, values, intermediate values and attrs, and reloads them', async () => {
    const study = await createStudy({
      storage,
      studyName: `rt-${_label}`,
      sampler: new RandomSampler({ seed: 0 }),
    });
    await study.optimize((t) => t.suggestFloat('x', -5, 5) ** 2, { nTrials: 2 });
    const added = await study.addTrials(trials());
    expect(added.map((t) => t.number)).toEqual([2, 3, 4]);
    const again = storage === undefined ? study : await loadStudy({ studyName: `rt-${_label}`, storage });
    const all = await again.getTrials();
    expect(all).toHaveLength(5);
    const [a, b, c] = all.slice(2) as [FrozenTrial, FrozenTrial, FrozenTrial];
    expect(a.state).toBe('complete');
    expect(a.values).toEqual([0.25]);
    expect(a.params).toEqual({ x: 1.5, n: 3, kind: 'b' });
    expect(a.internalParams).toEqual({ x: 1.5, n: 3, kind: 1 });
    expect([...a.intermediateValues.entries()]).toEqual([
      [0, 1],
      [3, 0.5],
    ]);
    expect(a.userAttrs).toEqual({ note: 'first' });
    expect(a.systemAttrs).toEqual({ origin: 'import' });
    expect(b.state).toBe('pruned');
    expect(b.params).toEqual({ x: -2, n: 8, kind: null });
    expect([...b.intermediateValues.entries()]).toEqual([[1, 4]]);
    expect(c.state).toBe('fail');
    expect(c.values).toBeNull();
    expect(c.params).toEqual({ x: 0 });
    // Imported trials count: the best trial is the imported one when it is better.
    const best = await again.bestTrial();
    expect(best.values![0]).toBeLessThanOrEqual(0.25);
    expect((await again.paramDistributions()).kind).toEqual(dists.kind);
  });

  it('copies the trials of another study (addTrial and addTrials)', async () => {
    const src = await createStudy({ storage, sampler: new RandomSampler({ seed: 3 }) });
    await src.optimize((t) => t.suggestFloat('x', -5, 5) ** 2 + t.suggestInt('n', 1, 8), { nTrials: 5 });
    const dst = await createStudy({ storage });
    const [first, ...rest] = await src.getTrials();
    await dst.addTrial(first!);
    await dst.addTrials(rest);
    const got = await dst.getTrials();
    const want = await src.getTrials();
    expect(got.map((t) => [t.number, t.state, t.params, t.values])).toEqual(
      want.map((t) => [t.number, t.state, t.params, t.values]),
    );
    expect(await dst.bestValue()).toBe(await src.bestValue());
  });
});

describe('addTrials errors', () => {
  it('rejects a value count that does not match the directions', async () => {
    const study = await createStudy({ directions: ['minimize', 'maximize'] });
    const t = createTrial({ params: { x: 0 }, distributions: { x: dists.x }, value: 1 });
    expect(await codeOf(study.addTrials([t]))).toMatch(
      /^INVALID_ARGUMENT: .*1 value\(s\) but the study has 2/,
    );
    expect(await study.getTrials()).toHaveLength(0);
  });

  it('rejects an incompatible distribution and writes nothing of the batch', async () => {
    const study = await createStudy();
    await study.addTrial(
      createTrial({ params: { kind: 'a' }, distributions: { kind: dists.kind }, value: 1 }),
    );
    const good = createTrial({ params: { x: 1 }, distributions: { x: dists.x }, value: 2 });
    const bad = createTrial({
      params: { kind: 'a' },
      distributions: { kind: categoricalDistribution(['a', 'c']) },
      value: 3,
    });
    expect(await codeOf(study.addTrials([good, bad]))).toMatch(
      /^INCOMPATIBLE_DISTRIBUTION: addTrials\(\): trial \[1\]/,
    );
    // Kinds must agree within the batch too.
    const asInt = createTrial({ params: { x: 1 }, distributions: { x: intDistribution(0, 3) }, value: 1 });
    expect(await codeOf(study.addTrials([good, asInt]))).toMatch(/^INCOMPATIBLE_DISTRIBUTION/);
    expect(await study.getTrials()).toHaveLength(1);
  });

  it('rejects unfinished trials, missing distributions and values outside them', async () => {
    const study = await createStudy();
    const running = {
      ...createTrial({ params: {}, distributions: {}, value: 1 }),
      state: 'running' as const,
    };
    expect(await codeOf(study.addTrials([running]))).toMatch(/only finished trials/);
    const noDist = {
      ...createTrial({ params: { x: 1 }, distributions: { x: dists.x }, value: 1 }),
      distributions: {},
    };
    expect(await codeOf(study.addTrial(noDist))).toMatch(/parameter 'x' has no distribution/);
    const outside = {
      ...createTrial({ params: { x: 1 }, distributions: { x: dists.x }, value: 1 }),
      params: { x: 9 },
    };
    expect(await codeOf(study.addTrial(outside))).toMatch(/outside its distribution/);
    const noValues = { ...createTrial({ params: {}, distributions: {}, value: 1 }), values: null };
    expect(await codeOf(study.addTrial(noValues))).toMatch(/complete but has no values/);
    expect(await codeOf(study.addTrials('nope' as never))).toMatch(
      /^INVALID_ARGUMENT: addTrials\(\) needs an array/,
    );
    expect(await study.getTrials()).toHaveLength(0);
  });

  it('createTrial checks its input', async () => {
    expect(await codeOf(() => createTrial({ params: { x: 1 }, value: 1 }))).toMatch(/has no distribution/);
    expect(await codeOf(() => createTrial({ params: { x: 1 }, distributions: { x: dists.x } }))).toMatch(
      /complete trial needs value/,
    );
    expect(await codeOf(() => createTrial({ state: 'fail', value: 1 }))).toMatch(
      /failed trial has no values/,
    );
    expect(await codeOf(() => createTrial({ value: 1, values: [1] }))).toMatch(/either value or values/);
    expect(
      await codeOf(() => createTrial({ params: { k: 'z' }, distributions: { k: dists.kind }, value: 1 })),
    ).toMatch(/^INVALID_ARGUMENT: .*'k'.*not one of the choices/);
    expect(await codeOf(() => createTrial({ params: {}, distributions: { x: dists.x }, value: 1 }))).toMatch(
      /distribution 'x' has no parameter value/,
    );
    expect(await codeOf(() => createTrial({ value: 1, intermediateValues: { [-1]: 2 } }))).toMatch(
      /step "-1" must be an integer/,
    );
    const t = createTrial({
      params: { n: 4 },
      distributions: { n: dists.n },
      values: [Number.POSITIVE_INFINITY],
    });
    expect(t.values).toEqual([Number.POSITIVE_INFINITY]);
    expect(t.state).toBe('complete');
  });
});
