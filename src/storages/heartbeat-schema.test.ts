/**
 * Schema version 2 (heartbeats): a version-1 database opens, migrates and keeps its trials, on
 * SQLite and on PostgreSQL (skipped only outside CI without a server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHeartbeats, type Storage } from './base.js';
import {
  admin,
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from './postgres/__fixtures__/test-database.js';
import { PostgresStorage } from './postgres/postgres-storage.js';
import { SCHEMA_VERSION } from './rdb/schema.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';

async function fillAndCheck(s: Storage): Promise<{ studyId: number; trialId: number }> {
  const studyId = await s.createStudy('old', ['minimize']);
  const done = await s.createTrial(studyId);
  await s.finishTrial(done.trialId, 'complete', [1]);
  const t = await s.createTrial(studyId);
  return { studyId, trialId: t.trialId };
}

async function checkMigrated(s: Storage, studyId: number, trialId: number): Promise<void> {
  expect((await s.getAllTrials(studyId)).map((t) => t.state)).toEqual(['complete', 'running']);
  expect(hasHeartbeats(s)).toBe(true);
  if (!hasHeartbeats(s)) return;
  expect(await s.recordHeartbeat(trialId)).toBe(true);
  expect(await s.failStaleTrials(studyId, 60)).toEqual([]);
}

describe('schema version 2 (heartbeats)', () => {
  it('is the version this code writes', () => {
    expect(SCHEMA_VERSION).toBe(2);
  });

  it('SQLite: a version-1 file migrates on open and keeps its trials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunekit-hb-'));
    try {
      const path = join(dir, 'v1.db');
      const s = await SqliteStorage.open(path);
      const { studyId, trialId } = await fillAndCheck(s);
      s.db.exec(
        `DROP TABLE trial_heartbeats; UPDATE tunekit_meta SET value = '1' WHERE key = 'schema_version'`,
      );
      await s.close();
      const again = await SqliteStorage.open(path);
      try {
        const row = again.db.prepare(`SELECT value FROM tunekit_meta WHERE key = 'schema_version'`).get();
        expect(row).toEqual({ value: '2' });
        await checkMigrated(again, studyId, trialId);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const skip = await skipWithoutPostgres('heartbeat-schema.test.ts');
let db: TestDatabase | undefined;

describe.skipIf(skip)('schema version 2 on PostgreSQL', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a version-1 schema migrates on open (two workers at once) and keeps its trials', async () => {
    const s = await PostgresStorage.open(db!.url, { schema: 'v1' });
    const { studyId, trialId } = await fillAndCheck(s);
    await s.close();
    await admin(
      `DROP TABLE v1.trial_heartbeats; UPDATE v1.tunekit_meta SET value = '1' WHERE key = 'schema_version'`,
      [],
      db!.url,
    );
    const [a, b] = await Promise.all([
      PostgresStorage.open(db!.url, { schema: 'v1' }),
      PostgresStorage.open(db!.url, { schema: 'v1' }),
    ]);
    try {
      const rows = await admin(`SELECT value FROM v1.tunekit_meta WHERE key = 'schema_version'`, [], db!.url);
      expect(rows).toEqual([{ value: '2' }]);
      await checkMigrated(a, studyId, trialId);
      await checkMigrated(b, studyId, trialId);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
