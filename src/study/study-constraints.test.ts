import { describe, expect, it } from 'vitest';
import { CONSTRAINTS_ATTR, isFeasible } from '../core/constraints.js';
import { NoCompletedTrialsError } from '../core/errors.js';
import { InMemoryStorage } from '../storages/in-memory/in-memory-storage.js';
import { createStudy, loadStudy } from './create-study.js';

describe('study constraints', () => {
  it('stores constraint values after complete and bestTrial is the best feasible trial', async () => {
    const s2 = await createStudy({ constraints: (t) => [1 - (t.params.x as number)] });
    for (const x of [0, 0.5, 2, 1.5]) {
      await s2.enqueueTrial({ x });
      const trial = await s2.ask();
      const v = trial.suggestFloat('x', -5, 5);
      await s2.tell(trial, v * v);
    }
    const trials = await s2.getTrials();
    expect(trials.map((t) => t.systemAttrs[CONSTRAINTS_ATTR])).toEqual([[1], [0.5], [-1], [-0.5]]);
    expect((await s2.bestTrial()).number).toBe(3);
    expect(await s2.bestValue()).toBe(2.25);
    expect(s2.constraints).not.toBeNull();
  });

  it('throws a typed error about feasibility when no trial is feasible', async () => {
    const study = await createStudy({ constraints: () => [1] });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    const err = await study.bestTrial().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoCompletedTrialsError);
    expect((err as Error).message).toMatch(/none is feasible/);
  });

  it('a throwing or non-finite constraint fails loudly but keeps the value', async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({
      storage,
      studyName: 'c',
      constraints: (t) => {
        if ((t.values?.[0] ?? 0) > 0.5) throw new Error('bad constraint');
        return [Number.NaN];
      },
    });
    const a = await study.ask();
    await expect(study.tell(a, 0.7)).rejects.toThrow(
      /constraints function threw on trial 0: Error: bad constraint/,
    );
    const b = await study.ask();
    await expect(study.tell(b, 0.1)).rejects.toThrow(/finite number/);
    const trials = await study.getTrials();
    expect(trials.map((t) => [t.state, t.values])).toEqual([
      ['complete', [0.7]],
      ['complete', [0.1]],
    ]);
    expect(trials.every((t) => !isFeasible(t, true))).toBe(true);
    await expect(study.bestTrial()).rejects.toThrow(/none is feasible/);
    const again = await loadStudy({ studyName: 'c', storage, constraints: () => [0] });
    const c = await again.ask();
    await again.tell(c, 5);
    expect((await again.bestTrial()).number).toBe(2);
  });

  it('optimize stops loudly on a throwing constraint function and keeps the trial', async () => {
    const study = await createStudy({
      constraints: () => {
        throw new Error('no');
      },
    });
    await expect(study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 })).rejects.toThrow(
      /constraints function threw on trial 0/,
    );
    const trials = await study.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['complete']);
    expect(trials[0]!.values).toHaveLength(1);
  });

  it('bestTrials is the Pareto front among feasible trials', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      constraints: (t) => [t.values![0]! - 2],
    });
    for (const v of [
      [0, 5],
      [3, 0],
      [1, 1],
      [2, 2],
    ]) {
      const t = await study.ask();
      await study.tell(t, v);
    }
    expect((await study.bestTrials()).map((t) => t.number)).toEqual([0, 2]);
  });

  it('rejects a constraints option that is not a function', async () => {
    await expect(createStudy({ constraints: 3 as never })).rejects.toThrow(/constraints must be a function/);
  });
});
