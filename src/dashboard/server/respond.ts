/**
 * Writing responses: JSON bodies (with an ETag and 304 when the client has it; gzipped when
 * large and the client accepts it), errors as
 * `{ "error": { "code", "message" } }` with the status their kind calls for, and request bodies
 * read with a size limit.
 * @module
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, gzipSync } from 'node:zlib';
import { TunekitError } from '../../core/errors.js';
import { HttpError } from './http-error.js';

/** Sends `body` as JSON (no caching by intermediaries; ETag when `etag` is given). */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  etag?: string,
): void {
  sendJsonText(req, res, status, JSON.stringify(body), etag);
}

/** Sends JSON text already serialized (see {@link sendJson}). */
export function sendJsonText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  text: string,
  etag?: string,
): void {
  if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-cache');
  if (etag !== undefined) {
    const tag = `"${createHash('sha1').update(etag).digest('base64url')}"`;
    res.setHeader('etag', tag);
    if (req.headers['if-none-match'] === tag) {
      res.writeHead(304).end();
      return;
    }
  }
  const body = maybeGzip(req, res, Buffer.from(text));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Bodies smaller than this go uncompressed. */
const GZIP_MIN_BYTES = 16 * 1024;

/** Whether the client accepts gzip. */
export function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
}

/** Gzips a large body when the client accepts it (setting the headers), else returns it as is. */
export function maybeGzip(req: IncomingMessage, res: ServerResponse, body: Buffer): Buffer {
  res.setHeader('vary', 'accept-encoding');
  if (body.length < GZIP_MIN_BYTES || !acceptsGzip(req)) return body;
  res.setHeader('content-encoding', 'gzip');
  return gzipSync(body, { level: constants.Z_BEST_SPEED });
}

/** The HTTP status of an error thrown by a handler. */
export function statusOf(e: unknown): { status: number; code: string; message: string } {
  if (e instanceof HttpError) return { status: e.status, code: e.httpCode, message: e.message };
  if (e instanceof TunekitError) {
    const status =
      e.code === 'STUDY_NOT_FOUND' || e.code === 'TRIAL_NOT_FOUND'
        ? 404
        : e.code === 'TRIAL_FINISHED' || e.code === 'DUPLICATED_STUDY'
          ? 409
          : e.code === 'STORAGE'
            ? 500
            : 400;
    return { status, code: e.code, message: e.message };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error (see the server log)' };
}

/** Sends an error as JSON. */
export function sendError(req: IncomingMessage, res: ServerResponse, e: unknown): void {
  const { status, code, message } = statusOf(e);
  if (e instanceof HttpError) for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.setHeader('cache-control', 'no-store');
  sendJson(req, res, status, { error: { code, message } });
}

/** Reads a JSON request body of at most `limit` bytes; throws `HttpError` 400/413. */
export async function readJsonBody(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    throw new HttpError(400, 'BAD_REQUEST', 'send the body as JSON with Content-Type: application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'the request body is not valid JSON.');
  }
}
