#!/usr/bin/env node
/**
 * The `tunekit` command line. Each command lives in `commands/<name>.ts` and registers itself
 * on the program; this file only wires them and maps errors to exit codes.
 *
 * Exit codes: 0 success; 1 an unexpected failure; 2 bad usage or input (a `TunekitError`).
 * @module
 */
import { Command, CommanderError } from 'commander';
import { TunekitError } from '../core/errors.js';
import { registerBest } from './commands/best.js';
import { registerStudies } from './commands/studies.js';
import { registerTrials } from './commands/trials.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('tunekit')
    .description('Hyperparameter optimization for TypeScript and Node.js.')
    .version(VERSION)
    .option(
      '--storage <url>',
      'storage URL (default: $TUNEKIT_STORAGE or sqlite:///tunekit.db in the current folder)',
    )
    .exitOverride();
  registerStudies(program);
  registerTrials(program);
  registerBest(program);
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
