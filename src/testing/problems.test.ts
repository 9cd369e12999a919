import { describe, expect, it } from 'vitest';
import { expectClose } from './expect-close.js';
import { ackley, branin, hartmann3, hartmann6, mixedMlp, rosenbrock } from './problems.js';

describe('benchmark problems give f* at their known minimisers', () => {
  it('branin at its three minima', () => {
    for (const x of [
      [-Math.PI, 12.275],
      [Math.PI, 2.275],
      [9.42478, 2.475],
    ]) {
      expectClose(branin(x), 0.397887357729739, { rtol: 1e-5 });
    }
  });
  it('hartmann3 and hartmann6', () => {
    expectClose(hartmann3([0.114614, 0.555649, 0.852547]), -3.86278214782076, { rtol: 1e-6 });
    expectClose(hartmann6([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]), -3.32236801141551, {
      rtol: 1e-6,
    });
  });
  it('ackley and rosenbrock', () => {
    expectClose(ackley([0, 0, 0, 0, 0]), 0, { atol: 1e-12 });
    expect(ackley([1, 0, 0, 0, 0])).toBeGreaterThan(1);
    expect(rosenbrock([1, 1, 1, 1])).toBe(0);
    expect(rosenbrock([0, 0, 0, 0])).toBe(3);
  });
  it('mixed_mlp at its minimum and at a value computed by the reference problems.py', () => {
    const best = {
      optimizer: 'adam',
      lr: 1e-3,
      batch_size: 64,
      n_layers: 3,
      units: 256,
      dropout: 0.3,
      weight_decay: 1e-4,
    } as const;
    expectClose(mixedMlp(best), 0, { atol: 1e-15 });
    // problems.mixed_mlp({"optimizer":"sgd","lr":0.01,"momentum":0.5,"batch_size":32,"n_layers":2,
    //   "units":100,"dropout":0.1,"weight_decay":1e-6}) = 0.39282804324797516
    expectClose(
      mixedMlp({
        optimizer: 'sgd',
        lr: 0.01,
        momentum: 0.5,
        batch_size: 32,
        n_layers: 2,
        units: 100,
        dropout: 0.1,
        weight_decay: 1e-6,
      }),
      0.39282804324797516,
      { rtol: 1e-12 },
    );
  });
});
