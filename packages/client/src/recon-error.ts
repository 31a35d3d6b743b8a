/**
 * The one error the client throws, typed by code: the API's machine-readable codes (the
 * `ErrorCode` union of @recon/http, the same table as docs/errors.md) plus the few the client
 * itself decides (the network failed, a timeout, an abort, an answer it cannot read).
 * Messages never carry request data: no email, no lead id, no body; a route is named by its
 * template (`GET /v1/workspaces/:ws/leads/:leadId`), and `details` are paths and rule codes only,
 * as the API sends them.
 */
import { type ErrorCode, isErrorCode } from '@recon/http';

/** Codes the client decides itself, never sent by the API. */
export const CLIENT_ERROR_CODES = [
  /** The request never got an HTTP answer (connection refused, reset, DNS). */
  'NETWORK_ERROR',
  /** One attempt took longer than `timeoutMs`. */
  'TIMEOUT',
  /** The caller's AbortSignal fired (during a request or a wait between attempts). */
  'ABORTED',
  /** An answer that is not the API's contract: a non-JSON error body (a proxy's 502), or a body the schema refuses. */
  'UNEXPECTED_RESPONSE',
  /** No `workspaceId` was given and `GET /v1/me` did not name one (an admin token). */
  'WORKSPACE_REQUIRED',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type ReconErrorCode = ErrorCode | ClientErrorCode;

export interface ReconErrorDetail {
  readonly path: string;
  readonly code: string;
  readonly in?: string;
}

export interface ReconErrorInit {
  readonly code: ReconErrorCode;
  /** The route template, e.g. `PUT /v1/workspaces/:ws/leads/:leadId`. */
  readonly route: string;
  readonly status?: number | null;
  /** The API's own message (never PII by the API's contract) or the client's. */
  readonly message: string;
  readonly details?: readonly ReconErrorDetail[];
  /** What the last answer's Retry-After asked for, ms (429, 503, STALE_READ), null without one. */
  readonly retryAfterMs?: number | null;
  readonly attempts?: number;
  /** A code the API sent that this client does not know (newer server): `code` is then UNEXPECTED_RESPONSE. */
  readonly serverCode?: string;
  readonly cause?: unknown;
}

export class ReconError extends Error {
  override readonly name = 'ReconError';
  readonly code: ReconErrorCode;
  readonly status: number | null;
  readonly route: string;
  readonly details: readonly ReconErrorDetail[];
  readonly retryAfterMs: number | null;
  readonly attempts: number;
  readonly serverCode: string | undefined;

  constructor(init: ReconErrorInit) {
    const status = init.status ?? null;
    super(`${init.code}${status !== null ? ` (${status})` : ''} on ${init.route}: ${init.message}`, {
      cause: init.cause,
    });
    this.code = init.code;
    this.status = status;
    this.route = init.route;
    this.details = init.details ?? [];
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.attempts = init.attempts ?? 1;
    this.serverCode = init.serverCode;
  }
}

export function isReconError(error: unknown, code?: ReconErrorCode): error is ReconError {
  return error instanceof ReconError && (code === undefined || error.code === code);
}

/** The API's code if it is one this client knows; unknown codes become UNEXPECTED_RESPONSE. */
export function knownCode(code: string): ReconErrorCode {
  return isErrorCode(code) ? code : 'UNEXPECTED_RESPONSE';
}
