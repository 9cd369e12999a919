// `tunekit demo`, shortened, end to end through the built command line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, tempDir } from '../cli/e2e-harness.js';

let bin = '';
beforeAll(async () => {
  bin = await buildCli();
});

describe('tunekit demo', () => {
  it('tunes, stores the study in ./tunekit.db and prints the best trial with its accuracies; same seed, same best', async () => {
    const dir = tempDir();
    const args = ['demo', '--trials', '3', '--epochs', '4'];
    const first = await runCli(bin, args, { cwd: dir, timeoutMs: 60_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = first.stdout;
    expect(out).toMatch(/TensorFlow\.js backend: wasm/);
    expect(out).toMatch(/^trial 0 (complete|pruned)/m);
    expect(out).toMatch(/3 trials in .*: \d complete, \d pruned, 0 failed/);
    const val = Number(out.match(/^validation accuracy: (0\.\d{4}|1\.0000)$/m)?.[1]);
    const test = Number(out.match(/^test accuracy: (0\.\d{4}|1\.0000) \(held-out/m)?.[1]);
    expect(val).toBeGreaterThan(0.85);
    expect(test).toBeGreaterThan(0.85);
    expect(out).toMatch(/^best parameters: .*optimizer=/m);
    expect(existsSync(join(dir, 'tunekit.db'))).toBe(true);
    expect(out).toMatch(/^report: .*tunekit-demo-report\.html$/m);
    expect(readFileSync(join(dir, 'tunekit-demo-report.html'), 'utf8')).toMatch(
      /^<!doctype html>[\s\S]*"kind":"history"/,
    );

    const again = await runCli(bin, args, { cwd: dir, timeoutMs: 60_000 });
    expect(again.stdout).toMatch(/replaced the previous study 'tunekit-demo'/);
    const pick = (s: string) => s.split('\n').filter((l) => /^(best|validation|test)/.test(l));
    expect(pick(again.stdout)).toEqual(pick(out));

    const trials = await runCli(bin, ['trials', 'tunekit-demo', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(trials.stdout)).toHaveLength(3);
  });

  it('rejects bad flags with exit code 2', async () => {
    const r = await runCli(bin, ['demo', '--trials', '0'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--trials must be an integer/);
  });
});
