/**
 * The storage conformance suite: every backend runs the same vitest tests in a few lines, so
 * that they all keep the contract of `Storage` (see `storages/base.ts`) the same way.
 *
 * @example
 * ```ts
 * import { describeStorageConformance } from 'tunekit/testing';
 * import { InMemoryStorage } from 'tunekit';
 *
 * describeStorageConformance('in-memory', async () => new InMemoryStorage());
 * ```
 *
 * Each test asks the factory for a fresh, empty storage and closes it afterwards.
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  categoricalDistribution,
  type Distribution,
  floatDistribution,
  intDistribution,
} from '../core/distributions.js';
import {
  DuplicatedStudyError,
  IncompatibleDistributionError,
  InvalidArgumentError,
  StudyNotFoundError,
  TrialFinishedError,
  TrialNotFoundError,
  type TunekitErrorCode,
} from '../core/errors.js';
import type { FrozenTrial, JsonValue, TrialState } from '../core/frozen-trial.js';
import { hasHeartbeats, type ParamRecord, type Storage, staleTrialReason } from '../storages/base.js';

/** Options of {@link describeStorageConformance}. */
export interface StorageConformanceOptions {
  /** Close each storage after its test (default true). Turn off for a factory that shares one. */
  readonly closeAfterEach?: boolean;
  /** Called after each test, once its storages are closed (to delete files, drop schemas…). */
  readonly cleanup?: () => void | Promise<void>;
  /** How many calls race in the atomicity tests (default 20). */
  readonly racers?: number;
}

type ErrorClass = new (message: string) => Error & { readonly code: TunekitErrorCode };

/**
 * Awaits `fn()` and asserts it fails with an error of `type`. The name and code are compared
 * rather than `instanceof`, so that a backend built against another copy of tunekit passes too.
 */
async function expectReject(fn: () => Promise<unknown>, type: ErrorClass): Promise<Error> {
  let caught: unknown;
  let threw = false;
  try {
    await fn();
  } catch (e) {
    threw = true;
    caught = e;
  }
  const probe = new type('probe');
  expect(threw, `expected ${probe.name}, but the call succeeded`).toBe(true);
  expect(caught).toBeInstanceOf(Error);
  expect(caught).toMatchObject({ name: probe.name, code: probe.code });
  return caught as Error;
}

/** Every kind of distribution, with an internal value inside each and the user-facing value. */
export const CONFORMANCE_PARAMS: ReadonlyArray<{
  readonly name: string;
  readonly distribution: Distribution;
  readonly internal: number;
  readonly external: unknown;
}> = [
  { name: 'f', distribution: floatDistribution(-1, 1), internal: 0.25, external: 0.25 },
  { name: 'flog', distribution: floatDistribution(1e-5, 1, { log: true }), internal: 1e-3, external: 1e-3 },
  { name: 'fstep', distribution: floatDistribution(0, 1, { step: 0.1 }), internal: 0.3, external: 0.3 },
  { name: 'i', distribution: intDistribution(-5, 5), internal: -3, external: -3 },
  { name: 'istep', distribution: intDistribution(0, 100, { step: 10 }), internal: 70, external: 70 },
  { name: 'ilog', distribution: intDistribution(1, 1024, { log: true }), internal: 64, external: 64 },
  { name: 'cstr', distribution: categoricalDistribution(['adam', 'sgd']), internal: 1, external: 'sgd' },
  { name: 'cnull', distribution: categoricalDistribution([1, null, 'x']), internal: 1, external: null },
  { name: 'cbool', distribution: categoricalDistribution([true, false]), internal: 1, external: false },
  { name: 'cnum', distribution: categoricalDistribution([0.5, 2, -7]), internal: 2, external: -7 },
  { name: 'cmix', distribution: categoricalDistribution(['a', 3, true, null]), internal: 2, external: true },
];

/** JSON values of every shape, for attribute round trips. */
export const CONFORMANCE_JSON: Readonly<Record<string, JsonValue>> = {
  nested: { a: { b: { c: [1, 2, { d: null }] } }, e: [] },
  array: [1, 'two', true, null, [3.5, -4e-300], { x: 'y' }],
  unicode: 'héllo wörld 🌍 日本語 \u0000 "quotes" \\ \n',
  'ключ 🔑': 'unicode key',
  '': 'empty key',
  nil: null,
  yes: true,
  no: false,
  zero: 0,
  big: 1.7976931348623157e308,
  tiny: 5e-324,
  negative: -123456789.125,
  empty: {},
  emptyArray: [],
  emptyString: '',
};

const RECORDS: ParamRecord[] = CONFORMANCE_PARAMS.map((p) => ({
  name: p.name,
  internal: p.internal,
  distribution: p.distribution,
}));

function byId(ids: number[]): number[] {
  return [...ids].sort((a, b) => a - b);
}

/**
 * Defines a vitest suite checking `factory()`'s storages against the storage contract.
 * @param name shown in the test names.
 * @param factory returns a new, empty storage for each test.
 */
export function describeStorageConformance(
  name: string,
  factory: () => Promise<Storage>,
  options: StorageConformanceOptions = {},
): void {
  const racers = options.racers ?? 20;
  const opened: Storage[] = [];

  async function open(): Promise<Storage> {
    const s = await factory();
    opened.push(s);
    return s;
  }

  /** A fresh storage with one single-objective study. */
  async function withStudy(direction: 'minimize' | 'maximize' = 'minimize') {
    const s = await open();
    const sid = await s.createStudy('study', [direction]);
    return { s, sid };
  }

  describe(`storage conformance: ${name}`, () => {
    afterEach(async () => {
      const all = opened.splice(0);
      if (options.closeAfterEach ?? true) for (const s of all) await s.close();
      await options.cleanup?.();
    });

    describe('studies', () => {
      it('creates studies with distinct ids, found by name and id, with their directions', async () => {
        const s = await open();
        const a = await s.createStudy('a', ['minimize']);
        const b = await s.createStudy('b', ['maximize', 'minimize', 'maximize']);
        expect(a).not.toBe(b);
        expect(await s.getStudyIdFromName('a')).toBe(a);
        expect(await s.getStudyIdFromName('b')).toBe(b);
        expect(await s.getStudyNameFromId(a)).toBe('a');
        expect(await s.getStudyNameFromId(b)).toBe('b');
        expect(await s.getStudyDirections(a)).toEqual(['minimize']);
        expect(await s.getStudyDirections(b)).toEqual(['maximize', 'minimize', 'maximize']);
        const dirs = await s.getStudyDirections(b);
        dirs.push('minimize');
        expect(await s.getStudyDirections(b)).toEqual(['maximize', 'minimize', 'maximize']);
        expect(await s.getStudyUserAttrs(a)).toEqual({});
        expect(await s.getStudySystemAttrs(a)).toEqual({});
        expect(await s.getAllTrials(a)).toEqual([]);
        expect(await s.getParamDistributions(a)).toEqual({});
      });

      it('accepts unicode study names', async () => {
        const s = await open();
        const id = await s.createStudy('études 🚀 実験', ['minimize']);
        expect(await s.getStudyIdFromName('études 🚀 実験')).toBe(id);
        expect(await s.getStudyNameFromId(id)).toBe('études 🚀 実験');
      });

      it('refuses a duplicate name with DuplicatedStudyError and keeps the first study', async () => {
        const s = await open();
        const id = await s.createStudy('dup', ['minimize']);
        await s.setStudyUserAttr(id, 'k', 1);
        await s.createTrial(id);
        await expectReject(() => s.createStudy('dup', ['maximize']), DuplicatedStudyError);
        expect(await s.getStudyIdFromName('dup')).toBe(id);
        expect(await s.getStudyDirections(id)).toEqual(['minimize']);
        expect(await s.getStudyUserAttrs(id)).toEqual({ k: 1 });
        expect(await s.getAllTrials(id)).toHaveLength(1);
        expect(await s.getAllStudies()).toHaveLength(1);
      });

      it('refuses invalid names and directions with InvalidArgumentError', async () => {
        const s = await open();
        await expectReject(() => s.createStudy('', ['minimize']), InvalidArgumentError);
        await expectReject(() => s.createStudy('x', []), InvalidArgumentError);
        await expectReject(() => s.createStudy('x', ['up' as 'minimize']), InvalidArgumentError);
        expect(await s.getAllStudies()).toEqual([]);
      });

      it('deletes a study with its trials and attributes; the name can be used again', async () => {
        const s = await open();
        const keep = await s.createStudy('keep', ['minimize']);
        const kept = await s.createTrial(keep);
        const gone = await s.createStudy('gone', ['maximize']);
        await s.setStudyUserAttr(gone, 'u', 1);
        await s.setStudySystemAttr(gone, 'sys', 2);
        const t0 = await s.createTrial(gone);
        await s.setTrialParams(t0.trialId, RECORDS);
        const t1 = await s.createTrial(gone, { state: 'complete', values: [1] });
        const t2 = await s.createTrial(gone, { state: 'waiting' });

        await s.deleteStudy(gone);
        await expectReject(() => s.getStudyIdFromName('gone'), StudyNotFoundError);
        await expectReject(() => s.getStudyNameFromId(gone), StudyNotFoundError);
        await expectReject(() => s.getAllTrials(gone), StudyNotFoundError);
        for (const t of [t0, t1, t2]) await expectReject(() => s.getTrial(t.trialId), TrialNotFoundError);
        await expectReject(() => s.deleteStudy(gone), StudyNotFoundError);
        expect((await s.getAllStudies()).map((x) => x.studyName)).toEqual(['keep']);
        expect(await s.getTrial(kept.trialId)).toEqual(kept);

        const again = await s.createStudy('gone', ['minimize']);
        expect(await s.getStudyIdFromName('gone')).toBe(again);
        expect(await s.getStudyDirections(again)).toEqual(['minimize']);
        expect(await s.getStudyUserAttrs(again)).toEqual({});
        expect(await s.getStudySystemAttrs(again)).toEqual({});
        expect(await s.getAllTrials(again)).toEqual([]);
        expect(await s.getParamDistributions(again)).toEqual({});
        expect(await s.claimWaitingTrial(again)).toBeNull();
        const fresh = await s.createTrial(again);
        expect(fresh.number).toBe(0);
        // The new study's registry is empty: an int 'f' is fine although the deleted study had a float 'f'.
        await s.setTrialParams(fresh.trialId, [
          { name: 'f', internal: 1, distribution: intDistribution(0, 3) },
        ]);
        expect(await s.getParamDistributions(again)).toEqual({ f: intDistribution(0, 3) });
      });

      it('throws StudyNotFoundError for an unknown study in every study method', async () => {
        const s = await open();
        const known = await s.createStudy('known', ['minimize']);
        const id = known + 1000;
        await expectReject(() => s.getStudyIdFromName('nope'), StudyNotFoundError);
        await expectReject(() => s.getStudyNameFromId(id), StudyNotFoundError);
        await expectReject(() => s.getStudyDirections(id), StudyNotFoundError);
        await expectReject(() => s.getStudyUserAttrs(id), StudyNotFoundError);
        await expectReject(() => s.getStudySystemAttrs(id), StudyNotFoundError);
        await expectReject(() => s.setStudyUserAttr(id, 'k', 1), StudyNotFoundError);
        await expectReject(() => s.setStudySystemAttr(id, 'k', 1), StudyNotFoundError);
        await expectReject(() => s.compareAndSetStudySystemAttr(id, 'k', undefined, 1), StudyNotFoundError);
        await expectReject(() => s.createTrial(id), StudyNotFoundError);
        await expectReject(() => s.claimWaitingTrial(id), StudyNotFoundError);
        await expectReject(() => s.getAllTrials(id), StudyNotFoundError);
        await expectReject(() => s.getParamDistributions(id), StudyNotFoundError);
        await expectReject(() => s.deleteStudy(id), StudyNotFoundError);
        expect((await s.getAllStudies()).map((x) => x.studyId)).toEqual([known]);
      });

      it('lists study summaries with trial counts, attributes and the best trial', async () => {
        const s = await open();
        expect(await s.getAllStudies()).toEqual([]);
        const min = await s.createStudy('min', ['minimize']);
        const max = await s.createStudy('max', ['maximize']);
        const multi = await s.createStudy('multi', ['minimize', 'maximize']);
        const empty = await s.createStudy('empty', ['minimize']);
        await s.setStudyUserAttr(min, 'owner', 'me');
        await s.setStudySystemAttr(min, 'sys', [1, 2]);

        const values = [3, -1, 7, 2];
        const made: FrozenTrial[] = [];
        for (const sid of [min, max]) {
          for (const v of values) {
            const t = await s.createTrial(sid);
            await s.finishTrial(t.trialId, 'complete', [v]);
            made.push(t);
          }
          // Neither a pruned, failed, running nor waiting trial can be the best.
          const p = await s.createTrial(sid);
          await s.setTrialIntermediateValue(p.trialId, 0, -100);
          await s.finishTrial(p.trialId, 'pruned');
          await s.finishTrial((await s.createTrial(sid)).trialId, 'fail');
          await s.createTrial(sid);
          await s.createTrial(sid, { state: 'waiting' });
        }
        await s.createTrial(multi, { state: 'complete', values: [1, 2] });
        await s.createTrial(empty, { state: 'running' });

        const all = [...(await s.getAllStudies())].sort((a, b) => a.studyId - b.studyId);
        expect(all.map((x) => x.studyId)).toEqual(byId([min, max, multi, empty]));
        const get = (id: number) => all.find((x) => x.studyId === id)!;

        const sMin = get(min);
        expect(sMin.studyName).toBe('min');
        expect(sMin.directions).toEqual(['minimize']);
        expect(sMin.nTrials).toBe(8);
        expect(sMin.userAttrs).toEqual({ owner: 'me' });
        expect(sMin.systemAttrs).toEqual({ sys: [1, 2] });
        expect(sMin.datetimeStart).toBeInstanceOf(Date);
        expect(sMin.bestTrial).not.toBeNull();
        expect(sMin.bestTrial!.values).toEqual([-1]);
        expect(sMin.bestTrial).toEqual(await s.getTrial(made[1]!.trialId));

        const sMax = get(max);
        expect(sMax.directions).toEqual(['maximize']);
        expect(sMax.nTrials).toBe(8);
        expect(sMax.bestTrial!.values).toEqual([7]);
        expect(sMax.bestTrial!.number).toBe(2);
        expect(sMax.userAttrs).toEqual({});

        expect(get(multi).directions).toEqual(['minimize', 'maximize']);
        expect(get(multi).nTrials).toBe(1);
        expect(get(multi).bestTrial).toBeNull();
        expect(get(empty).nTrials).toBe(1);
        expect(get(empty).bestTrial).toBeNull();
      });
    });

    describe('study attributes', () => {
      it('stores user and system attributes separately, overwriting by key', async () => {
        const { s, sid } = await withStudy();
        await s.setStudyUserAttr(sid, 'k', 'user');
        await s.setStudySystemAttr(sid, 'k', 'system');
        await s.setStudyUserAttr(sid, 'other', 1);
        expect(await s.getStudyUserAttrs(sid)).toEqual({ k: 'user', other: 1 });
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 'system' });
        await s.setStudyUserAttr(sid, 'k', { now: ['an', 'object'] });
        await s.setStudySystemAttr(sid, 'k', null);
        expect(await s.getStudyUserAttrs(sid)).toEqual({ k: { now: ['an', 'object'] }, other: 1 });
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: null });
      });

      it('keeps studies apart', async () => {
        const s = await open();
        const a = await s.createStudy('a', ['minimize']);
        const b = await s.createStudy('b', ['minimize']);
        await s.setStudyUserAttr(a, 'k', 'a');
        await s.setStudySystemAttr(b, 'k', 'b');
        expect(await s.getStudyUserAttrs(b)).toEqual({});
        expect(await s.getStudySystemAttrs(a)).toEqual({});
        expect(await s.compareAndSetStudySystemAttr(a, 'k', undefined, 'a2')).toBe(true);
        expect(await s.getStudySystemAttrs(b)).toEqual({ k: 'b' });
      });

      it('round-trips JSON values of every shape', async () => {
        const { s, sid } = await withStudy();
        for (const [k, v] of Object.entries(CONFORMANCE_JSON)) {
          await s.setStudyUserAttr(sid, k, v);
          await s.setStudySystemAttr(sid, k, v);
        }
        expect(await s.getStudyUserAttrs(sid)).toEqual(CONFORMANCE_JSON);
        expect(await s.getStudySystemAttrs(sid)).toEqual(CONFORMANCE_JSON);
        expect(Object.keys(await s.getStudyUserAttrs(sid)).sort()).toEqual(
          Object.keys(CONFORMANCE_JSON).sort(),
        );
      });

      it('stores keys that name Object.prototype members like any other key', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
        for (const [i, k] of keys.entries()) {
          await s.setStudyUserAttr(sid, k, { i });
          await s.setStudySystemAttr(sid, k, [i]);
          await s.setTrialUserAttr(t.trialId, k, { i });
          await s.setTrialSystemAttr(t.trialId, k, i);
        }
        expect(await s.compareAndSetStudySystemAttr(sid, '__proto__', [0], 'swapped')).toBe(true);
        const user = await s.getStudyUserAttrs(sid);
        const system = await s.getStudySystemAttrs(sid);
        const trial = await s.getTrial(t.trialId);
        for (const attrs of [user, system, trial.userAttrs, trial.systemAttrs]) {
          expect(Object.keys(attrs).sort()).toEqual([...keys].sort());
          expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
        }
        expect(Object.getOwnPropertyDescriptor(user, '__proto__')?.value).toEqual({ i: 0 });
        expect(Object.getOwnPropertyDescriptor(system, '__proto__')?.value).toBe('swapped');
        expect(JSON.parse(JSON.stringify(trial.userAttrs))).toEqual(
          JSON.parse(
            '{"__proto__":{"i":0},"constructor":{"i":1},"toString":{"i":2},"hasOwnProperty":{"i":3}}',
          ),
        );
        expect(trial.systemAttrs.toString).toBe(2);
      });

      it('copies attribute values in and out', async () => {
        const { s, sid } = await withStudy();
        const value = { list: [1, 2], inner: { a: 1 } };
        await s.setStudyUserAttr(sid, 'k', value);
        value.list.push(3);
        value.inner.a = 2;
        const read = await s.getStudyUserAttrs(sid);
        expect(read).toEqual({ k: { list: [1, 2], inner: { a: 1 } } });
        try {
          (read.k as { list: number[] }).list.push(99);
          read.extra = 1;
        } catch {
          // A frozen result is fine too.
        }
        expect(await s.getStudyUserAttrs(sid)).toEqual({ k: { list: [1, 2], inner: { a: 1 } } });
      });

      it('refuses values that are not JSON with InvalidArgumentError', async () => {
        const { s, sid } = await withStudy();
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        await expectReject(
          () => s.setStudyUserAttr(sid, 'k', undefined as unknown as JsonValue),
          InvalidArgumentError,
        );
        await expectReject(() => s.setStudySystemAttr(sid, 'k', circular as JsonValue), InvalidArgumentError);
        await expectReject(
          () => s.compareAndSetStudySystemAttr(sid, 'k', undefined, undefined as unknown as JsonValue),
          InvalidArgumentError,
        );
        expect(await s.getStudyUserAttrs(sid)).toEqual({});
        expect(await s.getStudySystemAttrs(sid)).toEqual({});
      });
    });

    describe('compareAndSetStudySystemAttr', () => {
      it('sets an absent key when expected is undefined, and only then', async () => {
        const { s, sid } = await withStudy();
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', undefined, 1)).toBe(true);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 1 });
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', undefined, 2)).toBe(false);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 1 });
      });

      it('returns false and changes nothing on a mismatch; swaps on a match', async () => {
        const { s, sid } = await withStudy();
        await s.setStudySystemAttr(sid, 'k', { a: 1, b: [1, 2] });
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', { a: 2, b: [1, 2] }, 'x')).toBe(false);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', { a: 1, b: [2, 1] }, 'x')).toBe(false);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', { a: 1 }, 'x')).toBe(false);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', null, 'x')).toBe(false);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: { a: 1, b: [1, 2] } });
        // JSON equality ignores the key order of objects.
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', { b: [1, 2], a: 1 }, 'x')).toBe(true);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 'x' });
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', 'x', 'y')).toBe(true);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 'y' });
      });

      it('tells null from absent, and 1 from "1"', async () => {
        const { s, sid } = await withStudy();
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', null, 1)).toBe(false);
        expect(await s.getStudySystemAttrs(sid)).toEqual({});
        await s.setStudySystemAttr(sid, 'k', null);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', undefined, 1)).toBe(false);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', null, 1)).toBe(true);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', '1', 2)).toBe(false);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', 1, 2)).toBe(true);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 2 });
      });

      it('does not touch user attributes', async () => {
        const { s, sid } = await withStudy();
        await s.setStudyUserAttr(sid, 'k', 1);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', 1, 2)).toBe(false);
        expect(await s.compareAndSetStudySystemAttr(sid, 'k', undefined, 3)).toBe(true);
        expect(await s.getStudyUserAttrs(sid)).toEqual({ k: 1 });
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 3 });
      });

      it(`lets exactly one of ${racers} racing calls win (from a value)`, async () => {
        const { s, sid } = await withStudy();
        await s.setStudySystemAttr(sid, 'k', 'start');
        const results = await Promise.all(
          Array.from({ length: racers }, (_, i) =>
            s.compareAndSetStudySystemAttr(sid, 'k', 'start', `w${i}`),
          ),
        );
        expect(results.filter((r) => r)).toHaveLength(1);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: `w${results.indexOf(true)}` });
      });

      it(`lets exactly one of ${racers} racing calls win (from absent)`, async () => {
        const { s, sid } = await withStudy();
        const results = await Promise.all(
          Array.from({ length: racers }, (_, i) => s.compareAndSetStudySystemAttr(sid, 'k', undefined, i)),
        );
        expect(results.filter((r) => r)).toHaveLength(1);
        expect(await s.getStudySystemAttrs(sid)).toEqual({ k: results.indexOf(true) });
      });

      it('hands out each index of a shared counter exactly once', async () => {
        const { s, sid } = await withStudy();
        const claimed: number[] = [];
        const worker = async (): Promise<void> => {
          for (let mine = 0; mine < 10; ) {
            const current = (await s.getStudySystemAttrs(sid)).counter;
            const next = typeof current === 'number' ? current : 0;
            if (await s.compareAndSetStudySystemAttr(sid, 'counter', current, next + 1)) {
              claimed.push(next);
              mine++;
            }
          }
        };
        await Promise.all(Array.from({ length: 5 }, () => worker()));
        expect(claimed.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect(await s.getStudySystemAttrs(sid)).toEqual({ counter: 50 });
      });
    });

    describe('trials', () => {
      it('numbers trials 0, 1, 2… per study, independently across studies', async () => {
        const s = await open();
        const a = await s.createStudy('a', ['minimize']);
        const b = await s.createStudy('b', ['minimize']);
        const numbersA: number[] = [];
        const numbersB: number[] = [];
        const ids = new Set<number>();
        for (let i = 0; i < 5; i++) {
          const ta = await s.createTrial(a, i % 2 === 0 ? { state: 'waiting' } : undefined);
          numbersA.push(ta.number);
          ids.add(ta.trialId);
          if (i < 3) {
            const tb = await s.createTrial(b, { state: 'complete', values: [i] });
            numbersB.push(tb.number);
            ids.add(tb.trialId);
          }
        }
        expect(numbersA).toEqual([0, 1, 2, 3, 4]);
        expect(numbersB).toEqual([0, 1, 2]);
        expect(ids.size).toBe(8);
        expect((await s.getAllTrials(a)).map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
        expect((await s.getAllTrials(b)).map((t) => t.number)).toEqual([0, 1, 2]);
      });

      it('numbers concurrent creations uniquely', async () => {
        const { s, sid } = await withStudy();
        const made = await Promise.all(Array.from({ length: racers }, () => s.createTrial(sid)));
        expect(made.map((t) => t.number).sort((x, y) => x - y)).toEqual(
          Array.from({ length: racers }, (_, i) => i),
        );
        expect(new Set(made.map((t) => t.trialId)).size).toBe(racers);
      });

      it('creates a running trial by default', async () => {
        const { s, sid } = await withStudy();
        const before = Date.now();
        const t = await s.createTrial(sid);
        expect(t).toMatchObject({
          number: 0,
          state: 'running',
          params: {},
          internalParams: {},
          distributions: {},
          values: null,
          userAttrs: {},
          systemAttrs: {},
          datetimeComplete: null,
        });
        expect(t.intermediateValues.size).toBe(0);
        expect(t.datetimeStart).toBeInstanceOf(Date);
        expect(t.datetimeStart!.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(t.datetimeStart!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
        expect(await s.getTrial(t.trialId)).toEqual(t);
      });

      it('creates a waiting trial without a start time', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid, {
          state: 'waiting',
          systemAttrs: { fixed: { x: 1 } },
          userAttrs: { why: 'enqueued' },
        });
        expect(t.state).toBe('waiting');
        expect(t.datetimeStart).toBeNull();
        expect(t.datetimeComplete).toBeNull();
        expect(t.systemAttrs).toEqual({ fixed: { x: 1 } });
        expect(t.userAttrs).toEqual({ why: 'enqueued' });
        expect(await s.getTrial(t.trialId)).toEqual(t);
      });

      it('creates finished trials from templates, with ±Infinity values and given times', async () => {
        const s = await open();
        const sid = await s.createStudy('multi', ['minimize', 'maximize', 'minimize']);
        const start = new Date('2024-02-29T12:34:56.789Z');
        const end = new Date('2024-02-29T13:00:00.001Z');
        const c = await s.createTrial(sid, {
          state: 'complete',
          values: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5],
          datetimeStart: start,
          datetimeComplete: end,
        });
        expect(c.state).toBe('complete');
        expect(c.values).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5]);
        expect(c.datetimeStart).toEqual(start);
        expect(c.datetimeComplete).toEqual(end);
        const precise = await s.createTrial(sid, { state: 'complete', values: [0.1 + 0.2, 1e-300, -1e300] });
        expect(precise.values).toEqual([0.1 + 0.2, 1e-300, -1e300]);
        const p = await s.createTrial(sid, { state: 'pruned' });
        expect(p.state).toBe('pruned');
        expect(p.values).toBeNull();
        expect(p.datetimeComplete).toBeInstanceOf(Date);
        const f = await s.createTrial(sid, { state: 'fail' });
        expect(f.state).toBe('fail');
        expect(f.datetimeComplete).toBeInstanceOf(Date);
        for (const t of [c, precise, p, f]) expect(await s.getTrial(t.trialId)).toEqual(t);
        // A finished template is as immutable as any finished trial.
        await expectReject(() => s.finishTrial(c.trialId, 'fail'), TrialFinishedError);
      });

      it('creates a trial with parameters of every distribution kind', async () => {
        const { s, sid } = await withStudy();
        const params: Record<string, number> = {};
        const distributions: Record<string, Distribution> = {};
        const external: Record<string, unknown> = {};
        for (const p of CONFORMANCE_PARAMS) {
          params[p.name] = p.internal;
          distributions[p.name] = p.distribution;
          external[p.name] = p.external;
        }
        const t = await s.createTrial(sid, { state: 'complete', values: [1], params, distributions });
        expect(t.params).toEqual(external);
        expect(t.internalParams).toEqual(params);
        expect(t.distributions).toEqual(distributions);
        const read = await s.getTrial(t.trialId);
        expect(read).toEqual(t);
        expect(read.params.cnull).toBeNull();
        expect(read.params.cbool).toBe(false);
        expect(read.params.cmix).toBe(true);
        expect(read.params.cnum).toBe(-7);
        expect(await s.getParamDistributions(sid)).toEqual(distributions);
        // A waiting trial may carry parameters too.
        const w = await s.createTrial(sid, {
          state: 'waiting',
          params: { i: 4 },
          distributions: { i: intDistribution(-5, 5) },
        });
        expect(w.params).toEqual({ i: 4 });
      });

      it('creates a trial with intermediate values and attributes', async () => {
        const { s, sid } = await withStudy();
        const iv = new Map([
          [0, 1.5],
          [3, Number.NEGATIVE_INFINITY],
          [10, -2],
        ]);
        const t = await s.createTrial(sid, {
          state: 'pruned',
          intermediateValues: iv,
          userAttrs: CONFORMANCE_JSON,
          systemAttrs: { 'tunekit:x': [1, { y: null }] },
        });
        expect([...t.intermediateValues].sort((a, b) => a[0] - b[0])).toEqual([...iv]);
        expect(t.userAttrs).toEqual(CONFORMANCE_JSON);
        expect(t.systemAttrs).toEqual({ 'tunekit:x': [1, { y: null }] });
        expect(await s.getTrial(t.trialId)).toEqual(t);
      });

      it('keeps no reference to the template', async () => {
        const { s, sid } = await withStudy();
        const values = [1, 2];
        const iv = new Map([[0, 1]]);
        const userAttrs: Record<string, JsonValue> = { a: [1] };
        const start = new Date('2024-01-01T00:00:00.000Z');
        const s2 = await s.createStudy('two', ['minimize', 'minimize']);
        const t = await s.createTrial(s2, {
          state: 'complete',
          values,
          intermediateValues: iv,
          userAttrs,
          datetimeStart: start,
        });
        values.push(3);
        iv.set(1, 2);
        (userAttrs.a as number[]).push(2);
        userAttrs.b = 1;
        start.setTime(0);
        const read = await s.getTrial(t.trialId);
        expect(read.values).toEqual([1, 2]);
        expect([...read.intermediateValues]).toEqual([[0, 1]]);
        expect(read.userAttrs).toEqual({ a: [1] });
        expect(read.datetimeStart).toEqual(new Date('2024-01-01T00:00:00.000Z'));
        expect(read).toEqual(t);
        expect(await s.getAllTrials(sid)).toEqual([]);
      });

      it('refuses bad templates, creating nothing', async () => {
        const { s, sid } = await withStudy();
        await s.createTrial(sid, {
          params: { f: 0 },
          distributions: { f: floatDistribution(-1, 1) },
        });
        await expectReject(() => s.createTrial(sid, { state: 'complete' }), InvalidArgumentError);
        await expectReject(() => s.createTrial(sid, { state: 'complete', values: [] }), InvalidArgumentError);
        await expectReject(
          () => s.createTrial(sid, { state: 'complete', values: [Number.NaN] }),
          InvalidArgumentError,
        );
        await expectReject(() => s.createTrial(sid, { params: { x: 1 } }), InvalidArgumentError);
        await expectReject(
          () => s.createTrial(sid, { params: { x: 5 }, distributions: { x: floatDistribution(0, 1) } }),
          InvalidArgumentError,
        );
        await expectReject(
          () => s.createTrial(sid, { params: { f: 0 }, distributions: { f: intDistribution(-1, 1) } }),
          IncompatibleDistributionError,
        );
        await expectReject(
          () =>
            s.createTrial(sid, {
              params: { g: 0, f: 0 },
              distributions: { g: intDistribution(0, 1), f: categoricalDistribution([0, 1]) },
            }),
          IncompatibleDistributionError,
        );
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        await expectReject(
          () => s.createTrial(sid, { userAttrs: { bad: circular as JsonValue } }),
          InvalidArgumentError,
        );
        expect(await s.getAllTrials(sid)).toHaveLength(1);
        expect(await s.getParamDistributions(sid)).toEqual({ f: floatDistribution(-1, 1) });
        expect((await s.createTrial(sid)).number).toBe(1);
      });

      it('throws TrialNotFoundError for an unknown trial in every trial method', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        const id = t.trialId + 1000;
        await expectReject(() => s.getTrial(id), TrialNotFoundError);
        await expectReject(() => s.setTrialParams(id, RECORDS.slice(0, 1)), TrialNotFoundError);
        await expectReject(() => s.setTrialIntermediateValue(id, 0, 1), TrialNotFoundError);
        await expectReject(() => s.finishTrial(id, 'complete', [1]), TrialNotFoundError);
        await expectReject(() => s.finishTrial(id, 'fail'), TrialNotFoundError);
        await expectReject(() => s.setTrialUserAttr(id, 'k', 1), TrialNotFoundError);
        await expectReject(() => s.setTrialSystemAttr(id, 'k', 1), TrialNotFoundError);
        expect(await s.getAllTrials(sid)).toEqual([t]);
        expect(await s.getParamDistributions(sid)).toEqual({});
      });
    });

    describe('claimWaitingTrial', () => {
      it('returns null when no trial waits', async () => {
        const { s, sid } = await withStudy();
        expect(await s.claimWaitingTrial(sid)).toBeNull();
        await s.createTrial(sid);
        await s.createTrial(sid, { state: 'complete', values: [1] });
        expect(await s.claimWaitingTrial(sid)).toBeNull();
      });

      it('claims the oldest waiting trial first, starting it, then returns null', async () => {
        const s = await open();
        const sid = await s.createStudy('s', ['minimize']);
        const other = await s.createStudy('other', ['minimize']);
        await s.createTrial(other, { state: 'waiting' });
        const states: TrialState[] = ['running', 'waiting', 'complete', 'waiting', 'running', 'waiting'];
        const made: FrozenTrial[] = [];
        for (const [i, state] of states.entries()) {
          made.push(
            await s.createTrial(sid, {
              state,
              ...(state === 'complete' ? { values: [i] } : {}),
              systemAttrs: { i },
            }),
          );
        }
        const before = Date.now();
        const claimed: FrozenTrial[] = [];
        for (let c = await s.claimWaitingTrial(sid); c !== null; c = await s.claimWaitingTrial(sid)) {
          claimed.push(c);
        }
        expect(claimed.map((t) => t.number)).toEqual([1, 3, 5]);
        for (const c of claimed) {
          expect(c.state).toBe('running');
          expect(c.datetimeStart).toBeInstanceOf(Date);
          expect(c.datetimeStart!.getTime()).toBeGreaterThanOrEqual(before - 1000);
          expect(c.systemAttrs).toEqual({ i: c.number });
          expect(c.trialId).toBe(made[c.number]!.trialId);
          expect(await s.getTrial(c.trialId)).toEqual(c);
        }
        expect((await s.getAllTrials(sid)).map((t) => t.state)).toEqual([
          'running',
          'running',
          'complete',
          'running',
          'running',
          'running',
        ]);
        // The other study's waiting trial is still there.
        expect((await s.claimWaitingTrial(other))?.number).toBe(0);
        expect(await s.claimWaitingTrial(other)).toBeNull();
      });

      it('hands each waiting trial to exactly one of several racing claims', async () => {
        const { s, sid } = await withStudy();
        const waiting: number[] = [];
        for (let i = 0; i < 5; i++) {
          waiting.push((await s.createTrial(sid, { state: 'waiting' })).trialId);
          await s.createTrial(sid);
        }
        const results = await Promise.all(
          Array.from({ length: waiting.length + 4 }, () => s.claimWaitingTrial(sid)),
        );
        const got = results.filter((r): r is FrozenTrial => r !== null);
        expect(got).toHaveLength(waiting.length);
        expect(byId(got.map((t) => t.trialId))).toEqual(byId(waiting));
        expect(results.filter((r) => r === null)).toHaveLength(4);
        expect(await s.claimWaitingTrial(sid)).toBeNull();
        expect(await s.getAllTrials(sid, { states: ['waiting'] })).toEqual([]);
      });
    });

    describe('setTrialParams', () => {
      it('stores parameters of every kind and registers their distributions', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        await s.setTrialParams(t.trialId, RECORDS.slice(0, 4));
        await s.setTrialParams(t.trialId, RECORDS.slice(4));
        await s.setTrialParams(t.trialId, []);
        const read = await s.getTrial(t.trialId);
        for (const p of CONFORMANCE_PARAMS) {
          expect(read.params[p.name]).toEqual(p.external);
          expect(read.internalParams[p.name]).toBe(p.internal);
          expect(read.distributions[p.name]).toEqual(p.distribution);
        }
        expect(Object.keys(read.params).sort()).toEqual(CONFORMANCE_PARAMS.map((p) => p.name).sort());
        expect(await s.getParamDistributions(sid)).toEqual(
          Object.fromEntries(CONFORMANCE_PARAMS.map((p) => [p.name, p.distribution])),
        );
      });

      it('accepts parameter names that name Object.prototype members', async () => {
        const { s, sid } = await withStudy();
        const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
        const t = await s.createTrial(sid);
        await s.setTrialParams(
          t.trialId,
          names.map((name, i) => ({ name, internal: i, distribution: intDistribution(0, 10) })),
        );
        const u = await s.createTrial(sid, {
          params: { constructor: 5 },
          distributions: { constructor: intDistribution(0, 10) },
        });
        expect((await s.getTrial(t.trialId)).params).toEqual({
          constructor: 0,
          toString: 1,
          valueOf: 2,
          hasOwnProperty: 3,
        });
        expect(u.params).toEqual({ constructor: 5 });
        expect(Object.keys(await s.getParamDistributions(sid)).sort()).toEqual([...names].sort());
        await expectReject(
          () =>
            s.setTrialParams(u.trialId, [
              { name: 'valueOf', internal: 0.5, distribution: floatDistribution(0, 1) },
            ]),
          IncompatibleDistributionError,
        );
      });

      it('keeps one kind per name within one call too', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        await expectReject(
          () =>
            s.setTrialParams(t.trialId, [
              { name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) },
              { name: 'x', internal: 1, distribution: intDistribution(0, 3) },
            ]),
          IncompatibleDistributionError,
        );
        expect((await s.getTrial(t.trialId)).params).toEqual({});
        expect(await s.getParamDistributions(sid)).toEqual({});
        await s.setTrialParams(t.trialId, [
          { name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) },
          { name: 'x', internal: 2, distribution: floatDistribution(0, 5) },
        ]);
        expect((await s.getTrial(t.trialId)).params).toEqual({ x: 2 });
        expect(await s.getParamDistributions(sid)).toEqual({ x: floatDistribution(0, 1) });
      });

      it('keeps the first distribution of a name; compatible changes are allowed', async () => {
        const { s, sid } = await withStudy();
        const a = await s.createTrial(sid);
        await s.setTrialParams(a.trialId, [
          { name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) },
        ]);
        const b = await s.createTrial(sid);
        await s.setTrialParams(b.trialId, [
          { name: 'x', internal: 5, distribution: floatDistribution(0, 10, { log: false, step: 0.5 }) },
        ]);
        expect((await s.getTrial(b.trialId)).distributions.x).toEqual(
          floatDistribution(0, 10, { step: 0.5 }),
        );
        expect(await s.getParamDistributions(sid)).toEqual({ x: floatDistribution(0, 1) });
      });

      it('refuses an incompatible distribution across trials, writing nothing', async () => {
        const { s, sid } = await withStudy();
        const a = await s.createTrial(sid);
        await s.setTrialParams(a.trialId, [
          { name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) },
          { name: 'c', internal: 0, distribution: categoricalDistribution(['a', 'b']) },
        ]);
        const b = await s.createTrial(sid);
        await expectReject(
          () =>
            s.setTrialParams(b.trialId, [
              { name: 'fresh', internal: 1, distribution: intDistribution(0, 3) },
              { name: 'x', internal: 1, distribution: intDistribution(0, 3) },
            ]),
          IncompatibleDistributionError,
        );
        await expectReject(
          () =>
            s.setTrialParams(b.trialId, [
              { name: 'fresh', internal: 1, distribution: intDistribution(0, 3) },
              { name: 'c', internal: 0, distribution: categoricalDistribution(['a', 'b', 'c']) },
            ]),
          IncompatibleDistributionError,
        );
        await expectReject(
          () =>
            s.setTrialParams(b.trialId, [
              { name: 'c', internal: 0, distribution: categoricalDistribution(['b', 'a']) },
            ]),
          IncompatibleDistributionError,
        );
        const read = await s.getTrial(b.trialId);
        expect(read.params).toEqual({});
        expect(read.state).toBe('running');
        expect(await s.getParamDistributions(sid)).toEqual({
          x: floatDistribution(0, 1),
          c: categoricalDistribution(['a', 'b']),
        });
        // The trial is still usable afterwards.
        await s.setTrialParams(b.trialId, [
          { name: 'fresh', internal: 2, distribution: intDistribution(0, 3) },
        ]);
        expect((await s.getTrial(b.trialId)).params).toEqual({ fresh: 2 });
      });

      it('refuses a value outside its distribution, writing nothing', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        const ok: ParamRecord = { name: 'ok', internal: 1, distribution: intDistribution(0, 3) };
        const bad: ParamRecord[] = [
          { name: 'f', internal: 1.5, distribution: floatDistribution(0, 1) },
          { name: 'f', internal: Number.NaN, distribution: floatDistribution(0, 1) },
          { name: 'fs', internal: 0.35, distribution: floatDistribution(0, 1, { step: 0.1 }) },
          { name: 'i', internal: 1.5, distribution: intDistribution(0, 3) },
          { name: 'is', internal: 3, distribution: intDistribution(0, 10, { step: 2 }) },
          { name: 'c', internal: 2, distribution: categoricalDistribution(['a', 'b']) },
          { name: 'c', internal: -1, distribution: categoricalDistribution(['a', 'b']) },
          { name: 'c', internal: 0.5, distribution: categoricalDistribution(['a', 'b']) },
        ];
        for (const b of bad) {
          await expectReject(() => s.setTrialParams(t.trialId, [ok, b]), InvalidArgumentError);
        }
        expect((await s.getTrial(t.trialId)).params).toEqual({});
        expect(await s.getParamDistributions(sid)).toEqual({});
      });

      it('refuses parameters for finished and waiting trials with TrialFinishedError', async () => {
        const { s, sid } = await withStudy();
        const w = await s.createTrial(sid, { state: 'waiting' });
        await expectReject(() => s.setTrialParams(w.trialId, RECORDS), TrialFinishedError);
        for (const state of ['complete', 'pruned', 'fail'] as const) {
          const t = await s.createTrial(sid);
          await s.finishTrial(t.trialId, state, state === 'complete' ? [1] : null);
          const before = await s.getTrial(t.trialId);
          await expectReject(() => s.setTrialParams(t.trialId, RECORDS), TrialFinishedError);
          expect(await s.getTrial(t.trialId)).toEqual(before);
        }
        expect(await s.getTrial(w.trialId)).toEqual(w);
        expect(await s.getParamDistributions(sid)).toEqual({});
      });
    });

    describe('intermediate values', () => {
      it('stores values by step, the last write of a step winning', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        await s.setTrialIntermediateValue(t.trialId, 5, 0.5);
        await s.setTrialIntermediateValue(t.trialId, 0, -1);
        await s.setTrialIntermediateValue(t.trialId, 1, Number.POSITIVE_INFINITY);
        await s.setTrialIntermediateValue(t.trialId, 2, Number.NEGATIVE_INFINITY);
        await s.setTrialIntermediateValue(t.trialId, 1000000, 0.1 + 0.2);
        await s.setTrialIntermediateValue(t.trialId, 5, 0.25);
        const read = await s.getTrial(t.trialId);
        expect([...read.intermediateValues].sort((a, b) => a[0] - b[0])).toEqual([
          [0, -1],
          [1, Number.POSITIVE_INFINITY],
          [2, Number.NEGATIVE_INFINITY],
          [5, 0.25],
          [1000000, 0.1 + 0.2],
        ]);
        expect(read.intermediateValues.get(5)).toBe(0.25);
        await s.finishTrial(t.trialId, 'pruned');
        expect((await s.getTrial(t.trialId)).intermediateValues).toEqual(read.intermediateValues);
      });

      it('refuses reports to finished and waiting trials', async () => {
        const { s, sid } = await withStudy();
        const w = await s.createTrial(sid, { state: 'waiting' });
        await expectReject(() => s.setTrialIntermediateValue(w.trialId, 0, 1), TrialFinishedError);
        const t = await s.createTrial(sid);
        await s.setTrialIntermediateValue(t.trialId, 0, 1);
        await s.finishTrial(t.trialId, 'complete', [1]);
        await expectReject(() => s.setTrialIntermediateValue(t.trialId, 0, 2), TrialFinishedError);
        await expectReject(() => s.setTrialIntermediateValue(t.trialId, 1, 2), TrialFinishedError);
        expect([...(await s.getTrial(t.trialId)).intermediateValues]).toEqual([[0, 1]]);
      });
    });

    describe('trial attributes', () => {
      it('stores user and system attributes separately, with JSON round trips', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        await s.setTrialUserAttr(t.trialId, 'k', 'user');
        await s.setTrialSystemAttr(t.trialId, 'k', 'system');
        for (const [k, v] of Object.entries(CONFORMANCE_JSON))
          await s.setTrialUserAttr(t.trialId, `j${k}`, v);
        await s.setTrialSystemAttr(t.trialId, 'k', { overwritten: true });
        const read = await s.getTrial(t.trialId);
        expect(read.userAttrs).toEqual({
          k: 'user',
          ...Object.fromEntries(Object.entries(CONFORMANCE_JSON).map(([k, v]) => [`j${k}`, v])),
        });
        expect(read.systemAttrs).toEqual({ k: { overwritten: true } });
      });

      it('refuses attributes of finished and waiting trials, and values that are not JSON', async () => {
        const { s, sid } = await withStudy();
        const w = await s.createTrial(sid, { state: 'waiting' });
        await expectReject(() => s.setTrialUserAttr(w.trialId, 'k', 1), TrialFinishedError);
        await expectReject(() => s.setTrialSystemAttr(w.trialId, 'k', 1), TrialFinishedError);
        const t = await s.createTrial(sid);
        await expectReject(
          () => s.setTrialUserAttr(t.trialId, 'k', undefined as unknown as JsonValue),
          InvalidArgumentError,
        );
        await s.setTrialUserAttr(t.trialId, 'k', 1);
        await s.finishTrial(t.trialId, 'fail');
        const before = await s.getTrial(t.trialId);
        await expectReject(() => s.setTrialUserAttr(t.trialId, 'k', 2), TrialFinishedError);
        await expectReject(() => s.setTrialSystemAttr(t.trialId, 'k', 2), TrialFinishedError);
        expect(await s.getTrial(t.trialId)).toEqual(before);
        expect(before.userAttrs).toEqual({ k: 1 });
        expect(before.systemAttrs).toEqual({});
      });
    });

    describe('finishTrial', () => {
      it('completes a trial with its values and a completion time', async () => {
        const s = await open();
        const sid = await s.createStudy('two', ['minimize', 'maximize']);
        const t = await s.createTrial(sid);
        await s.setTrialParams(t.trialId, RECORDS);
        await s.finishTrial(t.trialId, 'complete', [Number.NEGATIVE_INFINITY, 0.1 + 0.2]);
        const read = await s.getTrial(t.trialId);
        expect(read.state).toBe('complete');
        expect(read.values).toEqual([Number.NEGATIVE_INFINITY, 0.1 + 0.2]);
        expect(read.datetimeComplete).toBeInstanceOf(Date);
        expect(read.datetimeComplete!.getTime()).toBeGreaterThanOrEqual(read.datetimeStart!.getTime());
        expect(read.params).toEqual((await s.getAllTrials(sid))[0]!.params);
        expect(read.datetimeStart).toEqual(t.datetimeStart);
      });

      it('prunes and fails trials, keeping their intermediate values', async () => {
        const { s, sid } = await withStudy();
        const p = await s.createTrial(sid);
        await s.setTrialIntermediateValue(p.trialId, 0, 3);
        await s.finishTrial(p.trialId, 'pruned');
        const f = await s.createTrial(sid);
        await s.finishTrial(f.trialId, 'fail', null);
        const rp = await s.getTrial(p.trialId);
        const rf = await s.getTrial(f.trialId);
        expect(rp).toMatchObject({ state: 'pruned', values: null });
        expect([...rp.intermediateValues]).toEqual([[0, 3]]);
        expect(rp.datetimeComplete).toBeInstanceOf(Date);
        expect(rf).toMatchObject({ state: 'fail', values: null });
        expect(rf.datetimeComplete).toBeInstanceOf(Date);
      });

      it('refuses to finish a finished trial with TrialFinishedError, changing nothing', async () => {
        const { s, sid } = await withStudy();
        const finals = ['complete', 'pruned', 'fail'] as const;
        for (const first of finals) {
          const t = await s.createTrial(sid);
          await s.setTrialUserAttr(t.trialId, 'k', first);
          await s.finishTrial(t.trialId, first, first === 'complete' ? [42] : null);
          const before = await s.getTrial(t.trialId);
          for (const second of finals) {
            await expectReject(
              () => s.finishTrial(t.trialId, second, second === 'complete' ? [7] : null),
              TrialFinishedError,
            );
          }
          const after = await s.getTrial(t.trialId);
          expect(after).toEqual(before);
          expect(after.state).toBe(first);
          expect(after.values).toEqual(first === 'complete' ? [42] : null);
        }
        const w = await s.createTrial(sid, { state: 'waiting' });
        await expectReject(() => s.finishTrial(w.trialId, 'complete', [1]), TrialFinishedError);
        expect(await s.getTrial(w.trialId)).toEqual(w);
        // The refused finish did not take the waiting trial out of the queue.
        expect((await s.claimWaitingTrial(sid))?.trialId).toBe(w.trialId);
      });

      it('refuses to complete without valid values, leaving the trial running', async () => {
        const { s, sid } = await withStudy();
        const t = await s.createTrial(sid);
        await expectReject(() => s.finishTrial(t.trialId, 'complete'), InvalidArgumentError);
        await expectReject(() => s.finishTrial(t.trialId, 'complete', null), InvalidArgumentError);
        await expectReject(() => s.finishTrial(t.trialId, 'complete', []), InvalidArgumentError);
        await expectReject(() => s.finishTrial(t.trialId, 'complete', [Number.NaN]), InvalidArgumentError);
        expect(await s.getTrial(t.trialId)).toEqual(t);
        await s.finishTrial(t.trialId, 'complete', [1]);
        expect((await s.getTrial(t.trialId)).values).toEqual([1]);
      });
    });

    describe('getAllTrials', () => {
      it('returns trials in number order, filtered by state', async () => {
        const { s, sid } = await withStudy();
        const ts: FrozenTrial[] = [];
        for (let i = 0; i < 8; i++)
          ts.push(await s.createTrial(sid, i === 7 ? { state: 'waiting' } : undefined));
        // Finish out of order.
        await s.finishTrial(ts[5]!.trialId, 'complete', [5]);
        await s.finishTrial(ts[1]!.trialId, 'pruned');
        await s.finishTrial(ts[3]!.trialId, 'complete', [3]);
        await s.finishTrial(ts[0]!.trialId, 'fail');
        await s.setTrialUserAttr(ts[2]!.trialId, 'touched', true);
        const numbers = async (states?: TrialState[]) =>
          (await s.getAllTrials(sid, states === undefined ? undefined : { states })).map((t) => t.number);
        expect(await numbers()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expect(await numbers(['complete'])).toEqual([3, 5]);
        expect(await numbers(['running'])).toEqual([2, 4, 6]);
        expect(await numbers(['waiting'])).toEqual([7]);
        expect(await numbers(['pruned', 'fail'])).toEqual([0, 1]);
        expect(await numbers(['fail', 'complete', 'waiting'])).toEqual([0, 3, 5, 7]);
        expect(await numbers([])).toEqual([]);
        const all = await s.getAllTrials(sid);
        for (const t of all) expect(await s.getTrial(t.trialId)).toEqual(t);
        expect(all[2]!.userAttrs).toEqual({ touched: true });
      });

      it('returns a new array each time', async () => {
        const { s, sid } = await withStudy();
        await s.createTrial(sid);
        const a = (await s.getAllTrials(sid)) as FrozenTrial[];
        try {
          a.pop();
        } catch {
          // A frozen array is fine too.
        }
        expect(await s.getAllTrials(sid)).toHaveLength(1);
      });
    });

    describe('immutability of returned objects', () => {
      it('never changes an object it returned, whatever is written later', async () => {
        const { s, sid } = await withStudy();
        await s.setStudyUserAttr(sid, 'u', { n: 1 });
        await s.setStudySystemAttr(sid, 's', [1]);
        const created = await s.createTrial(sid);
        await s.setTrialParams(created.trialId, RECORDS.slice(0, 2));
        await s.setTrialIntermediateValue(created.trialId, 0, 1);
        await s.setTrialUserAttr(created.trialId, 'a', { deep: [1] });
        const waiting = await s.createTrial(sid, { state: 'waiting' });

        const held = {
          created,
          waiting,
          got: await s.getTrial(created.trialId),
          all: await s.getAllTrials(sid),
          running: await s.getAllTrials(sid, { states: ['running'] }),
          studies: await s.getAllStudies(),
          userAttrs: await s.getStudyUserAttrs(sid),
          systemAttrs: await s.getStudySystemAttrs(sid),
          dists: await s.getParamDistributions(sid),
          directions: await s.getStudyDirections(sid),
        };
        const snapshot = structuredClone(held);

        await s.setTrialParams(created.trialId, RECORDS.slice(2));
        await s.setTrialIntermediateValue(created.trialId, 0, 2);
        await s.setTrialIntermediateValue(created.trialId, 1, 3);
        await s.setTrialUserAttr(created.trialId, 'a', { deep: [2] });
        await s.setTrialSystemAttr(created.trialId, 'b', 1);
        await s.finishTrial(created.trialId, 'complete', [1]);
        await s.claimWaitingTrial(sid);
        await s.createTrial(sid, { state: 'complete', values: [0] });
        await s.setStudyUserAttr(sid, 'u', { n: 2 });
        await s.setStudyUserAttr(sid, 'v', 1);
        await s.setStudySystemAttr(sid, 's', [2]);
        await s.compareAndSetStudySystemAttr(sid, 't', undefined, 1);

        expect(held).toEqual(snapshot);
        expect(held.got.state).toBe('running');
        expect(held.got.intermediateValues.get(0)).toBe(1);
        expect(held.all).toHaveLength(2);
        expect(held.waiting.state).toBe('waiting');

        const now = await s.getTrial(created.trialId);
        expect(now).not.toBe(held.got);
        expect(now.state).toBe('complete');
        expect(now.intermediateValues.get(0)).toBe(2);
        expect(now.userAttrs).toEqual({ a: { deep: [2] } });
        expect(await s.getAllTrials(sid)).toHaveLength(3);
      });
    });

    describe('getParamDistributions', () => {
      it('is empty for a new study and per study', async () => {
        const s = await open();
        const a = await s.createStudy('a', ['minimize']);
        const b = await s.createStudy('b', ['minimize']);
        expect(await s.getParamDistributions(a)).toEqual({});
        const t = await s.createTrial(a);
        await s.setTrialParams(t.trialId, [{ name: 'x', internal: 1, distribution: intDistribution(0, 5) }]);
        expect(await s.getParamDistributions(a)).toEqual({ x: intDistribution(0, 5) });
        expect(await s.getParamDistributions(b)).toEqual({});
        // Another study may use the name with another kind.
        const u = await s.createTrial(b);
        await s.setTrialParams(u.trialId, [
          { name: 'x', internal: 0, distribution: categoricalDistribution(['p', 'q']) },
        ]);
        expect(await s.getParamDistributions(b)).toEqual({ x: categoricalDistribution(['p', 'q']) });
        expect(await s.getParamDistributions(a)).toEqual({ x: intDistribution(0, 5) });
      });
    });

    // Heartbeats: an optional part of the contract, checked for backends that have it.
    describe('heartbeats', () => {
      const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

      it('records heartbeats of running trials only; TrialNotFoundError for an unknown id', async (ctx) => {
        const { s, sid } = await withStudy();
        if (!hasHeartbeats(s)) return ctx.skip();
        const running = await s.createTrial(sid);
        const waiting = await s.createTrial(sid, { state: 'waiting' });
        const done = await s.createTrial(sid);
        await s.finishTrial(done.trialId, 'complete', [1]);
        expect(await s.recordHeartbeat(running.trialId)).toBe(true);
        expect(await s.recordHeartbeat(running.trialId)).toBe(true);
        expect(await s.recordHeartbeat(waiting.trialId)).toBe(false);
        expect(await s.recordHeartbeat(done.trialId)).toBe(false);
        await expectReject(() => s.recordHeartbeat(running.trialId + 1000), TrialNotFoundError);
        expect((await s.getTrial(running.trialId)).state).toBe('running');
        await expectReject(() => s.failStaleTrials(sid + 1000, 1), StudyNotFoundError);
      });

      it('fails only running trials whose heartbeat is older than the grace period, once', async (ctx) => {
        const { s, sid } = await withStudy();
        if (!hasHeartbeats(s)) return ctx.skip();
        const other = await s.createStudy('other', ['minimize']);
        const stale = await s.createTrial(sid, {
          params: { f: 0.25 },
          distributions: { f: RECORDS[0]!.distribution },
        });
        const silent = await s.createTrial(sid);
        const finished = await s.createTrial(sid);
        const fresh = await s.createTrial(sid);
        const elsewhere = await s.createTrial(other);
        for (const t of [stale, finished, fresh, elsewhere]) await s.recordHeartbeat(t.trialId);
        await s.finishTrial(finished.trialId, 'complete', [2]);
        expect(await s.getAllTrials(sid)).toHaveLength(4); // warm any read cache
        await pause(450);
        await s.recordHeartbeat(fresh.trialId);
        const failed = await s.failStaleTrials(sid, 0.3);
        expect(failed.map((t) => t.trialId)).toEqual([stale.trialId]);
        const f = failed[0]!;
        expect(f.state).toBe('fail');
        expect(f.values).toBeNull();
        expect(f.params).toEqual({ f: 0.25 });
        expect(f.datetimeComplete).toBeInstanceOf(Date);
        expect(f.systemAttrs['tunekit:fail_reason']).toBe(staleTrialReason(0.3));
        const states = (await s.getAllTrials(sid)).map((t) => t.state);
        expect(states).toEqual(['fail', 'running', 'complete', 'running']);
        expect((await s.getTrial(silent.trialId)).state).toBe('running');
        expect((await s.getTrial(elsewhere.trialId)).state).toBe('running');
        expect(await s.failStaleTrials(sid, 0.3)).toEqual([]);
        expect(await s.recordHeartbeat(stale.trialId)).toBe(false);
        await expectReject(() => s.finishTrial(stale.trialId, 'complete', [1]), TrialFinishedError);
        expect(await s.failStaleTrials(sid, 60)).toEqual([]);
      });

      it('of racing workers, each stale trial is failed by exactly one', async (ctx) => {
        const { s, sid } = await withStudy();
        if (!hasHeartbeats(s)) return ctx.skip();
        const ids: number[] = [];
        for (let i = 0; i < 10; i++) {
          const t = await s.createTrial(sid);
          await s.recordHeartbeat(t.trialId);
          ids.push(t.trialId);
        }
        await pause(150);
        const results = await Promise.all(Array.from({ length: racers }, () => s.failStaleTrials(sid, 0.05)));
        const failed = results.flat().map((t) => t.trialId);
        expect(byId(failed)).toEqual(byId(ids));
        expect((await s.getAllTrials(sid, { states: ['fail'] })).length).toBe(10);
      });
    });
  });
}
