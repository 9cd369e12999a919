import { describe, expect, it } from 'vitest';
import { main, SPACE } from './02-random-search-mlp.js';

describe('classic workflow 2: randomized search over an MLP on iris', () => {
  it('draws 10 configurations from the space and reaches ≥ 0.95 CV accuracy', async () => {
    const lines: string[] = [];
    const r = await main({ log: (l) => lines.push(l) });
    expect(r.results).toHaveLength(10);
    for (const { params } of r.results) {
      expect(SPACE.batchSize).toContain(params.batchSize);
      expect(SPACE.epochs).toContain(params.epochs);
      expect(SPACE.optimizer).toContain(params.optimizer);
      expect(SPACE.activation).toContain(params.activation);
    }
    expect(r.bestScore).toBeGreaterThanOrEqual(0.95);
    expect(r.bestScore).toBe(Math.max(...r.results.map((x) => x.mean)));
    // Randomized: more than one distinct configuration was tried.
    expect(new Set(r.results.map((x) => JSON.stringify(x.params))).size).toBeGreaterThan(5);
    expect(lines.at(-1)).toMatch(
      /^best: batch size \d+, \d+ epochs, (adam|rmsprop), (relu|tanh): CV accuracy/,
    );
  });

  // TensorFlow.js costs milliseconds per training step in Node: one draw (batch 20, 10 epochs:
  // 5 × 60 steps) checks that path without the minutes the full search takes with it.
  it('with TensorFlow.js (one draw, to keep the test short) the MLP learns iris too', async () => {
    const r = await main({ tfjs: true, draws: 1, log: () => {} });
    expect(r.results).toHaveLength(1);
    expect(r.bestScore).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
