/**
 * Test databases for the PostgreSQL tests: each test file creates its own database
 * (`tunekit_test_<random>`) through the maintenance database and drops it afterwards, so runs
 * and files never collide.
 *
 * The server is `TUNEKIT_TEST_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/postgres`,
 * a maintenance database of a user allowed to create databases). Tests skip only outside CI when
 * no server answers, and say so; with `CI` set they always run (and fail without a server).
 * @module
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The maintenance database the tests create their databases through. */
export const ADMIN_URL =
  process.env.TUNEKIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Whether the server answers (within two seconds). */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the PostgreSQL tests of this file skip: only outside CI without a server. Prints why.
 */
export async function skipWithoutPostgres(file: string): Promise<boolean> {
  if (process.env.CI) return false;
  if (await postgresAvailable()) return false;
  console.warn(
    `[${file}] PostgreSQL tests skipped: no server at ${redact(ADMIN_URL)}. ` +
      'Start one (or set TUNEKIT_TEST_POSTGRES_URL); in CI (CI=true) these tests never skip.',
  );
  return true;
}

/** Runs one statement on the maintenance database. */
export async function admin<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
  url = ADMIN_URL,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database of its own for one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database, ending its connections first. */
  drop(): Promise<void>;
}

/** Creates a fresh, empty database `tunekit_test_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tunekit_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
