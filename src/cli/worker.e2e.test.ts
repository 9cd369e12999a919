// tunekit worker end to end (SQLite): joins a study that tunekit run created, shares its budget.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../storages/sqlite/sqlite-storage.js';
import { HEARTBEAT_ATTR } from '../study/heartbeat.js';
import { budgetStatus } from '../study/run-worker.js';
import { buildCli, runCli, startCli, tempDir, waitCli } from './e2e-harness.js';

let bin: string;
beforeAll(async () => {
  bin = await buildCli();
});
afterAll(() => {
  if (bin) rmSync(dirname(bin), { recursive: true, force: true });
});

describe('tunekit worker', () => {
  it('joins a study tunekit run created and runs trials until the study-wide budget is used', async () => {
    const dir = tempDir();
    const url = `sqlite:///${join(dir, 'db.sqlite')}`;
    writeFileSync(
      join(dir, 'objective.js'),
      "console.log('tunekit:result ' + JSON.stringify({ value: Number(process.env.TUNEKIT_PARAM_X) ** 2 }));\n",
    );
    writeFileSync(
      join(dir, 'study.yaml'),
      'study: shared\ncommand: node objective.js\nparams:\n  x: { type: float, low: -1, high: 1 }\nsampler: random\ntrials: 6\nheartbeat: { interval: 3, grace: 7, retries: 0 }\n',
    );
    // The study file's settings are stored by tunekit run (here it starts no trial: timeout).
    const run = await runCli(bin, ['run', 'study.yaml', '--storage', url, '--timeout', '0.001', '--quiet'], {
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    const workers = [0, 1].map((i) =>
      startCli(
        bin,
        [
          'worker',
          '--storage',
          url,
          '--study',
          'shared',
          '--timeout',
          '60',
          '--log-dir',
          `logs-${i}`,
          '--json',
        ],
        {
          cwd: dir,
        },
      ),
    );
    const results = await Promise.all(workers.map((w) => waitCli(w, 60_000)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const storage = await SqliteStorage.open(join(dir, 'db.sqlite'));
    try {
      const studyId = await storage.getStudyIdFromName('shared');
      // The study file's heartbeat key became the study's heartbeat settings, which workers follow.
      expect((await storage.getStudySystemAttrs(studyId))[HEARTBEAT_ATTR]).toEqual({
        interval: 3,
        grace: 7,
        retries: 0,
      });
      const trials = await storage.getAllTrials(studyId);
      expect(trials.every((t) => t.state === 'complete')).toBe(true);
      const counted = budgetStatus(trials).counted;
      expect(counted).toBeGreaterThanOrEqual(6);
      expect(counted).toBeLessThanOrEqual(7);
      for (const t of trials) expect(t.values![0]).toBeCloseTo((t.params.x as number) ** 2, 12);
    } finally {
      await storage.close();
    }
    const ran = results.map((r) => r.stdout.split('\n').filter((l) => l.includes('"trial"')).length);
    expect(ran.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
    // A late worker finds the budget used; an unknown study and a library study are refused.
    const late = await runCli(bin, ['worker', '--storage', url, '--study', 'shared', '--quiet'], {
      cwd: dir,
    });
    expect(late.code, late.stderr).toBe(0);
    const unknown = await runCli(bin, ['worker', '--storage', url, '--study', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    const lib = await SqliteStorage.open(join(dir, 'db.sqlite'));
    await lib.createStudy('library', ['minimize']);
    await lib.close();
    const plain = await runCli(bin, ['worker', '--storage', url, '--study', 'library'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/no stored study file.*tunekit run/);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
