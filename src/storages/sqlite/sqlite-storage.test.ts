import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../core/distributions.js';
import { IncompatibleDistributionError, InvalidStorageUrlError, TunekitError } from '../../core/errors.js';
import { describeStorageConformance } from '../../testing/index.js';
import type { Storage } from '../base.js';
import { getStorage, sqlitePathFromUrl } from '../get-storage.js';
import { InMemoryStorage } from '../in-memory/in-memory-storage.js';
import { SCHEMA_VERSION } from '../rdb/schema.js';
import { SqliteStorage } from './sqlite-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'tunekit-sqlite-'));
let counter = 0;
const nextFile = (stem = 'db'): string => join(dir, `${stem}-${counter++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStorageConformance('sqlite file', () => SqliteStorage.open(nextFile('conformance')));
describeStorageConformance('sqlite :memory:', () => SqliteStorage.open(':memory:'));

describe('SqliteStorage', () => {
  const opened: Storage[] = [];
  const open = async (path: string): Promise<SqliteStorage> => {
    const s = await SqliteStorage.open(path);
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('loads a study larger than one read batch (2,000 trials) whole and in order', async () => {
    const path = nextFile('chunks');
    const writer = await open(path);
    const id = await writer.createStudy('big', ['minimize']);
    const x = floatDistribution(0, 1);
    for (let i = 0; i < 4500; i++) {
      await writer.createTrial(id, {
        state: 'complete',
        params: { x: i / 4500 },
        distributions: { x },
        values: [i],
        intermediateValues: new Map([[1, i / 2]]),
        userAttrs: { i },
      });
    }
    const reader = await open(path);
    const trials = await reader.getAllTrials(id);
    expect(trials.length).toBe(4500);
    trials.forEach((t, i) => {
      expect(t.number).toBe(i);
      expect(t.params.x).toBe(i / 4500);
      expect(t.values).toEqual([i]);
      expect(t.intermediateValues.get(1)).toBe(i / 2);
      expect(t.userAttrs.i).toBe(i);
    });
  });

  it('stores its schema version and refuses a newer one with SCHEMA_VERSION', async () => {
    const file = nextFile();
    const s = await SqliteStorage.open(file);
    const row = s.db.prepare(`SELECT value FROM tunekit_meta WHERE key = 'schema_version'`).get() as {
      value: string;
    };
    expect(row.value).toBe(String(SCHEMA_VERSION));
    s.db
      .prepare(`UPDATE tunekit_meta SET value = ? WHERE key = 'schema_version'`)
      .run(String(SCHEMA_VERSION + 1));
    await s.close();

    let caught: unknown;
    try {
      await SqliteStorage.open(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TunekitError);
    expect((caught as TunekitError).code).toBe('SCHEMA_VERSION');
    expect((caught as Error).message).toMatch(/newer/);

    // The refused file was left as it was.
    const Driver = (await import('better-sqlite3')).default;
    const raw = new Driver(file, { readonly: true });
    try {
      expect(raw.prepare(`SELECT value FROM tunekit_meta WHERE key = 'schema_version'`).get()).toEqual({
        value: String(SCHEMA_VERSION + 1),
      });
    } finally {
      raw.close();
    }
  });

  it('keeps everything in a reopened file', async () => {
    const file = nextFile();
    const a = await SqliteStorage.open(file);
    const sid = await a.createStudy('kept', ['minimize', 'maximize']);
    const other = await a.createStudy('other', ['maximize']);
    await a.setStudyUserAttr(sid, 'u', { nested: ['ü', null] });
    await a.setStudySystemAttr(sid, 's', 1);
    expect(await a.compareAndSetStudySystemAttr(sid, 'cas', undefined, 'v1')).toBe(true);
    const t0 = await a.createTrial(sid);
    await a.setTrialParams(t0.trialId, [
      { name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) },
      { name: 'n', internal: 3, distribution: intDistribution(1, 8, { log: true }) },
      { name: 'c', internal: 1, distribution: categoricalDistribution([null, true, 2]) },
    ]);
    await a.setTrialIntermediateValue(t0.trialId, 0, 1.25);
    await a.setTrialUserAttr(t0.trialId, 'ua', [1, { b: 'c' }]);
    await a.setTrialSystemAttr(t0.trialId, 'sa', 'x');
    await a.finishTrial(t0.trialId, 'complete', [Number.NEGATIVE_INFINITY, 2]);
    await a.createTrial(sid, { state: 'waiting', systemAttrs: { fixed: { x: 0.25 } } });
    await a.finishTrial((await a.createTrial(sid)).trialId, 'pruned');
    await a.createTrial(sid);
    await a.createTrial(other, { state: 'complete', values: [3] });

    const trials = await a.getAllTrials(sid);
    const studies = await a.getAllStudies();
    const dists = await a.getParamDistributions(sid);
    await a.close();

    const b = await open(file);
    expect(await b.getStudyIdFromName('kept')).toBe(sid);
    expect(await b.getStudyDirections(sid)).toEqual(['minimize', 'maximize']);
    expect(await b.getAllTrials(sid)).toEqual(trials);
    expect(await b.getAllStudies()).toEqual(studies);
    expect(await b.getParamDistributions(sid)).toEqual(dists);
    expect(await b.getStudyUserAttrs(sid)).toEqual({ u: { nested: ['ü', null] } });
    expect(await b.getStudySystemAttrs(sid)).toEqual({ s: 1, cas: 'v1' });
    expect((await b.getTrial(t0.trialId)).params).toEqual({ x: 0.5, n: 3, c: true });
    // Numbering, the queue and CAS go on where they were.
    expect((await b.createTrial(sid)).number).toBe(4);
    expect((await b.claimWaitingTrial(sid))?.number).toBe(1);
    expect(await b.compareAndSetStudySystemAttr(sid, 'cas', undefined, 'v2')).toBe(false);
    expect(await b.compareAndSetStudySystemAttr(sid, 'cas', 'v1', 'v2')).toBe(true);
    await expect(
      b.setTrialParams((await b.createTrial(sid)).trialId, [
        { name: 'x', internal: 1, distribution: intDistribution(0, 1) },
      ]),
    ).rejects.toBeInstanceOf(IncompatibleDistributionError);
  });

  it("sees another connection's writes through its incremental cache", async () => {
    const file = nextFile();
    const a = await open(file);
    const b = await open(file);
    const sid = await a.createStudy('shared', ['minimize']);
    expect(await b.getStudyIdFromName('shared')).toBe(sid);
    const t0 = await a.createTrial(sid);
    const t1 = await a.createTrial(sid);
    expect((await b.getAllTrials(sid)).map((t) => [t.number, t.state])).toEqual([
      [0, 'running'],
      [1, 'running'],
    ]);

    await a.setTrialParams(t0.trialId, [{ name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) }]);
    await a.setTrialIntermediateValue(t0.trialId, 2, 7);
    await a.setTrialUserAttr(t0.trialId, 'k', 'v');
    let seen = (await b.getAllTrials(sid))[0]!;
    expect(seen.params).toEqual({ x: 0.5 });
    expect([...seen.intermediateValues]).toEqual([[2, 7]]);
    expect(seen.userAttrs).toEqual({ k: 'v' });
    expect(await b.getParamDistributions(sid)).toEqual({ x: floatDistribution(0, 1) });

    await a.finishTrial(t0.trialId, 'complete', [0.25]);
    seen = (await b.getAllTrials(sid))[0]!;
    expect(seen.state).toBe('complete');
    expect(seen.values).toEqual([0.25]);
    expect(await b.getAllTrials(sid, { states: ['complete'] })).toHaveLength(1);

    // And the other way round, with each side's registry cache in play.
    const t2 = await b.createTrial(sid, { state: 'waiting' });
    expect((await a.getAllTrials(sid)).map((t) => t.number)).toEqual([0, 1, 2]);
    expect((await a.claimWaitingTrial(sid))?.trialId).toBe(t2.trialId);
    expect(await b.claimWaitingTrial(sid)).toBeNull();
    await expect(
      b.setTrialParams(t1.trialId, [{ name: 'x', internal: 1, distribution: intDistribution(0, 1) }]),
    ).rejects.toBeInstanceOf(IncompatibleDistributionError);
    await b.finishTrial(t1.trialId, 'fail');
    expect((await a.getAllTrials(sid)).map((t) => t.state)).toEqual(['complete', 'fail', 'running']);
    expect((await a.getAllStudies())[0]?.bestTrial?.trialId).toBe(t0.trialId);
  });

  it("does not serve a deleted study's cache for a study created after it by another connection", async () => {
    const file = nextFile();
    const a = await open(file);
    const b = await open(file);
    const old = await a.createStudy('old', ['minimize']);
    const ot = await a.createTrial(old);
    await a.setTrialParams(ot.trialId, [{ name: 'x', internal: 0.5, distribution: floatDistribution(0, 1) }]);
    await a.finishTrial(ot.trialId, 'complete', [1]);
    expect(await a.getAllTrials(old)).toHaveLength(1);
    expect(await a.getParamDistributions(old)).toEqual({ x: floatDistribution(0, 1) });

    await b.deleteStudy(old);
    const fresh = await b.createStudy('new', ['minimize']);
    const nt = await b.createTrial(fresh);
    await b.setTrialIntermediateValue(nt.trialId, 0, 1);
    await b.finishTrial(nt.trialId, 'fail');

    const seen = await a.getAllTrials(fresh);
    expect(seen).toEqual(await b.getAllTrials(fresh));
    expect(seen.map((t) => [t.trialId, t.state])).toEqual([[nt.trialId, 'fail']]);
    // a's registry knew 'x' as a float of the deleted study; in the new study it is free.
    const t = await a.createTrial(fresh);
    await a.setTrialParams(t.trialId, [{ name: 'x', internal: 1, distribution: intDistribution(0, 3) }]);
    expect(await b.getParamDistributions(fresh)).toEqual({ x: intDistribution(0, 3) });
  });

  it('creates the folder of a nested path', async () => {
    const file = join(dir, 'deep', 'er', 'nested.db');
    const s = await open(file);
    await s.createStudy('x', ['minimize']);
    expect(existsSync(file)).toBe(true);
  });

  it('fails with a StorageError when the file cannot be opened', async () => {
    await expect(SqliteStorage.open(dir)).rejects.toMatchObject({ code: 'STORAGE' });
  });
});

describe('getStorage', () => {
  const opened: Storage[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  const get = async (url: string): Promise<Storage> => {
    const s = await getStorage(url);
    opened.push(s);
    return s;
  };

  it('parses sqlite URLs: three slashes relative, four absolute, and :memory:', () => {
    expect(sqlitePathFromUrl('sqlite:///rel.db')).toBe('rel.db');
    expect(sqlitePathFromUrl('sqlite:///runs/sub/x.db')).toBe('runs/sub/x.db');
    expect(sqlitePathFromUrl('sqlite:////abs/x.db')).toBe('/abs/x.db');
    expect(sqlitePathFromUrl('sqlite://:memory:')).toBe(':memory:');
    expect(sqlitePathFromUrl('sqlite:///:memory:')).toBe(':memory:');
  });

  it('opens sqlite:///rel.db relative to the working directory, creating folders', async () => {
    const cwd = process.cwd();
    const work = mkdtempSync(join(dir, 'cwd-'));
    process.chdir(work);
    try {
      const s = await get('sqlite:///rel.db');
      expect(s).toBeInstanceOf(SqliteStorage);
      await s.createStudy('x', ['minimize']);
      expect(existsSync(join(work, 'rel.db'))).toBe(true);
      const nested = await get('sqlite:///a/b/c.db');
      await nested.createStudy('y', ['minimize']);
      expect(existsSync(join(work, 'a', 'b', 'c.db'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('opens sqlite:////absolute paths and :memory:', async () => {
    const file = nextFile('abs');
    const s = await get(`sqlite:///${file}`);
    await s.createStudy('abs', ['minimize']);
    expect(existsSync(file)).toBe(true);
    const again = await get(`sqlite:///${file}`);
    expect(await again.getStudyIdFromName('abs')).toBeTypeOf('number');
    for (const url of ['sqlite://:memory:', 'sqlite:///:memory:']) {
      const m = (await get(url)) as SqliteStorage;
      expect(m).toBeInstanceOf(SqliteStorage);
      expect(m.db.memory).toBe(true);
    }
  });

  it('returns a new in-memory storage without a URL, and a Storage object as it is', async () => {
    const a = await getStorage(undefined);
    expect(a).toBeInstanceOf(InMemoryStorage);
    expect(await getStorage(undefined)).not.toBe(a);
    expect(await getStorage(a)).toBe(a);
  });

  it.each(['sqlite://rel.db', 'sqlite://', 'sqlite:///', 'not a url', '', '/plain/path.db'])(
    'refuses the malformed URL %j with INVALID_STORAGE_URL',
    async (url) => {
      const e = await getStorage(url).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidStorageUrlError);
      expect((e as TunekitError).code).toBe('INVALID_STORAGE_URL');
    },
  );

  it.each([
    ['mongodb://user@localhost/db', 'mongodb:'],
    ['mysql://root@h/db', 'mysql:'],
    ['redis://localhost', 'redis:'],
    ['file:///tmp/x.db', 'file:'],
  ])('refuses the unknown scheme of %j, naming it', async (url, scheme) => {
    const e = await getStorage(url).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidStorageUrlError);
    expect((e as TunekitError).code).toBe('INVALID_STORAGE_URL');
    expect((e as Error).message).toContain(`unknown storage scheme '${scheme}'`);
  });

  it('refuses a value that is neither a URL nor a Storage', async () => {
    for (const bad of [42, {}, null]) {
      const e = await getStorage(bad as unknown as string).catch((x: unknown) => x);
      expect((e as TunekitError).code).toBe('INVALID_STORAGE_URL');
    }
  });
});
