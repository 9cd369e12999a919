/**
 * `runWorker`: one of many workers of a shared study (on PostgreSQL, or SQLite on one machine).
 * Start it as often as you like, wherever you like: each worker loads the study, runs trials
 * until the study's budget is used (counting every worker's trials), and returns.
 *
 * The budget is `nTrials`, else the study's stored budget (system attribute `tunekit:budget`,
 * `{ "trials": n }`, which `tunekit run` and {@link setStudyBudget} write). A trial counts when it
 * is `complete` or `pruned`, or `fail` without a retry; running and waiting trials are in flight.
 * A worker starts a trial while waiting trials exist or counted + running trials stay under the
 * budget; otherwise it waits for the other workers' trials, failing stale ones (their workers
 * died) so that their retries run. Like Optuna's `MaxTrialsCallback`, workers deciding at the same
 * moment may overshoot by up to (number of workers − 1) trials.
 *
 * Heartbeats are always on: the given options, else the study's stored settings, else every 5 s
 * (grace 10 s, no retries); see `heartbeat.ts`.
 * @module
 */
import type { ConstraintsFunction } from '../core/constraints.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { log } from '../core/logging.js';
import type { Pruner } from '../pruners/base.js';
import type { Sampler } from '../samplers/base.js';
import { getStorage, type StorageLike } from '../storages/get-storage.js';
import { loadStudy } from './create-study.js';
import { type HeartbeatOptions, RETRIED_FROM_ATTR } from './heartbeat.js';
import type { Objective, OptimizeCallback, Study } from './study.js';

/** Study system attribute: the study-wide budget every worker honours, `{ "trials": n }`. */
export const BUDGET_ATTR = 'tunekit:budget';

/** Options of {@link runWorker}. */
export interface RunWorkerOptions extends HeartbeatOptions {
  /** Where the study lives (a `postgresql://` URL for workers on several machines). */
  storage: StorageLike;
  /** The existing study to join. */
  studyName: string;
  objective: Objective;
  /** The study-wide budget (see the module documentation); default: the stored one, else none. */
  nTrials?: number | undefined;
  /** Seconds after which this worker starts no new trial. */
  timeout?: number | undefined;
  sampler?: Sampler | undefined;
  pruner?: Pruner | undefined;
  /** The study's constraints (see `createStudy`), evaluated on each complete trial. */
  constraints?: ConstraintsFunction | undefined;
  /** Trials this worker runs at once (async objectives). Default 1. */
  concurrency?: number | undefined;
  callbacks?: readonly OptimizeCallback[] | undefined;
  /** Handle Ctrl-C as `optimize` does. Default true. */
  handleSigint?: boolean | undefined;
  /** Seconds between two looks at the study while waiting for other workers. Default 0.5. */
  pollInterval?: number | undefined;
}

/** What {@link runWorker} did. */
export interface WorkerResult {
  /** Trials this worker finished. */
  readonly trials: number;
  /** The budget it worked to (null: none). */
  readonly budget: number | null;
  /** The study's trials that count towards the budget when the worker stopped. */
  readonly counted: number;
}

/** How far a study is from its budget. */
export interface BudgetStatus {
  /** Complete, pruned, and failed trials without a retry. */
  readonly counted: number;
  readonly running: number;
  readonly waiting: number;
}

/** Counts the study's trials for the budget (see the module documentation). */
export function budgetStatus(trials: readonly FrozenTrial[]): BudgetStatus {
  const retried = new Set<number>();
  for (const t of trials) {
    const from = t.systemAttrs[RETRIED_FROM_ATTR];
    if (typeof from === 'number') retried.add(from);
  }
  let counted = 0;
  let running = 0;
  let waiting = 0;
  for (const t of trials) {
    if (t.state === 'running') running++;
    else if (t.state === 'waiting') waiting++;
    else if (t.state !== 'fail' || !retried.has(t.number)) counted++;
  }
  return { counted, running, waiting };
}

/** Stores the study-wide budget that workers without `nTrials` honour. */
export async function setStudyBudget(study: Study, budget: { trials: number }): Promise<void> {
  checkTrials(budget.trials);
  await study.storage.setStudySystemAttr(study.studyId, BUDGET_ATTR, { trials: budget.trials });
}

/** The study's stored budget (null: none). */
export async function getStudyBudget(study: Study): Promise<number | null> {
  const stored = (await study.systemAttrs())[BUDGET_ATTR];
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    const trials = (stored as { trials?: unknown }).trials;
    if (typeof trials === 'number') return trials;
  }
  return null;
}

function checkTrials(n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`the budget must be an integer number of trials ≥ 0, got ${String(n)}.`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Joins an existing study and runs trials until its budget is used (see the module
 * documentation). The storage is closed afterwards when it was given as a URL.
 * @example
 * ```ts
 * // on every machine:
 * await runWorker({
 *   storage: process.env.TUNEKIT_STORAGE!, // postgresql://tunekit@db:5432/studies
 *   studyName: 'mlp',
 *   objective: (trial) => train(trial.suggestFloat('lr', 1e-5, 1e-1, { log: true })),
 *   failedTrialRetries: 2,
 * });
 * ```
 */
export async function runWorker(options: RunWorkerOptions): Promise<WorkerResult> {
  if (typeof options.objective !== 'function') {
    throw new InvalidArgumentError('runWorker() needs an objective function (trial) => number.');
  }
  const pollMs = (options.pollInterval ?? 0.5) * 1000;
  if (!(pollMs > 0)) {
    throw new InvalidArgumentError(
      `pollInterval must be a positive number of seconds, got ${options.pollInterval}.`,
    );
  }
  const storage = await getStorage(options.storage);
  const load = (heartbeat: HeartbeatOptions) =>
    loadStudy({
      studyName: options.studyName,
      storage,
      sampler: options.sampler,
      pruner: options.pruner,
      constraints: options.constraints,
      ...heartbeat,
    });
  try {
    // The given heartbeat options, else the study's stored ones, else every 5 s.
    let study = await load(options);
    if (study.heartbeatSettings === null) study = await load({ heartbeatInterval: 5 });
    return await work(study, options, pollMs);
  } finally {
    if (typeof options.storage === 'string') await storage.close();
  }
}

async function work(study: Study, options: RunWorkerOptions, pollMs: number): Promise<WorkerResult> {
  if (options.nTrials !== undefined) checkTrials(options.nTrials);
  const budget = options.nTrials ?? (await getStudyBudget(study));
  let finished = 0;
  let announcedWait = false;
  const enough = async (): Promise<boolean> => {
    if (budget === null) return true;
    for (;;) {
      const s = budgetStatus(await study.getTrials());
      if (s.counted >= budget) return false;
      if (s.waiting > 0 || s.counted + s.running < budget) return true;
      if (!announcedWait) {
        announcedWait = true;
        log.info(
          `study '${study.studyName}': ${s.counted} of ${budget} trials done and ${s.running} running; waiting for them.`,
        );
      }
      await study.failStaleTrials();
      await sleep(pollMs);
    }
  };
  await study.optimize(options.objective, {
    timeout: options.timeout,
    concurrency: options.concurrency,
    handleSigint: options.handleSigint,
    callbacks: [
      () => {
        finished++;
      },
      ...(options.callbacks ?? []),
    ],
    beforeTrial: enough,
  });
  const counted = budgetStatus(await study.getTrials()).counted;
  return { trials: finished, budget, counted };
}
