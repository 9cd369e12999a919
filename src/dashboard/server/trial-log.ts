/**
 * The end of a trial's CLI log: `tunekit run` stores each trial's stdout and stderr in a file
 * whose path is the trial system attribute `tunekit:log_path`. The dashboard shows at most the
 * last {@link LOG_TAIL_BYTES} of a regular file named `*.log`; a missing or unreadable file, or
 * any other name, shows nothing — so whoever can write to the storage cannot make the dashboard
 * serve arbitrary files of its host.
 * @module
 */
import { open } from 'node:fs/promises';
import type { FrozenTrial } from '../../core/frozen-trial.js';

/** Trial system attribute of `tunekit run`: the file with the trial's output. */
export const LOG_PATH_ATTR = 'tunekit:log_path';

/** The most bytes of a log sent. */
export const LOG_TAIL_BYTES = 64 * 1024;

/** The tail of the trial's log, or `null`. */
export async function readTrialLog(
  trial: FrozenTrial,
): Promise<{ path: string; text: string; truncated: boolean } | null> {
  const path = trial.systemAttrs[LOG_PATH_ATTR];
  if (typeof path !== 'string' || !path.endsWith('.log')) return null;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return null;
    const length = Math.min(stat.size, LOG_TAIL_BYTES);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, stat.size - length);
    let text = buf.toString('utf8');
    // Drop a partial first line (and a split UTF-8 sequence) when the start was cut.
    if (stat.size > length) text = text.slice(text.indexOf('\n') + 1);
    return { path, text, truncated: stat.size > length };
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}
