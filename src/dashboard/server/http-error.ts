/**
 * An HTTP-level refusal (401, 403, 404, 405…) with a stable code, which the server sends as
 * `{ "error": { "code", "message" } }`. Tunekit's own errors map to statuses in `respond.ts`.
 * @module
 */
import { TunekitError } from '../../core/errors.js';

/** Stable codes of the dashboard's refusals. */
export type HttpErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN_HOST'
  | 'FORBIDDEN_ORIGIN'
  | 'READ_ONLY'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_REQUEST'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE';

/** A refusal with its HTTP status. */
export class HttpError extends TunekitError {
  constructor(
    readonly status: number,
    readonly httpCode: HttpErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super('INVALID_ARGUMENT', message);
  }
}
