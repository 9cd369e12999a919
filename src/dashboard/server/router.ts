/**
 * A small router: routes are `METHOD /path/:param/...` patterns; a path that matches with
 * another method is answered 405 with an `Allow` header, an unknown path 404.
 * @module
 */
import { HttpError } from './http-error.js';

/** Parameters captured by `:name` segments, already URI-decoded. */
export type RouteParams = Readonly<Record<string, string>>;

interface Route<H> {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: H;
}

/** A matched route. */
export interface RouteMatch<H> {
  readonly handler: H;
  readonly params: RouteParams;
}

/** Routes of one kind of handler `H`. */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  /** Adds a route, e.g. `add('GET', '/api/studies/:id', handler)`. */
  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: pattern.split('/').filter((s) => s !== ''), handler });
    return this;
  }

  /** The route of `method` and `pathname`; throws an `HttpError` 404 or 405. */
  match(method: string, pathname: string): RouteMatch<H> {
    const parts = pathname.split('/').filter((s) => s !== '');
    const allowed: string[] = [];
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (params === null) continue;
      if (r.method === method || (method === 'HEAD' && r.method === 'GET'))
        return { handler: r.handler, params };
      allowed.push(r.method);
    }
    if (allowed.length > 0) {
      throw new HttpError(
        405,
        'METHOD_NOT_ALLOWED',
        `${method} is not allowed on ${pathname}; allowed: ${allowed.join(', ')}.`,
        { allow: allowed.join(', ') },
      );
    }
    throw new HttpError(404, 'NOT_FOUND', `no such resource: ${pathname}`);
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return null;
      }
    } else if (p !== v) return null;
  }
  return params;
}
