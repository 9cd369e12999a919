// Runs every example as a user would, so that they never rot.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = import.meta.dirname;

function run(file: string, env: Record<string, string>): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    cwd: join(here, '..'),
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('examples', () => {
  it('quickstart persists to SQLite and continues the study on a second run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunekit-example-'));
    const storage = `sqlite:///${join(dir, 'quick.db')}`;
    const first = run('quickstart.ts', { TUNEKIT_STORAGE: storage });
    expect(first).toMatch(/: 40 trials/);
    const value = Number(/value ([\d.]+)/.exec(first)![1]);
    expect(value).toBeLessThan(0.2);
    const second = run('quickstart.ts', { TUNEKIT_STORAGE: storage });
    expect(second).toMatch(/: 80 trials/);
    expect(Number(/value ([\d.]+)/.exec(second)![1])).toBeLessThanOrEqual(value);
  });
});
