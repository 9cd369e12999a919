/**
 * `tunekit worker --storage URL --study NAME`: one more worker on a study that `tunekit run`
 * created. The study stores its study file's resolved settings (search space, command, sampler,
 * pruner, budget: system attribute `tunekit:cli_spec`, written by `tunekit run`), so a worker on
 * any machine needs only the storage URL and the name. It runs trials until the study's budget
 * (`trials`) is used — counting every worker's trials: complete, pruned, and failed without a
 * retry — then stops. Trials heartbeat (the study's `tunekit:heartbeat` settings; 10 s, grace
 * 30 s, one retry when the study has none), so the trials of a worker that dies are failed by
 * the others after the grace period and retried.
 *
 * The worker runs the trials in batches through `tunekit run`'s engine (`StudyRun`), each batch
 * as many trials as fit the budget and `--concurrency`.
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import type { JsonValue } from '../../core/frozen-trial.js';
import { setLogSink } from '../../core/logging.js';
import { getStorage } from '../../storages/get-storage.js';
import { createStudy, loadStudy } from '../../study/create-study.js';
import { HEARTBEAT_ATTR } from '../../study/heartbeat.js';
import { BUDGET_ATTR, budgetStatus } from '../../study/run-worker.js';
import { HumanReporter, JsonReporter, QuietReporter, type Reporter, type Summary } from '../progress.js';
import { SIGNAL_EXIT_CODES, StudyRun } from '../runner/run-study.js';
import type { StudySpec } from '../study-file.js';

/** Study system attribute: the resolved study file of a CLI study (JSON of its `StudySpec`). */
export const CLI_SPEC_ATTR = 'tunekit:cli_spec';

/** Heartbeat settings a CLI study gets when it has none. */
export const CLI_HEARTBEAT = { interval: 10, grace: 30, retries: 1 } as const;

/**
 * Creates the study when missing and stores what its workers need: the resolved study file,
 * the budget and (when the study has none) heartbeat settings. `tunekit run` calls this first.
 */
export async function storeCliSpec(spec: StudySpec, storageUrl: string): Promise<void> {
  const storage = await getStorage(storageUrl);
  try {
    const study = await createStudy({
      studyName: spec.study,
      storage,
      directions: spec.directions,
      loadIfExists: true,
    });
    await storage.setStudySystemAttr(
      study.studyId,
      CLI_SPEC_ATTR,
      JSON.parse(JSON.stringify(spec)) as JsonValue,
    );
    if (spec.trials !== undefined)
      await storage.setStudySystemAttr(study.studyId, BUDGET_ATTR, { trials: spec.trials });
    if (spec.heartbeat !== undefined) {
      // The file says how: it wins over whatever the study had.
      await storage.setStudySystemAttr(study.studyId, HEARTBEAT_ATTR, { ...spec.heartbeat });
    } else {
      await storage.compareAndSetStudySystemAttr(study.studyId, HEARTBEAT_ATTR, undefined, {
        ...CLI_HEARTBEAT,
      });
    }
  } finally {
    await storage.close();
  }
}

interface WorkerFlags {
  study?: string;
  concurrency?: string;
  timeout?: string;
  logDir?: string;
  cwd?: string;
  pollInterval?: string;
  quiet?: boolean;
  json?: boolean;
  color?: boolean;
}

function positive(text: string | undefined, flag: string, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(
      `${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'.`,
    );
  }
  return n;
}

/** A reporter that shows the batches of one worker as one run. */
class WorkerReporter implements Reporter {
  private started = false;
  private counts = { complete: 0, pruned: 0, fail: 0 };
  last: Summary | null = null;

  constructor(private readonly inner: Reporter) {}

  start(info: Parameters<Reporter['start']>[0]): void {
    if (this.started) return;
    this.started = true;
    this.inner.start({ ...info, toRun: undefined });
  }
  trialStarted(number: number): void {
    this.inner.trialStarted(number);
  }
  trialFinished(event: Parameters<Reporter['trialFinished']>[0]): void {
    this.inner.trialFinished(event);
  }
  warn(message: string): void {
    this.inner.warn(message);
  }
  finish(summary: Summary): void {
    this.counts.complete += summary.complete;
    this.counts.pruned += summary.pruned;
    this.counts.fail += summary.fail;
    this.last = summary;
  }
  /** The whole worker's summary, once. */
  close(elapsedS: number, stoppedBecause: string | null): { complete: number; pruned: number; fail: number } {
    if (this.last !== null) {
      this.inner.finish({
        ...this.last,
        ...this.counts,
        elapsedS,
        stoppedBecause: this.last.stoppedBecause ?? stoppedBecause,
      });
    }
    return this.counts;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('join a study that tunekit run created and run its trials until its budget is used')
    .requiredOption('--study <name>', 'the study to join')
    .option('--concurrency <n>', "trials run at once (default: the study file's concurrency)")
    .option('--timeout <seconds>', 'start no new trial after this many seconds (default: none)')
    .option('--log-dir <dir>', "folder of the trials' logs (default: the study file's, if it exists here)")
    .option('--cwd <dir>', "where commands run (default: the study file's, if it exists here, else .)")
    .option('--poll-interval <seconds>', "seconds between looks at other workers' trials (default 1)")
    .option('--quiet', 'print nothing but warnings and errors')
    .option('--json', 'print JSON Lines: a start event, one per finished trial, a summary')
    .option('--no-color', 'no colours (also when NO_COLOR is set or not on a terminal)')
    .addHelpText(
      'after',
      `
Start any number of workers, on any machines that reach the storage (PostgreSQL for several
machines): each runs trials until the study has 'trials' of them (complete, pruned, or failed
without a retry), counting every worker's. A worker that dies leaves its trial running; the
others mark it failed when its heartbeat stops and retry it.

  tunekit run study.yaml --storage postgresql://tunekit@db:5432/studies --trials 0   # create it
  tunekit worker --storage postgresql://tunekit@db:5432/studies --study digits-mlp

Exit codes: 0 the budget is used (or the grid exhausted, or the timeout passed); 2 no such
study, or not created by tunekit run; 3 every trial of this worker failed; 130/143/129 signals.`,
    )
    .action(async (flags: WorkerFlags, command: Command) => {
      const global = command.optsWithGlobals() as { storage?: string };
      const url = global.storage ?? process.env.TUNEKIT_STORAGE ?? 'sqlite:///tunekit.db';
      const concurrency = positive(flags.concurrency, '--concurrency', true);
      const timeout = positive(flags.timeout, '--timeout', false);
      const pollMs = (positive(flags.pollInterval, '--poll-interval', false) ?? 1) * 1000;
      const storage = await getStorage(url);
      const study = await loadStudy({ studyName: flags.study!, storage });
      const stored = (await study.systemAttrs())[CLI_SPEC_ATTR];
      if (!stored || typeof stored !== 'object' || Array.isArray(stored)) {
        await storage.close();
        throw new InvalidArgumentError(
          `study '${flags.study}' has no stored study file (system attribute ${CLI_SPEC_ATTR}); create it with tunekit run, or run library workers with runWorker().`,
        );
      }
      const base = stored as unknown as StudySpec;
      const here = (dir: string, flag: string | undefined, fallback: string): string =>
        flag !== undefined ? resolve(flag) : existsSync(dir) ? dir : resolve(fallback);
      const spec: StudySpec = {
        ...base,
        storage: url,
        cwd: here(base.cwd, flags.cwd, '.'),
        logDir: here(base.logDir, flags.logDir, 'tunekit-logs'),
        concurrency: concurrency ?? base.concurrency,
        // The study file's timeout is tunekit run's; a worker's is its own flag.
        timeout,
        enqueue: [],
      };
      const inner: Reporter = flags.quiet
        ? new QuietReporter(process.stderr)
        : flags.json
          ? new JsonReporter(process.stdout, process.stderr)
          : new HumanReporter(process.stdout, process.stderr, flags.color === false ? { color: false } : {});
      const reporter = new WorkerReporter(inner);
      const startedAt = Date.now();
      const deadline =
        spec.timeout === undefined ? Number.POSITIVE_INFINITY : startedAt + spec.timeout * 1000;
      let current: StudyRun | null = null;
      let interruptedBy: NodeJS.Signals | null = null;
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals >= 3) process.exit(SIGNAL_EXIT_CODES[signal] ?? 130);
        interruptedBy ??= signal;
        current?.interrupt(signal);
      };
      const handled: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
      for (const s of handled) process.on(s, onSignal);
      setLogSink((_level, message) => reporter.warn(message));
      let stoppedBecause: string | null = null;
      try {
        for (;;) {
          if (interruptedBy !== null) break;
          const left = deadline - Date.now();
          if (left <= 0) {
            stoppedBecause = `the timeout (${spec.timeout} s) passed; no new trial was started.`;
            break;
          }
          const trials = await study.getTrials();
          const finished = trials.filter((t) => t.state === 'complete' || t.state === 'pruned').length;
          let batch = spec.concurrency;
          if (spec.trials !== undefined) {
            const s = budgetStatus(trials);
            if (s.counted >= spec.trials) {
              stoppedBecause = `the study has used its budget (${s.counted} of ${spec.trials} trials).`;
              break;
            }
            batch = Math.min(batch, Math.max(s.waiting, spec.trials - s.counted - s.running));
            if (batch <= 0) {
              // Other workers' trials fill the budget: wait for them (and for those that die).
              if (study.heartbeatSettings !== null) await study.failStaleTrials();
              await sleep(pollMs);
              continue;
            }
          }
          current = new StudyRun(
            {
              ...spec,
              trials: spec.trials === undefined ? undefined : finished + batch,
              timeout: Number.isFinite(left) ? left / 1000 : undefined,
              concurrency: batch,
            },
            url,
            reporter,
          );
          const { exitCode } = await current.run();
          current = null;
          if (exitCode !== 0 && exitCode !== 3) break;
          const why = reporter.last?.stoppedBecause ?? null;
          if (spec.trials === undefined || (why !== null && /grid|timeout/.test(why))) {
            stoppedBecause = why;
            break;
          }
        }
      } finally {
        setLogSink(undefined);
        for (const s of handled) process.removeListener(s, onSignal);
        await storage.close();
      }
      const counts = reporter.close((Date.now() - startedAt) / 1000, stoppedBecause);
      if (interruptedBy !== null) process.exitCode = SIGNAL_EXIT_CODES[interruptedBy] ?? 130;
      else if (counts.complete + counts.pruned === 0 && counts.fail > 0) process.exitCode = 3;
    });
}
