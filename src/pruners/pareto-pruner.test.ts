import { describe, expect, it } from 'vitest';
import { createStudy } from '../study/create-study.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import { ParetoPruner } from './pareto-pruner.js';

describePrunerConformance(
  'ParetoPruner',
  () => new ParetoPruner({ metrics: { loss: 'minimize', acc: 'maximize' } }),
  {
    directions: ['minimize', 'maximize'],
    metrics: { loss: 'minimize', acc: 'maximize' },
    startupTrials: 5,
    cases: PRUNER_CASES.pareto!,
  },
);

describe('ParetoPruner', () => {
  it('ignores complete trials that did not report every metric at the step', async () => {
    const study = await createStudy({
      directions: ['minimize', 'maximize'],
      pruner: new ParetoPruner({
        metrics: { loss: 'minimize', acc: 'maximize' },
        nDominating: 1,
        nStartupTrials: 0,
      }),
    });
    const a = await study.ask();
    await a.report({ loss: 0.1 }, 0); // no acc
    await a.report({ loss: 0.1, acc: 0.99 }, 1);
    await study.tell(a, [0.1, 0.99]);
    const x = await study.ask();
    await x.report({ loss: 1, acc: 0.5 }, 0);
    expect(await x.shouldPrune()).toBe(false);
    await x.report({ loss: 1, acc: 0.5 }, 1);
    expect(await x.shouldPrune()).toBe(true);
  });

  it('rejects bad options with a typed error naming the value and the fix', () => {
    expect(() => new ParetoPruner({ metrics: {} })).toThrow(
      /metrics must name the reported metrics.*got \{\}/,
    );
    expect(() => new ParetoPruner({ metrics: { loss: 'down' as never } })).toThrow(/metric 'loss'.*"down"/);
    expect(() => new ParetoPruner({ metrics: { loss: 'minimize' }, nDominating: 0 })).toThrow(
      /nDominating must be an integer ≥ 1, got 0/,
    );
    expect(() => new ParetoPruner(undefined as never)).toThrow(/metrics/);
  });
});
