/// <reference lib="dom" />
/**
 * The browser side of the JSON API: typed fetches that turn error bodies into {@link ApiError}.
 * Requests carry the session cookie (same origin); writes send JSON.
 * @module
 */

/** An error answered by the server (`{ error: { code, message } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'HTTP', err?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

/** GET a JSON resource. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  return parse<T>(res);
}

/** Sends a write (POST or DELETE) with a JSON body. */
export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return parse<T>(res);
}

/** A query string from pairs (repeated keys allowed), with a leading `?` when not empty. */
export function query(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of pairs) q.append(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}
