/**
 * SQLite storage through better-sqlite3: the embedded default. Several processes may share one
 * file: WAL journal, a busy timeout, and every write in one `BEGIN IMMEDIATE` transaction.
 *
 * Reads are incremental: each study's trials are cached in this process, and a read fetches
 * only the trials whose `seq` stamp is newer than the cache (see `rdb/schema.ts`).
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { bestOf } from '../../core/best-trial.js';
import {
  type Distribution,
  distributionFromJson,
  distributionToJson,
  toExternal,
} from '../../core/distributions.js';
import {
  DuplicatedStudyError,
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

/** Trials read per query batch when a study is loaded into the cache. */
const LOAD_CHUNK = 2000;

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/** Options of {@link SqliteStorage.open}. */
export interface SqliteStorageOptions {
  /** Milliseconds a write waits for another process's lock before failing. Default 60 000. */
  busyTimeoutMs?: number;
}

interface StudyCache {
  seq: number;
  byNumber: FrozenTrial[];
}

interface TrialRow {
  trial_id: number;
  study_id: number;
  number: number;
  state: TrialState;
  objective_values: string | null;
  datetime_start: number | null;
  datetime_complete: number | null;
}

/** Storage in one SQLite file. Open it with {@link SqliteStorage.open} or a `sqlite:///` URL. */
export class SqliteStorage implements HeartbeatStorage {
  /** The better-sqlite3 connection (for tools that read the file directly). */
  readonly db: Database;
  private readonly caches = new Map<number, StudyCache>();
  private readonly registries = new Map<number, Map<string, Distribution>>();
  private readonly stmts = new Map<string, Statement>();

  private constructor(db: Database) {
    this.db = db;
  }

  /**
   * Opens (creating when needed) the database at `path` (`:memory:` for a private one), creating
   * its folder and schema, and applying migrations.
   */
  static async open(path: string, options: SqliteStorageOptions = {}): Promise<SqliteStorage> {
    let Driver: typeof BetterSqlite3;
    try {
      Driver = (await import('better-sqlite3')).default;
    } catch (e) {
      throw new MissingDependencyError(
        'SQLite storage needs the better-sqlite3 package. Install it with: npm install better-sqlite3',
        { cause: e },
      );
    }
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database;
    try {
      db = new Driver(path, { timeout: options.busyTimeoutMs ?? 60_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    } catch (e) {
      throw new StorageError(`cannot open SQLite database '${path}': ${(e as Error).message}`, { cause: e });
    }
    const storage = new SqliteStorage(db);
    try {
      storage.migrate();
    } catch (e) {
      db.close();
      throw e;
    }
    return storage;
  }

  private migrate(): void {
    this.write(() => {
      const hasMeta = this.db
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tunekit_meta'`)
        .get();
      if (!hasMeta) {
        for (const sql of createSchemaStatements('sqlite')) this.db.exec(sql);
        this.db
          .prepare(`INSERT INTO tunekit_meta (key, value) VALUES ('schema_version', ?)`)
          .run(String(SCHEMA_VERSION));
        return;
      }
      const row = this.db.prepare(`SELECT value FROM tunekit_meta WHERE key = 'schema_version'`).get() as
        | { value: string }
        | undefined;
      let version = Number(row?.value ?? 0);
      if (version > SCHEMA_VERSION) {
        throw new TunekitError(
          'SCHEMA_VERSION',
          `this database has schema version ${version}, newer than this tunekit understands (${SCHEMA_VERSION}). Upgrade tunekit.`,
        );
      }
      for (const m of MIGRATIONS) {
        if (m.from !== version) continue;
        for (const sql of m.statements) this.db.exec(sql);
        version = m.from + 1;
      }
      this.db.prepare(`UPDATE tunekit_meta SET value = ? WHERE key = 'schema_version'`).run(String(version));
    });
  }

  private stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction; driver errors become `StorageError`. */
  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      if (e instanceof TunekitError) throw e;
      throw new StorageError(`SQLite write failed: ${(e as Error).message}`, { cause: e });
    }
  }

  private read<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).deferred();
    } catch (e) {
      if (e instanceof TunekitError) throw e;
      throw new StorageError(`SQLite read failed: ${(e as Error).message}`, { cause: e });
    }
  }

  private bump(studyId: number): number {
    const row = this.stmt(`UPDATE studies SET seq = seq + 1 WHERE study_id = ? RETURNING seq`).get(studyId) as
      | { seq: number }
      | undefined;
    if (row === undefined) throw studyNotFound(`#${studyId}`);
    return row.seq;
  }

  private trialHead(trialId: number): { study_id: number; number: number; state: TrialState } {
    const row = this.stmt(`SELECT study_id, number, state FROM trials WHERE trial_id = ?`).get(trialId) as
      | { study_id: number; number: number; state: TrialState }
      | undefined;
    if (row === undefined)
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in this storage.`);
    return row;
  }

  private touch(trialId: number, studyId: number): void {
    this.stmt(`UPDATE trials SET seq = ? WHERE trial_id = ?`).run(this.bump(studyId), trialId);
  }

  async createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number> {
    checkStudyName(studyName);
    checkDirections(directions);
    return this.write(() => {
      const exists = this.stmt(`SELECT study_id FROM studies WHERE study_name = ?`).get(studyName);
      if (exists) {
        throw new DuplicatedStudyError(
          `a study named '${studyName}' already exists. Pass loadIfExists: true to continue it, or choose another name.`,
        );
      }
      const info = this.stmt(`INSERT INTO studies (study_name, directions, created_at) VALUES (?, ?, ?)`).run(
        studyName,
        JSON.stringify(directions),
        Date.now(),
      );
      return Number(info.lastInsertRowid);
    });
  }

  async deleteStudy(studyId: number): Promise<void> {
    this.write(() => {
      const info = this.stmt(`DELETE FROM studies WHERE study_id = ?`).run(studyId);
      if (info.changes === 0) throw studyNotFound(`#${studyId}`);
    });
    this.caches.delete(studyId);
    this.registries.delete(studyId);
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    const row = this.stmt(`SELECT study_id FROM studies WHERE study_name = ?`).get(studyName) as
      | { study_id: number }
      | undefined;
    if (row === undefined) throw studyNotFound(`'${studyName}'`);
    return row.study_id;
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    return this.studyRow(studyId).study_name;
  }

  async getStudyDirections(studyId: number): Promise<StudyDirection[]> {
    return JSON.parse(this.studyRow(studyId).directions) as StudyDirection[];
  }

  private studyRow(studyId: number): { study_name: string; directions: string; created_at: number } {
    const row = this.stmt(`SELECT study_name, directions, created_at FROM studies WHERE study_id = ?`).get(
      studyId,
    ) as { study_name: string; directions: string; created_at: number } | undefined;
    if (row === undefined) throw studyNotFound(`#${studyId}`);
    return row;
  }

  async getAllStudies(): Promise<StudySummary[]> {
    const rows = this.stmt(
      `SELECT study_id, study_name, directions FROM studies ORDER BY study_id`,
    ).all() as Array<{
      study_id: number;
      study_name: string;
      directions: string;
    }>;
    const out: StudySummary[] = [];
    for (const r of rows) {
      const directions = JSON.parse(r.directions) as StudyDirection[];
      const trials = await this.getAllTrials(r.study_id);
      out.push({
        studyId: r.study_id,
        studyName: r.study_name,
        directions,
        nTrials: trials.length,
        userAttrs: this.studyAttrs(r.study_id, false),
        systemAttrs: this.studyAttrs(r.study_id, true),
        datetimeStart: trials[0]?.datetimeStart ?? null,
        bestTrial: bestOf(trials, directions),
      });
    }
    return out;
  }

  private studyAttrs(studyId: number, system: boolean): Record<string, JsonValue> {
    const rows = this.stmt(`SELECT key, value FROM study_attrs WHERE study_id = ? AND is_system = ?`).all(
      studyId,
      system ? 1 : 0,
    ) as Array<{ key: string; value: string }>;
    const out: Record<string, JsonValue> = {};
    for (const r of rows) setAttr(out, r.key, decodeJson(r.value));
    return out;
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    this.studyRow(studyId);
    return this.studyAttrs(studyId, false);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    this.studyRow(studyId);
    return this.studyAttrs(studyId, true);
  }

  private setStudyAttr(studyId: number, system: boolean, key: string, value: JsonValue): void {
    const text = encodeJson(copyJson(value, `study attribute '${key}'`));
    this.write(() => {
      this.studyRow(studyId);
      this.stmt(
        `INSERT INTO study_attrs (study_id, is_system, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (study_id, is_system, key) DO UPDATE SET value = excluded.value`,
      ).run(studyId, system ? 1 : 0, key, text);
    });
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.setStudyAttr(studyId, false, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.setStudyAttr(studyId, true, key, value);
  }

  async compareAndSetStudySystemAttr(
    studyId: number,
    key: string,
    expected: JsonValue | undefined,
    value: JsonValue,
  ): Promise<boolean> {
    const text = encodeJson(copyJson(value, `study system attribute '${key}'`));
    return this.write(() => {
      this.studyRow(studyId);
      const row = this.stmt(
        `SELECT value FROM study_attrs WHERE study_id = ? AND is_system = 1 AND key = ?`,
      ).get(studyId, key) as { value: string } | undefined;
      const current = row === undefined ? undefined : decodeJson(row.value);
      if (!jsonEqual(current, expected)) return false;
      this.stmt(
        `INSERT INTO study_attrs (study_id, is_system, key, value) VALUES (?, 1, ?, ?)
         ON CONFLICT (study_id, is_system, key) DO UPDATE SET value = excluded.value`,
      ).run(studyId, key, text);
      return true;
    });
  }

  /** The registry of parameter distributions, read inside the current transaction. */
  private registry(studyId: number, names: readonly string[]): Record<string, Distribution> {
    let cached = this.registries.get(studyId);
    if (cached === undefined) {
      cached = new Map();
      this.registries.set(studyId, cached);
    }
    const out: Record<string, Distribution> = {};
    for (const name of names) {
      let d = cached.get(name);
      if (d === undefined) {
        const row = this.stmt(`SELECT distribution FROM study_params WHERE study_id = ? AND name = ?`).get(
          studyId,
          name,
        ) as { distribution: string } | undefined;
        if (row !== undefined) {
          d = distributionFromJson(row.distribution);
          cached.set(name, d);
        }
      }
      if (d !== undefined) out[name] = d;
    }
    return out;
  }

  private insertParams(studyId: number, trialId: number, params: readonly ParamRecord[]): void {
    if (params.length === 0) return;
    const fresh = checkParams(
      this.registry(
        studyId,
        params.map((p) => p.name),
      ),
      params,
    );
    const reg = this.stmt(
      `INSERT OR IGNORE INTO study_params (study_id, name, distribution) VALUES (?, ?, ?)`,
    );
    for (const p of fresh) reg.run(studyId, p.name, distributionToJson(p.distribution));
    const ins = this.stmt(
      `INSERT INTO trial_params (trial_id, name, value, distribution) VALUES (?, ?, ?, ?)
       ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value, distribution = excluded.distribution`,
    );
    for (const p of params) ins.run(trialId, p.name, p.internal, distributionToJson(p.distribution));
  }

  async createTrial(studyId: number, template?: NewTrial): Promise<FrozenTrial> {
    checkTemplate(template);
    const params = templateParams(template);
    const state = template?.state ?? 'running';
    const userAttrs = template?.userAttrs ? copyJson({ ...template.userAttrs }, 'user attributes') : {};
    const systemAttrs = template?.systemAttrs
      ? copyJson({ ...template.systemAttrs }, 'system attributes')
      : {};
    const trialId = this.write(() => {
      const row = this.stmt(
        `UPDATE studies SET seq = seq + 1, n_trials = n_trials + 1 WHERE study_id = ? RETURNING seq, n_trials`,
      ).get(studyId) as { seq: number; n_trials: number } | undefined;
      if (row === undefined) throw studyNotFound(`#${studyId}`);
      const now = Date.now();
      const start = template?.datetimeStart?.getTime() ?? (state === 'waiting' ? null : now);
      const complete = template?.datetimeComplete?.getTime() ?? (isFinished(state) ? now : null);
      const info = this.stmt(
        `INSERT INTO trials (study_id, number, state, objective_values, datetime_start, datetime_complete, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        studyId,
        row.n_trials - 1,
        state,
        encodeValues(template?.values ?? null),
        start,
        complete,
        row.seq,
      );
      const id = Number(info.lastInsertRowid);
      this.insertParams(studyId, id, params);
      const iv = this.stmt(`INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)`);
      for (const [step, value] of template?.intermediateValues ?? []) iv.run(id, step, value);
      const attr = this.stmt(`INSERT INTO trial_attrs (trial_id, is_system, key, value) VALUES (?, ?, ?, ?)`);
      for (const [k, v] of Object.entries(userAttrs)) attr.run(id, 0, k, encodeJson(v));
      for (const [k, v] of Object.entries(systemAttrs)) attr.run(id, 1, k, encodeJson(v));
      return id;
    });
    return this.loadTrials([trialId])[0]!;
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    const trialId = this.write(() => {
      const row = this.stmt(
        `SELECT trial_id FROM trials WHERE study_id = ? AND state = 'waiting' ORDER BY number LIMIT 1`,
      ).get(studyId) as { trial_id: number } | undefined;
      if (row === undefined) {
        this.studyRow(studyId);
        return null;
      }
      this.stmt(`UPDATE trials SET state = 'running', datetime_start = ?, seq = ? WHERE trial_id = ?`).run(
        Date.now(),
        this.bump(studyId),
        row.trial_id,
      );
      return row.trial_id;
    });
    return trialId === null ? null : this.loadTrials([trialId])[0]!;
  }

  async setTrialParams(trialId: number, params: readonly ParamRecord[]): Promise<void> {
    this.write(() => {
      const head = this.trialHead(trialId);
      checkUpdatable(head.number, head.state, 'set parameters of');
      this.insertParams(head.study_id, trialId, params);
      this.touch(trialId, head.study_id);
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    this.write(() => {
      const head = this.trialHead(trialId);
      checkUpdatable(head.number, head.state, 'report to');
      this.stmt(
        `INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)
         ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value`,
      ).run(trialId, step, value);
      this.touch(trialId, head.study_id);
    });
  }

  async finishTrial(
    trialId: number,
    state: 'complete' | 'pruned' | 'fail',
    values?: readonly number[] | null,
  ): Promise<void> {
    this.write(() => {
      const head = this.trialHead(trialId);
      checkUpdatable(head.number, head.state, `mark as ${state}`);
      const stored = checkFinishValues(head.number, state, values);
      this.stmt(
        `UPDATE trials SET state = ?, objective_values = ?, datetime_complete = ?, seq = ? WHERE trial_id = ?`,
      ).run(state, encodeValues(stored), Date.now(), this.bump(head.study_id), trialId);
      this.stmt(`DELETE FROM trial_heartbeats WHERE trial_id = ?`).run(trialId);
    });
  }

  async recordHeartbeat(trialId: number): Promise<boolean> {
    return this.write(() => {
      const head = this.trialHead(trialId);
      if (head.state !== 'running') return false;
      this.stmt(
        `INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, ?)
         ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`,
      ).run(trialId, Date.now());
      return true;
    });
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    const ids = this.write(() => {
      this.studyRow(studyId);
      const now = Date.now();
      const stale = this.stmt(
        `SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id
         WHERE t.study_id = ? AND t.state = 'running' AND h.heartbeat < ? ORDER BY t.number`,
      ).all(studyId, now - graceSeconds * 1000) as Array<{ trial_id: number }>;
      if (stale.length === 0) return [];
      const reason = encodeJson(staleTrialReason(graceSeconds));
      const attr = this.stmt(
        `INSERT INTO trial_attrs (trial_id, is_system, key, value) VALUES (?, 1, ?, ?)
         ON CONFLICT (trial_id, is_system, key) DO UPDATE SET value = excluded.value`,
      );
      const fail = this.stmt(
        `UPDATE trials SET state = 'fail', objective_values = NULL, datetime_complete = ?, seq = ? WHERE trial_id = ?`,
      );
      const forget = this.stmt(`DELETE FROM trial_heartbeats WHERE trial_id = ?`);
      const seq = this.bump(studyId);
      for (const { trial_id } of stale) {
        attr.run(trial_id, FAIL_REASON_ATTR, reason);
        fail.run(now, seq, trial_id);
        forget.run(trial_id);
      }
      return stale.map((r) => r.trial_id);
    });
    return ids.length === 0 ? [] : this.loadTrials(ids);
  }

  private setTrialAttr(trialId: number, system: boolean, key: string, value: JsonValue): void {
    const text = encodeJson(copyJson(value, `attribute '${key}'`));
    this.write(() => {
      const head = this.trialHead(trialId);
      checkUpdatable(head.number, head.state, `set a ${system ? 'system' : 'user'} attribute of`);
      this.stmt(
        `INSERT INTO trial_attrs (trial_id, is_system, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (trial_id, is_system, key) DO UPDATE SET value = excluded.value`,
      ).run(trialId, system ? 1 : 0, key, text);
      this.touch(trialId, head.study_id);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.setTrialAttr(trialId, false, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.setTrialAttr(trialId, true, key, value);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const t = this.read(() => this.loadTrials([trialId]))[0];
    if (t === undefined) throw new TrialNotFoundError(`no trial with id ${trialId} exists in this storage.`);
    return t;
  }

  async getAllTrials(studyId: number, filter?: TrialFilter): Promise<readonly FrozenTrial[]> {
    const trials = this.read(() => this.refresh(studyId));
    const states = filter?.states;
    return states === undefined ? trials.slice() : trials.filter((t) => states.includes(t.state));
  }

  async getParamDistributions(studyId: number): Promise<Record<string, Distribution>> {
    const rows = this.read(() => {
      this.studyRow(studyId);
      return this.stmt(`SELECT name, distribution FROM study_params WHERE study_id = ?`).all(
        studyId,
      ) as Array<{
        name: string;
        distribution: string;
      }>;
    });
    const out: Record<string, Distribution> = {};
    for (const r of rows) out[r.name] = distributionFromJson(r.distribution);
    return out;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Brings the study's cache up to date (inside a read transaction) and returns it. */
  private refresh(studyId: number): FrozenTrial[] {
    const row = this.stmt(`SELECT seq FROM studies WHERE study_id = ?`).get(studyId) as
      | { seq: number }
      | undefined;
    if (row === undefined) {
      this.caches.delete(studyId);
      throw studyNotFound(`#${studyId}`);
    }
    let cache = this.caches.get(studyId);
    if (cache === undefined) {
      cache = { seq: 0, byNumber: [] };
      this.caches.set(studyId, cache);
    }
    if (row.seq === cache.seq) return cache.byNumber;
    const ids = (
      this.stmt(`SELECT trial_id FROM trials WHERE study_id = ? AND seq > ?`).all(
        studyId,
        cache.seq,
      ) as Array<{
        trial_id: number;
      }>
    ).map((r) => r.trial_id);
    // In chunks: a 100,000-trial study read at once holds every row of every table in memory
    // together (a peak of ~600 MB); 2,000 trials at a time keep that peak small and load faster.
    for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
      for (const t of this.loadTrials(ids.slice(i, i + LOAD_CHUNK))) cache.byNumber[t.number] = t;
    }
    cache.seq = row.seq;
    return cache.byNumber;
  }

  /** Reads whole trials by id, in four queries whatever their count (callers chunk large reads). */
  private loadTrials(ids: readonly number[]): FrozenTrial[] {
    if (ids.length === 0) return [];
    const list = JSON.stringify(ids);
    const rows = this.stmt(
      `SELECT trial_id, study_id, number, state, objective_values, datetime_start, datetime_complete
       FROM trials WHERE trial_id IN (SELECT value FROM json_each(?)) ORDER BY number`,
    ).all(list) as TrialRow[];
    const params = this.stmt(
      `SELECT trial_id, name, value, distribution FROM trial_params WHERE trial_id IN (SELECT value FROM json_each(?))`,
    ).all(list) as Array<{ trial_id: number; name: string; value: number; distribution: string }>;
    const ivs = this.stmt(
      `SELECT trial_id, step, value FROM trial_intermediate_values WHERE trial_id IN (SELECT value FROM json_each(?)) ORDER BY step`,
    ).all(list) as Array<{ trial_id: number; step: number; value: number }>;
    const attrs = this.stmt(
      `SELECT trial_id, is_system, key, value FROM trial_attrs WHERE trial_id IN (SELECT value FROM json_each(?))`,
    ).all(list) as Array<{ trial_id: number; is_system: number; key: string; value: string }>;

    const build = new Map<
      number,
      {
        row: TrialRow;
        params: Record<string, unknown>;
        internal: Record<string, number>;
        dists: Record<string, Distribution>;
        iv: Map<number, number>;
        user: Record<string, JsonValue>;
        system: Record<string, JsonValue>;
      }
    >();
    for (const row of rows) {
      build.set(row.trial_id, {
        row,
        params: {},
        internal: {},
        dists: {},
        iv: new Map(),
        user: {},
        system: {},
      });
    }
    const distCache = new Map<string, Distribution>();
    for (const p of params) {
      const b = build.get(p.trial_id);
      if (b === undefined) continue;
      let d = distCache.get(p.distribution);
      if (d === undefined) {
        d = distributionFromJson(p.distribution);
        distCache.set(p.distribution, d);
      }
      b.internal[p.name] = p.value;
      b.dists[p.name] = d;
      b.params[p.name] = toExternal(d, p.value);
    }
    for (const v of ivs) build.get(v.trial_id)?.iv.set(v.step, v.value);
    for (const a of attrs) {
      const b = build.get(a.trial_id);
      if (b === undefined) continue;
      setAttr(a.is_system ? b.system : b.user, a.key, decodeJson(a.value));
    }
    const out: FrozenTrial[] = [];
    for (const b of build.values()) {
      const values = decodeValues(b.row.objective_values);
      out.push(
        Object.freeze({
          trialId: b.row.trial_id,
          number: b.row.number,
          state: b.row.state,
          params: Object.freeze(b.params) as FrozenTrial['params'],
          internalParams: Object.freeze(b.internal),
          distributions: Object.freeze(b.dists),
          values: values === null ? null : Object.freeze(values),
          intermediateValues: b.iv,
          userAttrs: Object.freeze(b.user),
          systemAttrs: Object.freeze(b.system),
          datetimeStart: b.row.datetime_start === null ? null : new Date(b.row.datetime_start),
          datetimeComplete: b.row.datetime_complete === null ? null : new Date(b.row.datetime_complete),
        }),
      );
    }
    return out;
  }
}

function studyNotFound(what: string): StudyNotFoundError {
  return new StudyNotFoundError(
    `no study ${what} exists in this storage. Check the name with listStudies(), or create it with createStudy().`,
  );
}
