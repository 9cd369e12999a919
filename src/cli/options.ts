/**
 * Options shared by commands: the storage URL and the output format.
 * @module
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';

/** The storage URL: --storage, then $TUNEKIT_STORAGE, then sqlite:///tunekit.db. */
export function storageUrl(command: Command): string {
  const global = command.optsWithGlobals() as { storage?: string };
  return global.storage ?? process.env.TUNEKIT_STORAGE ?? 'sqlite:///tunekit.db';
}

/** Output formats of listing commands. */
export type Format = 'table' | 'json' | 'csv';

/** Parses --format. */
export function parseFormat(value: string): Format {
  if (value !== 'table' && value !== 'json' && value !== 'csv') {
    throw new InvalidArgumentError(`--format must be table, json or csv, got '${value}'.`);
  }
  return value;
}
