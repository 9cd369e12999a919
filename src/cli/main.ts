#!/usr/bin/env node
/**
 * The `tunekit` command line. Each command lives in `commands/<name>.ts` and registers itself
 * on the program; this file only wires them and maps errors to exit codes.
 *
 * Exit codes: 0 success; 1 an unexpected failure; 2 bad usage or input (a `TunekitError`, an
 * invalid study file); 3 `tunekit run` finished but every trial of the run failed; 130 and 143
 * `tunekit run` interrupted by SIGINT (Ctrl-C) or SIGTERM (129: SIGHUP). They are listed in `tunekit --help`.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { TunekitError } from '../core/errors.js';
import { registerAsk, registerTell } from './commands/ask.js';
import { registerBench } from './commands/bench.js';
import { registerBest } from './commands/best.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDeleteStudy } from './commands/delete-study.js';
import { registerDemo } from './commands/demo.js';
import { registerExport } from './commands/export.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerStudies } from './commands/studies.js';
import { registerTrials } from './commands/trials.js';
import { registerWorker } from './commands/worker.js';
import { VERSION } from './version.js';

/** The end of `tunekit --help`. */
export const EPILOG = `
Storage: --storage URL, else $TUNEKIT_STORAGE, else sqlite:///tunekit.db in the current folder
(tunekit run: --storage, then the study file's storage, then $TUNEKIT_STORAGE, then the default).

Exit codes:
  0    success
  1    an unexpected error (a bug, or the storage failed)
  2    bad usage or input: an unknown option, an invalid study file, a missing study…
  3    tunekit run: every trial of this run failed
  130  tunekit run: interrupted by Ctrl-C (SIGINT); 143 by SIGTERM, 129 by SIGHUP

Colours only on a terminal, never with NO_COLOR set. Run 'tunekit <command> --help' for more.`;

export function buildProgram(): Command {
  const program = new Command('tunekit')
    .description('Hyperparameter optimization for TypeScript and Node.js.')
    .version(VERSION)
    .option(
      '--storage <url>',
      'storage URL (default: $TUNEKIT_STORAGE or sqlite:///tunekit.db in the current folder)',
    )
    .exitOverride()
    .addHelpText('after', EPILOG);
  registerRun(program);
  registerStudies(program);
  registerTrials(program);
  registerBest(program);
  registerExport(program);
  registerReport(program);
  registerDeleteStudy(program);
  registerAsk(program);
  registerTell(program);
  registerDemo(program);
  registerWorker(program);
  registerBench(program);
  registerDashboard(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof TunekitError) {
      console.error(`tunekit: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(e);
    process.exitCode = 1;
  }
}

await main();
