/**
 * The static part of the dashboard: the HTML shell, the app bundle and ECharts (from the
 * installed `echarts` package; no CDN). From `dist` the app is the prebuilt `dist/dashboard/`;
 * from source (tests, `tsx`) it is bundled on the fly on first request.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { HttpError } from './http-error.js';
import { acceptsGzip } from './respond.js';

interface Asset {
  readonly body: Buffer;
  /** The body gzipped (once), or null when small. */
  readonly gzipped: Buffer | null;
  readonly type: string;
  readonly etag: string;
}

function asset(body: string | Buffer, type: string): Asset {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    body: buf,
    gzipped: buf.length < 1024 ? null : gzipSync(buf),
    type,
    etag: `"${createHash('sha1').update(buf).digest('base64url')}"`,
  };
}

/** The HTML shell: no inline script or style, everything from `/assets/`. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tunekit dashboard</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/echarts.min.js" defer></script>
<script src="/assets/app.js" defer></script>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
</body>
</html>
`;

/** Finds `dashboard/app.js` of a build next to (or above) this module, as laid out in dist. */
function prebuiltDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'dashboard');
    if (existsSync(join(candidate, 'app.js')) && existsSync(join(candidate, 'app.css'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}

/** Serves the static files; loads each once. */
export class Assets {
  private readonly cache = new Map<string, Promise<Asset>>();

  /** Whether this module runs from TypeScript source (then the app is bundled on the fly). */
  static readonly fromSource = import.meta.url.endsWith('.ts');

  /** Serves `/` or `/assets/<name>`; throws `HttpError` 404 for anything else. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const a = await this.load(pathname);
    res.setHeader('etag', a.etag);
    res.setHeader('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === a.etag) {
      res.writeHead(304).end();
      return;
    }
    res.setHeader('vary', 'accept-encoding');
    const gz = a.gzipped !== null && acceptsGzip(req);
    const body = gz ? a.gzipped! : a.body;
    if (gz) res.setHeader('content-encoding', 'gzip');
    res.writeHead(200, { 'content-type': a.type, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private load(pathname: string): Promise<Asset> {
    let p = this.cache.get(pathname);
    if (p === undefined) {
      p = this.read(pathname);
      this.cache.set(pathname, p);
      p.catch(() => this.cache.delete(pathname));
    }
    return p;
  }

  private async read(pathname: string): Promise<Asset> {
    switch (pathname) {
      case '/':
      case '/index.html':
        return asset(INDEX_HTML, 'text/html; charset=utf-8');
      case '/assets/echarts.min.js': {
        const require = createRequire(import.meta.url);
        const file = require.resolve('echarts/dist/echarts.min.js');
        return asset(readFileSync(file), 'text/javascript; charset=utf-8');
      }
      case '/assets/app.js':
      case '/assets/app.css': {
        const js = pathname.endsWith('.js');
        const type = js ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
        const dir = Assets.fromSource ? null : prebuiltDir();
        if (dir !== null) return asset(readFileSync(join(dir, js ? 'app.js' : 'app.css')), type);
        const bundle = await this.bundle();
        return asset(js ? bundle.js : bundle.css, type);
      }
      default:
        throw new HttpError(404, 'NOT_FOUND', `no such file: ${pathname}`);
    }
  }

  private bundlePromise: Promise<{ js: string; css: string }> | null = null;

  private bundle(): Promise<{ js: string; css: string }> {
    if (this.bundlePromise === null) {
      this.bundlePromise = import('../build-app.js').then((m) => m.bundleDashboardApp(false));
    }
    return this.bundlePromise;
  }
}
