/**
 * `startDashboard`: the dashboard's HTTP server (node:http, no framework) over any storage.
 *
 * Safe by default: it listens on 127.0.0.1, is read-only unless `allowWrites`, refuses to listen
 * on a non-loopback address without a token (unless `insecureNoToken`), checks the Host header
 * on loopback (DNS rebinding) and the Origin of writes, and sends a strict Content Security
 * Policy. With a token, every API request needs `Authorization: Bearer <token>`, or the cookie
 * that opening the page once with `?token=<token>` sets.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboard({ storage: 'sqlite:///tunekit.db', port: 8080 });
 * console.log(dashboard.url);
 * // …
 * await dashboard.close();
 * ```
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../../core/errors.js';
import { log } from '../../core/logging.js';
import type { Storage } from '../../storages/base.js';
import { getStorage, type StorageLike } from '../../storages/get-storage.js';
import { type ApiState, apiRouter, handleApi } from './api.js';
import { Assets } from './assets.js';
import { HttpError } from './http-error.js';
import { LiveEvents } from './live-events.js';
import { type PlotRegistry, PlotService } from './plots.js';
import { sendError, statusOf } from './respond.js';
import { checkHost, checkOrigin, isLoopbackHost, setSecurityHeaders, TokenGuard } from './security.js';
import { StudyCaches } from './study-cache.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** A storage URL or object (default: in memory, which is only useful in tests). */
  storage?: StorageLike;
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** Requires this token on every API request (default: `$TUNEKIT_DASHBOARD_TOKEN` when set). */
  token?: string;
  /** Allows deleting studies and telling running trials (default false: read-only). */
  allowWrites?: boolean;
  /** Allows a non-loopback `host` without a token. Anyone who can reach the port can read. */
  insecureNoToken?: boolean;
  /** How often live streams poll the storage, in ms (default 1000). */
  pollMs?: number;
  /** How stale (ms) the data an API request reads may be (default 500). */
  maxAgeMs?: number;
  /** Loads every study into the cache right after start and computes its plots (default false). */
  preload?: boolean;
  /** The plot functions (default: those of `tunekit/visualization`). */
  plots?: PlotRegistry;
  /** The version shown in the page (default: unknown). */
  version?: string;
  /**
   * Called after a large load (a study's first 10,000 trials or more) and after the preload, to
   * return the garbage of reading trials to the system; `tunekit dashboard` passes a full garbage
   * collection. Default: nothing (the runtime collects when it sees fit).
   */
  compact?: () => void;
}

/** A running dashboard. */
export interface Dashboard {
  /** The URL to open (with `?token=` when a token is required). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly storage: Storage;
  /** Resolves when the preload (if asked) has finished. */
  readonly ready: Promise<void>;
  /** Stops listening, ends live streams, and closes the storage when it was opened from a URL. */
  close(): Promise<void>;
}

/** Starts the dashboard server. */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`port must be an integer in [0, 65535], got ${String(port)}.`);
  }
  const token = options.token ?? process.env.TUNEKIT_DASHBOARD_TOKEN ?? undefined;
  if (token !== undefined && token.length < 8) {
    throw new InvalidArgumentError('the dashboard token must have at least 8 characters.');
  }
  const loopback = isLoopbackHost(host);
  if (!loopback && token === undefined && options.insecureNoToken !== true) {
    throw new InvalidArgumentError(
      `refusing to listen on '${host}' without a token: anyone who reaches it could read your studies. Give --token (or $TUNEKIT_DASHBOARD_TOKEN), or --insecure-no-token if the network is trusted.`,
    );
  }
  const ownsStorage = typeof options.storage === 'string' || options.storage === undefined;
  const storage = await getStorage(options.storage);
  const caches = new StudyCaches(storage, options.compact);
  const live = new LiveEvents(caches, options.pollMs ?? 1000);
  const registry = options.plots ?? (await import('./default-plots.js')).DEFAULT_PLOTS;
  const state: ApiState = {
    storage,
    caches,
    live,
    plots: new PlotService(registry),
    allowWrites: options.allowWrites === true,
    tokenRequired: token !== undefined,
    version: options.version ?? 'unknown',
    maxAgeMs: options.maxAgeMs ?? 500,
  };
  const guard = token === undefined ? null : new TokenGuard(token);
  const router = apiRouter();
  const assets = new Assets();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    checkHost(req, loopback);
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (guard !== null && (isApi || url.searchParams.has('token'))) {
      const auth = guard.check(req, url);
      if (auth.fromQuery) res.setHeader('set-cookie', guard.cookie(token!));
      if (!auth.ok) {
        throw new HttpError(
          401,
          'UNAUTHORIZED',
          'this dashboard needs its token: send Authorization: Bearer <token>, or open the URL that `tunekit dashboard` printed (with ?token=).',
          { 'www-authenticate': 'Bearer' },
        );
      }
      if (auth.fromQuery && !isApi) {
        // Drop the token from the address bar (and from history) once the cookie holds it.
        url.searchParams.delete('token');
        res.writeHead(303, { location: url.pathname + url.search }).end();
        return;
      }
    }
    if (isApi) {
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') checkOrigin(req);
      await handleApi(router, req, res, url, state);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`, {
        allow: 'GET, HEAD',
      });
    }
    await assets.serve(req, res, url.pathname);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (statusOf(e).status >= 500) log.error(`dashboard: ${req.method} ${req.url}: ${String(e)}`);
      sendError(req, res, e);
    });
  });
  // Keep-alive sockets and event streams must not hold close() forever.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException): void => {
      if (ownsStorage) void storage.close();
      if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
        reject(
          new InvalidArgumentError(
            `cannot listen on ${host}:${port} (${e.code}): choose another --port (0 picks a free one) or --host.`,
            { cause: e },
          ),
        );
      } else reject(e);
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${urlHost}:${address.port}/`;
  const ready =
    options.preload === true
      ? caches.all(0).then(
          async (studies) => {
            for (const c of studies) await state.plots.warm(c);
            options.compact?.();
          },
          (e: unknown) => log.warn(`dashboard: preloading the studies failed: ${String(e)}`),
        )
      : Promise.resolve();

  let closed = false;
  return {
    url: token === undefined ? base : `${base}?token=${encodeURIComponent(token)}`,
    host: address.address,
    port: address.port,
    storage,
    ready,
    close: async () => {
      if (closed) return;
      closed = true;
      live.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 200).unref();
      });
      await ready;
      if (ownsStorage) await storage.close();
    },
  };
}
