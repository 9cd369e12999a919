/**
 * PostgresStorage beyond the conformance suite: schema versions and concurrent opens, the
 * incremental cache across connections, URLs, lost connections (a proxy that goes down, answers
 * lost after a commit) and the retry deadline. This file's database is its own.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { floatDistribution, intDistribution } from '../../core/distributions.js';
import {
  IncompatibleDistributionError,
  InvalidArgumentError,
  StudyNotFoundError,
  TrialNotFoundError,
  TunekitError,
} from '../../core/errors.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { type LogLevel, setLogSink } from '../../core/logging.js';
import { RandomSampler } from '../../samplers/random/random-sampler.js';
import { createStudy } from '../../study/create-study.js';
import type { Trial } from '../../trial/trial.js';
import type { Storage } from '../base.js';
import { getStorage } from '../get-storage.js';
import { SCHEMA_VERSION } from '../rdb/schema.js';
import { commandComplete, TcpProxy } from './__fixtures__/tcp-proxy.js';
import {
  admin,
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from './__fixtures__/test-database.js';
import { PostgresStorage, type PostgresStorageOptions } from './postgres-storage.js';

const skip = await skipWithoutPostgres('postgres-storage.test.ts');
let db: TestDatabase;
let counter = 0;
const opened: Storage[] = [];

async function open(options: PostgresStorageOptions = {}, url = db.url): Promise<PostgresStorage> {
  const s = await PostgresStorage.open(url, { schema: `s${counter++}`, ...options });
  opened.push(s);
  return s;
}

/** Collects log lines while `fn` runs. */
async function captureLog<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Array<[LogLevel, string]> }> {
  const lines: Array<[LogLevel, string]> = [];
  setLogSink((level, message) => lines.push([level, message]));
  try {
    return { result: await fn(), lines };
  } finally {
    setLogSink(undefined);
  }
}

describe.skipIf(skip)('PostgresStorage', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  describe('schema', () => {
    it('stores its schema version and refuses a newer one with SCHEMA_VERSION, changing nothing', async () => {
      const s = await open({ schema: 'versioned' });
      const [row] = await admin<{ value: string }>(
        `SELECT value FROM versioned.tunekit_meta WHERE key = 'schema_version'`,
        [],
        db.url,
      );
      expect(row?.value).toBe(String(SCHEMA_VERSION));
      await s.createStudy('kept', ['minimize']);
      await admin(`UPDATE versioned.tunekit_meta SET value = $1`, [String(SCHEMA_VERSION + 1)], db.url);
      const e = await PostgresStorage.open(db.url, { schema: 'versioned' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TunekitError);
      expect((e as TunekitError).code).toBe('SCHEMA_VERSION');
      expect((e as Error).message).toMatch(/newer/);
      const after = await admin(`SELECT value FROM versioned.tunekit_meta`, [], db.url);
      expect(after).toEqual([{ value: String(SCHEMA_VERSION + 1) }]);
      expect(await admin(`SELECT study_name FROM versioned.studies`, [], db.url)).toEqual([
        { study_name: 'kept' },
      ]);
    });

    it('lets many storages create the same schema at once (advisory lock)', async () => {
      const all = await Promise.all(
        Array.from({ length: 8 }, () => PostgresStorage.open(db.url, { schema: 'together', poolSize: 1 })),
      );
      opened.push(...all);
      const ids = await Promise.all(all.map((s, i) => s.createStudy(`s${i}`, ['minimize'])));
      expect(new Set(ids).size).toBe(8);
      expect(await all[0]!.getAllStudies()).toHaveLength(8);
      const tables = await admin(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'together' AND tablename = 'trials'`,
        [],
        db.url,
      );
      expect(tables).toEqual([{ n: 1 }]);
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      for (const schema of ['Upper', 'semi;colon', '1digit', '', 'has space']) {
        await expect(PostgresStorage.open(db.url, { schema })).rejects.toBeInstanceOf(InvalidArgumentError);
      }
    });
  });

  describe('incremental reads', () => {
    it("sees another connection's writes, re-reading only the trials that changed", async () => {
      const a = await open({ schema: 'shared_cache' });
      const b = await PostgresStorage.open(db.url, { schema: 'shared_cache' });
      opened.push(b);
      const sid = await a.createStudy('shared', ['minimize']);
      const made: FrozenTrial[] = [];
      for (let i = 0; i < 50; i++) made.push(await a.createTrial(sid));
      const first = await b.getAllTrials(sid);
      expect(first.map((t) => t.number)).toEqual(made.map((t) => t.number));

      await a.setTrialParams(made[3]!.trialId, [
        { name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) },
      ]);
      await a.setTrialIntermediateValue(made[3]!.trialId, 2, 7);
      await a.setTrialUserAttr(made[3]!.trialId, 'k', 'v');
      await a.finishTrial(made[7]!.trialId, 'complete', [0.25]);
      const second = await b.getAllTrials(sid);
      expect(second[3]!.params).toEqual({ x: 0.5 });
      expect([...second[3]!.intermediateValues]).toEqual([[2, 7]]);
      expect(second[3]!.userAttrs).toEqual({ k: 'v' });
      expect(second[7]).toMatchObject({ state: 'complete', values: [0.25] });
      // Unchanged trials are the very objects read before: nothing else was fetched again.
      for (const i of [0, 1, 2, 4, 5, 6, 8, 49]) expect(second[i]).toBe(first[i]);
      expect(second[3]).not.toBe(first[3]);
      expect(await b.getParamDistributions(sid)).toEqual({ x: floatDistribution(0, 1) });

      // And the other way round, with each side's registry cache in play.
      const w = await b.createTrial(sid, { state: 'waiting' });
      expect((await a.getAllTrials(sid)).map((t) => t.number)).toEqual([...Array(51).keys()]);
      expect((await a.claimWaitingTrial(sid))?.trialId).toBe(w.trialId);
      expect(await b.claimWaitingTrial(sid)).toBeNull();
      await expect(
        b.setTrialParams(made[4]!.trialId, [{ name: 'x', internal: 1, distribution: intDistribution(0, 1) }]),
      ).rejects.toBeInstanceOf(IncompatibleDistributionError);
    });

    it('sees a change whose transaction was still open at the previous read', async () => {
      const s = await open();
      const sid = await s.createStudy('late', ['minimize']);
      const t = await s.createTrial(sid);
      await s.getAllTrials(sid);
      const raw = new pg.Client({ connectionString: db.url, options: `-c search_path=${s.schema}` });
      await raw.connect();
      try {
        // A writer that started before the next read and commits after it.
        await raw.query('BEGIN');
        await raw.query(
          `UPDATE trials SET state = 'complete', objective_values = '[5]', datetime_complete = 1, seq = txid_current() WHERE trial_id = $1`,
          [t.trialId],
        );
        await s.createTrial(sid);
        expect((await s.getAllTrials(sid)).map((x) => x.state)).toEqual(['running', 'running']);
        await raw.query('COMMIT');
      } finally {
        await raw.end();
      }
      expect((await s.getAllTrials(sid)).map((x) => x.state)).toEqual(['complete', 'running']);
      expect((await s.getAllTrials(sid))[0]!.values).toEqual([5]);
    });

    it('loads a study of 2000 trials in one statement, then reads only what changed', async () => {
      const s = await open({ poolSize: 8 });
      const sid = await s.createStudy('big', ['minimize']);
      const dist = { x: floatDistribution(-1, 1) };
      for (let i = 0; i < 2000; i += 100) {
        await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            s.createTrial(sid, {
              state: 'complete',
              values: [i + j],
              params: { x: ((i + j) % 200) / 100 - 1 },
              distributions: dist,
            }),
          ),
        );
      }
      const fresh = await open({ schema: s.schema });
      const t0 = performance.now();
      const all = await fresh.getAllTrials(sid);
      const loadMs = performance.now() - t0;
      expect(all).toHaveLength(2000);
      expect(all.map((t) => t.number)).toEqual([...Array(2000).keys()]);
      // Concurrent creations take numbers in commit order: match each trial to its template by value.
      for (const t of all) expect(t.params).toEqual({ x: (t.values![0]! % 200) / 100 - 1 });
      expect(all.map((t) => t.values![0]!).sort((x, y) => x - y)).toEqual([...Array(2000).keys()]);
      const t1 = performance.now();
      expect(await fresh.getAllTrials(sid)).toHaveLength(2000);
      console.log(
        `2000 trials: first load ${loadMs.toFixed(0)} ms, unchanged re-read ${(performance.now() - t1).toFixed(1)} ms`,
      );
    });
  });

  describe('round trips', () => {
    it('createTrialUnlessWaiting creates a trial when none is waiting, and nothing when one is', async () => {
      const s = await open();
      const sid = await s.createStudy('unless-waiting', ['minimize']);
      const first = await s.createTrialUnlessWaiting(sid, { state: 'running', systemAttrs: {} });
      expect(first).toMatchObject({ number: 0, state: 'running', params: {} });
      const waiting = await s.createTrial(sid, { state: 'waiting' });
      expect(await s.createTrialUnlessWaiting(sid, { state: 'running', systemAttrs: {} })).toBeNull();
      // Parameters that need registering: checked first, nothing registered when one is waiting.
      const z = { params: { z: 1 }, distributions: { z: intDistribution(0, 3) } };
      expect(await s.createTrialUnlessWaiting(sid, { state: 'running', ...z })).toBeNull();
      expect(await s.getParamDistributions(sid)).toEqual({});
      expect((await s.getAllTrials(sid)).map((t) => [t.number, t.state])).toEqual([
        [0, 'running'],
        [1, 'waiting'],
      ]);
      expect((await s.claimWaitingTrial(sid))?.trialId).toBe(waiting.trialId);
      // No number was used up by the refusals.
      const third = await s.createTrialUnlessWaiting(sid, { state: 'running', ...z });
      expect(third).toMatchObject({ number: 2, params: { z: 1 } });
      expect(await s.getTrial(third!.trialId)).toEqual(third);
      await expect(s.createTrialUnlessWaiting(sid + 1000, { state: 'running' })).rejects.toBeInstanceOf(
        StudyNotFoundError,
      );
    });

    it('asks claim an enqueued trial first, and a trial of optimize costs four statements', async () => {
      const storage = await open();
      const study = await createStudy({
        studyName: 'four',
        storage,
        sampler: new RandomSampler({ seed: 3 }),
      });
      const objective = (trial: Trial): number => {
        const x = trial.suggestFloat('x', -1, 1);
        return x * x + (trial.suggestCategorical('k', ['a', 'b']) === 'a' ? 0 : 1);
      };
      await study.enqueueTrial({ x: 0.5, k: 'b' });
      await study.optimize(objective, { nTrials: 2 });
      const trials = await study.getTrials();
      expect(trials.map((t) => [t.number, t.state])).toEqual([
        [0, 'complete'],
        [1, 'complete'],
      ]);
      expect(trials[0]!.params).toEqual({ x: 0.5, k: 'b' });
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        await study.optimize(objective, { nTrials: 20 });
        // Create (unless waiting), read the study, write the parameters, finish; plus at most one
        // refill of the process's block of trial ids.
        expect(spy.mock.calls.length).toBeGreaterThanOrEqual(80);
        expect(spy.mock.calls.length).toBeLessThanOrEqual(81);
      } finally {
        spy.mockRestore();
      }
      expect((await study.getTrials()).map((t) => t.state)).toEqual(Array(22).fill('complete'));
    });

    it('getTrial answers a trial this process finished from memory, as stored', async () => {
      const s = await open({ schema: 'finished_cache' });
      const other = await PostgresStorage.open(db.url, { schema: 'finished_cache' });
      opened.push(other);
      const sid = await s.createStudy('finished', ['minimize']);
      const dist = { x: floatDistribution(0, 1) };
      const t = await s.createTrial(sid, { params: { x: 0.5 }, distributions: dist, userAttrs: { a: 1 } });
      await s.setTrialIntermediateValue(t.trialId, 0, 0.75);
      await other.setTrialUserAttr(t.trialId, 'b', 2); // another connection's change, before the finish
      await s.finishTrial(t.trialId, 'complete', [0.125]);
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      let mine: FrozenTrial;
      try {
        mine = await s.getTrial(t.trialId);
        expect(spy).not.toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
      expect(mine).toEqual(await other.getTrial(t.trialId));
      expect(mine).toMatchObject({ state: 'complete', values: [0.125], userAttrs: { a: 1, b: 2 } });
      expect([...mine.intermediateValues]).toEqual([[0, 0.75]]);
      await s.deleteStudy(sid);
      await expect(s.getTrial(t.trialId)).rejects.toBeInstanceOf(TrialNotFoundError);
    });

    it('getTrial reads a trial again when a change committed while its finish waited for the lock', async () => {
      const s = await open({ schema: 'finish_race' });
      const sid = await s.createStudy('race', ['minimize']);
      const t = await s.createTrial(sid);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query('SET search_path = finish_race');
        await client.query('BEGIN');
        // What a change of another worker does: lock and stamp the trial, write a child row.
        await client.query('UPDATE trials SET seq = txid_current() WHERE trial_id = $1', [t.trialId]);
        await client.query(
          `INSERT INTO trial_attrs (trial_id, is_system, key, value) VALUES ($1, 0, 'late', '1')`,
          [t.trialId],
        );
        const finishing = s.finishTrial(t.trialId, 'complete', [1]);
        await new Promise((r) => setTimeout(r, 300)); // the finish waits for the row lock
        await client.query('COMMIT');
        await finishing;
      } finally {
        await client.end();
      }
      expect(await s.getTrial(t.trialId)).toMatchObject({
        state: 'complete',
        values: [1],
        userAttrs: { late: 1 },
      });
    });
  });

  describe('URLs', () => {
    it('opens postgresql:// and postgres:// URLs through getStorage, with ?schema=', async () => {
      const url = new URL(db.url);
      url.searchParams.set('schema', 'by_url');
      const a = await getStorage(url.toString());
      opened.push(a);
      expect(a).toBeInstanceOf(PostgresStorage);
      expect((a as PostgresStorage).schema).toBe('by_url');
      const sid = await a.createStudy('via-url', ['maximize']);
      const b = await getStorage(url.toString().replace(/^postgresql:/, 'postgres:'));
      opened.push(b);
      expect(await b.getStudyIdFromName('via-url')).toBe(sid);
    });

    it('fails at once with a StorageError for a database that does not exist', async () => {
      const url = new URL(db.url);
      url.pathname = '/tunekit_no_such_database';
      const t0 = Date.now();
      const e = await PostgresStorage.open(url.toString()).catch((x: unknown) => x);
      expect((e as TunekitError).code).toBe('STORAGE');
      expect((e as Error).message).toMatch(/does not exist/);
      expect(Date.now() - t0).toBeLessThan(5000);
    });
  });

  describe('lost connections', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      const target = new URL(db.url);
      proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    });
    afterAll(async () => {
      await proxy?.close();
    });
    afterEach(async () => {
      await proxy.resume();
      proxy.cut = 0;
    });
    const quick = { initialBackoffMs: 20, maxBackoffMs: 200, retryDeadlineMs: 10_000 };

    it('waits out an outage with backoff, with one warning line, and goes on', async () => {
      const s = await open(quick, proxy.url(db.url));
      const sid = await s.createStudy('outage', ['minimize']);
      const t = await s.createTrial(sid);
      await proxy.stop();
      const { result, lines } = await captureLog(async () => {
        const pending = Promise.all([
          s.finishTrial(t.trialId, 'complete', [1]),
          s.createTrial(sid),
          s.getAllTrials(sid),
          s.setStudyUserAttr(sid, 'k', 1),
        ]);
        await new Promise((r) => setTimeout(r, 700));
        await proxy.resume();
        return pending;
      });
      expect(result[1].number).toBe(1);
      const warnings = lines.filter(([level]) => level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]![1]).toMatch(
        /lost the connection to PostgreSQL at 127\.0\.0\.1:\d+\/tunekit_test_\w+ during/,
      );
      expect(warnings[0]![1]).toMatch(/retrying with exponential backoff for up to 10 s/);
      const trials = await s.getAllTrials(sid);
      expect(trials.map((x) => [x.number, x.state])).toEqual([
        [0, 'complete'],
        [1, 'running'],
      ]);
      expect(await s.getStudyUserAttrs(sid)).toEqual({ k: 1 });
    });

    it('gives up with a StorageError once the retry deadline has passed', async () => {
      const s = await open({ ...quick, retryDeadlineMs: 600 }, proxy.url(db.url));
      const sid = await s.createStudy('deadline', ['minimize']);
      await proxy.stop();
      const t0 = Date.now();
      const { result: e, lines } = await captureLog(() => s.getAllTrials(sid).catch((x: unknown) => x));
      const waited = Date.now() - t0;
      expect((e as TunekitError).code).toBe('STORAGE');
      expect((e as Error).message).toMatch(/stayed unreachable for 0\.\d s during getAllTrials/);
      expect(waited).toBeGreaterThanOrEqual(550);
      expect(waited).toBeLessThan(3000);
      expect(lines.filter(([level]) => level === 'warn')).toHaveLength(1);
    });

    it('does not create a trial twice when the answer to its insert is lost', async () => {
      const s = await open({ ...quick, poolSize: 1 }, proxy.url(db.url));
      const sid = await s.createStudy('lost-insert', ['minimize']);
      const dist = { x: floatDistribution(0, 1) };
      await s.createTrial(sid, { params: { x: 0.5 }, distributions: dist }); // registers x, takes ids
      // One statement (autocommit): the retry finds its own trial by id.
      proxy.cutAnswer((chunk) => chunk.includes(commandComplete('SELECT 1')));
      const { result: t } = await captureLog(() =>
        s.createTrial(sid, { params: { x: 0.25 }, distributions: dist }),
      );
      expect(proxy.cut).toBe(1);
      expect(t.number).toBe(1);
      // A transaction (new parameter name): the lost COMMIT answer is looked up with txid_status.
      proxy.cutAnswer((chunk) => chunk.includes(commandComplete('COMMIT')));
      const { result: u } = await captureLog(() =>
        s.createTrial(sid, { params: { y: 2 }, distributions: { y: intDistribution(0, 3) } }),
      );
      expect(proxy.cut).toBe(2);
      expect(u.number).toBe(2);
      const trials = await s.getAllTrials(sid);
      expect(trials.map((x) => x.number)).toEqual([0, 1, 2]);
      expect(trials[1]).toEqual(t);
      expect(trials[2]).toEqual(u);
      expect((await s.createTrial(sid)).number).toBe(3);
    });

    it('finishes, claims and compares-and-sets exactly once when their answers are lost', async () => {
      const s = await open({ ...quick, poolSize: 1 }, proxy.url(db.url));
      const sid = await s.createStudy('lost-answers', ['minimize']);
      const t = await s.createTrial(sid);
      proxy.cutAnswer((chunk) => chunk.includes(commandComplete('SELECT 1')));
      await captureLog(() => s.finishTrial(t.trialId, 'complete', [3]));
      expect((await s.getTrial(t.trialId)).values).toEqual([3]);

      const w = await s.createTrial(sid, { state: 'waiting' });
      proxy.cutAnswer((chunk) => chunk.includes(commandComplete('COMMIT')));
      const { result: claimed } = await captureLog(() => s.claimWaitingTrial(sid));
      expect(claimed?.trialId).toBe(w.trialId);
      expect(await s.claimWaitingTrial(sid)).toBeNull();

      proxy.cutAnswer((chunk) => chunk.includes(commandComplete('COMMIT')));
      const { result: won } = await captureLog(() => s.compareAndSetStudySystemAttr(sid, 'k', undefined, 1));
      expect(won).toBe(true);
      expect(await s.getStudySystemAttrs(sid)).toEqual({ k: 1 });
      expect(proxy.cut).toBe(3);
    });
  });
});
