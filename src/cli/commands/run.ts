/**
 * `tunekit run STUDY_FILE`: tune any command. See `study-file.ts` for the file,
 * `runner/protocol.ts` for the line protocol and `runner/run-study.ts` for what a trial's
 * command receives.
 * @module
 */
import { type Command, Option } from 'commander';
import { setLogSink } from '../../core/logging.js';
import { HumanReporter, JsonReporter, QuietReporter, type Reporter } from '../progress.js';
import { SIGNAL_EXIT_CODES, StudyRun } from '../runner/run-study.js';

const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

import { loadStudyFile, type Overrides, StudyFileError, type StudyFileKey } from '../study-file.js';
import { storeCliSpec } from './worker.js';

interface RunFlags {
  study?: string;
  trials?: string;
  timeout?: string;
  trialTimeout?: string;
  concurrency?: string;
  gpus?: string;
  gpusPerTrial?: string;
  sampler?: string;
  pruner?: string;
  logDir?: string;
  killGrace?: string;
  warmStartFrom?: string;
  shell?: boolean;
  check?: boolean;
  quiet?: boolean;
  json?: boolean;
  color?: boolean;
}

/** A number when the text is one; otherwise the text, for the study file's check to report. */
function numeric(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

const FLAG_KEYS: ReadonlyArray<[keyof RunFlags, StudyFileKey, string, (v: string) => unknown]> = [
  ['study', 'study', '--study', (v) => v],
  ['trials', 'trials', '--trials', numeric],
  ['timeout', 'timeout', '--timeout', numeric],
  ['trialTimeout', 'trialTimeout', '--trial-timeout', numeric],
  ['concurrency', 'concurrency', '--concurrency', numeric],
  ['gpus', 'gpus', '--gpus', (v) => v],
  ['gpusPerTrial', 'gpusPerTrial', '--gpus-per-trial', numeric],
  ['sampler', 'sampler', '--sampler', (v) => v],
  ['pruner', 'pruner', '--pruner', (v) => v],
  ['logDir', 'logDir', '--log-dir', (v) => v],
  ['killGrace', 'killGrace', '--kill-grace', numeric],
  ['warmStartFrom', 'warmStartFrom', '--warm-start-from', (v) => v],
];

function overridesFrom(flags: RunFlags): Overrides {
  const values: Partial<Record<StudyFileKey, unknown>> = {};
  const flagNames: Partial<Record<StudyFileKey, string>> = {};
  for (const [flag, key, name, parse] of FLAG_KEYS) {
    const v = flags[flag];
    if (typeof v === 'string') {
      values[key] = parse(v);
      flagNames[key] = name;
    }
  }
  if (flags.shell) {
    values.shell = true;
    flagNames.shell = '--shell';
  }
  return { values, flagNames };
}

const HELP_AFTER = `
The study file (YAML or JSON; JSON Schema: schemas/study-file.schema.json) declares the study,
its search space, the command and how to run it; flags override the file. Example:

  study: digits-mlp
  direction: maximize
  command: python train.py --optimizer {optimizer} --lr {lr} --momentum={momentum}
  params:
    optimizer: { type: categorical, choices: [sgd, adam] }
    lr:        { type: float, low: 1.0e-4, high: 0.1, log: true }
    momentum:  { type: float, low: 0, high: 0.99, when: { optimizer: sgd } }
  pruner: { name: median, nWarmupSteps: 2 }
  trials: 30

The command gets its parameters as {placeholders}, as TUNEKIT_PARAM_<NAME> variables and as a
JSON file at $TUNEKIT_PARAMS_FILE, plus TUNEKIT_TRIAL_NUMBER, TUNEKIT_STUDY, TUNEKIT_RESULT_FILE
and, with --gpus, CUDA_VISIBLE_DEVICES. It prints its results on stdout:

  tunekit:report {"step": 3, "value": 0.91}     intermediate value, checked by the pruner
  tunekit:result {"value": 0.93}                final value ({"values": [...]} for several)
  tunekit:attrs {"epochs": 12}                  user attributes of the trial

or writes {"value": 0.93} to $TUNEKIT_RESULT_FILE. A pruned, timed-out or interrupted trial's
process group gets SIGTERM, then SIGKILL after --kill-grace seconds. Each trial's output is
saved to <log-dir>/<study>/trial-<n>.log (system attribute tunekit:log_path). Running the same
command again resumes the study: trials counts the complete and pruned trials of the study.
A trial that fails (command not found, non-zero exit, no result, a malformed protocol line,
NaN, timeout) is recorded with its reason and the study goes on.

Exit codes: 0 done; 2 invalid study file or flags; 3 every trial of this run failed;
130 interrupted by Ctrl-C (143 by SIGTERM, 129 by SIGHUP); 1 anything else.`;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('tune a command: run trials of a study file (YAML or JSON)')
    .argument('<study-file>', 'the study file (YAML or JSON)')
    .option('--study <name>', 'study name (default: `study` in the file, or the file name)')
    .option(
      '--trials <n>',
      'complete or pruned trials the study should have; a re-run starts only the missing ones',
    )
    .option('--timeout <seconds>', 'start no new trial after this many seconds')
    .option('--trial-timeout <seconds>', 'stop and fail a trial after this many seconds')
    .option('--concurrency <n>', 'trials run at once (default 1, or the number of GPU slots)')
    .option('--gpus <ids>', 'GPUs to share among trials, such as 0,1,2,3 (sets CUDA_VISIBLE_DEVICES)')
    .option('--gpus-per-trial <n>', 'GPUs each trial gets (default 1); a GPU never serves two trials at once')
    .option('--sampler <name>', 'sampler: random, grid, qmc or tpe (options go in the study file)')
    .option(
      '--pruner <name>',
      'pruner: nop, median, percentile, threshold, patient, successive-halving, hyperband or wilcoxon',
    )
    .option('--log-dir <dir>', "folder of the trials' logs (default tunekit-logs)")
    .option(
      '--kill-grace <seconds>',
      'seconds between SIGTERM and SIGKILL when a trial is stopped (default 10)',
    )
    .option(
      '--warm-start-from <studies>',
      'earlier studies in the same storage, such as old-a,old-b, whose complete trials warm-start TPE and GP',
    )
    .option('--shell', 'run the command through /bin/sh -c')
    .option('--check', 'validate the study file, print the resolved settings, run nothing')
    .addOption(new Option('--quiet', 'print nothing but warnings and errors').conflicts('json'))
    .option('--json', 'print JSON Lines: a start event, one per finished trial, a summary')
    .option('--no-color', 'no colours (also when NO_COLOR is set or not on a terminal)')
    .addHelpText('after', HELP_AFTER)
    .action(async (file: string, flags: RunFlags, command: Command) => {
      let spec: ReturnType<typeof loadStudyFile>;
      try {
        spec = loadStudyFile(file, overridesFrom(flags));
      } catch (e) {
        if (e instanceof StudyFileError) {
          console.error(e.message);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
      const global = command.optsWithGlobals() as { storage?: string };
      const storage = global.storage ?? spec.storage ?? process.env.TUNEKIT_STORAGE ?? 'sqlite:///tunekit.db';
      if (flags.check) {
        const shown = { ...spec, storage };
        console.log(flags.json ? JSON.stringify(shown) : `${file}: valid\n${JSON.stringify(shown, null, 2)}`);
        return;
      }
      const reporter: Reporter = flags.quiet
        ? new QuietReporter(process.stderr)
        : flags.json
          ? new JsonReporter(process.stdout, process.stderr)
          : new HumanReporter(process.stdout, process.stderr, flags.color === false ? { color: false } : {});
      // Workers (tunekit worker) on other machines read the study file's settings from the study.
      await storeCliSpec(spec, storage);
      const run = new StudyRun(spec, storage, reporter);
      // First signal: stop the running trials (SIGTERM, then SIGKILL after the grace period) and
      // mark them failed; second: SIGKILL them now; third: leave at once.
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals >= 3) process.exit(SIGNAL_EXIT_CODES[signal] ?? 130);
        run.interrupt(signal);
      };
      for (const s of HANDLED_SIGNALS) process.on(s, onSignal);
      setLogSink((_level, message) => reporter.warn(message));
      try {
        const { exitCode } = await run.run();
        process.exitCode = exitCode;
      } finally {
        setLogSink(undefined);
        for (const s of HANDLED_SIGNALS) process.removeListener(s, onSignal);
      }
    });
}
