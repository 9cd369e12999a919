// Runs classic example 3 as a user would and checks that TPE found a good network.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = import.meta.dirname;

function number(output: string, label: string): number {
  const m = new RegExp(`${label} ([\\d.]+)`).exec(output);
  expect(m, `the output names the ${label}:\n${output}`).not.toBeNull();
  return Number(m![1]);
}

describe('classic example 3: Hyperopt-style TPE on iris', () => {
  it('runs 100 evaluations and finds a configuration with validation and test accuracy ≥ 0.9', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(here, '03-hyperopt-tpe.ts')], {
      cwd: join(here, '..', '..'),
      encoding: 'utf8',
    });
    expect(output).toMatch(/: 100 evaluations in/);
    const argmin = JSON.parse(/argmin (\{.*?\}) /.exec(output)![1]!) as Record<string, number>;
    expect([0, 1, 2]).toContain(argmin.layers);
    const config = /best configuration: lr=([\d.e+-]+), layers=(\d)/.exec(output)!;
    const lr = Number(config[1]);
    expect(lr).toBeGreaterThanOrEqual(1e-4);
    expect(lr).toBeLessThanOrEqual(1);
    expect(Number(config[2])).toBe([2, 3, 4][argmin.layers!]);
    expect(number(output, 'validation loss')).toBeLessThan(0.3);
    expect(number(output, 'validation accuracy')).toBeGreaterThanOrEqual(0.9);
    expect(number(output, 'test accuracy')).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});
