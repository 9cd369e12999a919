/**
 * A study: one optimisation run, its trials and its settings.
 * @module
 */

import { bestOf, paretoFront } from '../core/best-trial.js';
import {
  CONSTRAINTS_ATTR,
  type ConstraintsFunction,
  evaluateConstraints,
  hasConstraints,
} from '../core/constraints.js';
import type { Distribution, ParamValue } from '../core/distributions.js';
import {
  InvalidArgumentError,
  isTrialPruned,
  NoCompletedTrialsError,
  SearchSpaceExhaustedError,
  TrialFinishedError,
  TrialNotFoundError,
} from '../core/errors.js';
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../core/frozen-trial.js';
import { log } from '../core/logging.js';
import { FAIL_REASON_ATTR, FIXED_PARAMS_ATTR } from '../core/system-attrs.js';
import type { Pruner } from '../pruners/base.js';
import type { Sampler, SearchSpace, StudyContext, StudyView } from '../samplers/base.js';
import type { WarmStart } from '../samplers/warm-start.js';
import type { InferShape, Shape } from '../space/nodes.js';
import { sampleSpace } from '../space/sample-space.js';
import { isSpace, type Space } from '../space/space.js';
import type { HeartbeatStorage, Storage } from '../storages/base.js';
import { canCreateUnlessWaiting } from '../storages/create-unless-waiting.js';
import { copyJson, jsonEqual } from '../storages/rules.js';
import { Trial } from '../trial/trial.js';
import { importTemplate } from './create-trial.js';
import { failStaleTrials, Heartbeat, type HeartbeatSettings, isStaleFailure } from './heartbeat.js';
import { takeSnapshot } from './study-view.js';

/** What an objective returns: one number per direction (a plain number for one objective). */
export type ObjectiveResult = number | readonly number[];

/** The function `optimize` calls for each trial. It may be async. */
export type Objective = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

/**
 * The function `optimize(space, objective)` calls for each trial: the params sampled from the
 * declared space (typed), and the trial (to report, prune, or suggest more parameters).
 */
export type SpaceObjective<P> = (params: P, trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

/** Called after each trial `optimize` finishes, with the finished trial. */
export type OptimizeCallback = (study: Study, trial: FrozenTrial) => void | Promise<void>;

/** Options of {@link Study.optimize}. */
export interface OptimizeOptions {
  /** How many trials this call runs. Omitted: until `timeout`, `study.stop()` or Ctrl-C. */
  nTrials?: number | undefined;
  /** Seconds after which no new trial starts; running trials finish. */
  timeout?: number | undefined;
  /** Trials run at once in this process (for async objectives). Default 1. */
  concurrency?: number | undefined;
  /** Called after each finished trial, in order. */
  callbacks?: readonly OptimizeCallback[] | undefined;
  /**
   * When the objective throws, the trial is marked `fail` with the message and, by default, the
   * study goes on. With `stopOnError: true` the error is re-thrown after the trial is marked.
   */
  stopOnError?: boolean | undefined;
  /**
   * Handle Ctrl-C (SIGINT): running trials are marked `fail`, then the signal goes on to end the
   * process as usual. Default true.
   */
  handleSigint?: boolean | undefined;
  /**
   * Awaited before each trial starts; resolving `false` ends this call's loop. It may wait (for
   * other workers' trials, say). `runWorker` uses it to share a study-wide budget.
   */
  beforeTrial?: ((study: Study) => boolean | Promise<boolean>) | undefined;
}

/** The second argument of {@link Study.tell}. */
export type TellResult =
  | ObjectiveResult
  | { readonly state?: 'complete' | 'pruned' | 'fail'; readonly values?: ObjectiveResult };

/** Options of {@link Study.enqueueTrial}. */
export interface EnqueueOptions {
  /** User attributes the trial starts with. */
  userAttrs?: Record<string, JsonValue>;
  /** Do nothing when a trial with exactly these fixed parameters already exists. */
  skipIfExists?: boolean;
}

/** @internal What `createStudy`/`loadStudy` hand to the constructor. */
export interface StudyInit {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** Heartbeat settings (see `heartbeat.ts`); null or absent: no heartbeats. */
  readonly heartbeat?: HeartbeatSettings | null | undefined;
  /** The constraint function (see `constraints.ts`); null or absent: none. */
  readonly constraints?: ConstraintsFunction | null | undefined;
  /** Trials of earlier studies the samplers learn from (see `warm-start.ts`); absent: none. */
  readonly warmStart?: WarmStart | undefined;
}

/**
 * One optimisation run. Create one with `createStudy` or `loadStudy`.
 *
 * @example
 * ```ts
 * const study = await createStudy({ direction: 'minimize' });
 * await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 50 });
 * console.log(await study.bestParams());
 * ```
 */
export class Study {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** The constraint function evaluated after each complete trial, or null. */
  readonly constraints: ConstraintsFunction | null;
  private stopRequested = false;
  private readonly context: StudyContext;
  private readonly heartbeat: Heartbeat | null;

  /** @internal Use `createStudy` or `loadStudy`. */
  constructor(init: StudyInit) {
    this.studyId = init.studyId;
    this.studyName = init.studyName;
    this.directions = [...init.directions];
    this.storage = init.storage;
    this.sampler = init.sampler;
    this.pruner = init.pruner;
    this.constraints = init.constraints ?? null;
    this.context = {
      studyId: this.studyId,
      studyName: this.studyName,
      directions: this.directions,
      storage: this.storage,
      ...(init.warmStart === undefined ? {} : { warmStart: init.warmStart }),
    };
    this.heartbeat = init.heartbeat
      ? new Heartbeat(this.storage as HeartbeatStorage, this.studyId, init.heartbeat)
      : null;
  }

  /** The heartbeat settings, or null when this study object does not heartbeat its trials. */
  get heartbeatSettings(): HeartbeatSettings | null {
    return this.heartbeat?.settings ?? null;
  }

  /**
   * Marks `fail` the running trials whose heartbeat is older than the grace period, enqueueing
   * their retries (see `heartbeat.ts`), and returns them. `ask()` does this on its own (at most
   * once per heartbeat interval); call it from a loop that waits for other workers. Needs
   * `heartbeatInterval`.
   */
  async failStaleTrials(): Promise<FrozenTrial[]> {
    if (this.heartbeat === null) {
      throw new InvalidArgumentError(
        'failStaleTrials() needs a study created or loaded with heartbeatInterval.',
      );
    }
    return failStaleTrials(this.heartbeat.storage, this.studyId, this.heartbeat.settings);
  }

  /** The direction of a single-objective study. Throws for multi-objective studies. */
  get direction(): StudyDirection {
    this.requireSingleObjective('direction');
    return this.directions[0]!;
  }

  /** Whether the study has several objectives. */
  get isMultiObjective(): boolean {
    return this.directions.length > 1;
  }

  /**
   * Runs the objective on new trials until `nTrials` are done, `timeout` seconds passed, the
   * sampler has no point left, or `stop()` was called. A trial whose objective throws is marked
   * `fail` (its message stored) and the study goes on; `TrialPruned` marks it `pruned`; NaN or a
   * wrong number of values marks it `fail` with a clear message.
   *
   * With a declared space (`optimize(space, (params, trial) => …)`), each trial's params are
   * sampled from the space (`sampleSpace`, its constraints enforced) and passed typed to the
   * objective, which may still suggest more parameters on the trial. The sampler is told the
   * space first (`Sampler.declareSpace`: `new GridSampler()` enumerates it).
   * @example
   * ```ts
   * const s = space({ lr: float(1e-4, 1e-1, { log: true }), layers: int(1, 4) });
   * await study.optimize(s, (p, trial) => train(p.lr, p.layers, trial), { nTrials: 50 });
   * ```
   */
  optimize(objective: Objective, options?: OptimizeOptions): Promise<void>;
  optimize<S extends Shape>(
    space: Space<S>,
    objective: SpaceObjective<InferShape<S>>,
    options?: OptimizeOptions,
  ): Promise<void>;
  async optimize(
    objectiveOrSpace: Objective | Space,
    second?: OptimizeOptions | SpaceObjective<never>,
    third?: OptimizeOptions,
  ): Promise<void> {
    if (isSpace(objectiveOrSpace)) {
      const declared = objectiveOrSpace;
      const fn = second as SpaceObjective<unknown> | undefined;
      if (typeof fn !== 'function') {
        throw new InvalidArgumentError(
          'optimize(space, objective) needs an objective function (params, trial) => number after the space.',
        );
      }
      this.sampler.declareSpace?.(declared);
      return this.optimize((trial) => fn(sampleSpace(trial, declared), trial), third);
    }
    const objective = objectiveOrSpace;
    const options = (second ?? {}) as OptimizeOptions;
    if (typeof objective !== 'function') {
      throw new InvalidArgumentError('optimize() needs an objective function (trial) => number.');
    }
    const nTrials = options.nTrials;
    if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 0)) {
      throw new InvalidArgumentError(`nTrials must be an integer ≥ 0, got ${String(nTrials)}.`);
    }
    const timeout = options.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
      throw new InvalidArgumentError(`timeout must be a positive number of seconds, got ${String(timeout)}.`);
    }
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError(`concurrency must be an integer ≥ 1, got ${String(concurrency)}.`);
    }
    const callbacks = options.callbacks ?? [];
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
    this.stopRequested = false;
    let started = 0;
    let fatal: { error: unknown } | null = null;
    const running = new Set<Trial>();

    const onSigint = (): void => {
      this.stopRequested = true;
      const marks = [...running].map((t) => this.failRunning(t, 'interrupted by SIGINT (Ctrl-C)'));
      void Promise.allSettled(marks).then(() => {
        process.removeListener('SIGINT', onSigint);
        log.warn(`study '${this.studyName}': interrupted; ${marks.length} running trial(s) marked fail.`);
        if (process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT');
      });
    };
    const handleSigint = options.handleSigint ?? true;
    if (handleSigint) process.on('SIGINT', onSigint);

    const worker = async (): Promise<void> => {
      while (!this.stopRequested && fatal === null && (nTrials === undefined || started < nTrials)) {
        if (Date.now() >= deadline) break;
        if (options.beforeTrial !== undefined) {
          let go: boolean;
          try {
            go = await options.beforeTrial(this);
          } catch (e) {
            fatal ??= { error: e };
            break;
          }
          if (!go || this.stopRequested || fatal !== null) break;
        }
        started++;
        let trial: Trial;
        try {
          trial = await this.ask();
        } catch (e) {
          if (e instanceof SearchSpaceExhaustedError) {
            log.info(`study '${this.studyName}': ${e.message}`);
            this.stopRequested = true;
            break;
          }
          // Stop every worker before rejecting, so none starts trials after optimize returned.
          fatal ??= { error: e };
          break;
        }
        running.add(trial);
        try {
          const frozen = await this.runOne(objective, trial, options.stopOnError ?? false);
          for (const cb of callbacks) await cb(this, frozen);
        } catch (e) {
          fatal ??= { error: e };
        } finally {
          running.delete(trial);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, () => worker()));
    } finally {
      if (handleSigint) process.removeListener('SIGINT', onSigint);
    }
    if (fatal !== null) throw (fatal as { error: unknown }).error;
  }

  /** Asks the optimizer to stop starting trials; running trials finish. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Starts a trial for an ask-and-tell loop: suggest on the returned trial, evaluate, then
   * `tell`. Takes the oldest enqueued trial first.
   * @example
   * ```ts
   * const trial = await study.ask();
   * const x = trial.suggestFloat('x', -1, 1);
   * await study.tell(trial, x * x);
   * ```
   */
  async ask(): Promise<Trial> {
    // Trials of dead workers are failed (and their retries enqueued) before the queue is read.
    await this.heartbeat?.checkStale();
    let frozen: FrozenTrial | null = null;
    if (this.sampler.prepareTrial === undefined && canCreateUnlessWaiting(this.storage)) {
      // One round trip when nothing is waiting (the usual case): check and create together.
      frozen = await this.storage.createTrialUnlessWaiting(this.studyId, {
        state: 'running',
        systemAttrs: {},
      });
    }
    frozen ??= await this.storage.claimWaitingTrial(this.studyId);
    if (frozen === null) {
      const prepared = await this.sampler.prepareTrial?.(this.context);
      if (prepared?.stop) {
        this.stopRequested = true;
        throw new SearchSpaceExhaustedError(
          `sampler '${this.sampler.name}' has no point left to try (every grid point was taken).`,
        );
      }
      const systemAttrs: Record<string, JsonValue> = { ...(prepared?.systemAttrs ?? {}) };
      if (prepared?.fixedParams) systemAttrs[FIXED_PARAMS_ATTR] = { ...prepared.fixedParams } as JsonValue;
      frozen = await this.storage.createTrial(this.studyId, { state: 'running', systemAttrs });
    }
    if (this.heartbeat !== null) {
      try {
        await this.heartbeat.begin(frozen.trialId);
      } catch (e) {
        this.heartbeat.end(frozen.trialId);
        await this.storage.finishTrial(frozen.trialId, 'fail', null).catch(() => undefined);
        throw e;
      }
    }
    let view: StudyView;
    let relativeSpace: SearchSpace;
    let relativeParams: Record<string, number>;
    try {
      view = await takeSnapshot(this.context);
      await this.sampler.beforeTrial?.(view, frozen);
      relativeSpace = this.sampler.inferRelativeSearchSpace(view, frozen);
      relativeParams =
        Object.keys(relativeSpace).length === 0
          ? {}
          : this.sampler.sampleRelative(view, frozen, relativeSpace);
    } catch (e) {
      const message = `sampler '${this.sampler.name}' failed before the trial ran: ${(e as Error).message}`;
      try {
        await this.storage.setTrialSystemAttr(frozen.trialId, FAIL_REASON_ATTR, message);
        await this.storage.finishTrial(frozen.trialId, 'fail', null);
      } finally {
        this.heartbeat?.end(frozen.trialId);
      }
      throw e;
    }
    const fixed = frozen.systemAttrs[FIXED_PARAMS_ATTR];
    return new Trial({
      context: this.context,
      sampler: this.sampler,
      pruner: this.pruner,
      frozen,
      view,
      fixedParams: (fixed && typeof fixed === 'object' && !Array.isArray(fixed) ? fixed : {}) as Record<
        string,
        ParamValue
      >,
      relativeSpace,
      relativeParams,
    });
  }

  /**
   * Finishes a trial started by `ask`: `tell(trial, 0.42)`, `tell(trial, [0.1, 3])`,
   * `tell(trial, { state: 'pruned' })` or `tell(trial, { state: 'fail' })`. A trial can also be
   * named by its number. NaN or a wrong number of values marks the trial `fail` with a warning.
   * Throws `TrialFinishedError` for a trial that is already finished.
   */
  async tell(trial: Trial | number, result: TellResult): Promise<FrozenTrial> {
    let state: 'complete' | 'pruned' | 'fail' = 'complete';
    let raw: ObjectiveResult | undefined;
    if (typeof result === 'number' || Array.isArray(result)) raw = result as ObjectiveResult;
    else if (result && typeof result === 'object') {
      const r = result as { state?: unknown; values?: ObjectiveResult };
      if (r.state !== undefined && r.state !== 'complete' && r.state !== 'pruned' && r.state !== 'fail') {
        throw new InvalidArgumentError(
          `tell(): state must be 'complete', 'pruned' or 'fail', got ${JSON.stringify(r.state)}.`,
        );
      }
      state = (r.state as typeof state | undefined) ?? 'complete';
      raw = r.values;
    } else {
      throw new InvalidArgumentError(
        `tell() needs a number, an array of numbers or { state, values }, got ${JSON.stringify(result)}.`,
      );
    }
    const trialId = typeof trial === 'number' ? await this.trialIdOf(trial) : trial.trialId;
    let values: number[] | null = null;
    let reason: string | null = null;
    if (typeof trial !== 'number') {
      try {
        await trial.flush();
      } catch (e) {
        // A buffered write failed (say, another worker registered the parameter with another
        // kind): the trial cannot be complete. It fails with the reason instead of staying running.
        state = 'fail';
        reason = `a write of the trial failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
        log.warn(`trial ${trial.number} failed: ${reason}`);
      }
    }
    if (state === 'complete') {
      const checked = this.checkValues(raw);
      if (typeof checked === 'string') {
        state = 'fail';
        reason = checked;
        log.warn(`trial ${typeof trial === 'number' ? trial : trial.number} failed: ${checked}`);
      } else values = checked;
    }
    // Constraints are evaluated on the complete trial before it is stored (as Optuna does in
    // after_trial), so the values land in the trial's system attributes while it may still be
    // written. A failing constraint function does not lose the value: the trial is stored
    // complete without constraint values (infeasible) and the error is thrown afterwards.
    let constraintValues: number[] | null = null;
    let constraintError: unknown = null;
    if (state === 'complete' && values !== null && this.constraints !== null) {
      const running = await this.storage.getTrial(trialId);
      const completed: FrozenTrial = { ...running, state: 'complete', values: [...values] };
      try {
        constraintValues = evaluateConstraints(this.constraints, completed);
      } catch (e) {
        constraintError = e;
      }
    }
    const lost = await this.store(trialId, async () => {
      if (reason !== null) await this.storage.setTrialSystemAttr(trialId, FAIL_REASON_ATTR, reason);
      if (constraintValues !== null) {
        await this.storage.setTrialSystemAttr(trialId, CONSTRAINTS_ATTR, constraintValues);
      }
      await this.storage.finishTrial(trialId, state, values);
    });
    if (typeof trial !== 'number') trial.markDone();
    if (lost !== null) return lost;
    if (constraintError !== null) throw constraintError;
    const frozen = await this.storage.getTrial(trialId);
    if (this.sampler.afterTrial) {
      const view = await takeSnapshot(this.context);
      await this.sampler.afterTrial(view, frozen, state, values);
    }
    return frozen;
  }

  /**
   * Adds a trial to run next with the given parameter values; parameters it does not name are
   * sampled as usual. Values must lie inside the distributions the objective suggests.
   * @example
   * ```ts
   * await study.enqueueTrial({ lr: 1e-3, optimizer: 'adam' });
   * ```
   */
  async enqueueTrial(params: Record<string, ParamValue>, options: EnqueueOptions = {}): Promise<void> {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new InvalidArgumentError(
        'enqueueTrial() needs an object of parameter values, such as { lr: 0.001 }.',
      );
    }
    const fixed = copyJson(params, 'enqueued parameters') as Record<string, JsonValue>;
    if (options.skipIfExists) {
      const trials = await this.storage.getAllTrials(this.studyId);
      for (const t of trials) {
        const f = t.systemAttrs[FIXED_PARAMS_ATTR];
        if (jsonEqual(f, fixed) || (t.state !== 'waiting' && jsonEqual({ ...t.params }, fixed))) return;
      }
    }
    await this.storage.createTrial(this.studyId, {
      state: 'waiting',
      systemAttrs: { [FIXED_PARAMS_ATTR]: fixed },
      userAttrs: options.userAttrs ?? {},
    });
  }

  /**
   * The warm start samplers learn from (`createStudy({ warmStartFrom })`): complete trials of
   * earlier studies, by source, and their weight. Not trials of this study. Undefined when none.
   */
  get warmStart(): WarmStart | undefined {
    return this.context.warmStart;
  }

  /**
   * Imports finished trials (complete, pruned or fail) as trials of this study, with their
   * parameters, distributions, values, intermediate values and attributes; they get new numbers
   * after the existing trials. Build one from plain data with `createTrial`, or pass trials of
   * another study. Every trial is checked before any is written: a complete trial needs one value
   * per direction, every parameter a distribution containing its value, compatible with the
   * study's (same kind; categoricals the same choices). Returns the stored trials.
   * @example
   * ```ts
   * await study.addTrials(await earlier.getTrials({ states: ['complete'] }));
   * ```
   */
  async addTrials(trials: readonly FrozenTrial[]): Promise<FrozenTrial[]> {
    if (!Array.isArray(trials)) {
      throw new InvalidArgumentError(
        `addTrials() needs an array of finished trials (see createTrial), got ${JSON.stringify(trials)}.`,
      );
    }
    const registry = { ...(await this.storage.getParamDistributions(this.studyId)) };
    const templates = trials.map((t, i) =>
      importTemplate(t, this.directions, registry, `addTrials(): trial [${i}]`),
    );
    const out: FrozenTrial[] = [];
    for (const template of templates) out.push(await this.storage.createTrial(this.studyId, template));
    return out;
  }

  /** Imports one finished trial (see {@link Study.addTrials}); returns the stored trial. */
  async addTrial(trial: FrozenTrial): Promise<FrozenTrial> {
    if (trial === null || typeof trial !== 'object' || Array.isArray(trial)) {
      throw new InvalidArgumentError(
        `addTrial() needs one finished trial (see createTrial), got ${JSON.stringify(trial)}.`,
      );
    }
    const registry = { ...(await this.storage.getParamDistributions(this.studyId)) };
    const template = importTemplate(trial, this.directions, registry, 'addTrial()');
    return this.storage.createTrial(this.studyId, template);
  }

  /** Trials of the study in number order, optionally only some states. */
  async getTrials(options: { states?: readonly TrialState[] } = {}): Promise<FrozenTrial[]> {
    const filter = options.states === undefined ? undefined : { states: options.states };
    return [...(await this.storage.getAllTrials(this.studyId, filter))];
  }

  /**
   * The best complete trial; with constraints (or trials that carry constraint values), the best
   * feasible one. Throws for multi-objective studies and when none completed (or none is feasible).
   */
  async bestTrial(): Promise<FrozenTrial> {
    this.requireSingleObjective('bestTrial()');
    const complete = await this.storage.getAllTrials(this.studyId, { states: ['complete'] });
    const feasibleOnly = this.isConstrained(complete);
    const best = bestOf(complete, this.directions, { feasibleOnly });
    if (best === null && feasibleOnly && complete.length > 0) {
      throw new NoCompletedTrialsError(
        `study '${this.studyName}' has ${complete.length} complete trial(s) but none is feasible (every constraint value ≤ 0). Run more trials, or inspect the '${CONSTRAINTS_ATTR}' system attribute of study.getTrials().`,
      );
    }
    if (best === null) {
      throw new NoCompletedTrialsError(
        `study '${this.studyName}' has no complete trial yet. Run study.optimize() first, or check why trials failed with study.getTrials().`,
      );
    }
    return best;
  }

  /** The objective value of the best trial. */
  async bestValue(): Promise<number> {
    return (await this.bestTrial()).values![0]!;
  }

  /** The parameters of the best trial. */
  async bestParams(): Promise<Record<string, ParamValue>> {
    return { ...(await this.bestTrial()).params };
  }

  /**
   * The Pareto front: the complete trials no other complete trial dominates. With constraints,
   * the front among the feasible complete trials (empty when none is feasible).
   */
  async bestTrials(): Promise<FrozenTrial[]> {
    const complete = await this.storage.getAllTrials(this.studyId, { states: ['complete'] });
    return paretoFront(complete, this.directions, { feasibleOnly: this.isConstrained(complete) });
  }

  /** Whether feasibility counts: the study has a constraint function or its trials carry values. */
  private isConstrained(trials: readonly FrozenTrial[]): boolean {
    return this.constraints !== null || hasConstraints(trials);
  }

  /** The study's user attributes. */
  async userAttrs(): Promise<Record<string, JsonValue>> {
    return this.storage.getStudyUserAttrs(this.studyId);
  }

  /** Sets a study user attribute. */
  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    await this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  /** The study's system attributes (written by samplers and tunekit). */
  async systemAttrs(): Promise<Record<string, JsonValue>> {
    return this.storage.getStudySystemAttrs(this.studyId);
  }

  /** The distribution each parameter has in this study. */
  async paramDistributions(): Promise<Record<string, Distribution>> {
    return this.storage.getParamDistributions(this.studyId);
  }

  private async runOne(objective: Objective, trial: Trial, stopOnError: boolean): Promise<FrozenTrial> {
    let result: ObjectiveResult;
    try {
      result = await objective(trial);
    } catch (e) {
      if (trial.isDone) throw e;
      if (isTrialPruned(e)) return this.tell(trial, { state: 'pruned' });
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const frozen = await this.failRunning(trial, message);
      log.warn(`trial ${trial.number} failed: ${message}`);
      if (stopOnError) throw e;
      return frozen;
    }
    if (trial.isDone) {
      throw new InvalidArgumentError(
        `trial ${trial.number} was already told inside the objective; return the value instead of calling tell().`,
      );
    }
    return this.tell(trial, { state: 'complete', values: result });
  }

  private async failRunning(trial: Trial, reason: string): Promise<FrozenTrial> {
    trial.markDone();
    try {
      await trial.flush();
    } catch (e) {
      reason += ` (and a write failed: ${(e as Error).message})`;
    }
    const lost = await this.store(trial.trialId, async () => {
      await this.storage.setTrialSystemAttr(trial.trialId, FAIL_REASON_ATTR, reason);
      await this.storage.finishTrial(trial.trialId, 'fail', null);
    });
    if (lost !== null) return lost;
    const frozen = await this.storage.getTrial(trial.trialId);
    if (this.sampler.afterTrial)
      await this.sampler.afterTrial(await takeSnapshot(this.context), frozen, 'fail', null);
    return frozen;
  }

  /**
   * Runs the writes that finish a trial and stops its heartbeat. When heartbeats are on and
   * another worker already failed the trial as stale, logs it and returns the stored trial
   * (the run goes on) instead of throwing `TrialFinishedError`; null otherwise.
   */
  private async store(trialId: number, write: () => Promise<void>): Promise<FrozenTrial | null> {
    try {
      await write();
      return null;
    } catch (e) {
      if (this.heartbeat === null || !(e instanceof TrialFinishedError)) throw e;
      const stored = await this.storage.getTrial(trialId);
      if (!isStaleFailure(stored)) throw e;
      log.warn(
        `trial ${stored.number} was marked fail by another worker (its heartbeat stopped for more than ${this.heartbeat.settings.grace} s); this worker's result was not stored.`,
      );
      return stored;
    } finally {
      this.heartbeat?.end(trialId);
    }
  }

  private checkValues(raw: ObjectiveResult | undefined): number[] | string {
    const n = this.directions.length;
    if (raw === undefined || raw === null) {
      return `the objective returned ${String(raw)}; it must return ${n === 1 ? 'a number' : `${n} numbers`}.`;
    }
    const values = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? [...raw] : null;
    if (values === null) return `the objective returned ${JSON.stringify(raw)}, which is not a number.`;
    if (values.length !== n) {
      return `the objective returned ${values.length} value(s) but the study has ${n} direction(s).`;
    }
    for (const v of values) {
      if (typeof v !== 'number') return `the objective returned ${JSON.stringify(v)}, which is not a number.`;
      if (Number.isNaN(v)) return 'the objective returned NaN.';
    }
    return values;
  }

  private async trialIdOf(number: number): Promise<number> {
    const trials = await this.storage.getAllTrials(this.studyId);
    const t = trials[number];
    if (t === undefined || t.number !== number) {
      throw new TrialNotFoundError(`study '${this.studyName}' has no trial number ${number}.`);
    }
    return t.trialId;
  }

  private requireSingleObjective(what: string): void {
    if (this.directions.length !== 1) {
      throw new InvalidArgumentError(
        `${what} is for single-objective studies; this one has ${this.directions.length} objectives. Use bestTrials() for the Pareto front.`,
      );
    }
  }
}
