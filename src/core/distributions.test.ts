import { describe, expect, it, vi } from 'vitest';
import {
  assertCompatible,
  cardinality,
  categoricalDistribution,
  contains,
  distributionFromJson,
  distributionToJson,
  enumerate,
  floatDistribution,
  intDistribution,
  isSingle,
  snap,
  toExternal,
  toInternal,
} from './distributions.js';
import { TunekitError } from './errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof TunekitError ? e.code : 'untyped';
  }
  return undefined;
}

describe('float distributions', () => {
  it('rejects low > high, naming both values', () => {
    expect(() => floatDistribution(2, 1, {}, 'lr')).toThrow(/low=2 is greater than high=1/);
    expect(codeOf(() => floatDistribution(2, 1))).toBe('INVALID_DISTRIBUTION');
  });
  it('rejects log with low ≤ 0 and suggests a fix', () => {
    expect(() => floatDistribution(0, 1, { log: true }, 'lr')).toThrow(/low > 0.*1e-8/);
    expect(() => floatDistribution(-1, 1, { log: true })).toThrow(TunekitError);
  });
  it('rejects step ≤ 0, NaN and infinite bounds, and log with step', () => {
    expect(codeOf(() => floatDistribution(0, 1, { step: 0 }))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => floatDistribution(0, 1, { step: -0.1 }))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => floatDistribution(Number.NaN, 1))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => floatDistribution(0, Number.POSITIVE_INFINITY))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => floatDistribution(1, 2, { log: true, step: 0.1 }))).toBe('INVALID_DISTRIBUTION');
  });
  it('narrows high to the last reachable step with a warning', () => {
    const warn = vi.fn();
    const d = floatDistribution(0, 1, { step: 0.3 }, 'x', warn);
    expect(d.high).toBe(0.9);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/narrowed to 0.9/);
    const ok = vi.fn();
    expect(floatDistribution(0, 1, { step: 0.1 }, 'x', ok).high).toBe(1);
    expect(ok).not.toHaveBeenCalled();
  });
  it('contains, snaps and enumerates grid values', () => {
    const d = floatDistribution(0, 1, { step: 0.25 });
    expect(enumerate(d)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(cardinality(d)).toBe(5);
    expect(contains(d, 0.5)).toBe(true);
    expect(contains(d, 0.3)).toBe(false);
    expect(contains(d, 1.25)).toBe(false);
    expect(snap(d, 0.3)).toBe(0.25);
    expect(snap(d, 7)).toBe(1);
    expect(cardinality(floatDistribution(0, 1))).toBe(Number.POSITIVE_INFINITY);
    expect(() => enumerate(floatDistribution(0, 1))).toThrow(/give it a step/);
  });
});

describe('int distributions', () => {
  it('rejects non-integer bounds and steps, and log with low < 1', () => {
    expect(codeOf(() => intDistribution(0.5, 3))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => intDistribution(0, 3, { step: 1.5 }))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => intDistribution(0, 3, { log: true }))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => intDistribution(1, 8, { log: true, step: 2 }))).toBe('INVALID_DISTRIBUTION');
  });
  it('narrows high to the last step', () => {
    const warn = vi.fn();
    expect(intDistribution(16, 250, { step: 16 }, 'units', warn).high).toBe(240);
    expect(warn).toHaveBeenCalledOnce();
  });
  it('enumerates, contains and snaps', () => {
    const d = intDistribution(16, 64, { step: 16 });
    expect(enumerate(d)).toEqual([16, 32, 48, 64]);
    expect(contains(d, 32)).toBe(true);
    expect(contains(d, 33)).toBe(false);
    expect(snap(d, 39)).toBe(32);
    expect(snap(d, 41)).toBe(48);
    expect(isSingle(intDistribution(3, 3))).toBe(true);
  });
});

describe('categorical distributions', () => {
  it('maps choices to indices and back, including null and booleans', () => {
    const d = categoricalDistribution(['a', 1, true, null]);
    expect(d.choices.map((c) => toInternal(d, c))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((i) => toExternal(d, i))).toEqual(['a', 1, true, null]);
    expect(() => toInternal(d, 'zzz')).toThrow(/not one of the choices/);
  });
  it('rejects empty, duplicated and non-primitive choices', () => {
    expect(codeOf(() => categoricalDistribution([]))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => categoricalDistribution(['a', 'a']))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => categoricalDistribution([{} as unknown as string]))).toBe('INVALID_DISTRIBUTION');
    expect(codeOf(() => categoricalDistribution([Number.NaN]))).toBe('INVALID_DISTRIBUTION');
  });
  it('keeps 1 and "1" apart', () => {
    const d = categoricalDistribution([1, '1']);
    expect(toInternal(d, '1')).toBe(1);
    expect(toInternal(d, 1)).toBe(0);
  });
});

describe('compatibility and JSON', () => {
  it('allows range changes but not kind or choice changes', () => {
    expect(() => assertCompatible(floatDistribution(0, 1), floatDistribution(0, 2), 'x')).not.toThrow();
    expect(codeOf(() => assertCompatible(floatDistribution(0, 1), intDistribution(0, 1), 'x'))).toBe(
      'INCOMPATIBLE_DISTRIBUTION',
    );
    expect(() =>
      assertCompatible(categoricalDistribution(['a', 'b']), categoricalDistribution(['a', 'c']), 'opt'),
    ).toThrow(/'opt' had choices/);
  });
  it('round-trips through JSON', () => {
    for (const d of [
      floatDistribution(1e-5, 1, { log: true }),
      floatDistribution(0, 1, { step: 0.1 }),
      intDistribution(1, 9, { step: 2 }),
      categoricalDistribution(['x', null, false, 3]),
    ]) {
      expect(distributionFromJson(distributionToJson(d))).toEqual(d);
    }
  });
});
