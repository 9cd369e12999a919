import { describe, expect, it } from 'vitest';
import { main, OPTIMIZERS, sparkline } from './04-gradient-descent-optimizers.js';

describe('classic workflow 4: gradient-descent optimizers tuned by TPE', () => {
  it('tries every optimizer, reaches the least-squares error and shows falling curves', async () => {
    const lines: string[] = [];
    const r = await main({ log: (l) => lines.push(l) });
    expect(Object.keys(r.curves).sort()).toEqual([...OPTIMIZERS].sort());
    expect(r.bestValidationMse).toBeLessThanOrEqual(1.1 * r.olsValidationMse);
    for (const name of OPTIMIZERS) {
      const curve = r.curves[name];
      expect(curve).toHaveLength(51);
      // The best run of every optimizer learns: its last loss is well below its first.
      expect(curve.at(-1)!).toBeLessThan(0.8 * curve[0]!);
      expect(r.bestByOptimizer[name]).toBeGreaterThanOrEqual(r.bestValidationMse);
    }
    expect(r.bestValidationMse).toBe(Math.min(...Object.values(r.bestByOptimizer)));
    expect(lines.some((l) => l.startsWith('rmsprop'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^best: (gd|sgd|adagrad|rmsprop), learning rate/);
  });

  it('draws sparklines on a log scale', () => {
    expect(sparkline([100, 10, 1])).toBe('█▅▁');
    expect(sparkline([2, 2])).toBe('▁▁');
  });
});
