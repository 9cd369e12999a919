/**
 * `tunekit demo`: tunes a TensorFlow.js MLP on the bundled digits data (optimizer, learning
 * rate, momentum with SGD, batch size, layers, units, dropout, L2, learning-rate schedule) with
 * the default sampler and Hyperband pruning, stores the study, and prints the best parameters
 * with validation and held-out test accuracy. A live progress bar on a terminal, plain lines
 * otherwise. Needs the optional peer dependency @tensorflow/tfjs (and uses
 * @tensorflow/tfjs-backend-wasm when installed), loaded only when the command runs.
 * @module
 */
import type { Command } from 'commander';
import { InvalidArgumentError, MissingDependencyError } from '../../core/errors.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import type { DemoResult } from '../../ml/demo.js';
import { storageUrl } from '../options.js';
import {
  colorEnabled,
  formatDuration,
  formatNumber,
  formatParams,
  type Progress,
  palette,
  renderBar,
} from '../progress.js';

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`--${name} must be an integer ≥ 1, got '${value}'.`);
  return n;
}

interface DemoFlags {
  trials: string;
  epochs: string;
  seed: string;
  study: string;
  backend: string;
  progress: boolean;
  report: string | false;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'tune a TensorFlow.js MLP on the bundled digits data (default sampler, Hyperband pruning) and print the best trial with its test accuracy',
    )
    .option('--trials <n>', 'trials to run', '40')
    .option('--epochs <n>', 'full training budget of a trial, in epochs', '27')
    .option('--seed <n>', 'seed of the sampler, the data split and the training', '42')
    .option('--study <name>', 'study name (a study of that name is replaced)', 'tunekit-demo')
    .option(
      '--backend <name>',
      'TensorFlow.js backend: auto (wasm when installed, else cpu), wasm or cpu',
      'auto',
    )
    .option('--no-progress', 'no live progress bar, even on a terminal')
    .option(
      '--report <file>',
      'the self-contained HTML report written at the end',
      'tunekit-demo-report.html',
    )
    .option('--no-report', 'write no HTML report')
    .addHelpText(
      'after',
      '\nThe study is stored in the storage (default sqlite:///tunekit.db); inspect it with tunekit trials tunekit-demo.\nTrials run one at a time, so the same seed gives the same best trial.',
    )
    .action(async (opts: DemoFlags, command: Command) => {
      const trials = positiveInt('trials', opts.trials);
      const epochs = positiveInt('epochs', opts.epochs);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0) {
        throw new InvalidArgumentError(`--seed must be an integer ≥ 0, got '${opts.seed}'.`);
      }
      if (opts.backend !== 'auto' && opts.backend !== 'wasm' && opts.backend !== 'cpu') {
        throw new InvalidArgumentError(`--backend must be auto, wasm or cpu, got '${opts.backend}'.`);
      }
      let demo: typeof import('../../ml/demo.js');
      try {
        demo = await import('../../ml/demo.js');
      } catch (e) {
        if (e instanceof Error && /@tensorflow\/tfjs/.test(e.message)) {
          throw new MissingDependencyError(
            'tunekit demo needs TensorFlow.js: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm',
            { cause: e },
          );
        }
        throw e;
      }
      const out = process.stdout;
      const live = opts.progress && out.isTTY === true;
      const colors = palette(colorEnabled(out));
      const progress: Progress = {
        done: 0,
        running: 0,
        complete: 0,
        pruned: 0,
        fail: 0,
        best: null,
        toRun: trials,
        startedAt: Date.now(),
      };
      let barShown = false;
      const clearBar = () => {
        if (barShown) out.write('\r\x1b[2K');
        barShown = false;
      };
      const draw = () => {
        if (!live) return;
        out.write(`\r\x1b[2K${renderBar(progress, out.columns ?? 100, Date.now(), colors)}`);
        barShown = true;
      };
      const print = (line: string) => {
        clearBar();
        out.write(`${line}\n`);
        draw();
      };
      const timer = live ? setInterval(draw, 250) : undefined;
      timer?.unref();
      const storage = storageUrl(command);
      print(
        `tunekit demo: ${trials} trials of up to ${epochs} epochs, study '${opts.study}' in ${storage}, seed ${seed}`,
      );
      const trialLine = (t: FrozenTrial, durationS: number): string => {
        const dur = colors.dim(`(${formatDuration(durationS)})`);
        const params = formatParams(t.params);
        if (t.state === 'complete') {
          const test = t.userAttrs.test_accuracy;
          return `trial ${t.number} ${colors.green('complete')}  val acc ${formatNumber(t.values![0]!)}  test acc ${typeof test === 'number' ? formatNumber(test) : '?'}  ${t.userAttrs.epochs} epochs  ${dur}  ${params}`;
        }
        if (t.state === 'pruned') {
          return `trial ${t.number} ${colors.yellow('pruned')} after ${t.intermediateValues.size} epoch(s)  ${dur}  ${params}`;
        }
        return `trial ${t.number} ${colors.red('fail')}: ${String(t.systemAttrs['tunekit:fail_reason'] ?? '')}  ${dur}`;
      };
      let result: DemoResult;
      try {
        result = await demo.runDemo({
          trials,
          epochs,
          seed,
          storage,
          studyName: opts.study,
          backend: opts.backend,
          reportPath: opts.report === false ? undefined : opts.report,
          info: (line) => print(colors.dim(line)),
          onTrialStarted: () => {
            progress.running++;
            draw();
          },
          onTrialFinished: (t, durationS) => {
            progress.running = Math.max(0, progress.running - 1);
            progress.done++;
            if (t.state === 'complete') {
              progress.complete++;
              const v = t.values![0]!;
              progress.best = progress.best === null ? v : Math.max(progress.best, v);
            } else if (t.state === 'pruned') progress.pruned++;
            else progress.fail++;
            print(trialLine(t, durationS));
          },
        });
      } finally {
        if (timer) clearInterval(timer);
        clearBar();
      }
      out.write(
        `study '${result.studyName}': ${result.complete + result.pruned + result.fail} trials in ${formatDuration(result.elapsedS)}: ${result.complete} complete, ${result.pruned} pruned, ${result.fail} failed (backend ${result.backend})\n`,
      );
      const b = result.best;
      if (b === null) {
        out.write('no complete trial\n');
        process.exitCode = 3;
        return;
      }
      out.write(
        [
          colors.bold(`best trial: ${b.number} (${b.epochs} epochs)`),
          `best parameters: ${formatParams(b.params as Record<string, string | number | boolean | null>)}`,
          `validation accuracy: ${b.validationAccuracy.toFixed(4)}`,
          `test accuracy: ${b.testAccuracy.toFixed(4)} (held-out, never used for tuning)`,
          colors.dim(`see every trial: tunekit trials ${result.studyName}`),
          ...(result.reportPath === null ? [] : [`report: ${result.reportPath}`]),
          '',
        ].join('\n'),
      );
    });
}
