/**
 * `tunekit dashboard`: serves the web dashboard over the storage (see `src/dashboard/`).
 * Read-only and on 127.0.0.1 by default; `--allow-writes` enables deleting studies and telling
 * running trials; `--token` (or $TUNEKIT_DASHBOARD_TOKEN) protects it, and a non-loopback
 * `--host` needs a token unless `--insecure-no-token`. Ctrl-C (SIGINT) or SIGTERM stops it.
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { startDashboard } from '../../dashboard/server/index.js';
import { storageUrl } from '../options.js';
import { VERSION } from '../version.js';

interface DashboardFlags {
  host: string;
  port: string;
  token?: string;
  allowWrites?: boolean;
  insecureNoToken?: boolean;
  poll: string;
}

/**
 * A full garbage collection, for a long-running server that just read a large study: without
 * it the runtime keeps the garbage of the read (the storage's rows, hundreds of MB for 100,000
 * trials) until it next needs memory, and the process stays that large.
 */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`--port must be an integer in [0, 65535], got '${value}'.`);
  }
  return n;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve the web dashboard (read-only, on 127.0.0.1, unless told otherwise)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8080')
    .option('--token <token>', 'require this token (default: $TUNEKIT_DASHBOARD_TOKEN)')
    .option('--allow-writes', 'allow deleting studies and failing or pruning running trials')
    .option('--insecure-no-token', 'allow a non-loopback --host without a token')
    .option('--poll <ms>', 'how often live pages poll the storage, in ms', '1000')
    .action(async (opts: DashboardFlags, command: Command) => {
      const pollMs = Number(opts.poll);
      if (!Number.isInteger(pollMs) || pollMs < 100) {
        throw new InvalidArgumentError(`--poll must be an integer ≥ 100 (ms), got '${opts.poll}'.`);
      }
      const t0 = performance.now();
      const dashboard = await startDashboard({
        storage: storageUrl(command),
        host: opts.host,
        port: parsePort(opts.port),
        ...(opts.token === undefined ? {} : { token: opts.token }),
        allowWrites: opts.allowWrites === true,
        insecureNoToken: opts.insecureNoToken === true,
        pollMs,
        preload: true,
        version: VERSION,
        compact: fullGc(),
      });
      console.log(`tunekit dashboard: ${dashboard.url}`);
      console.log(`${opts.allowWrites === true ? 'read-write' : 'read-only'}; press Ctrl-C to stop.`);
      void dashboard.ready.then(() =>
        console.log(
          `ready: studies loaded and plots computed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        ),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void dashboard.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
