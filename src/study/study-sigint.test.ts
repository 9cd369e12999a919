import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAIL_REASON_ATTR } from '../core/system-attrs.js';
import { loadStudy } from './create-study.js';

describe('Ctrl-C during optimize', () => {
  it('marks running trials fail and exits by the signal, leaving a consistent database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunekit-sigint-'));
    const url = `sqlite:///${join(dir, 'study.db')}`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '__fixtures__/sigint-child.ts'), url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const done: number[] = [];
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        for (const m of d.toString().matchAll(/done (\d+)/g)) done.push(Number(m[1]));
        if (done.length >= 4) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill('SIGINT');
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(exit.signal === 'SIGINT' || exit.code === 130).toBe(true);
    expect(stderr).toMatch(/interrupted; \d running trial\(s\) marked fail/);

    const study = await loadStudy({ studyName: 'sigint', storage: url });
    const trials = await study.getTrials();
    expect(trials.filter((t) => t.state === 'running')).toEqual([]);
    const failed = trials.filter((t) => t.state === 'fail');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const t of failed) expect(t.systemAttrs[FAIL_REASON_ATTR]).toMatch(/SIGINT/);
    for (const n of done) expect(trials[n]!.state).toBe('complete');
    await study.storage.close();
  });
});
