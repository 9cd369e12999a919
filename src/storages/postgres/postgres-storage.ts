/**
 * PostgreSQL storage through `pg`: many worker processes on many machines share one study.
 *
 * - Every state change is one transaction (most are one statement). Trial numbers come from
 *   `UPDATE studies SET n_trials = n_trials + 1 … RETURNING` in the statement that inserts the
 *   trial (unique, no gaps: the study row stays locked until the commit); a waiting trial is
 *   claimed with `FOR UPDATE SKIP LOCKED`; a change of a trial locks its row
 *   (`FOR NO KEY UPDATE`, only while it is running) and compare-and-set locks the attribute row
 *   (`FOR UPDATE`).
 * - Reads are incremental, as in SQLite, but stamped differently: each change writes the id of
 *   its transaction (`txid_current()`) into the trial's `seq` column, and a read fetches only the
 *   trials whose stamp the previous read's snapshot did not see (`txid_visible_in_snapshot`), in
 *   one statement and one snapshot. Unlike a per-study counter this needs no lock on the study
 *   row, so workers changing different trials never wait for each other; `studies.seq` stays 0.
 *   A long-open transaction anywhere on the server makes reads scan more rows (never miss any).
 * - The schema is versioned (`rdb/schema.ts`); creating and migrating it runs in one transaction
 *   under an advisory lock, so workers starting together do not race.
 * - Lost connections (refused, terminated, admin shutdown) are retried with exponential backoff
 *   and jitter up to `retryDeadlineMs`, with one `log.warn` line per outage. A write whose answer
 *   was lost is not applied twice: transactions are looked up with `txid_status`, a new trial is
 *   recognised by the id chosen before its insert, finishes and upserts are idempotent.
 *   Serialization failures and deadlocks are retried.
 * - Round trips: a trial of `optimize` costs four statements: the insert, which also checks that
 *   no trial is waiting (`createTrialUnlessWaiting`; a waiting one is then claimed as before), the
 *   incremental read, the parameters and the finish. The finish returns the finished trial, which
 *   `getTrial` then answers from memory (finished trials never change; a trial changed by another
 *   transaction while the finish waited for its lock is not kept, and is read again). Trial ids
 *   come from the sequence 64 at a time.
 * - Needs PostgreSQL 10 or later (`txid_status`).
 * @module
 */
import type pg from 'pg';
import { bestOf } from '../../core/best-trial.js';
import {
  type Distribution,
  distributionFromJson,
  distributionToJson,
  toExternal,
} from '../../core/distributions.js';
import {
  DuplicatedStudyError,
  InvalidArgumentError,
  InvalidStorageUrlError,
  MissingDependencyError,
  StorageError,
  StudyNotFoundError,
  TrialNotFoundError,
  TunekitError,
} from '../../core/errors.js';
import {
  type FrozenTrial,
  isFinished,
  type JsonValue,
  type StudyDirection,
  type StudySummary,
  type TrialState,
} from '../../core/frozen-trial.js';
import { log } from '../../core/logging.js';
import { Rng } from '../../core/rng.js';
import { FAIL_REASON_ATTR } from '../../core/system-attrs.js';
import {
  type HeartbeatStorage,
  type NewTrial,
  type ParamRecord,
  staleTrialReason,
  type TrialFilter,
} from '../base.js';
import { decodeJson, decodeValues, encodeJson, encodeValues } from '../rdb/codec.js';
import { createSchemaStatements, MIGRATIONS, SCHEMA_VERSION } from '../rdb/schema.js';
import {
  checkDirections,
  checkFinishValues,
  checkParams,
  checkStudyName,
  checkTemplate,
  checkUpdatable,
  copyJson,
  jsonEqual,
  setAttr,
  templateParams,
} from '../rules.js';

/** Options of {@link PostgresStorage.open}. */
export interface PostgresStorageOptions {
  /** Connections this process keeps at most. Default 4. */
  poolSize?: number;
  /**
   * The PostgreSQL schema (namespace) that holds tunekit's tables, created when missing:
   * lower-case letters, digits and `_`. Default `public`, or the URL's `?schema=` parameter.
   */
  schema?: string;
  /**
   * How long one operation keeps retrying while the database is unreachable, in milliseconds,
   * before it fails with a `StorageError`. Default 60 000.
   */
  retryDeadlineMs?: number;
  /** First backoff delay in milliseconds; it doubles per retry, with full jitter. Default 100. */
  initialBackoffMs?: number;
  /** Longest backoff delay in milliseconds. Default 5 000. */
  maxBackoffMs?: number;
  /** Milliseconds to wait for a new connection (or a free one in the pool). Default 10 000. */
  connectTimeoutMs?: number;
  /**
   * Milliseconds a statement may go unanswered before the connection is given up (and the
   * operation retried). Guards against a silently dropped network. Default 120 000; 0 = never.
   */
  queryTimeoutMs?: number;
  /** `application_name` shown in `pg_stat_activity`. Default `tunekit`. */
  applicationName?: string;
}

interface StudyCache {
  /** The snapshot (`txid_current_snapshot()`) of the last read. */
  snapshot: string | null;
  byNumber: FrozenTrial[];
  /** The study's whole parameter registry as of that snapshot. */
  params: Map<string, Distribution>;
}

/** The refresh of a study's cache under way, and the one queued after it. */
interface RefreshSlot {
  running: Promise<FrozenTrial[]> | null;
  /** Whether the running refresh has sent its statement (a later caller cannot join it then). */
  sent: boolean;
  next: Promise<FrozenTrial[]> | null;
}

/** A trial as the loading statements return it (children as JSON arrays). */
interface TrialRow {
  trial_id: number;
  number: number;
  state: TrialState;
  objective_values: string | null;
  datetime_start: number | null;
  datetime_complete: number | null;
  params: Array<[string, number | string, string]> | null;
  ivs: Array<[number, number | string]> | null;
  attrs: Array<[number, string, string]> | null;
}

/** Runs one statement on the current connection (prepared and cached per connection). */
type Query = <R = Record<string, unknown>>(sql: string, values?: readonly unknown[]) => Promise<R[]>;

/** Trial ids a process takes from the sequence at a time. */
const TRIAL_ID_BLOCK = 64;

/** Advisory-lock namespace of schema creation and migration ('tk'). */
const LOCK_NAMESPACE = 0x746b;

/** Columns of a whole trial; `t` names the trials row. */
const TRIAL_COLUMNS = `t.trial_id, t.number, t.state, t.objective_values, t.datetime_start, t.datetime_complete,
  (SELECT json_agg(json_build_array(p.name, p.value, p.distribution)) FROM trial_params p WHERE p.trial_id = t.trial_id) AS params,
  (SELECT json_agg(json_build_array(v.step, v.value) ORDER BY v.step) FROM trial_intermediate_values v WHERE v.trial_id = t.trial_id) AS ivs,
  (SELECT json_agg(json_build_array(a.is_system, a.key, a.value)) FROM trial_attrs a WHERE a.trial_id = t.trial_id) AS attrs`;

/** A CTE that locks trial $1 if it is running (`h`); nothing happens when it is not. */
const LOCK_RUNNING = `WITH h AS (
    SELECT trial_id FROM trials WHERE trial_id = $1 AND state = 'running' FOR NO KEY UPDATE
  )`;

/** {@link LOCK_RUNNING}, then stamps the trial with the writing transaction's id (`t`). */
const STAMP_RUNNING = `${LOCK_RUNNING}, t AS (
    UPDATE trials SET seq = txid_current() FROM h WHERE trials.trial_id = h.trial_id
  )`;

/** Upserts parameters of trial $1 (in h): names $2, internal values $3, distributions $4. */
const PARAMS_SQL = `INSERT INTO trial_params (trial_id, name, value, distribution)
  SELECT h.trial_id, x.name, x.value, x.distribution
  FROM h, unnest($2::text[], $3::float8[], $4::text[]) AS x(name, value, distribution)
  ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value, distribution = excluded.distribution`;

/** Upserts intermediate value $3 at step $2 of trial $1 (in h). */
const IV_SQL = `INSERT INTO trial_intermediate_values (trial_id, step, value)
  SELECT h.trial_id, $2::bigint, $3::float8 FROM h
  ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value`;

/** Upserts attribute $3 (system when $2 = 1) = $4 of trial $1 (in h). */
const ATTR_SQL = `INSERT INTO trial_attrs (trial_id, is_system, key, value)
  SELECT h.trial_id, $2::int, $3::text, $4::text FROM h
  ON CONFLICT (trial_id, is_system, key) DO UPDATE SET value = excluded.value`;

/** Finishes trial $1 (in h): state $2, encoded values $3, completion time $4. */
const FINISH_SQL = `UPDATE trials SET state = $2, objective_values = $3, datetime_complete = $4, seq = txid_current()
  FROM h WHERE trials.trial_id = h.trial_id`;

/**
 * Finishes trial $1 if it is running (state $2, encoded values $3, completion time $4) and forgets
 * its heartbeat. Returns the trial as the statement's snapshot saw it, whether it was finished
 * here, and whether that snapshot was its last version when it was locked (`unchanged`: every
 * change of a trial stamps `seq` with its transaction's id, so equal stamps mean no change
 * committed in between; a change waiting for the lock finds the trial finished and fails).
 */
const FINISH_RUNNING_SQL = `WITH h AS (
    SELECT trial_id, seq FROM trials WHERE trial_id = $1 AND state = 'running' FOR NO KEY UPDATE
  ), w AS (${FINISH_SQL}),
  d AS (DELETE FROM trial_heartbeats USING h WHERE trial_heartbeats.trial_id = h.trial_id)
  SELECT ${TRIAL_COLUMNS}, t.study_id, EXISTS (SELECT 1 FROM h) AS finished,
    t.seq = (SELECT seq FROM h) AS unchanged
  FROM trials t WHERE t.trial_id = $1`;

/** A row of {@link FINISH_RUNNING_SQL}. */
interface FinishRow extends TrialRow {
  study_id: number;
  finished: boolean;
  unchanged: boolean | null;
}

/** Trials this process finished that {@link PostgresStorage.getTrial} answers without a query. */
const FINISHED_CACHE_SIZE = 256;

/**
 * Inserts trial $1 of study $2 with the study's next number (the study row stays locked until
 * the commit, so numbers are unique and without gaps), with its parameters, intermediate values
 * and attributes. Returns its number (null when nothing was inserted) and whether the study
 * exists. `unlessWaiting`: inserts nothing when the study has a waiting trial.
 */
function insertTrialSql(unlessWaiting: boolean): string {
  const waiting = unlessWaiting
    ? ` AND NOT EXISTS (SELECT 1 FROM trials WHERE study_id = $2 AND state = 'waiting')`
    : '';
  return `WITH s AS (
    UPDATE studies SET n_trials = n_trials + 1 WHERE study_id = $2${waiting} RETURNING n_trials
  ), t AS (
    INSERT INTO trials (trial_id, study_id, number, state, objective_values, datetime_start, datetime_complete, seq)
    SELECT $1, $2, s.n_trials - 1, $3, $4, $5, $6, txid_current() FROM s RETURNING trial_id, number
  ), p AS (
    INSERT INTO trial_params (trial_id, name, value, distribution)
    SELECT t.trial_id, x.name, x.value, x.distribution
    FROM t, unnest($7::text[], $8::float8[], $9::text[]) AS x(name, value, distribution)
  ), iv AS (
    INSERT INTO trial_intermediate_values (trial_id, step, value)
    SELECT t.trial_id, x.step, x.value FROM t, unnest($10::bigint[], $11::float8[]) AS x(step, value)
  ), a AS (
    INSERT INTO trial_attrs (trial_id, is_system, key, value)
    SELECT t.trial_id, x.is_system, x.key, x.value
    FROM t, unnest($12::int[], $13::text[], $14::text[]) AS x(is_system, key, value)
  )
  SELECT (SELECT number FROM t) AS number,
    ${unlessWaiting ? 'EXISTS (SELECT 1 FROM studies WHERE study_id = $2)' : 'EXISTS (SELECT 1 FROM s)'} AS study`;
}

/** {@link insertTrialSql}: unconditional, and unless a trial is waiting. */
const INSERT_TRIAL_SQL = insertTrialSql(false);
const INSERT_TRIAL_UNLESS_WAITING_SQL = insertTrialSql(true);

/**
 * The study's parameter registry as JSON when it no longer has $2 names (one count otherwise),
 * and the snapshot; uncorrelated, so computed once per statement.
 */
const REGISTRY_COLUMNS = `txid_current_snapshot()::text AS snapshot,
  (SELECT count(*)::int FROM study_params WHERE study_id = $1::bigint) AS n_params,
  CASE WHEN (SELECT count(*) FROM study_params WHERE study_id = $1::bigint) <> $2::int
    THEN (SELECT json_agg(json_build_array(name, distribution)) FROM study_params WHERE study_id = $1::bigint)
  END AS registry`;

/** All trials of study $1 (see {@link REGISTRY_COLUMNS} for $2). No row: no such study. */
const LOAD_ALL_SQL = `SELECT ${REGISTRY_COLUMNS}, ${TRIAL_COLUMNS}
  FROM studies s LEFT JOIN trials t ON t.study_id = s.study_id
  WHERE s.study_id = $1`;

/**
 * The trials of study $1 whose last writer snapshot $3 (the previous read's) did not see: written
 * since, or by a transaction still open then. Rows stamped before the snapshot's xmin were seen.
 */
const LOAD_CHANGED_SQL = `SELECT ${REGISTRY_COLUMNS}, ${TRIAL_COLUMNS}
  FROM studies s LEFT JOIN trials t ON t.study_id = s.study_id
    AND t.seq >= txid_snapshot_xmin($3::txid_snapshot) AND NOT txid_visible_in_snapshot(t.seq, $3::txid_snapshot)
  WHERE s.study_id = $1`;

/** The server's clock in milliseconds since the epoch (heartbeats use it: one clock for all workers). */
const SERVER_NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/** Records a heartbeat of trial $1 if it is running; says whether it is and whether it exists. */
const HEARTBEAT_SQL = `WITH h AS (
    SELECT trial_id FROM trials WHERE trial_id = $1 AND state = 'running'
  ), w AS (
    INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, ${SERVER_NOW_MS} FROM h
    ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat
  )
  SELECT EXISTS (SELECT 1 FROM h) AS running, EXISTS (SELECT 1 FROM trials WHERE trial_id = $1) AS found`;

/** Running trials of study $1 whose heartbeat is older than $2 ms (on the server's clock). */
const STALE_WHERE = `t.study_id = $1 AND t.state = 'running' AND hb.heartbeat < ${SERVER_NOW_MS} - $2::bigint`;

/**
 * Fails the stale trials of study $1 (grace $2 ms) that no other transaction holds, at
 * completion time $3, with fail reason key $4 = $5, and forgets their heartbeats. Returns their ids.
 * The row locks make racing workers fail each trial once (a locked row is skipped; a row changed
 * since the snapshot is re-checked against `state = 'running'`).
 */
const FAIL_STALE_SQL = `WITH stale AS (
    SELECT t.trial_id FROM trials t JOIN trial_heartbeats hb ON hb.trial_id = t.trial_id
    WHERE ${STALE_WHERE}
    ORDER BY t.number FOR NO KEY UPDATE OF t SKIP LOCKED
  ), f AS (
    UPDATE trials SET state = 'fail', objective_values = NULL, datetime_complete = $3, seq = txid_current()
    FROM stale WHERE trials.trial_id = stale.trial_id RETURNING trials.trial_id
  ), a AS (
    INSERT INTO trial_attrs (trial_id, is_system, key, value)
    SELECT trial_id, 1, $4::text, $5::text FROM stale
    ON CONFLICT (trial_id, is_system, key) DO UPDATE SET value = excluded.value
  ), d AS (
    DELETE FROM trial_heartbeats USING stale WHERE trial_heartbeats.trial_id = stale.trial_id
  )
  SELECT trial_id FROM f`;

function paramArrays(params: readonly ParamRecord[]): unknown[] {
  return [
    params.map((p) => p.name),
    params.map((p) => p.internal),
    params.map((p) => distributionToJson(p.distribution)),
  ];
}

/** Error codes of a connection that is gone or not there yet. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovery)
  '53300', // too_many_connections
]);

const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|connection timeout|socket hang up/i;

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `e` says the connection failed (worth retrying after a pause). */
export function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof TunekitError) return false;
  const code = errorCode(e);
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  if (CONNECTION_MESSAGES.test(e.message)) return true;
  const inner = (e as { errors?: unknown }).errors;
  return Array.isArray(inner) && inner.some((x) => isConnectionError(x));
}

/** Whether `e` is a serialization failure or a deadlock (retry the transaction at once). */
function isTransactionConflict(e: unknown): boolean {
  const code = errorCode(e);
  return code === '40001' || code === '40P01';
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = errorCode(e);
  const message = e.message || (e as { errors?: Error[] }).errors?.[0]?.message || e.name;
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Storage in a PostgreSQL database. Open it with {@link PostgresStorage.open} or a `postgresql://` URL. */
export class PostgresStorage implements HeartbeatStorage {
  /** The connection pool (for tools that query the database directly). */
  readonly pool: pg.Pool;
  /** The schema holding the tables. */
  readonly schema: string;
  private readonly where: string;
  private readonly retryDeadlineMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  /** Backoff jitter (seeded from the OS: retry timing needs no reproducibility). */
  private readonly jitter = new Rng();
  private readonly caches = new Map<number, StudyCache>();
  private readonly refreshes = new Map<number, RefreshSlot>();
  private readonly trialIds: number[] = [];
  private refillingIds: Promise<void> | null = null;
  private trialSequence = 'trials_trial_id_seq';
  private readonly registries = new Map<number, Map<string, Distribution>>();
  private readonly distributions = new Map<string, Distribution>();
  private readonly statementNames = new Map<string, string>();
  /** The study of each trial this process created or claimed and has not finished. */
  private readonly ownTrials = new Map<number, number>();
  /**
   * The last trials this process finished, as they were stored (finished trials never change),
   * with their study; getTrial answers from here. A study deleted here drops its entries.
   */
  private readonly finishedTrials = new Map<number, { studyId: number; trial: FrozenTrial }>();
  private outage: { since: number; failures: number } | null = null;
  private closed = false;

  private constructor(pool: pg.Pool, schema: string, where: string, options: PostgresStorageOptions) {
    this.pool = pool;
    this.schema = schema;
    this.where = where;
    this.retryDeadlineMs = options.retryDeadlineMs ?? 60_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  /**
   * Connects to the database of a `postgresql://` (or `postgres://`) URL, creating tunekit's
   * tables when missing and applying migrations.
   * @example
   * ```ts
   * const storage = await PostgresStorage.open('postgresql://tunekit@db.internal:5432/studies');
   * const study = await createStudy({ studyName: 'search', storage, loadIfExists: true });
   * ```
   */
  static async open(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidStorageUrlError(
        `'${url}' is not a valid PostgreSQL URL. Use postgresql://user:password@host:5432/database.`,
      );
    }
    if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
      throw new InvalidStorageUrlError(
        `'${url}' is not a PostgreSQL URL. Use postgresql://user:password@host:5432/database.`,
      );
    }
    const schema = options.schema ?? parsed.searchParams.get('schema') ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new InvalidArgumentError(
        `schema ${JSON.stringify(schema)} is not a plain PostgreSQL name: use lower-case letters, digits and '_'.`,
      );
    }
    const poolSize = options.poolSize ?? 4;
    if (!Number.isInteger(poolSize) || poolSize < 1) {
      throw new InvalidArgumentError(`poolSize must be a positive integer, got ${poolSize}.`);
    }
    const userOptions = parsed.searchParams.get('options');
    parsed.searchParams.delete('schema');
    parsed.searchParams.delete('options');

    let driver: typeof pg;
    try {
      driver = (await import('pg')).default;
    } catch (e) {
      throw new MissingDependencyError(
        'PostgreSQL storage needs the pg package. Install it with: npm install pg',
        { cause: e },
      );
    }
    const int8 = (text: string): number => Number(text);
    const queryTimeoutMs = options.queryTimeoutMs ?? 120_000;
    const pool = new driver.Pool({
      connectionString: parsed.toString(),
      max: poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: options.applicationName ?? 'tunekit',
      // search_path puts the tables in their schema; extra_float_digits makes every server print
      // doubles exactly (the default since PostgreSQL 12); a session of a vanished client that
      // sits in a transaction is ended by the server, releasing its locks (ours take milliseconds).
      options:
        `${userOptions ?? ''} -c search_path=${schema} -c extra_float_digits=3 -c idle_in_transaction_session_timeout=60000`.trim(),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20
            ? int8
            : driver.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
      },
    });
    // A connection that dies while idle (or between two statements) reports here; the query that
    // used it, if any, fails and is retried. Without a listener Node would crash the process.
    pool.on('error', (e) => log.debug(`PostgreSQL: an idle connection closed: ${describeError(e)}`));
    pool.on('connect', (client) => {
      client.on('error', (e) => log.debug(`PostgreSQL: a connection closed: ${describeError(e)}`));
    });
    const where = `${parsed.hostname || 'localhost'}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
    const storage = new PostgresStorage(pool, schema, where, options);
    try {
      await storage.migrate();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return storage;
  }

  // ---------------------------------------------------------------------------------------------
  // Connections, transactions and retries

  private query(client: pg.PoolClient): Query {
    return async <R>(sql: string, values: readonly unknown[] = []): Promise<R[]> => {
      let name = this.statementNames.get(sql);
      if (name === undefined && values.length > 0) {
        name = `tunekit_${this.statementNames.size}`;
        this.statementNames.set(sql, name);
      }
      // Statements with parameters are prepared once per connection; the others (DDL) are not.
      const result =
        values.length === 0
          ? await client.query(sql)
          : await client.query({ name, text: sql, values: values as unknown[] });
      return result.rows as R[];
    };
  }

  /**
   * Runs `fn` on one connection, retrying lost connections (see the module documentation).
   * `write`: in one transaction, whose id is read first so that a commit with a lost
   * acknowledgement can be looked up rather than repeated.
   */
  private async run<T>(
    what: string,
    write: boolean,
    fn: (q: Query, retried: boolean) => Promise<T>,
  ): Promise<T> {
    let firstFailure: number | null = null;
    let attempt = 0;
    let conflicts = 0;
    for (;;) {
      if (this.closed) throw new StorageError(`cannot ${what}: this PostgresStorage is closed.`);
      let client: pg.PoolClient | undefined;
      let xid: number | null = null;
      let committing = false;
      let result: T | undefined;
      try {
        client = await this.pool.connect();
        if (write) {
          const begun = (await client.query('BEGIN; SELECT txid_current() AS xid')) as unknown as Array<
            pg.QueryResult<{ xid: number }>
          >;
          xid = begun[1]?.rows[0]?.xid ?? null;
        }
        result = await fn(this.query(client), firstFailure !== null);
        if (write) {
          committing = true;
          await client.query('COMMIT');
        }
        client.release();
        this.recovered();
        return result;
      } catch (e) {
        if (client !== undefined) await this.releaseAfter(client, e, write && !committing);
        if (e instanceof TunekitError) throw e;
        if (isConnectionError(e)) {
          firstFailure ??= Date.now();
          this.noteOutage(what, e);
          if (committing && xid !== null) {
            // The COMMIT went out but its answer did not come back: it may have been applied.
            if ((await this.transactionStatus(what, xid, firstFailure, () => attempt++)) === 'committed') {
              this.recovered();
              return result as T;
            }
          }
          await this.backoff(what, e, firstFailure, attempt++);
          continue;
        }
        if (isTransactionConflict(e) && conflicts < 100) {
          conflicts++;
          log.debug(
            `PostgreSQL: ${what} conflicted with another transaction (${describeError(e)}); retrying.`,
          );
          await sleep(this.jitter.random() * Math.min(100, 2 ** conflicts));
          continue;
        }
        throw new StorageError(`PostgreSQL at ${this.where}: ${what} failed: ${describeError(e)}`, {
          cause: e,
        });
      }
    }
  }

  private async releaseAfter(client: pg.PoolClient, e: unknown, rollback: boolean): Promise<void> {
    if (isConnectionError(e)) {
      client.release(e as Error);
      return;
    }
    if (rollback) {
      try {
        await client.query('ROLLBACK');
      } catch (r) {
        client.release(r as Error);
        return;
      }
    }
    client.release();
  }

  /** Whether the transaction `xid` committed, asked on a new connection (retrying). */
  private async transactionStatus(
    what: string,
    xid: number,
    firstFailure: number,
    nextAttempt: () => number,
  ): Promise<string | null> {
    for (;;) {
      let client: pg.PoolClient | undefined;
      try {
        client = await this.pool.connect();
        const rows = (await client.query('SELECT txid_status($1) AS status', [xid])).rows as Array<{
          status: string | null;
        }>;
        client.release();
        const status = rows[0]?.status ?? null;
        // The dying backend may not have finished aborting yet.
        if (status !== 'in progress') return status;
        await sleep(50);
      } catch (e) {
        client?.release(e as Error);
        if (!isConnectionError(e)) {
          throw new StorageError(`PostgreSQL at ${this.where}: ${what} failed: ${describeError(e)}`, {
            cause: e,
          });
        }
        await this.backoff(what, e, firstFailure, nextAttempt());
      }
    }
  }

  private noteOutage(what: string, e: unknown): void {
    if (this.outage === null) {
      this.outage = { since: Date.now(), failures: 0 };
      log.warn(
        `lost the connection to PostgreSQL at ${this.where} during ${what} (${describeError(e)}); ` +
          `retrying with exponential backoff for up to ${(this.retryDeadlineMs / 1000).toFixed(0)} s.`,
      );
    }
    this.outage.failures++;
  }

  private recovered(): void {
    if (this.outage === null) return;
    const seconds = ((Date.now() - this.outage.since) / 1000).toFixed(1);
    log.info(
      `PostgreSQL at ${this.where} is reachable again after ${seconds} s (${this.outage.failures} failed attempts).`,
    );
    this.outage = null;
  }

  /** Sleeps before the next attempt, or throws a `StorageError` once the deadline has passed. */
  private async backoff(what: string, e: unknown, firstFailure: number, attempt: number): Promise<void> {
    const left = firstFailure + this.retryDeadlineMs - Date.now();
    if (left <= 0 || this.closed) {
      throw new StorageError(
        `PostgreSQL at ${this.where} stayed unreachable for ${((Date.now() - firstFailure) / 1000).toFixed(1)} s ` +
          `during ${what} (last error: ${describeError(e)}); giving up. Check that the server is up and reachable, ` +
          `or raise retryDeadlineMs.`,
        { cause: e },
      );
    }
    const cap = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(attempt, 30));
    await sleep(Math.min(left, Math.max(5, this.jitter.random() * cap)));
  }

  /** Reads, or one idempotent statement: autocommit, repeated after a lost connection. */
  private read<T>(what: string, fn: (q: Query, retried: boolean) => Promise<T>): Promise<T> {
    return this.run(what, false, fn);
  }

  /** Writes in one transaction (see {@link run}). */
  private write<T>(what: string, fn: (q: Query, retried: boolean) => Promise<T>): Promise<T> {
    return this.run(what, true, fn);
  }

  /** Creates or upgrades the schema, in one transaction under an advisory lock. */
  private async migrate(): Promise<void> {
    const version = await this.read('open', async (q) => {
      const rows = await q<{ ok: string | null }>(`SELECT to_regclass($1)::text AS ok`, [
        `${this.schema}.tunekit_meta`,
      ]);
      if (rows[0]?.ok == null) return null;
      const v = await q<{ value: string }>(`SELECT value FROM tunekit_meta WHERE key = 'schema_version'`);
      return Number(v[0]?.value ?? 0);
    });
    if (version === SCHEMA_VERSION) {
      await this.findTrialSequence();
      return;
    }
    if (version !== null && version > SCHEMA_VERSION) throw newerSchema(version);
    await this.write('create the schema', async (q) => {
      await q(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LOCK_NAMESPACE, this.schema]);
      const ns = await q(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [this.schema]);
      if (ns.length === 0) await q(`CREATE SCHEMA ${this.schema}`);
      const exists = await q<{ ok: string | null }>(`SELECT to_regclass($1)::text AS ok`, [
        `${this.schema}.tunekit_meta`,
      ]);
      if (exists[0]?.ok == null) {
        for (const sql of createSchemaStatements('postgres')) await q(sql);
        await q(`INSERT INTO tunekit_meta (key, value) VALUES ('schema_version', $1)`, [
          String(SCHEMA_VERSION),
        ]);
        return;
      }
      const row = await q<{ value: string }>(`SELECT value FROM tunekit_meta WHERE key = 'schema_version'`);
      let current = Number(row[0]?.value ?? 0);
      if (current > SCHEMA_VERSION) throw newerSchema(current);
      for (const m of MIGRATIONS) {
        if (m.from !== current) continue;
        for (const sql of m.statements) await q(sql);
        current = m.from + 1;
      }
      await q(`UPDATE tunekit_meta SET value = $1 WHERE key = 'schema_version'`, [String(current)]);
    });
    await this.findTrialSequence();
  }

  private async findTrialSequence(): Promise<void> {
    const rows = await this.read('open', (q) =>
      q<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'trial_id') AS seq`, [
        `${this.schema}.trials`,
      ]),
    );
    if (rows[0]?.seq == null)
      throw new StorageError(`the trials table of schema ${this.schema} has no id sequence.`);
    this.trialSequence = rows[0].seq;
  }

  // ---------------------------------------------------------------------------------------------
  // Studies

  async createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number> {
    checkStudyName(studyName);
    checkDirections(directions);
    return this.write('createStudy', async (q) => {
      const rows = await q<{ study_id: number }>(
        `INSERT INTO studies (study_name, directions, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (study_name) DO NOTHING RETURNING study_id`,
        [studyName, JSON.stringify(directions), Date.now()],
      );
      if (rows[0] === undefined) {
        throw new DuplicatedStudyError(
          `a study named '${studyName}' already exists. Pass loadIfExists: true to continue it, or choose another name.`,
        );
      }
      return rows[0].study_id;
    });
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.write('deleteStudy', async (q) => {
      const rows = await q(`DELETE FROM studies WHERE study_id = $1 RETURNING study_id`, [studyId]);
      if (rows.length === 0) throw studyNotFound(`#${studyId}`);
    });
    this.caches.delete(studyId);
    this.refreshes.delete(studyId);
    this.registries.delete(studyId);
    for (const [id, f] of this.finishedTrials) {
      if (f.studyId === studyId) this.finishedTrials.delete(id);
    }
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    const rows = await this.read('getStudyIdFromName', (q) =>
      q<{ study_id: number }>(`SELECT study_id FROM studies WHERE study_name = $1`, [studyName]),
    );
    if (rows[0] === undefined) throw studyNotFound(`'${studyName}'`);
    return rows[0].study_id;
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    return (await this.studyRow(studyId)).study_name;
  }

  async getStudyDirections(studyId: number): Promise<StudyDirection[]> {
    return JSON.parse((await this.studyRow(studyId)).directions) as StudyDirection[];
  }

  private async studyRow(studyId: number): Promise<{ study_name: string; directions: string }> {
    const rows = await this.read('read a study', (q) =>
      q<{ study_name: string; directions: string }>(
        `SELECT study_name, directions FROM studies WHERE study_id = $1`,
        [studyId],
      ),
    );
    if (rows[0] === undefined) throw studyNotFound(`#${studyId}`);
    return rows[0];
  }

  async getAllStudies(): Promise<StudySummary[]> {
    const [studies, attrs] = await this.read('getAllStudies', async (q) => [
      await q<{ study_id: number; study_name: string; directions: string }>(
        `SELECT study_id, study_name, directions FROM studies ORDER BY study_id`,
      ),
      await q<{ study_id: number; is_system: number; key: string; value: string }>(
        `SELECT study_id, is_system, key, value FROM study_attrs`,
      ),
    ]);
    const out: StudySummary[] = [];
    for (const r of studies) {
      let trials: readonly FrozenTrial[];
      try {
        trials = await this.getAllTrials(r.study_id);
      } catch (e) {
        if (e instanceof StudyNotFoundError) continue; // deleted meanwhile
        throw e;
      }
      const userAttrs: Record<string, JsonValue> = {};
      const systemAttrs: Record<string, JsonValue> = {};
      for (const a of attrs) {
        if (a.study_id === r.study_id)
          setAttr(a.is_system ? systemAttrs : userAttrs, a.key, decodeJson(a.value));
      }
      const directions = JSON.parse(r.directions) as StudyDirection[];
      out.push({
        studyId: r.study_id,
        studyName: r.study_name,
        directions,
        nTrials: trials.length,
        userAttrs,
        systemAttrs,
        datetimeStart: trials[0]?.datetimeStart ?? null,
        bestTrial: bestOf(trials, directions),
      });
    }
    return out;
  }

  private async studyAttrs(studyId: number, system: boolean): Promise<Record<string, JsonValue>> {
    const rows = await this.read('read study attributes', (q) =>
      q<{ key: string | null; value: string | null }>(
        `SELECT a.key, a.value FROM studies s
         LEFT JOIN study_attrs a ON a.study_id = s.study_id AND a.is_system = $2
         WHERE s.study_id = $1`,
        [studyId, system ? 1 : 0],
      ),
    );
    if (rows.length === 0) throw studyNotFound(`#${studyId}`);
    const out: Record<string, JsonValue> = {};
    for (const r of rows) if (r.key !== null) setAttr(out, r.key, decodeJson(r.value!));
    return out;
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.studyAttrs(studyId, false);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.studyAttrs(studyId, true);
  }

  private async setStudyAttr(studyId: number, system: boolean, key: string, value: JsonValue): Promise<void> {
    const text = encodeJson(copyJson(value, `study attribute '${key}'`));
    // One idempotent statement: no transaction needed, and repeating it after a lost answer is harmless.
    await this.read('setStudyAttr', async (q) => {
      try {
        await q(
          `INSERT INTO study_attrs (study_id, is_system, key, value) VALUES ($1, $2, $3, $4)
           ON CONFLICT (study_id, is_system, key) DO UPDATE SET value = excluded.value`,
          [studyId, system ? 1 : 0, key, text],
        );
      } catch (e) {
        if (errorCode(e) === '23503') throw studyNotFound(`#${studyId}`);
        throw e;
      }
    });
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.setStudyAttr(studyId, false, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.setStudyAttr(studyId, true, key, value);
  }

  async compareAndSetStudySystemAttr(
    studyId: number,
    key: string,
    expected: JsonValue | undefined,
    value: JsonValue,
  ): Promise<boolean> {
    const text = encodeJson(copyJson(value, `study system attribute '${key}'`));
    return this.write('compareAndSetStudySystemAttr', async (q) => {
      const rows = await q<{ value: string }>(
        `SELECT value FROM study_attrs WHERE study_id = $1 AND is_system = 1 AND key = $2 FOR UPDATE`,
        [studyId, key],
      );
      const row = rows[0];
      if (row === undefined) {
        if (expected !== undefined) {
          const exists = await q(`SELECT 1 FROM studies WHERE study_id = $1`, [studyId]);
          if (exists.length === 0) throw studyNotFound(`#${studyId}`);
          return false;
        }
        try {
          // Of racers inserting the absent key, one inserts; the others wait for it and do nothing.
          const inserted = await q(
            `INSERT INTO study_attrs (study_id, is_system, key, value) VALUES ($1, 1, $2, $3)
             ON CONFLICT (study_id, is_system, key) DO NOTHING RETURNING 1`,
            [studyId, key, text],
          );
          return inserted.length === 1;
        } catch (e) {
          if (errorCode(e) === '23503') throw studyNotFound(`#${studyId}`);
          throw e;
        }
      }
      if (!jsonEqual(decodeJson(row.value), expected)) return false;
      await q(`UPDATE study_attrs SET value = $3 WHERE study_id = $1 AND is_system = 1 AND key = $2`, [
        studyId,
        key,
        text,
      ]);
      return true;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Trials

  /** Locks a trial for a change and returns its head; throws `TrialNotFoundError`. */
  private async lockTrial(
    q: Query,
    trialId: number,
  ): Promise<{ study_id: number; number: number; state: TrialState }> {
    const rows = await q<{ study_id: number; number: number; state: TrialState }>(
      `SELECT study_id, number, state FROM trials WHERE trial_id = $1 FOR NO KEY UPDATE`,
      [trialId],
    );
    if (rows[0] === undefined) throw trialNotFound(trialId);
    return rows[0];
  }

  /** The study's registered distributions of `names` (from the cache, else read now). */
  private async registry(
    q: Query,
    studyId: number,
    names: readonly string[],
  ): Promise<Record<string, Distribution>> {
    let cached = this.registries.get(studyId);
    if (cached === undefined) {
      cached = new Map();
      this.registries.set(studyId, cached);
    }
    const missing = names.filter((n) => !cached.has(n));
    if (missing.length > 0) {
      const rows = await q<{ name: string; distribution: string }>(
        `SELECT name, distribution FROM study_params WHERE study_id = $1 AND name = ANY($2::text[])`,
        [studyId, missing],
      );
      // Registered rows are committed and never change: safe to keep.
      for (const r of rows) cached.set(r.name, this.distribution(r.distribution));
    }
    const out: Record<string, Distribution> = {};
    for (const n of names) {
      const d = cached.get(n);
      if (d !== undefined) out[n] = d;
    }
    return out;
  }

  /**
   * Checks `params` against the study's registry and registers new names, inside the caller's
   * transaction. A name another worker registers at the same moment is read back and checked.
   * Returns the names registered here, to cache once the transaction commits.
   */
  private async registerParams(
    q: Query,
    studyId: number,
    params: readonly ParamRecord[],
  ): Promise<ParamRecord[]> {
    if (params.length === 0) return [];
    const names = [...new Set(params.map((p) => p.name))];
    const fresh = checkParams(await this.registry(q, studyId, names), params).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    if (fresh.length === 0) return [];
    let inserted: Array<{ name: string }>;
    try {
      inserted = await q<{ name: string }>(
        `INSERT INTO study_params (study_id, name, distribution)
         SELECT $1, x.name, x.distribution FROM unnest($2::text[], $3::text[]) AS x(name, distribution)
         ON CONFLICT (study_id, name) DO NOTHING RETURNING name`,
        [studyId, fresh.map((p) => p.name), fresh.map((p) => distributionToJson(p.distribution))],
      );
    } catch (e) {
      if (errorCode(e) === '23503') throw studyNotFound(`#${studyId}`);
      throw e;
    }
    if (inserted.length < fresh.length) {
      // Lost a race for some names: check against what the winner registered.
      const mine = new Set(inserted.map((r) => r.name));
      await this.registry(
        q,
        studyId,
        fresh.filter((p) => !mine.has(p.name)).map((p) => p.name),
      );
      checkParams(await this.registry(q, studyId, names), params);
      return fresh.filter((p) => mine.has(p.name));
    }
    return fresh;
  }

  private cacheRegistered(studyId: number, registered: readonly ParamRecord[]): void {
    let cached = this.registries.get(studyId);
    if (cached === undefined) {
      cached = new Map();
      this.registries.set(studyId, cached);
    }
    for (const p of registered) {
      if (!cached.has(p.name)) cached.set(p.name, this.distribution(distributionToJson(p.distribution)));
    }
  }

  /** A trial id of this process's block of ids from the trials sequence. */
  private async nextTrialId(): Promise<number> {
    for (;;) {
      const id = this.trialIds.pop();
      if (id !== undefined) return id;
      this.refillingIds ??= this.read('createTrial', (q) =>
        q<{ id: number }>(`SELECT nextval($1::regclass) AS id FROM generate_series(1, $2)`, [
          this.trialSequence,
          TRIAL_ID_BLOCK,
        ]),
      )
        .then((rows) => {
          this.trialIds.push(...rows.map((r) => r.id).reverse());
        })
        .finally(() => {
          this.refillingIds = null;
        });
      await this.refillingIds;
    }
  }

  async createTrial(studyId: number, template?: NewTrial): Promise<FrozenTrial> {
    return (await this.insertTrial(studyId, template, false))!;
  }

  /**
   * {@link createTrial} in the same statement as the check that no trial of the study is
   * waiting: `ask` costs one round trip instead of two when the queue is empty (the usual case).
   */
  async createTrialUnlessWaiting(studyId: number, template: NewTrial): Promise<FrozenTrial | null> {
    return this.insertTrial(studyId, template, true);
  }

  /** Creates a trial; with `unlessWaiting`, returns null instead when a trial is waiting. */
  private async insertTrial(
    studyId: number,
    template: NewTrial | undefined,
    unlessWaiting: boolean,
  ): Promise<FrozenTrial | null> {
    checkTemplate(template);
    const params = lastByName(templateParams(template));
    const state = template?.state ?? 'running';
    const userAttrs = template?.userAttrs ? copyJson({ ...template.userAttrs }, 'user attributes') : {};
    const systemAttrs = template?.systemAttrs
      ? copyJson({ ...template.systemAttrs }, 'system attributes')
      : {};
    const now = Date.now();
    const start = template?.datetimeStart?.getTime() ?? (state === 'waiting' ? null : now);
    const complete = template?.datetimeComplete?.getTime() ?? (isFinished(state) ? now : null);
    const values = encodeValues(template?.values ?? null);
    const ivs = [...(template?.intermediateValues ?? [])].sort((x, y) => x[0] - y[0]);
    const attrs: Array<[number, string, string]> = [
      ...Object.entries(userAttrs).map(([k, v]): [number, string, string] => [0, k, encodeJson(v)]),
      ...Object.entries(systemAttrs).map(([k, v]): [number, string, string] => [1, k, encodeJson(v)]),
    ];
    // The id is chosen here, so that a repeated insert (after a lost answer) is recognised by its
    // primary key instead of creating a second trial.
    const trialId = await this.nextTrialId();
    const insertValues = [
      trialId,
      studyId,
      state,
      values,
      start,
      complete,
      ...paramArrays(params),
      ivs.map(([step]) => step),
      ivs.map(([, v]) => v),
      attrs.map((a) => a[0]),
      attrs.map((a) => a[1]),
      attrs.map((a) => a[2]),
    ];
    const insert = async (q: Query, retried: boolean): Promise<number | 'inserted before' | 'waiting'> => {
      try {
        // After a lost answer the trial may have been inserted: insert unconditionally then, so
        // that the primary key recognises it (a waiting trial is claimed by a later ask).
        const sql = unlessWaiting && !retried ? INSERT_TRIAL_UNLESS_WAITING_SQL : INSERT_TRIAL_SQL;
        const rows = await q<{ number: number | null; study: boolean }>(sql, insertValues);
        if (!rows[0]?.study) throw studyNotFound(`#${studyId}`);
        return rows[0].number ?? 'waiting';
      } catch (e) {
        if (
          retried &&
          errorCode(e) === '23505' &&
          (e as { constraint?: string }).constraint === 'trials_pkey'
        ) {
          return 'inserted before';
        }
        throw e;
      }
    };
    let number: number | 'inserted before' | 'waiting';
    const registry = this.registries.get(studyId);
    if (params.every((p) => registry?.has(p.name)) && compatible(registry, params)) {
      // Every name is registered already (and registrations never change): one statement.
      number = await this.read('createTrial', insert);
    } else {
      const done = await this.write('createTrial', async (q, retried) => {
        if (unlessWaiting && !retried) {
          // Checked before registering, so that nothing is written when a trial is waiting.
          const [w] = await q<{ waiting: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM trials WHERE study_id = $1 AND state = 'waiting') AS waiting`,
            [studyId],
          );
          if (w?.waiting) return { number: 'waiting' as const, registered: [] };
        }
        const registered = await this.registerParams(q, studyId, params);
        return { number: await insert(q, retried), registered };
      });
      if (typeof done.number === 'number') this.cacheRegistered(studyId, done.registered);
      number = done.number;
    }
    if (number === 'waiting') {
      this.trialIds.push(trialId); // not used: the next trial takes it
      return null;
    }
    if (number === 'inserted before') {
      const rows = await this.read('createTrial', (q) =>
        q<{ number: number }>(`SELECT number FROM trials WHERE trial_id = $1`, [trialId]),
      );
      if (rows[0] === undefined) throw trialNotFound(trialId);
      number = rows[0].number;
    }
    if (state === 'running') this.ownTrials.set(trialId, studyId);
    return this.buildTrial({
      trial_id: trialId,
      number,
      state,
      objective_values: values,
      datetime_start: start,
      datetime_complete: complete,
      params: params.map((p) => [p.name, p.internal, distributionToJson(p.distribution)]),
      ivs,
      attrs,
    });
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    // Most asks find the queue empty: find that out without a transaction.
    const [probe] = await this.read('claimWaitingTrial', (q) =>
      q<{ study: boolean; waiting: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM studies WHERE study_id = $1) AS study,
                EXISTS (SELECT 1 FROM trials WHERE study_id = $1 AND state = 'waiting') AS waiting`,
        [studyId],
      ),
    );
    if (!probe?.study) throw studyNotFound(`#${studyId}`);
    if (!probe.waiting) return null;
    // A transaction, so that a commit whose answer is lost is looked up (txid_status), not lost.
    const rows = await this.write('claimWaitingTrial', (q) =>
      q<TrialRow>(
        `UPDATE trials t SET state = 'running', datetime_start = $2, seq = txid_current()
         WHERE t.trial_id = (
           SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'waiting'
           ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED
         )
         RETURNING ${TRIAL_COLUMNS}`,
        [studyId, Date.now()],
      ),
    );
    if (rows[0] === undefined) return null;
    this.ownTrials.set(rows[0].trial_id, studyId);
    return this.buildTrial(rows[0]);
  }

  /*
   * A change of a running trial is one statement in the common case: it locks the trial if it is
   * running, stamps it and writes. When that finds no running trial, or a check needs the
   * database, a transaction locks the trial, checks it as SQLite does (same errors) and writes.
   * Repeating a change after a lost answer is harmless (upserts; an applied finish is recognised).
   */

  /** Runs `sql` after {@link STAMP_RUNNING} in one statement; false when the trial is not running. */
  private async changeRunningTrial(
    what: string,
    trialId: number,
    sql: string,
    values: readonly unknown[],
  ): Promise<boolean> {
    const rows = await this.read(what, (q) =>
      q<{ n: number }>(`${STAMP_RUNNING}, w AS (${sql}) SELECT count(*)::int AS n FROM h`, [
        trialId,
        ...values,
      ]),
    );
    return rows[0]?.n === 1;
  }

  async setTrialParams(trialId: number, params: readonly ParamRecord[]): Promise<void> {
    const last = lastByName(params);
    const studyId = this.ownTrials.get(trialId);
    const registry = studyId === undefined ? undefined : this.registries.get(studyId);
    if (
      registry !== undefined &&
      params.every((p) => registry.has(p.name)) &&
      compatible(registry, params) &&
      (await this.changeRunningTrial('setTrialParams', trialId, PARAMS_SQL, paramArrays(last)))
    ) {
      return;
    }
    const done = await this.write('setTrialParams', async (q) => {
      const head = await this.lockTrial(q, trialId);
      checkUpdatable(head.number, head.state, 'set parameters of');
      const registered = await this.registerParams(q, head.study_id, params);
      await q(`${STAMP_RUNNING} ${PARAMS_SQL}`, [trialId, ...paramArrays(last)]);
      return { studyId: head.study_id, registered };
    });
    this.cacheRegistered(done.studyId, done.registered);
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    if (await this.changeRunningTrial('setTrialIntermediateValue', trialId, IV_SQL, [step, value])) return;
    await this.write('setTrialIntermediateValue', async (q) => {
      const head = await this.lockTrial(q, trialId);
      checkUpdatable(head.number, head.state, 'report to');
      await q(`${STAMP_RUNNING} ${IV_SQL}`, [trialId, step, value]);
    });
  }

  async finishTrial(
    trialId: number,
    state: 'complete' | 'pruned' | 'fail',
    values?: readonly number[] | null,
  ): Promise<void> {
    let encoded: string | null | undefined;
    try {
      encoded = encodeValues(checkFinishValues(-1, state, values));
    } catch {
      encoded = undefined; // invalid: the transaction below throws, naming the trial's number
    }
    if (encoded !== undefined) {
      const text = encoded;
      const now = Date.now();
      const done = await this.read(`finishTrial (${state})`, async (q, retried) => {
        const rows = await q<FinishRow>(FINISH_RUNNING_SQL, [trialId, state, text, now]);
        const row = rows[0];
        if (row === undefined) return false;
        if (row.finished) {
          // The trial as it was when locked, finished: kept for getTrial (finished trials never change).
          if (row.unchanged)
            this.rememberFinished({ ...row, state, objective_values: text, datetime_complete: now });
          return true;
        }
        // After a lost answer the finish may have been applied already: then it is done.
        return retried && row.state === state && row.objective_values === text;
      });
      if (done) {
        this.ownTrials.delete(trialId);
        return;
      }
    }
    await this.write(`finishTrial (${state})`, async (q) => {
      const head = await this.lockTrial(q, trialId);
      checkUpdatable(head.number, head.state, `mark as ${state}`);
      const stored = checkFinishValues(head.number, state, values);
      await q(`${LOCK_RUNNING} ${FINISH_SQL}`, [trialId, state, encodeValues(stored), Date.now()]);
    });
    this.ownTrials.delete(trialId);
  }

  /** Keeps a trial this process just finished for {@link getTrial} (the oldest make room). */
  private rememberFinished(row: FinishRow): void {
    if (this.finishedTrials.size >= FINISHED_CACHE_SIZE) {
      const oldest = this.finishedTrials.keys().next();
      if (!oldest.done) this.finishedTrials.delete(oldest.value);
    }
    this.finishedTrials.set(row.trial_id, {
      studyId: row.study_id,
      trial: this.buildTrial(row),
    });
  }

  async recordHeartbeat(trialId: number): Promise<boolean> {
    // One idempotent statement: repeating it after a lost answer is harmless.
    const rows = await this.read('recordHeartbeat', (q) =>
      q<{ running: boolean; found: boolean }>(HEARTBEAT_SQL, [trialId]),
    );
    if (!rows[0]?.found) throw trialNotFound(trialId);
    return rows[0].running;
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    const graceMs = Math.round(graceSeconds * 1000);
    // Usually nothing is stale: find that out without a transaction.
    const [probe] = await this.read('failStaleTrials', (q) =>
      q<{ study: boolean; stale: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM studies WHERE study_id = $1) AS study,
                EXISTS (SELECT 1 FROM trials t JOIN trial_heartbeats hb ON hb.trial_id = t.trial_id
                        WHERE ${STALE_WHERE}) AS stale`,
        [studyId, graceMs],
      ),
    );
    if (!probe?.study) throw studyNotFound(`#${studyId}`);
    if (!probe.stale) return [];
    // A transaction, so that the failed trials are returned even when the commit's answer is lost.
    const rows = await this.write('failStaleTrials', async (q) => {
      const failed = await q<{ trial_id: number }>(FAIL_STALE_SQL, [
        studyId,
        graceMs,
        Date.now(),
        FAIL_REASON_ATTR,
        encodeJson(staleTrialReason(graceSeconds)),
      ]);
      if (failed.length === 0) return [];
      return q<TrialRow>(
        `SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.trial_id = ANY($1::bigint[]) ORDER BY t.number`,
        [failed.map((r) => r.trial_id)],
      );
    });
    for (const r of rows) this.ownTrials.delete(r.trial_id);
    return rows.map((r) => this.buildTrial(r));
  }

  private async setTrialAttr(trialId: number, system: boolean, key: string, value: JsonValue): Promise<void> {
    const text = encodeJson(copyJson(value, `attribute '${key}'`));
    const values = [system ? 1 : 0, key, text];
    if (await this.changeRunningTrial('setTrialAttr', trialId, ATTR_SQL, values)) return;
    await this.write('setTrialAttr', async (q) => {
      const head = await this.lockTrial(q, trialId);
      checkUpdatable(head.number, head.state, `set a ${system ? 'system' : 'user'} attribute of`);
      await q(`${STAMP_RUNNING} ${ATTR_SQL}`, [trialId, ...values]);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.setTrialAttr(trialId, false, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.setTrialAttr(trialId, true, key, value);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const finished = this.finishedTrials.get(trialId);
    if (finished !== undefined) return finished.trial;
    const rows = await this.read('getTrial', (q) =>
      q<TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.trial_id = $1`, [trialId]),
    );
    if (rows[0] === undefined) throw trialNotFound(trialId);
    return this.buildTrial(rows[0]);
  }

  async getAllTrials(studyId: number, filter?: TrialFilter): Promise<readonly FrozenTrial[]> {
    const trials = await this.refresh(studyId);
    const states = filter?.states;
    return states === undefined ? trials.slice() : trials.filter((t) => states.includes(t.state));
  }

  async getParamDistributions(studyId: number): Promise<Record<string, Distribution>> {
    // The registry comes with the trials (one statement, shared with a concurrent getAllTrials).
    await this.refresh(studyId);
    const out: Record<string, Distribution> = {};
    for (const [name, d] of this.caches.get(studyId)?.params ?? []) out[name] = d;
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  // ---------------------------------------------------------------------------------------------
  // Incremental reads

  /**
   * Brings the study's cache up to date and returns it. Refreshes of one study run one at a time,
   * each from the snapshot the previous one ended at. A caller joins the running refresh while
   * its statement has not been sent yet (its snapshot will be taken after the call), else the
   * next one, queued to start after the running one: either way it sees every write that
   * finished before its call.
   */
  private refresh(studyId: number): Promise<FrozenTrial[]> {
    let slot = this.refreshes.get(studyId);
    if (slot === undefined) {
      slot = { running: null, sent: false, next: null };
      this.refreshes.set(studyId, slot);
    }
    const s = slot;
    if (s.running !== null && !s.sent) return s.running;
    if (s.next !== null) return s.next;
    const start = (): Promise<FrozenTrial[]> => {
      s.sent = false;
      const p = this.loadChanges(studyId, s).finally(() => {
        if (s.running === p) s.running = null;
      });
      s.running = p;
      return p;
    };
    if (s.running === null) return start();
    const next = s.running
      .catch(() => undefined)
      .then(() => {
        s.next = null;
        return start();
      });
    s.next = next;
    return next;
  }

  /**
   * One statement reads, in one snapshot, the trials whose last writer the previous read's
   * snapshot did not see (all of them the first time), the registry when it grew, and the
   * snapshot itself.
   */
  private async loadChanges(studyId: number, slot: RefreshSlot): Promise<FrozenTrial[]> {
    const known = this.caches.get(studyId);
    const since = known?.snapshot ?? null;
    const nParams = known?.params.size ?? -1;
    const rows = await this.read('getAllTrials', (q) => {
      slot.sent = true;
      return q<
        {
          snapshot: string;
          n_params: number;
          registry: Array<[string, string]> | null;
        } & (TrialRow | { [K in keyof TrialRow]: null })
      >(
        since === null ? LOAD_ALL_SQL : LOAD_CHANGED_SQL,
        since === null ? [studyId, nParams] : [studyId, nParams, since],
      );
    });
    const head = rows[0];

    if (head === undefined) {
      this.caches.delete(studyId);
      this.refreshes.delete(studyId);
      throw studyNotFound(`#${studyId}`);
    }
    let cache = this.caches.get(studyId);
    if (cache === undefined) {
      cache = { snapshot: null, byNumber: [], params: new Map() };
      this.caches.set(studyId, cache);
    }
    for (const r of rows) {
      if (r.trial_id === null) continue;
      const t = this.buildTrial(r as TrialRow);
      cache.byNumber[t.number] = t;
    }
    if (head.registry !== null) {
      const params = new Map<string, Distribution>();
      for (const [name, text] of head.registry) params.set(name, this.distribution(text));
      cache.params = params;
      // Registrations never change: the write paths may check against them without a query.
      let registry = this.registries.get(studyId);
      if (registry === undefined) {
        registry = new Map();
        this.registries.set(studyId, registry);
      }
      for (const [name, d] of params) if (!registry.has(name)) registry.set(name, d);
    } else if (head.n_params === 0) {
      cache.params = new Map();
    }
    cache.snapshot = head.snapshot;
    return cache.byNumber;
  }

  private distribution(text: string): Distribution {
    let d = this.distributions.get(text);
    if (d === undefined) {
      if (this.distributions.size > 10_000) this.distributions.clear();
      d = distributionFromJson(text);
      this.distributions.set(text, d);
    }
    return d;
  }

  private buildTrial(row: TrialRow): FrozenTrial {
    const params: Record<string, unknown> = {};
    const internal: Record<string, number> = {};
    const dists: Record<string, Distribution> = {};
    for (const [name, raw, text] of row.params ?? []) {
      const d = this.distribution(text);
      const value = Number(raw);
      internal[name] = value;
      dists[name] = d;
      params[name] = toExternal(d, value);
    }
    const iv = new Map<number, number>();
    for (const [step, value] of row.ivs ?? []) iv.set(Number(step), Number(value));
    const user: Record<string, JsonValue> = {};
    const system: Record<string, JsonValue> = {};
    for (const [isSystem, key, text] of row.attrs ?? [])
      setAttr(isSystem ? system : user, key, decodeJson(text));
    const values = decodeValues(row.objective_values);
    return Object.freeze({
      trialId: row.trial_id,
      number: row.number,
      state: row.state,
      params: Object.freeze(params) as FrozenTrial['params'],
      internalParams: Object.freeze(internal),
      distributions: Object.freeze(dists),
      values: values === null ? null : Object.freeze(values),
      intermediateValues: iv,
      userAttrs: Object.freeze(user),
      systemAttrs: Object.freeze(system),
      datetimeStart: row.datetime_start === null ? null : new Date(row.datetime_start),
      datetimeComplete: row.datetime_complete === null ? null : new Date(row.datetime_complete),
    });
  }
}

/** The last record of each name, in first-seen order (one row per name and trial). */
function lastByName(params: readonly ParamRecord[]): ParamRecord[] {
  const byName = new Map<string, ParamRecord>();
  for (const p of params) byName.set(p.name, p);
  return [...byName.values()];
}

/** Whether `params` agree with the registered distributions (all names registered). */
function compatible(
  registry: ReadonlyMap<string, Distribution> | undefined,
  params: readonly ParamRecord[],
): boolean {
  if (registry === undefined) return params.length === 0;
  try {
    checkParams(Object.fromEntries(registry), params);
    return true;
  } catch {
    return false;
  }
}

function newerSchema(version: number): TunekitError {
  return new TunekitError(
    'SCHEMA_VERSION',
    `this database has schema version ${version}, newer than this tunekit understands (${SCHEMA_VERSION}). Upgrade tunekit.`,
  );
}

function trialNotFound(trialId: number): TrialNotFoundError {
  return new TrialNotFoundError(`no trial with id ${trialId} exists in this storage.`);
}

function studyNotFound(what: string): StudyNotFoundError {
  return new StudyNotFoundError(
    `no study ${what} exists in this storage. Check the name with listStudies(), or create it with createStudy().`,
  );
}
