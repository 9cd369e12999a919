/**
 * The relational schema shared by the SQL backends, with its version and migrations.
 *
 * Every change to a trial bumps its study's `seq` counter and stamps the trial with the new
 * value, so a reader can fetch only what changed since its last read (`seq > last`).
 * @module
 */

/** The schema version this code writes. */
export const SCHEMA_VERSION = 2;

/**
 * Version 2: the last heartbeat of each running trial that has one (milliseconds since the
 * epoch; the database server's clock on PostgreSQL, so that workers on machines with skewed
 * clocks agree). A row exists only for trials whose worker heartbeats.
 */
const HEARTBEATS_TABLE = `CREATE TABLE IF NOT EXISTS trial_heartbeats (
      trial_id BIGINT PRIMARY KEY REFERENCES trials(trial_id) ON DELETE CASCADE,
      heartbeat BIGINT NOT NULL
    )`;

/** Statements that create the current schema version (portable SQL: SQLite and PostgreSQL). */
export function createSchemaStatements(dialect: 'sqlite' | 'postgres'): string[] {
  // AUTOINCREMENT: SQLite would otherwise reuse the id of a deleted last row, and another
  // connection's cache of the deleted study (or a held trial id) would then point at the new one.
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const big = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const real = dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  return [
    `CREATE TABLE IF NOT EXISTS tunekit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS studies (
      study_id ${id},
      study_name TEXT NOT NULL UNIQUE,
      directions TEXT NOT NULL,
      created_at ${big} NOT NULL,
      seq ${big} NOT NULL DEFAULT 0,
      n_trials ${big} NOT NULL DEFAULT 0
    )`,
    `CREATE TABLE IF NOT EXISTS study_attrs (
      study_id ${big} NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      is_system INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (study_id, is_system, key)
    )`,
    `CREATE TABLE IF NOT EXISTS study_params (
      study_id ${big} NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      distribution TEXT NOT NULL,
      PRIMARY KEY (study_id, name)
    )`,
    `CREATE TABLE IF NOT EXISTS trials (
      trial_id ${id},
      study_id ${big} NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      number ${big} NOT NULL,
      state TEXT NOT NULL,
      objective_values TEXT,
      datetime_start ${big},
      datetime_complete ${big},
      seq ${big} NOT NULL,
      UNIQUE (study_id, number)
    )`,
    `CREATE INDEX IF NOT EXISTS trials_study_seq ON trials (study_id, seq)`,
    `CREATE INDEX IF NOT EXISTS trials_study_state ON trials (study_id, state, number)`,
    `CREATE TABLE IF NOT EXISTS trial_params (
      trial_id ${big} NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      value ${real} NOT NULL,
      distribution TEXT NOT NULL,
      PRIMARY KEY (trial_id, name)
    )`,
    `CREATE TABLE IF NOT EXISTS trial_intermediate_values (
      trial_id ${big} NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      step ${big} NOT NULL,
      value ${real} NOT NULL,
      PRIMARY KEY (trial_id, step)
    )`,
    `CREATE TABLE IF NOT EXISTS trial_attrs (
      trial_id ${big} NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      is_system INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (trial_id, is_system, key)
    )`,
    HEARTBEATS_TABLE,
  ];
}

/**
 * Migrations: `MIGRATIONS[v]` upgrades a database from version v to v + 1. Version 1 is the
 * first; later versions append here, and the backends apply them in order on open.
 */
export const MIGRATIONS: ReadonlyArray<{ readonly from: number; readonly statements: readonly string[] }> = [
  { from: 1, statements: [HEARTBEATS_TABLE] },
];
