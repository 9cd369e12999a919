import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { floatDistribution } from '../core/distributions.js';
import { TunekitError } from '../core/errors.js';
import { setLogSink } from '../core/logging.js';
import type { Sampler } from '../samplers/base.js';
import { GPSampler } from '../samplers/gp/gp-sampler.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { TPESampler } from '../samplers/tpe/tpe-sampler.js';
import { createStudy, loadStudy } from './create-study.js';
import { createTrial } from './create-trial.js';
import type { Study } from './study.js';
import { WARM_START_ATTR } from './warm-start.js';

const dir = mkdtempSync(join(tmpdir(), 'tunekit-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPT = 3.1;
const quadratic = (x: number): number => (x - OPT) ** 2;

/** A source study that found the optimum of the quadratic: 40 random trials on [−10, 10]. */
async function source(storage?: string, studyName?: string): Promise<Study> {
  const study = await createStudy({ storage, studyName, sampler: new RandomSampler({ seed: 7 }) });
  await study.optimize((t) => quadratic(t.suggestFloat('x', -10, 10)), { nTrials: 40 });
  return study;
}

/** Mean distance to the optimum of the first k suggestions of a study. */
async function firstSuggestions(study: Study, k: number): Promise<number> {
  await study.optimize((t) => quadratic(t.suggestFloat('x', -10, 10)), { nTrials: k });
  const xs = (await study.getTrials()).map((t) => t.params.x as number);
  expect(xs).toHaveLength(k);
  return xs.reduce((a, x) => a + Math.abs(x - OPT), 0) / k;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof TunekitError ? `${e.code}: ${e.message}` : `untyped: ${String(e)}`;
  }
  return undefined;
}

// The last entry: how much closer than cold the first 4 warm suggestions must be. The stacked GP
// explores around the source's optimum more widely at first (its residual has prior variance).
describe.each<[string, (seed: number) => Sampler, number]>([
  ['TPE', (seed) => new TPESampler({ seed }), 3],
  ['GP', (seed) => new GPSampler({ seed, nCandidates: 256, nLocalSearch: 3 }), 3],
  [
    'stacked GP',
    (seed) => new GPSampler({ seed, nCandidates: 256, nLocalSearch: 3, warmStartModel: 'stacked' }),
    2,
  ],
])('warm start with %s', (_name, make, closer) => {
  it('puts the first suggestions near the optimum the source found, much closer than cold', async () => {
    const src = await source();
    let warm = 0;
    let cold = 0;
    for (const seed of [1, 2, 3]) {
      const w = await createStudy({ sampler: make(seed), warmStartFrom: [src] });
      warm += await firstSuggestions(w, 4);
      const c = await createStudy({ sampler: make(seed) });
      cold += await firstSuggestions(c, 4);
    }
    warm /= 3;
    cold /= 3;
    // Cold: 4 uniform draws on [−10, 10] (mean distance ≈ 5.5); warm: near x = 3.1.
    expect(warm).toBeLessThan(closer === 3 ? 1.5 : 2.5);
    expect(cold).toBeGreaterThan(3);
    expect(warm).toBeLessThan(cold / closer);
  });

  it("follows the study's own trials where they disagree with the warm ones (optimum moved)", async () => {
    const src = await source();
    const study = await createStudy({ sampler: make(5), warmStartFrom: [src] });
    await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 5) ** 2, { nTrials: 20 });
    expect(Math.abs(((await study.bestParams()).x as number) - 5)).toBeLessThan(0.3);
  });

  it('does not count warm trials as trials of the study', async () => {
    const src = await source();
    const study = await createStudy({ sampler: make(0), warmStartFrom: [src] });
    expect(await study.getTrials()).toHaveLength(0);
    expect(study.warmStart?.sources[0]?.trials).toHaveLength(40);
    await study.optimize((t) => quadratic(t.suggestFloat('x', -10, 10)) + 100, { nTrials: 3 });
    const trials = await study.getTrials();
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2]);
    // bestTrial is one of the study's own (the warm trials have values below 100).
    expect(await study.bestValue()).toBeGreaterThanOrEqual(100);
    expect((await src.getTrials()).length).toBe(40);
  });
});

describe('warm start persistence', () => {
  it('a study reloaded by name (SQLite) keeps its warm start and its effect', async () => {
    const url = `sqlite:///${join(dir, 'warm.db')}`;
    await source(url, 'old');
    const created = await createStudy({
      storage: url,
      studyName: 'new',
      sampler: new TPESampler({ seed: 4 }),
      warmStartFrom: [{ studyName: 'old' }],
      warmStartWeight: 0.75,
    });
    expect(created.warmStart?.weight).toBe(0.75);
    const attr = (await created.systemAttrs())[WARM_START_ATTR] as { sources: Array<{ name: string }> };
    expect(attr.sources.map((s) => s.name)).toEqual(['old']);
    const loaded = await loadStudy({ studyName: 'new', storage: url, sampler: new TPESampler({ seed: 4 }) });
    expect(loaded.warmStart?.weight).toBe(0.75);
    const a = created.warmStart!.sources[0]!.trials;
    const b = loaded.warmStart!.sources[0]!.trials;
    expect(b.map((t) => [t.params, t.values, t.internalParams])).toEqual(
      a.map((t) => [t.params, t.values, t.internalParams]),
    );
    expect(await firstSuggestions(loaded, 4)).toBeLessThan(1.5);
    // createStudy with loadIfExists and no warmStartFrom reads the stored one too.
    const resumed = await createStudy({ storage: url, studyName: 'new', loadIfExists: true });
    expect(resumed.warmStart?.sources[0]?.trials).toHaveLength(40);
  });

  it('takes plain trials (createTrial), keeps only complete ones, and encodes infinite values', async () => {
    const x = floatDistribution(-10, 10);
    const trials = [
      createTrial({ params: { x: 3 }, distributions: { x }, value: 0.01 }),
      createTrial({ params: { x: -8 }, distributions: { x }, value: Number.POSITIVE_INFINITY }),
      createTrial({ state: 'fail', params: { x: 9 }, distributions: { x } }),
    ];
    const study = await createStudy({ warmStartFrom: [trials] });
    const got = study.warmStart!.sources[0]!;
    expect(got.name).toBe('trials[0]');
    expect(got.trials.map((t) => t.values)).toEqual([[0.01], [Number.POSITIVE_INFINITY]]);
    const reloaded = await loadStudy({ studyName: study.studyName, storage: study.storage });
    expect(reloaded.warmStart!.sources[0]!.trials.map((t) => t.values)).toEqual([
      [0.01],
      [Number.POSITIVE_INFINITY],
    ]);
  });
});

describe('warm start errors', () => {
  it('rejects sources with other directions, bad weights and bad entries', async () => {
    const lines: string[] = [];
    setLogSink((_, m) => lines.push(m));
    const max = await createStudy({ direction: 'maximize' });
    expect(await codeOf(createStudy({ warmStartFrom: [max] }))).toMatch(
      /^INVALID_ARGUMENT: .*has directions \[maximize\] but the new study has \[minimize\]/,
    );
    expect(await codeOf(createStudy({ warmStartFrom: [max], warmStartWeight: 0 }))).toMatch(
      /warmStartWeight must be a number in \(0, 1\]/,
    );
    expect(await codeOf(createStudy({ warmStartFrom: [42 as never] }))).toMatch(/warmStartFrom\[0\] must be/);
    expect(await codeOf(createStudy({ warmStartFrom: 'old' as never }))).toMatch(
      /warmStartFrom must be an array/,
    );
    expect(await codeOf(createStudy({ warmStartFrom: [{ studyName: 'missing' }] }))).toMatch(
      /^STUDY_NOT_FOUND/,
    );
    const two = createTrial({ params: {}, distributions: {}, values: [1, 2] });
    expect(await codeOf(createStudy({ warmStartFrom: [[two]] }))).toMatch(/has 2 value\(s\)/);
    // A source without complete trials adds nothing (said in the log).
    const empty = await createStudy({ warmStartFrom: [await createStudy()] });
    expect(empty.warmStart).toBeUndefined();
    expect(lines.some((l) => l.includes('has no complete trial'))).toBe(true);
  });
});
