/**
 * The storage conformance suite on PostgreSQL: each test gets a fresh schema of its own in this
 * file's database.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeStorageConformance } from '../../testing/index.js';
import { createTestDatabase, skipWithoutPostgres, type TestDatabase } from './__fixtures__/test-database.js';
import { PostgresStorage } from './postgres-storage.js';

const skip = await skipWithoutPostgres('postgres-conformance.test.ts');
let db: TestDatabase | undefined;
let counter = 0;

describe.skipIf(skip)('PostgresStorage conformance', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  describeStorageConformance('postgres', () =>
    PostgresStorage.open(db!.url, { schema: `conformance_${counter++}` }),
  );
});
