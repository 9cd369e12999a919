/**
 * `tunekit run`'s engine: asks the study for trials, runs the command for each (with its
 * parameters as arguments, environment variables and a JSON file), feeds reports to the
 * pruner, and tells the study how each trial ended. Failures of a trial are data: the trial
 * fails with the reason and the study goes on.
 *
 * What a trial's command receives:
 * - its arguments, with `{name}` placeholders filled in;
 * - `TUNEKIT_PARAM_<NAME>` for each active parameter, `TUNEKIT_PARAMS_FILE` (a JSON object of
 *   the parameters), `TUNEKIT_TRIAL_NUMBER`, `TUNEKIT_STUDY`, `TUNEKIT_RESULT_FILE`;
 * - `CUDA_VISIBLE_DEVICES` when GPUs are shared (`gpus`, `gpusPerTrial`), and
 *   `PYTHONUNBUFFERED=1` (so that a Python script's reports arrive as they are printed).
 *
 * What the trial records: the system attributes `tunekit:log_path` (its stdout and stderr),
 * `tunekit:command`, `tunekit:gpus`, `tunekit:runner` (host and pid of the run, so that a later
 * run can tell a trial left running by a dead run) and, for a failed trial, `tunekit:fail_reason`.
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { assertCompatible, type ParamValue } from '../../core/distributions.js';
import { InvalidArgumentError, SearchSpaceExhaustedError, TunekitError } from '../../core/errors.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { FAIL_REASON_ATTR } from '../../core/system-attrs.js';
import { spaceFromJson } from '../../space/from-json.js';
import { createStudy } from '../../study/create-study.js';
import type { Study } from '../../study/study.js';
import type { Trial } from '../../trial/trial.js';
import type { BestInfo, Reporter, Summary } from '../progress.js';
import { createPruner, createSampler } from '../registry.js';
import { suggestAll } from '../space.js';
import { type StudySpec, toDistribution } from '../study-file.js';
import { type Fill, fillArgv, fillShell, formatValue, paramEnvName, splitCommand } from './command.js';
import { GpuPool } from './gpu-pool.js';
import { orderValues } from './protocol.js';
import { type ProcessOutcome, startTrialProcess, type TrialProcess } from './trial-process.js';

/** Trial system attribute: the file holding the trial's stdout and stderr. */
export const LOG_PATH_ATTR = 'tunekit:log_path';
/** Trial system attribute: the command as run (arguments, or the shell line). */
export const COMMAND_ATTR = 'tunekit:command';
/** Trial system attribute: the GPUs the trial had (CUDA_VISIBLE_DEVICES). */
export const GPUS_ATTR = 'tunekit:gpus';
/** Trial system attribute: `{host, pid}` of the `tunekit run` process that runs the trial. */
export const RUNNER_ATTR = 'tunekit:runner';
/** Study system attribute: the names of the objectives. */
export const METRIC_NAMES_ATTR = 'tunekit:metric_names';

/** The exit code of a run stopped by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

/** How a run ended. */
export interface RunResult {
  readonly summary: Summary;
  /** 0, 3 (no trial of this run succeeded), 129 (SIGHUP), 130 (SIGINT) or 143 (SIGTERM). */
  readonly exitCode: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A folder name for a study. */
export function safeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  if (safe === name && safe !== '.' && safe !== '..') return safe;
  // Two names that clean up alike ('a b', 'a_b') still get folders of their own.
  return `${safe || 'study'}-${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

/** One `tunekit run`. */
export class StudyRun {
  private stopping = false;
  private interruptedBy: NodeJS.Signals | null = null;
  private stoppedBecause: string | null = null;
  private fatal: { error: unknown } | null = null;
  private readonly running = new Map<number, TrialProcess>();
  private counts = { complete: 0, pruned: 0, fail: 0 };

  constructor(
    private readonly spec: StudySpec,
    private readonly storage: string,
    private readonly reporter: Reporter,
  ) {}

  /** Ctrl-C: the first stops every running trial (they fail); the next kills them at once. */
  interrupt(signal: NodeJS.Signals): void {
    if (this.interruptedBy !== null) {
      for (const p of this.running.values()) p.kill();
      return;
    }
    this.interruptedBy = signal;
    this.stopping = true;
    for (const p of this.running.values())
      p.stop(`interrupted by ${signal}${signal === 'SIGINT' ? ' (Ctrl-C)' : ''}`);
  }

  /** Runs the study; rejects only for errors that are not a trial's (storage, configuration). */
  async run(): Promise<RunResult> {
    const spec = this.spec;
    const startedAt = Date.now();
    const study = await createStudy({
      studyName: spec.study,
      storage: this.storage,
      directions: spec.directions,
      sampler: spec.sampler === undefined ? undefined : createSampler(spec.sampler),
      pruner: spec.pruner === undefined ? undefined : createPruner(spec.pruner),
      loadIfExists: true,
      warmStartFrom: spec.warmStartFrom?.map((studyName) => ({ studyName })),
      warmStartWeight: spec.warmStartWeight,
    });
    try {
      // As study.optimize(space, …) does: a sampler that enumerates a declared space (grid) gets
      // the study file's params, conditions and nested choices included, before any trial.
      study.sampler.declareSpace?.(spaceFromJson(spec.params));
      return await this.runStudy(study, startedAt);
    } finally {
      await study.storage.close();
    }
  }

  private async runStudy(study: Study, startedAt: number): Promise<RunResult> {
    const spec = this.spec;
    if (spec.metrics !== undefined) {
      await study.storage.setStudySystemAttr(study.studyId, METRIC_NAMES_ATTR, [...spec.metrics]);
    }
    await this.checkStoredSpace(study);
    await this.failAbandoned(study);
    for (const point of spec.enqueue) await study.enqueueTrial(point, { skipIfExists: true });

    const before = await study.getTrials({ states: ['complete', 'pruned', 'fail'] });
    const finished = before.filter((t) => t.state !== 'fail').length;
    const toRun = spec.trials === undefined ? undefined : Math.max(0, spec.trials - finished);
    const logDir = resolve(spec.logDir, safeName(spec.study));
    mkdirSync(logDir, { recursive: true });

    let concurrency = spec.concurrency;
    let pool: GpuPool | null = null;
    if (spec.gpus.length > 0) {
      pool = new GpuPool(spec.gpus, spec.gpusPerTrial);
      if (concurrency > pool.slots) {
        this.reporter.warn(
          `concurrency ${concurrency} is more than the ${pool.slots} GPU slot(s) (${spec.gpus.length} GPU(s), ${spec.gpusPerTrial} per trial); running ${pool.slots} at a time.`,
        );
        concurrency = pool.slots;
      }
    }
    if (toRun !== undefined) concurrency = Math.max(1, Math.min(concurrency, toRun));
    this.reporter.start({
      study: spec.study,
      storage: this.storage,
      directions: spec.directions,
      toRun,
      alreadyFinished: before.length,
      concurrency,
      logDir,
    });
    if (toRun === 0) {
      this.stoppedBecause = `the study already has ${finished} complete or pruned trial(s) (trials: ${spec.trials}); raise trials to run more.`;
    }

    const deadline = spec.timeout === undefined ? Number.POSITIVE_INFINITY : startedAt + spec.timeout * 1000;
    let started = 0;
    const worker = async (): Promise<void> => {
      while (!this.stopping && this.fatal === null && (toRun === undefined || started < toRun)) {
        if (Date.now() >= deadline) {
          this.stoppedBecause ??= `the study timeout (${spec.timeout} s) passed; no new trial was started.`;
          break;
        }
        started++;
        const gpus = pool ? await pool.acquire() : [];
        try {
          await this.runTrial(study, logDir, gpus);
        } catch (e) {
          this.fatal ??= { error: e };
          this.stopping = true;
          for (const p of this.running.values()) p.stop(`the run stopped: ${(e as Error).message}`);
        } finally {
          pool?.release(gpus);
        }
      }
    };
    await Promise.all(Array.from({ length: toRun === 0 ? 0 : concurrency }, () => worker()));

    const summary = await this.summarize(study, startedAt, logDir);
    if (this.fatal !== null) {
      this.reporter.finish(summary);
      throw this.fatal.error;
    }
    this.reporter.finish(summary);
    let exitCode = 0;
    if (this.interruptedBy !== null) exitCode = SIGNAL_EXIT_CODES[this.interruptedBy] ?? 130;
    else if (this.counts.complete + this.counts.pruned === 0 && this.counts.fail > 0) exitCode = 3;
    return { summary, exitCode };
  }

  /** A resumed study must keep each parameter's kind (and a categorical's choices): checked before any trial. */
  private async checkStoredSpace(study: Study): Promise<void> {
    const stored = await study.paramDistributions();
    for (const [name, p] of Object.entries(this.spec.params)) {
      const before = stored[name];
      if (before === undefined) continue;
      try {
        assertCompatible(before, toDistribution(p), name);
      } catch (e) {
        throw new InvalidArgumentError(
          `study '${this.spec.study}' already has trials, and ${(e as Error).message} Nothing was run; use another study name (--study) for the new search space.`,
        );
      }
    }
  }

  /** Trials a dead `tunekit run` on this host left running are marked failed. */
  private async failAbandoned(study: Study): Promise<void> {
    const host = hostname();
    for (const t of await study.getTrials({ states: ['running'] })) {
      const runner = t.systemAttrs[RUNNER_ATTR] as { host?: unknown; pid?: unknown } | undefined;
      if (!runner || runner.host !== host || typeof runner.pid !== 'number') continue;
      if (runner.pid !== process.pid && pidAlive(runner.pid)) continue;
      await study.storage.setTrialSystemAttr(
        t.trialId,
        FAIL_REASON_ATTR,
        `abandoned: the tunekit run that started it (pid ${runner.pid}) ended before the trial did`,
      );
      await study.storage.finishTrial(t.trialId, 'fail', null);
      this.reporter.warn(
        `trial ${t.number} was left running by an earlier run (pid ${runner.pid}, gone); marked failed.`,
      );
    }
  }

  private async runTrial(study: Study, logDir: string, gpus: readonly string[]): Promise<void> {
    const spec = this.spec;
    let trial: Trial;
    try {
      trial = await study.ask();
    } catch (e) {
      if (e instanceof SearchSpaceExhaustedError) {
        this.stoppedBecause ??= 'every point of the grid has been tried.';
        this.stopping = true;
        return;
      }
      throw e;
    }
    const t0 = Date.now();
    this.reporter.trialStarted(trial.number);
    let fill: Fill;
    try {
      fill = suggestAll(trial, spec.params);
    } catch (e) {
      // A search space the study cannot take (say, a range changed on a re-run): no trial can run.
      const reason = `the search space could not be sampled: ${(e as Error).message}`;
      await this.finish(study, trial, { kind: 'fail', reason }, {}, t0, '', gpus);
      throw e instanceof TunekitError ? e : new InvalidArgumentError(reason);
    }
    const n = trial.number;
    const logPath = join(logDir, `trial-${n}.log`);
    const paramsFile = join(logDir, `trial-${n}.params.json`);
    const builtins = { trial_number: n, study: spec.study };
    const withBuiltins: Fill = { values: { ...fill.values, ...builtins }, inactive: fill.inactive };
    const resultFile =
      spec.resultFile === undefined
        ? join(logDir, `trial-${n}.result.json`)
        : fillShellless(spec.resultFile, withBuiltins);
    rmSync(resultFile, { force: true });
    writeFileSync(paramsFile, `${JSON.stringify(fill.values, null, 2)}\n`);
    const command =
      typeof spec.command === 'string' && spec.shell
        ? fillShell(spec.command, withBuiltins)
        : fillArgv(
            typeof spec.command === 'string' ? splitCommand(spec.command) : spec.command,
            withBuiltins,
          );

    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TUNEKIT_PARAM_')) env[k] = v;
    env.PYTHONUNBUFFERED ??= '1';
    Object.assign(env, spec.env);
    for (const [name, value] of Object.entries(fill.values)) env[paramEnvName(name)] = formatValue(value);
    env.TUNEKIT_STUDY = spec.study;
    env.TUNEKIT_TRIAL_NUMBER = String(n);
    env.TUNEKIT_PARAMS_FILE = paramsFile;
    env.TUNEKIT_RESULT_FILE = resultFile;
    if (gpus.length > 0) env.CUDA_VISIBLE_DEVICES = gpus.join(',');

    trial.setSystemAttr(LOG_PATH_ATTR, logPath);
    trial.setSystemAttr(COMMAND_ATTR, typeof command === 'string' ? command : [...command]);
    trial.setSystemAttr(RUNNER_ATTR, { host: hostname(), pid: process.pid });
    if (gpus.length > 0) trial.setSystemAttr(GPUS_ATTR, gpus.join(','));
    await trial.flush();

    const attrs: Record<string, JsonValue> = {};
    const proc = startTrialProcess({
      command,
      cwd: spec.cwd,
      env,
      logPath,
      resultFile,
      timeoutMs: spec.trialTimeout === undefined ? undefined : spec.trialTimeout * 1000,
      killGraceMs: spec.killGrace * 1000,
      onReport: async (step, value) => {
        await trial.report(value, step);
        return trial.shouldPrune();
      },
      onAttrs: (a) => Object.assign(attrs, a),
    });
    this.running.set(n, proc);
    if (this.stopping && this.interruptedBy !== null) proc.stop(`interrupted by ${this.interruptedBy}`);
    let outcome: ProcessOutcome;
    try {
      outcome = await proc.done;
    } finally {
      this.running.delete(n);
    }
    await this.finish(study, trial, outcome, attrs, t0, logPath, gpus);
  }

  private async finish(
    study: Study,
    trial: Trial,
    outcome: ProcessOutcome,
    attrs: Record<string, JsonValue>,
    t0: number,
    logPath: string,
    gpus: readonly string[],
  ): Promise<void> {
    for (const [k, v] of Object.entries(attrs)) {
      try {
        trial.setUserAttr(k, v);
      } catch (e) {
        this.reporter.warn(
          `trial ${trial.number}: user attribute '${k}' was not stored: ${(e as Error).message}`,
        );
      }
    }
    let state: 'complete' | 'pruned' | 'fail';
    let values: number[] | null = null;
    let reason: string | null = null;
    if (outcome.kind === 'result') {
      const ordered = orderValues(outcome.values, this.spec.directions.length, this.spec.metrics);
      if (typeof ordered === 'string') {
        state = 'fail';
        reason = ordered;
      } else {
        state = 'complete';
        values = ordered;
      }
    } else if (outcome.kind === 'pruned') state = 'pruned';
    else {
      state = 'fail';
      reason = outcome.reason;
    }
    let frozen: FrozenTrial;
    if (state === 'fail') {
      trial.setSystemAttr(FAIL_REASON_ATTR, reason);
      frozen = await study.tell(trial, { state: 'fail' });
    } else if (state === 'pruned') frozen = await study.tell(trial, { state: 'pruned' });
    else frozen = await study.tell(trial, values!);
    if (frozen.state !== state) {
      // tell() itself failed the trial (a write it flushed was refused).
      state = frozen.state as typeof state;
      reason = String(frozen.systemAttrs[FAIL_REASON_ATTR] ?? 'the trial could not be stored as complete');
    }
    this.counts[state]++;
    this.reporter.trialFinished({
      number: trial.number,
      state,
      values: frozen.values,
      params: this.ordered(frozen.params),
      durationS: (Date.now() - t0) / 1000,
      reason,
      prunedAtStep: outcome.kind === 'pruned' ? outcome.step : null,
      logPath,
      gpus,
    });
  }

  /** Parameters in the order the study file declares them. */
  private ordered(params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const name of Object.keys(this.spec.params))
      if (Object.hasOwn(params, name)) out[name] = params[name]!;
    for (const [k, v] of Object.entries(params)) if (!Object.hasOwn(out, k)) out[k] = v;
    return out;
  }

  private async summarize(study: Study, startedAt: number, logDir: string): Promise<Summary> {
    const all = await study.getTrials({ states: ['complete', 'pruned', 'fail'] });
    const count = (s: string) => all.filter((t) => t.state === s).length;
    let best: BestInfo | null = null;
    let paretoSize: number | null = null;
    if (count('complete') > 0) {
      if (study.isMultiObjective) paretoSize = (await study.bestTrials()).length;
      else {
        const b = await study.bestTrial();
        best = { number: b.number, values: b.values ?? [], params: this.ordered(b.params) };
      }
    }
    const running = this.running.size;
    return {
      study: this.spec.study,
      ...this.counts,
      elapsedS: (Date.now() - startedAt) / 1000,
      interrupted:
        this.interruptedBy === null
          ? null
          : `interrupted by ${this.interruptedBy}: running trials were stopped and marked failed${running > 0 ? ` (${running} still stopping)` : ''}.`,
      best,
      paretoSize,
      studyCounts: { complete: count('complete'), pruned: count('pruned'), fail: count('fail') },
      logDir,
      stoppedBecause: this.stoppedBecause,
    };
  }
}

/** A path template filled without quoting (inactive parameters become empty). */
function fillShellless(template: string, fill: Fill): string {
  const out = fillArgv([template], fill);
  return out[0] ?? template.replace(/\{[^}]*\}/g, '');
}
