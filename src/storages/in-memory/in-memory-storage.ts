/**
 * The in-memory storage: the default when `createStudy` gets no storage. Fast, and gone when
 * the process ends. Finished trials are frozen once and shared, so reading a study of n trials
 * costs O(n) reference copies, not O(n) deep copies.
 * @module
 */

import { bestOf } from '../../core/best-trial.js';
import { type Distribution, distributionsEqual, toExternal } from '../../core/distributions.js';
import { DuplicatedStudyError, StudyNotFoundError, TrialNotFoundError } from '../../core/errors.js';
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

interface TrialRecord {
  trialId: number;
  studyId: number;
  number: number;
  state: TrialState;
  internalParams: Record<string, number>;
  distributions: Record<string, Distribution>;
  values: number[] | null;
  intermediateValues: Map<number, number>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  /** Snapshot of this record; reset to null on every change. */
  frozen: FrozenTrial | null;
}

interface StudyRecord {
  studyId: number;
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  registry: Record<string, Distribution>;
  trials: TrialRecord[];
  /** snapshots[number]: the frozen trial, current except for the numbers in `dirty`. */
  snapshots: FrozenTrial[];
  dirty: Set<number>;
  waiting: TrialRecord[];
  created: Date;
}

/** Keeps studies in this process's memory. See {@link Storage} for the contract. */
export class InMemoryStorage implements HeartbeatStorage {
  private readonly studies = new Map<number, StudyRecord>();
  /** The last heartbeat (ms since the epoch) of each running trial that has one. */
  private readonly heartbeats = new Map<number, number>();
  private readonly names = new Map<string, number>();
  private readonly trials = new Map<number, TrialRecord>();
  private nextStudyId = 0;
  private nextTrialId = 0;

  async createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number> {
    checkStudyName(studyName);
    checkDirections(directions);
    if (this.names.has(studyName)) {
      throw new DuplicatedStudyError(
        `a study named '${studyName}' already exists. Pass loadIfExists: true to continue it, or choose another name.`,
      );
    }
    const studyId = this.nextStudyId++;
    this.studies.set(studyId, {
      studyId,
      name: studyName,
      directions: [...directions],
      userAttrs: {},
      systemAttrs: {},
      registry: {},
      trials: [],
      snapshots: [],
      dirty: new Set(),
      waiting: [],
      created: new Date(),
    });
    this.names.set(studyName, studyId);
    return studyId;
  }

  async deleteStudy(studyId: number): Promise<void> {
    const s = this.study(studyId);
    for (const t of s.trials) {
      this.trials.delete(t.trialId);
      this.heartbeats.delete(t.trialId);
    }
    this.studies.delete(studyId);
    this.names.delete(s.name);
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    const id = this.names.get(studyName);
    if (id === undefined) throw studyNotFound(studyName);
    return id;
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    return this.study(studyId).name;
  }

  async getStudyDirections(studyId: number): Promise<StudyDirection[]> {
    return [...this.study(studyId).directions];
  }

  async getAllStudies(): Promise<StudySummary[]> {
    const out: StudySummary[] = [];
    for (const s of this.studies.values()) {
      const trials = s.trials.map((t) => this.freeze(t));
      out.push({
        studyId: s.studyId,
        studyName: s.name,
        directions: [...s.directions],
        nTrials: trials.length,
        userAttrs: structuredClone(s.userAttrs),
        systemAttrs: structuredClone(s.systemAttrs),
        datetimeStart: trials[0]?.datetimeStart ?? null,
        bestTrial: bestOf(trials, s.directions),
      });
    }
    return out;
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return structuredClone(this.study(studyId).userAttrs);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return structuredClone(this.study(studyId).systemAttrs);
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    setAttr(this.study(studyId).userAttrs, key, copyJson(value, `study user attribute '${key}'`));
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    setAttr(this.study(studyId).systemAttrs, key, copyJson(value, `study system attribute '${key}'`));
  }

  async compareAndSetStudySystemAttr(
    studyId: number,
    key: string,
    expected: JsonValue | undefined,
    value: JsonValue,
  ): Promise<boolean> {
    const attrs = this.study(studyId).systemAttrs;
    const current = Object.hasOwn(attrs, key) ? attrs[key] : undefined;
    if (!jsonEqual(current, expected)) return false;
    setAttr(attrs, key, copyJson(value, `study system attribute '${key}'`));
    return true;
  }

  async createTrial(studyId: number, template?: NewTrial): Promise<FrozenTrial> {
    const s = this.study(studyId);
    checkTemplate(template);
    const params = templateParams(template);
    const fresh = checkParams(s.registry, params);
    const state = template?.state ?? 'running';
    const now = new Date();
    const record: TrialRecord = {
      trialId: this.nextTrialId++,
      studyId,
      number: s.trials.length,
      state,
      internalParams: {},
      distributions: {},
      values: template?.values ? [...template.values] : null,
      intermediateValues: new Map(template?.intermediateValues ?? []),
      userAttrs: copyAttrs(template?.userAttrs, 'user attributes'),
      systemAttrs: copyAttrs(template?.systemAttrs, 'system attributes'),
      datetimeStart: copyDate(template?.datetimeStart) ?? (state === 'waiting' ? null : now),
      datetimeComplete: copyDate(template?.datetimeComplete) ?? (isFinished(state) ? now : null),
      frozen: null,
    };
    for (const p of fresh) s.registry[p.name] = p.distribution;
    for (const p of params) {
      record.internalParams[p.name] = p.internal;
      record.distributions[p.name] = shared(s.registry, p);
    }
    s.trials.push(record);
    s.dirty.add(record.number);
    if (state === 'waiting') s.waiting.push(record);
    this.trials.set(record.trialId, record);
    return this.freeze(record);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    const s = this.study(studyId);
    const record = s.waiting.shift();
    if (record === undefined) return null;
    record.state = 'running';
    record.datetimeStart = new Date();
    this.changed(record);
    return this.freeze(record);
  }

  async setTrialParams(trialId: number, params: readonly ParamRecord[]): Promise<void> {
    const t = this.trial(trialId);
    checkUpdatable(t.number, t.state, 'set parameters of');
    const s = this.study(t.studyId);
    const fresh = checkParams(s.registry, params);
    for (const p of fresh) s.registry[p.name] = p.distribution;
    for (const p of params) {
      t.internalParams[p.name] = p.internal;
      t.distributions[p.name] = shared(s.registry, p);
    }
    this.changed(t);
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const t = this.trial(trialId);
    checkUpdatable(t.number, t.state, 'report to');
    t.intermediateValues.set(step, value);
    this.changed(t);
  }

  async finishTrial(
    trialId: number,
    state: 'complete' | 'pruned' | 'fail',
    values?: readonly number[] | null,
  ): Promise<void> {
    const t = this.trial(trialId);
    checkUpdatable(t.number, t.state, `mark as ${state}`);
    t.values = checkFinishValues(t.number, state, values);
    t.state = state;
    t.datetimeComplete = new Date();
    this.heartbeats.delete(trialId);
    this.changed(t);
  }

  async recordHeartbeat(trialId: number): Promise<boolean> {
    const t = this.trial(trialId);
    if (t.state !== 'running') return false;
    this.heartbeats.set(trialId, Date.now());
    return true;
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    this.study(studyId);
    const limit = Date.now() - graceSeconds * 1000;
    const out: FrozenTrial[] = [];
    for (const [trialId, beat] of this.heartbeats) {
      const t = this.trials.get(trialId);
      if (t === undefined || t.studyId !== studyId || t.state !== 'running' || beat >= limit) continue;
      this.heartbeats.delete(trialId);
      setAttr(t.systemAttrs, FAIL_REASON_ATTR, staleTrialReason(graceSeconds));
      t.state = 'fail';
      t.values = null;
      t.datetimeComplete = new Date();
      this.changed(t);
      out.push(this.freeze(t));
    }
    return out.sort((a, b) => a.number - b.number);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const t = this.trial(trialId);
    checkUpdatable(t.number, t.state, 'set a user attribute of');
    setAttr(t.userAttrs, key, copyJson(value, `user attribute '${key}'`));
    this.changed(t);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const t = this.trial(trialId);
    checkUpdatable(t.number, t.state, 'set a system attribute of');
    setAttr(t.systemAttrs, key, copyJson(value, `system attribute '${key}'`));
    this.changed(t);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.freeze(this.trial(trialId));
  }

  async getAllTrials(studyId: number, filter?: TrialFilter): Promise<readonly FrozenTrial[]> {
    const s = this.study(studyId);
    // Keep the list of snapshots current: only trials changed since the last read are refrozen.
    for (const n of s.dirty) s.snapshots[n] = this.freeze(s.trials[n]!);
    s.dirty.clear();
    const states = filter?.states;
    if (states === undefined) return s.snapshots.slice();
    return s.snapshots.filter((t) => states.includes(t.state));
  }

  /** Marks a trial's snapshot stale. */
  private changed(t: TrialRecord): void {
    t.frozen = null;
    this.studies.get(t.studyId)?.dirty.add(t.number);
  }

  async getParamDistributions(studyId: number): Promise<Record<string, Distribution>> {
    return { ...this.study(studyId).registry };
  }

  async close(): Promise<void> {}

  private study(studyId: number): StudyRecord {
    const s = this.studies.get(studyId);
    if (s === undefined) throw studyNotFound(`#${studyId}`);
    return s;
  }

  private trial(trialId: number): TrialRecord {
    const t = this.trials.get(trialId);
    if (t === undefined) {
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in this storage.`);
    }
    return t;
  }

  private freeze(t: TrialRecord): FrozenTrial {
    if (t.frozen !== null) return t.frozen;
    // A finished trial never changes again, so its snapshot may share the record's own objects
    // (frozen in place) instead of copying them: a large study then holds each value once.
    const finished = isFinished(t.state);
    const internalParams = finished
      ? Object.freeze(t.internalParams)
      : Object.freeze({ ...t.internalParams });
    let params: Record<string, unknown> | null = null;
    for (const name in t.internalParams) {
      if (t.distributions[name]!.type === 'categorical') {
        params = {};
        break;
      }
    }
    if (params !== null) {
      for (const name in t.internalParams) {
        params[name] = toExternal(t.distributions[name]!, t.internalParams[name]!);
      }
    }
    const frozen: FrozenTrial = Object.freeze({
      trialId: t.trialId,
      number: t.number,
      state: t.state,
      // Without categoricals the user-facing values are the internal ones.
      params: (params === null ? internalParams : Object.freeze(params)) as FrozenTrial['params'],
      internalParams,
      distributions: finished ? Object.freeze(t.distributions) : Object.freeze({ ...t.distributions }),
      values: t.values === null ? null : finished ? Object.freeze(t.values) : Object.freeze([...t.values]),
      intermediateValues: t.intermediateValues.size === 0 ? EMPTY_MAP : new Map(t.intermediateValues),
      userAttrs: isEmpty(t.userAttrs) ? EMPTY : Object.freeze({ ...t.userAttrs }),
      systemAttrs: isEmpty(t.systemAttrs) ? EMPTY : Object.freeze({ ...t.systemAttrs }),
      datetimeStart: t.datetimeStart,
      datetimeComplete: t.datetimeComplete,
    });
    t.frozen = frozen;
    return frozen;
  }
}

/**
 * The study registry's distribution object when `p`'s is equal to it: trials then share one
 * object per parameter instead of holding a copy each (most of a large study's memory).
 */
function shared(registry: Readonly<Record<string, Distribution>>, p: ParamRecord): Distribution {
  const reg = Object.hasOwn(registry, p.name) ? registry[p.name]! : undefined;
  return reg !== undefined && distributionsEqual(reg, p.distribution) ? reg : p.distribution;
}

const EMPTY: Readonly<Record<string, JsonValue>> = Object.freeze({});
const EMPTY_MAP: ReadonlyMap<number, number> = new Map();

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** A private copy of template attributes (values deep-frozen, so snapshots may share them). */
function copyAttrs(
  attrs: Readonly<Record<string, JsonValue>> | undefined,
  what: string,
): Record<string, JsonValue> {
  if (attrs === undefined || isEmpty(attrs)) return {};
  return { ...copyJson({ ...attrs }, what) };
}

/** A private copy of a template's date (a Date is mutable), or null when absent. */
function copyDate(d: Date | null | undefined): Date | null {
  return d ? new Date(d.getTime()) : null;
}

function studyNotFound(what: string): StudyNotFoundError {
  return new StudyNotFoundError(
    `no study ${what} exists in this storage. Check the name with listStudies(), or create it with createStudy().`,
  );
}
