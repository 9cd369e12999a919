/**
 * Turns a storage URL into a {@link Storage}.
 *
 * - absent: a new in-memory storage;
 * - `sqlite:///relative/path.db` (three slashes: relative to the working directory) or
 *   `sqlite:////absolute/path.db` (four slashes), and `sqlite://:memory:`;
 * - `postgresql://user:password@host:5432/database` (or `postgres://`), with an optional
 *   `?schema=name` for the PostgreSQL schema holding the tables;
 * - a `Storage` object is used as it is.
 *
 * Drivers are loaded only when their URL is used, so importing tunekit loads no native module.
 * @module
 */
import { InvalidStorageUrlError } from '../core/errors.js';
import type { Storage } from './base.js';
import { InMemoryStorage } from './in-memory/in-memory-storage.js';

/** A storage URL or a storage object. */
export type StorageLike = string | Storage;

/** Whether `value` looks like a {@link Storage}. */
export function isStorage(value: unknown): value is Storage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Storage).createTrial === 'function' &&
    typeof (value as Storage).getAllTrials === 'function'
  );
}

/** The file path of a `sqlite://` URL; throws for a malformed one. */
export function sqlitePathFromUrl(url: string): string {
  const rest = url.slice('sqlite://'.length);
  if (rest === ':memory:' || rest === '/:memory:') return ':memory:';
  if (!rest.startsWith('/') || rest.length < 2) {
    throw new InvalidStorageUrlError(
      `'${url}' is not a valid SQLite URL. Use sqlite:///relative/path.db (three slashes) or sqlite:////absolute/path.db (four slashes).`,
    );
  }
  return rest.slice(1);
}

/** Resolves a storage URL or object (see the module documentation). */
export async function getStorage(storage: StorageLike | undefined): Promise<Storage> {
  if (storage === undefined) return new InMemoryStorage();
  if (isStorage(storage)) return storage;
  if (typeof storage !== 'string') {
    throw new InvalidStorageUrlError(
      `storage must be a URL string or a Storage object, got ${JSON.stringify(storage)}.`,
    );
  }
  if (storage.startsWith('sqlite://')) {
    const path = sqlitePathFromUrl(storage);
    const { SqliteStorage } = await import('./sqlite/sqlite-storage.js');
    return SqliteStorage.open(path);
  }
  if (storage.startsWith('postgresql://') || storage.startsWith('postgres://')) {
    const { PostgresStorage } = await import('./postgres/postgres-storage.js');
    return PostgresStorage.open(storage);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(storage)?.[1];
  throw new InvalidStorageUrlError(
    scheme === undefined
      ? `'${storage}' is not a storage URL. Use sqlite:///path/to/file.db, or leave storage out for an in-memory study.`
      : `unknown storage scheme '${scheme}:' in '${storage}'. Supported: sqlite:///relative.db, sqlite:////absolute.db, postgresql://user@host:5432/database; leave storage out for in-memory.`,
  );
}
