/**
 * The dashboard's defences: security headers on every response, the optional bearer token
 * (header, or `?token=` once, which sets an HttpOnly SameSite=Strict cookie), a Host check
 * against DNS rebinding when bound to a loopback address, and an Origin check on writes.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/** The cookie that carries the token after `?token=`. */
export const TOKEN_COOKIE = 'tunekit_dashboard_token';

/**
 * Content Security Policy: scripts and styles only from the server itself (no inline scripts or
 * style attributes, no eval), no framing, no forms, requests only to the server. The page builds
 * its DOM with text nodes, and the charts draw text (tooltips included) on canvas.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the headers every response carries. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

/** Whether `host` (a name or address, without port) is a loopback one. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith('.localhost');
}

/** The host name of a `Host` header value (without port, IPv6 brackets kept off). */
export function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(1, header.indexOf(']'));
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

/**
 * Refuses requests whose Host header is not a loopback name when the server listens on
 * loopback only: a page on another site that rebinds its DNS name to 127.0.0.1 cannot read it.
 */
export function checkHost(req: IncomingMessage, loopbackOnly: boolean): void {
  if (!loopbackOnly) return;
  const host = req.headers.host;
  if (host === undefined || !isLoopbackHost(hostName(host))) {
    throw new HttpError(
      403,
      'FORBIDDEN_HOST',
      `Host '${host ?? ''}' is not allowed: this dashboard listens on a loopback address; open it as http://127.0.0.1:<port>/ or http://localhost:<port>/.`,
    );
  }
}

/**
 * Refuses a cross-site write: a browser always sends `Origin` with a cross-origin POST or DELETE,
 * and it must then name this very server.
 */
export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const host = req.headers.host ?? '';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (originHost !== host) {
    throw new HttpError(403, 'FORBIDDEN_ORIGIN', `cross-origin write refused (Origin '${origin}').`);
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Parses a Cookie header. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    try {
      out.set(k, decodeURIComponent(v));
    } catch {
      out.set(k, v);
    }
  }
  return out;
}

/** Checks a request's token (constant time). */
export class TokenGuard {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /** Whether `candidate` is the token. */
  matches(candidate: string | undefined | null): boolean {
    if (candidate === undefined || candidate === null || candidate === '') return false;
    return timingSafeEqual(digest(candidate), this.expected);
  }

  /**
   * Whether the request carries the token: `Authorization: Bearer`, the cookie, or `?token=`
   * (then `fromQuery` is true and the caller sets the cookie).
   */
  check(req: IncomingMessage, url: URL): { ok: boolean; fromQuery: boolean } {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && this.matches(auth.slice('Bearer '.length).trim())) {
      return { ok: true, fromQuery: false };
    }
    if (this.matches(parseCookies(req.headers.cookie).get(TOKEN_COOKIE)))
      return { ok: true, fromQuery: false };
    if (this.matches(url.searchParams.get('token'))) return { ok: true, fromQuery: true };
    return { ok: false, fromQuery: false };
  }

  /** The Set-Cookie value that stores the token in the browser. */
  cookie(token: string): string {
    return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
