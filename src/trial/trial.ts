/**
 * The trial an objective receives: it suggests parameter values, reports intermediate values
 * and asks whether to stop early.
 *
 * Suggest calls are synchronous: they are answered from a snapshot of the study taken when the
 * trial started (see `Sampler` for the order in which a value is chosen). What a trial writes
 * (parameters, attributes) is buffered and written to the storage in the background right after
 * the objective yields; `report`, `shouldPrune` and the end of the trial wait for those writes,
 * so an error in them surfaces there.
 * @module
 */
import {
  assertCompatible,
  type CategoricalChoice,
  categoricalDistribution,
  contains,
  type Distribution,
  type FloatOptions,
  floatDistribution,
  type IntOptions,
  intDistribution,
  isSingle,
  type ParamValue,
  snap,
  toExternal,
  toInternal,
} from '../core/distributions.js';
import { InvalidArgumentError, TrialFinishedError } from '../core/errors.js';
import type { FrozenTrial, JsonValue } from '../core/frozen-trial.js';
import { log } from '../core/logging.js';
import { encodeMetric, type MetricRecord, type Pruner, REPORTS_ATTR } from '../pruners/base.js';
import type { Sampler, SearchSpace, StudyContext, StudyView } from '../samplers/base.js';
import type { ParamRecord } from '../storages/base.js';
import { copyJson } from '../storages/rules.js';
import { takeSnapshot } from '../study/study-view.js';

const warnedOnce = new Set<string>();
function warnOnce(message: string): void {
  if (warnedOnce.has(message)) return;
  warnedOnce.add(message);
  log.warn(message);
}

/** Where a proposed value comes from (see `Trial.propose`). */
export type ProposalSource = 'suggested' | 'fixed' | 'single' | 'relative' | 'independent';

/** What a trial needs from its study. Built by `Study.ask`. */
export interface TrialInit {
  readonly context: StudyContext;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** The trial as stored when it started. */
  readonly frozen: FrozenTrial;
  readonly view: StudyView;
  readonly fixedParams: Readonly<Record<string, ParamValue>>;
  readonly relativeSpace: SearchSpace;
  readonly relativeParams: Readonly<Record<string, number>>;
}

/** A running trial. Objectives receive one; `study.ask()` returns one. */
export class Trial {
  /** Number within the study (0, 1, 2…). */
  readonly number: number;
  /** Storage-wide identifier. */
  readonly trialId: number;
  /** When the trial started. */
  readonly datetimeStart: Date | null;

  private readonly init: TrialInit;
  // Null-prototype records: parameter names such as 'constructor' or '__proto__' are plain keys.
  private readonly paramValues: Record<string, ParamValue> = Object.create(null);
  private readonly dists: Record<string, Distribution> = Object.create(null);
  private readonly userAttrValues: Record<string, JsonValue>;
  private readonly reportedSteps = new Set<number>();
  /** Reports with named metrics, by step: the value of the `tunekit:reports` system attribute. */
  private readonly metricReports: Record<string, JsonValue>;
  private pendingParams: ParamRecord[] = [];
  private pendingAttrs: Array<{ system: boolean; key: string; value: JsonValue }> = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private writeError: unknown = undefined;
  private done = false;

  /** @internal Built by `Study.ask`; not meant to be constructed by users. */
  constructor(init: TrialInit) {
    this.init = init;
    this.number = init.frozen.number;
    this.trialId = init.frozen.trialId;
    this.datetimeStart = init.frozen.datetimeStart;
    this.userAttrValues = { ...init.frozen.userAttrs };
    const reports = init.frozen.systemAttrs[REPORTS_ATTR];
    this.metricReports =
      reports !== null && typeof reports === 'object' && !Array.isArray(reports) ? { ...reports } : {};
    for (const [name, value] of Object.entries(init.frozen.params)) this.paramValues[name] = value;
    for (const [name, d] of Object.entries(init.frozen.distributions)) this.dists[name] = d;
  }

  /**
   * Suggests a float in [low, high].
   * @example
   * ```ts
   * const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
   * const dropout = trial.suggestFloat('dropout', 0, 0.5, { step: 0.1 });
   * ```
   */
  suggestFloat(name: string, low: number, high: number, options?: FloatOptions): number {
    return this.suggest(name, floatDistribution(low, high, options, name, warnOnce)) as number;
  }

  /**
   * Suggests an integer in [low, high] (both included).
   * @example
   * ```ts
   * const units = trial.suggestInt('units', 16, 256, { step: 16 });
   * ```
   */
  suggestInt(name: string, low: number, high: number, options?: IntOptions): number {
    return this.suggest(name, intDistribution(low, high, options, name, warnOnce)) as number;
  }

  /**
   * Suggests one of `choices` (strings, numbers, booleans or null). The return type is the union
   * of the literal choices.
   * @example
   * ```ts
   * const optimizer = trial.suggestCategorical('optimizer', ['sgd', 'adam']); // 'sgd' | 'adam'
   * ```
   */
  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(choices, name)) as T;
  }

  /** @internal The name of the study's sampler (`sampleSpace` picks its redraw strategy by it). */
  get samplerName(): string {
    return this.init.sampler.name;
  }

  /** The parameters suggested so far. */
  get params(): Readonly<Record<string, ParamValue>> {
    return { ...this.paramValues };
  }

  /** The distributions of the parameters suggested so far. */
  get distributions(): Readonly<Record<string, Distribution>> {
    return { ...this.dists };
  }

  /** The trial's user attributes. */
  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...this.userAttrValues };
  }

  /** Sets a user attribute (any JSON value). Written with the trial's other buffered writes. */
  setUserAttr(key: string, value: JsonValue): void {
    this.checkOpen('set a user attribute of');
    const copy = copyJson(value, `user attribute '${key}'`);
    this.userAttrValues[key] = copy;
    this.pendingAttrs.push({ system: false, key, value: copy });
    this.schedule();
  }

  /** Sets a system attribute (for samplers, pruners and integrations). */
  setSystemAttr(key: string, value: JsonValue): void {
    this.checkOpen('set a system attribute of');
    this.pendingAttrs.push({ system: true, key, value: copyJson(value, `system attribute '${key}'`) });
    this.schedule();
  }

  /**
   * Reports an intermediate objective value at `step` (an integer ≥ 0, such as the epoch) and
   * waits until it is stored. A second report for the same step is ignored with a warning.
   *
   * The value is a number, or a record of named metrics. A record is stored whole in the trial's
   * system attribute `tunekit:reports` (`{ [step]: { name: value } }`), and its first metric is
   * also the step's intermediate value. Pruners prune on the intermediate value, or on the metric
   * their `metric` option names.
   * @example
   * ```ts
   * await trial.report(valLoss, epoch);
   * await trial.report({ loss: valLoss, acc: valAcc }, epoch); // prune on 'loss' by default
   * ```
   */
  async report(value: number | MetricRecord, step: number): Promise<void> {
    this.checkOpen('report to');
    let primary: number;
    let record: Record<string, JsonValue> | null = null;
    if (typeof value === 'number') {
      if (Number.isNaN(value)) {
        throw new InvalidArgumentError(
          `trial ${this.number}: report() needs a number, got ${String(value)}.`,
        );
      }
      primary = value;
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const names = Object.keys(value);
      if (names.length === 0) {
        throw new InvalidArgumentError(
          `trial ${this.number}: report() got an empty record; pass a number or named metrics such as { loss: 0.3 }.`,
        );
      }
      record = Object.create(null) as Record<string, JsonValue>;
      for (const name of names) {
        const v = (value as Record<string, unknown>)[name];
        if (typeof v !== 'number' || Number.isNaN(v)) {
          throw new InvalidArgumentError(
            `trial ${this.number}: report() needs a number for metric '${name}', got ${String(v)}.`,
          );
        }
        record[name] = encodeMetric(v);
      }
      primary = (value as Record<string, number>)[names[0]!]!;
    } else {
      throw new InvalidArgumentError(
        `trial ${this.number}: report() needs a number or a record of named numbers such as { loss: 0.3, acc: 0.9 }, got ${String(value)}.`,
      );
    }
    if (!Number.isInteger(step) || step < 0) {
      throw new InvalidArgumentError(
        `trial ${this.number}: report() needs an integer step ≥ 0 (an epoch or iteration count), got ${String(step)}.`,
      );
    }
    await this.flush();
    if (this.reportedSteps.has(step)) {
      warnOnce(`trial ${this.number}: step ${step} was already reported; the new value is ignored.`);
      return;
    }
    this.reportedSteps.add(step);
    const storage = this.init.context.storage;
    if (record !== null) {
      this.metricReports[String(step)] = record;
      await storage.setTrialSystemAttr(this.trialId, REPORTS_ATTR, { ...this.metricReports });
    }
    await storage.setTrialIntermediateValue(this.trialId, step, primary);
  }

  /**
   * Whether the pruner says this trial should stop now. Reads the study fresh from the storage,
   * then lets the pruner record its bookkeeping (`Pruner.afterPrune`).
   * @example
   * ```ts
   * if (await trial.shouldPrune()) throw new TrialPruned();
   * ```
   */
  async shouldPrune(): Promise<boolean> {
    this.checkOpen('ask the pruner about');
    await this.flush();
    const view = await takeSnapshot(this.init.context);
    // Trials come in number order: look there first rather than scanning the study.
    const at = view.trials[this.number];
    const me = at?.trialId === this.trialId ? at : view.trials.find((t) => t.trialId === this.trialId);
    if (me === undefined) return false;
    const pruner = this.init.pruner;
    const pruned = pruner.prune(view, me);
    if (pruner.afterPrune) await pruner.afterPrune(view, me, pruned);
    return pruned;
  }

  /** Waits until every buffered write of this trial is stored; throws the first write error. */
  async flush(): Promise<void> {
    this.schedule();
    await this.chain;
    if (this.writeError !== undefined) {
      const e = this.writeError;
      this.writeError = undefined;
      throw e;
    }
  }

  /** @internal Marks the trial finished so that later calls fail clearly. */
  markDone(): void {
    this.done = true;
  }

  /** @internal Whether the study finished this trial. */
  get isDone(): boolean {
    return this.done;
  }

  private checkOpen(what: string): void {
    if (this.done) {
      throw new TrialFinishedError(
        `cannot ${what} trial ${this.number}: it is finished. Suggest, report and set attributes only while the objective runs.`,
      );
    }
  }

  private suggest(name: string, d: Distribution): ParamValue {
    const proposal = this.propose(name, d);
    if (proposal.source === 'suggested') return this.paramValues[name]!;
    return this.record(name, d, proposal.internal);
  }

  /**
   * @internal How a suggest call would answer `name` now, without recording anything: the value
   * already suggested, the fixed (enqueued or grid) one, the single value, the relative sample,
   * or the sampler's independent sample. `sampleSpace` uses it to check a space's constraints
   * before the parameters are recorded.
   */
  propose(name: string, d: Distribution): { internal: number; source: ProposalSource } {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(
        `a parameter name must be a non-empty string, got ${JSON.stringify(name)}.`,
      );
    }
    this.checkOpen(`suggest '${name}' in`);
    if (Object.hasOwn(this.dists, name)) {
      assertCompatible(this.dists[name]!, d, name);
      return { internal: toInternal(d, this.paramValues[name]!), source: 'suggested' };
    }
    if (Object.hasOwn(this.init.view.paramDistributions, name)) {
      assertCompatible(this.init.view.paramDistributions[name]!, d, name);
    }
    const fixed = this.init.fixedParams;
    if (Object.hasOwn(fixed, name)) {
      return { internal: this.fixedInternal(name, d, fixed[name]!), source: 'fixed' };
    }
    if (isSingle(d)) return { internal: d.type === 'categorical' ? 0 : d.low, source: 'single' };
    if (Object.hasOwn(this.init.relativeParams, name) && contains(d, this.init.relativeParams[name]!)) {
      return { internal: this.init.relativeParams[name]!, source: 'relative' };
    }
    let internal = this.init.sampler.sampleIndependent(this.init.view, this.init.frozen, name, d);
    if (!contains(d, internal)) {
      log.warn(
        `sampler '${this.init.sampler.name}' returned ${internal} for '${name}', outside ${JSON.stringify(d)}; snapped into range.`,
      );
      internal = snap(d, internal);
    }
    return { internal, source: 'independent' };
  }

  /**
   * @internal Records `internal` (inside `d`) as the value of `name`, which has none yet in this
   * trial: the last step of a suggest call, and of `sampleSpace` once a point satisfies the
   * space's constraints.
   */
  record(name: string, d: Distribution, internal: number): ParamValue {
    this.checkOpen(`suggest '${name}' in`);
    if (Object.hasOwn(this.dists, name)) {
      throw new InvalidArgumentError(`trial ${this.number}: '${name}' already has a value.`);
    }
    const value = toExternal(d, internal);
    this.paramValues[name] = value;
    this.dists[name] = d;
    this.pendingParams.push({ name, internal, distribution: d });
    this.schedule();
    return value;
  }

  private fixedInternal(name: string, d: Distribution, value: ParamValue): number {
    let internal: number;
    try {
      internal = toInternal(d, value);
    } catch {
      throw new InvalidArgumentError(
        `trial ${this.number}: the fixed (enqueued or grid) value ${JSON.stringify(value)} of '${name}' is not a valid ${d.type} value for ${JSON.stringify(d)}.`,
      );
    }
    if (!contains(d, internal)) {
      throw new InvalidArgumentError(
        `trial ${this.number}: the fixed (enqueued or grid) value ${JSON.stringify(value)} of '${name}' lies outside ${JSON.stringify(d)}. Enqueue a value inside the range, or widen the range.`,
      );
    }
    return internal;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.chain = this.chain
      .then(() => {
        this.scheduled = false;
        return this.writePending();
      })
      .catch((e: unknown) => {
        this.scheduled = false;
        this.writeError ??= e;
      });
  }

  private async writePending(): Promise<void> {
    const storage = this.init.context.storage;
    if (this.pendingParams.length > 0) {
      const params = this.pendingParams;
      this.pendingParams = [];
      await storage.setTrialParams(this.trialId, params);
    }
    while (this.pendingAttrs.length > 0) {
      const a = this.pendingAttrs.shift()!;
      if (a.system) await storage.setTrialSystemAttr(this.trialId, a.key, a.value);
      else await storage.setTrialUserAttr(this.trialId, a.key, a.value);
    }
  }
}
