/**
 * Heartbeats through the study API (in memory and SQLite): options, stale trials of a dead
 * worker failed and retried with the same parameters, retry limits, long trials kept alive, and
 * a live worker whose trial another worker failed going on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TunekitError } from '../core/errors.js';
import { setLogSink } from '../core/logging.js';
import { FAIL_REASON_ATTR, FIXED_PARAMS_ATTR } from '../core/system-attrs.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import type { HeartbeatStorage } from '../storages/base.js';
import { InMemoryStorage } from '../storages/in-memory/in-memory-storage.js';
import { SqliteStorage } from '../storages/sqlite/sqlite-storage.js';
import { createStudy, loadStudy } from './create-study.js';
import { RETRIED_FROM_ATTR, RETRY_COUNT_ATTR } from './heartbeat.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'tunekit-heartbeat-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let lines: string[] = [];
afterEach(() => {
  setLogSink(undefined);
  lines = [];
});
function quiet(): void {
  setLogSink((_, m) => lines.push(m));
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof TunekitError ? e.code : `untyped: ${String(e)}`;
  }
  return undefined;
}

describe('heartbeat options', () => {
  it('are validated', async () => {
    expect(await codeOf(createStudy({ heartbeatInterval: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ heartbeatInterval: 1, gracePeriod: 1 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ gracePeriod: 5 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ heartbeatInterval: 1, failedTrialRetries: -1 }))).toBe(
      'INVALID_ARGUMENT',
    );
    const study = await createStudy({ heartbeatInterval: 2 });
    expect(study.heartbeatSettings).toEqual({ interval: 2, grace: 4, retries: 0 });
    expect((await createStudy()).heartbeatSettings).toBeNull();
    await expect((await createStudy()).failStaleTrials()).rejects.toThrow(/heartbeatInterval/);
  });

  it('are stored with a new study and adopted by workers that give none', async () => {
    const storage = new InMemoryStorage();
    await createStudy({ studyName: 'hb', storage, heartbeatInterval: 3, failedTrialRetries: 2 });
    const settings = { interval: 3, grace: 6, retries: 2 };
    expect((await loadStudy({ studyName: 'hb', storage })).heartbeatSettings).toEqual(settings);
    expect((await createStudy({ studyName: 'hb', storage, loadIfExists: true })).heartbeatSettings).toEqual(
      settings,
    );
    const own = await loadStudy({ studyName: 'hb', storage, heartbeatInterval: 1 });
    expect(own.heartbeatSettings).toEqual({ interval: 1, grace: 2, retries: 0 });
    await createStudy({ studyName: 'plain', storage });
    expect((await loadStudy({ studyName: 'plain', storage })).heartbeatSettings).toBeNull();
  });
});

const backends: Array<[string, () => Promise<HeartbeatStorage>]> = [
  ['in memory', async () => new InMemoryStorage()],
  ['SQLite', () => SqliteStorage.open(join(dir, `hb-${files++}.db`))],
];

describe.each(backends)('heartbeats (%s)', (_name, open) => {
  it('a dead worker’s trial is failed after the grace period and retried with its parameters', async () => {
    quiet();
    const storage = await open();
    const options = {
      studyName: 's',
      storage,
      heartbeatInterval: 0.1,
      gracePeriod: 0.25,
      failedTrialRetries: 1,
    };
    const study = await createStudy({ ...options, sampler: new RandomSampler({ seed: 1 }) });
    // The dead worker: a trial with parameters and a heartbeat, then nothing.
    const dead = await study.ask();
    const x = dead.suggestFloat('x', -5, 5);
    const k = dead.suggestCategorical('k', ['a', 'b', 'c']);
    await dead.flush();
    (study as unknown as { heartbeat: { end(id: number): void } }).heartbeat.end(dead.trialId);
    // A live worker.
    const live = await loadStudy({ ...options, sampler: new RandomSampler({ seed: 2 }) });
    const early = await live.ask();
    expect(early.number).toBe(1); // not stale yet: a new trial
    await live.tell(early, 1);
    await pause(400);
    const retry = await live.ask();
    expect(retry.suggestFloat('x', -5, 5)).toBe(x);
    expect(retry.suggestCategorical('k', ['a', 'b', 'c'])).toBe(k);
    await live.tell(retry, 2);
    const trials = await live.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['fail', 'complete', 'complete']);
    expect(String(trials[0]!.systemAttrs[FAIL_REASON_ATTR])).toMatch(/^heartbeat stopped/);
    expect(trials[2]!.systemAttrs[RETRIED_FROM_ATTR]).toBe(0);
    expect(trials[2]!.systemAttrs[RETRY_COUNT_ATTR]).toBe(1);
    expect(trials[2]!.systemAttrs[FIXED_PARAMS_ATTR]).toEqual({ x, k });
    expect(lines.some((l) => /trial 0 had no heartbeat .* retrying it \(retry 1 of 1\)/.test(l))).toBe(true);
    await storage.close();
  });

  it('retries a trial at most failedTrialRetries times; without retries, only fails it', async () => {
    quiet();
    const storage = await open();
    const study = await createStudy({
      storage,
      heartbeatInterval: 0.05,
      gracePeriod: 0.1,
      failedTrialRetries: 1,
    });
    const sid = study.studyId;
    const beat = async (template: Parameters<HeartbeatStorage['createTrial']>[1]) => {
      const t = await storage.createTrial(sid, template);
      await storage.recordHeartbeat(t.trialId);
      return t;
    };
    await beat({ systemAttrs: { [RETRY_COUNT_ATTR]: 1 } }); // a retry already
    await beat({});
    await pause(200);
    const failed = await study.failStaleTrials();
    expect(failed.map((t) => t.number)).toEqual([0, 1]);
    const waiting = await study.getTrials({ states: ['waiting'] });
    expect(waiting.map((t) => t.systemAttrs[RETRIED_FROM_ATTR])).toEqual([1]);
    const noRetries = await loadStudy({ studyName: study.studyName, storage, heartbeatInterval: 0.05 });
    await beat({});
    await pause(200);
    expect((await noRetries.failStaleTrials()).map((t) => t.number)).toEqual([3]);
    expect(await study.getTrials({ states: ['waiting'] })).toHaveLength(1);
    await storage.close();
  });

  it('keeps a long trial alive, and a worker whose trial was failed by another goes on', async () => {
    quiet();
    const storage = await open();
    const options = { studyName: 'long', storage, heartbeatInterval: 0.05, gracePeriod: 0.15 };
    const study = await createStudy({ ...options, sampler: new RandomSampler({ seed: 3 }) });
    const other = await loadStudy(options);
    let failedMidway: number[] = [];
    await study.optimize(
      async (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        await pause(300); // far beyond the grace period, with heartbeats
        if (trial.number === 0) expect(await other.failStaleTrials()).toEqual([]);
        if (trial.number === 1) {
          // Another worker decides (wrongly) that this trial is stale. A negative grace makes every
          // running trial stale whenever its last heartbeat was (a grace of 1 ms raced with the
          // heartbeat timer, which ticks with the pause above: 300 ms = 6 × 50 ms).
          failedMidway = (await storage.failStaleTrials(study.studyId, -60)).map((t) => t.number);
        }
        return x;
      },
      { nTrials: 3, stopOnError: true },
    );
    expect(failedMidway).toEqual([1]);
    expect((await study.getTrials()).map((t) => t.state)).toEqual(['complete', 'fail', 'complete']);
    expect(lines.some((l) => /trial 1 was marked fail by another worker/.test(l))).toBe(true);
    await storage.close();
  });
});
