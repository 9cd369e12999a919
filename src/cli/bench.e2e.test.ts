// `tunekit bench` end to end on a tiny run: the table of the quality benchmark, its JSON, and the
// same figures as the shared implementation (src/testing/quality-bench.ts) gives in process.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../core/logging.js';
import { formatRatio, loadAnchors, runQualityBench } from '../testing/quality-bench.js';
import { buildCli, ROOT, runCli, tempDir } from './e2e-harness.js';

let bin: string;
beforeAll(async () => {
  bin = await buildCli();
});
afterAll(() => {
  if (bin) rmSync(dirname(bin), { recursive: true, force: true });
});

describe('tunekit bench', () => {
  it('runs the quality benchmark and writes its JSON', async () => {
    const dir = tempDir();
    const anchors = join(ROOT, '../shared/bench/optuna-anchors.json');
    const args = ['bench', '--problems', 'branin', '--seeds', '2', '--trials', '15', '--out', 'out.json'];
    const res = await runCli(bin, [...args, '--anchors', anchors], { cwd: dir, timeoutMs: 60_000 });
    expect(res.stderr).toContain('| branin | tpe |');
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^quality benchmark: 15 trials × 2 seeds, concurrency 1/);
    expect(lines[1]).toMatch(/^\| problem \| sampler \| mean regret \|.*\| ratio \|$/);
    expect(lines).toHaveLength(4);
    const cells = lines[3]!.split('|').map((c) => c.trim());
    expect(cells.slice(1, 3)).toEqual(['branin', 'tpe']);
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(json).toMatchObject({ trials: 15, seeds: 2, concurrency: 1 });
    expect(json.results.branin.tpe.best).toHaveLength(2);

    // The same figures as in process (the command and bench/quality.ts share one implementation).
    setLogLevel('error');
    const inProcess = await runQualityBench({
      problems: ['branin'],
      samplers: ['tpe'],
      trials: 15,
      seeds: 2,
      anchors: loadAnchors(anchors),
    });
    const row = inProcess.results.branin!.tpe as { best: number[]; mean_regret: number };
    expect(json.results.branin.tpe.best).toEqual(row.best);
    expect(cells[3]).toBe(row.mean_regret.toPrecision(4));
    if (existsSync(anchors)) expect(cells[9]).toMatch(/^[\d.e+-]+ \/ [\d.e+-]+$/);

    const bad = await runCli(bin, ['bench', '--problems', 'nope'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown problem 'nope'/);
  });

  it('prints ratios with 2 significant digits', () => {
    expect(formatRatio(0.001234)).toBe('0.0012');
    expect(formatRatio(0.35)).toBe('0.35');
    expect(formatRatio(1.5)).toBe('1.5');
    expect(formatRatio(2)).toBe('2.0');
    expect(formatRatio(12.3)).toBe('12');
    expect(formatRatio(345.6)).toBe('346');
  });
});
