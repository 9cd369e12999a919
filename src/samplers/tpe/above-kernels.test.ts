import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { Rng } from '../../core/rng.js';
import { ABOVE_MIN_OBS, AboveKernels } from './above-kernels.js';
import { type ParzenDim, ParzenEstimator, type ParzenOptions } from './parzen-estimator.js';
import { defaultWeights } from './split.js';
import { ObsRows } from './study-cache.js';

function fake(number: number, params: Record<string, number>): FrozenTrial {
  return { number, trialId: number, internalParams: params } as unknown as FrozenTrial;
}

describe('AboveKernels', () => {
  it('equals a ParzenEstimator built from scratch, bit for bit, as the set changes', () => {
    const rng = new Rng(3);
    let compared = 0;
    for (let scenario = 0; scenario < 12; scenario++) {
      const dims: ParzenDim[] = [
        { kind: 'numeric', lo: 0, hi: 1, step: 0 },
        scenario % 3 === 0
          ? { kind: 'numeric', lo: -0.5, hi: 4.5, step: 1 }
          : { kind: 'numeric', lo: Math.log(1e-3), hi: 0, step: 0 },
        // Odd scenarios without categorical dimensions (all continuous when not discrete).
        scenario % 2 === 1
          ? { kind: 'numeric', lo: -2, hi: 2, step: 0 }
          : { kind: 'categorical', nChoices: 3 },
      ];
      const d = dims.length;
      const names = ['a', 'b', 'c'];
      const options: ParzenOptions = {
        priorWeight: 1,
        considerEndpoints: scenario % 2 === 1,
        considerMagicClip: scenario % 4 !== 3,
      };
      const rows = new ObsRows(names, [false, false, false]);
      const kernels = new AboveKernels(dims, options, rows);
      const value = (j: number): number => {
        if (dims[j]!.kind === 'categorical') return Math.floor(rng.random() * 3);
        const dim = dims[j] as { lo: number; hi: number; step: number };
        if (dim.step > 0) return Math.floor(rng.random() * 5);
        // Ties are common: values on a coarse grid half of the time.
        const u = rng.random() < 0.5 ? Math.round(rng.random() * 20) / 20 : rng.random();
        return dim.lo + (dim.hi - dim.lo) * u;
      };
      const all: FrozenTrial[] = [];
      const members = new Set<number>();
      let next = 0;
      for (let round = 0; round < 12; round++) {
        // New trials: most finish (members), some stay running; sometimes an old running one finishes.
        const fresh = round === 0 ? 140 : 1 + Math.floor(rng.random() * 8);
        for (let i = 0; i < fresh; i++) {
          const t = fake(next++, { a: value(0), b: value(1), c: value(2) });
          all.push(t);
          if (rng.random() < 0.9) {
            rows.take(t);
            members.add(t.number);
          }
        }
        const notMembers = all.filter((t) => !members.has(t.number));
        if (notMembers.length > 0 && rng.random() < 0.5) {
          const t = notMembers[Math.floor(rng.random() * notMembers.length)]!;
          rows.take(t);
          members.add(t.number);
        }
        const running = all.filter((t) => !members.has(t.number) && rng.random() < 0.7).map((t) => t.number);
        const memberList = [...members];
        const removed = memberList.filter(() => rng.random() < 0.15).slice(0, 25);
        const removedSet = new Set(removed);
        const above = [...memberList.filter((n) => !removedSet.has(n)), ...running].sort((x, y) => x - y);
        if (above.length < ABOVE_MIN_OBS) continue;
        for (const num of running) rows.putRunning(all[num]!);
        const w = defaultWeights(above.length);
        const m = 24;
        const points = new Float64Array(m * d);
        for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) points[i * d + j] = value(j);
        compared++;
        const got = kernels.logPdf(above, removed, running, w, points, m, new Float64Array(m));
        expect(got).not.toBeNull();

        // The reference: observations in number order, orders by (value, running after finished, number).
        const runningSet = new Set(running);
        const obs = new Float64Array(above.length * d);
        above.forEach((num, k) => {
          for (let j = 0; j < d; j++) obs[k * d + j] = all[num]!.internalParams[names[j]!]!;
        });
        const orders = dims.map((dim, j) =>
          dim.kind === 'categorical'
            ? null
            : Int32Array.from(above.map((_, k) => k)).sort(
                (x, y) =>
                  obs[x * d + j]! - obs[y * d + j]! ||
                  Number(runningSet.has(above[x]!)) - Number(runningSet.has(above[y]!)) ||
                  above[x]! - above[y]!,
              ),
        );
        const est = new ParzenEstimator(dims, obs, above.length, Float64Array.from(w), options, orders);
        const want = est.logPdfDense(points, m, new Float64Array(m));
        for (let i = 0; i < m; i++) {
          expect(Object.is(got![i], want[i]), `scenario ${scenario} round ${round} point ${i}`).toBe(true);
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
