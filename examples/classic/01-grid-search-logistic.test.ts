import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRID, main } from './01-grid-search-logistic.js';

describe('classic workflow 1: grid search over a logistic regression on iris', () => {
  it('scores all 12 configurations and reaches ≥ 0.95 CV accuracy', async () => {
    const lines: string[] = [];
    const r = await main((l) => lines.push(l));
    expect(r.results).toHaveLength(GRID.C.length * GRID.penalty.length);
    expect(r.bestScore).toBeGreaterThanOrEqual(0.95);
    expect(r.bestScore).toBe(Math.max(...r.results.map((x) => x.mean)));
    // The strongest penalties underfit: C = 0.001 with L1 zeroes every weight (chance level).
    const l1Strongest = r.results.find((x) => x.penalty === 'l1' && x.C === 0.001)!;
    expect(l1Strongest.mean).toBeCloseTo(1 / 3, 10);
    expect(lines.at(-1)).toMatch(/^best: C = \d+(\.\d+)?, penalty = l[12], CV accuracy 0\.9\d+$/);
  });

  it('runs as a script and prints its best configuration', () => {
    const root = join(import.meta.dirname, '..', '..');
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '01-grid-search-logistic.ts')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/best: C = .*CV accuracy 0\.9[5-9]/);
  });
});
