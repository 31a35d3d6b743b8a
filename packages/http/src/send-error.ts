/**
 * Writes the uniform error body `{ error: { code, message, details? } }`. 5xx bodies never carry
 * internal messages. `Retry-After` goes with statuses a client should retry later. The one error
 * writer of every route plugin (api, ingest, notifications): its `code` is an `ErrorCode`, so an
 * unknown code does not compile.
 */
import type { FastifyReply } from 'fastify';
import { ERROR_STATUS, type ErrorCode } from './error-codes';

export interface ErrorDetail {
  readonly path: string;
  readonly code: string;
  readonly in?: string;
}

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: readonly ErrorDetail[] };
}

export const RETRY_AFTER_SECONDS = 30;
/** An outage (database or event store unreachable) is usually short: clients come back soon. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export type SendError = (
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  details?: readonly ErrorDetail[],
) => FastifyReply;

export function errorBody(code: ErrorCode, message: string, details?: readonly ErrorDetail[]): ErrorBody {
  return { error: { code, message, ...(details !== undefined && details.length > 0 ? { details } : {}) } };
}

export const sendError: SendError = (reply, code, message, details) => {
  const status: number = ERROR_STATUS[code];
  if ((status === 429 || status === 503) && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', String(status === 503 ? UNAVAILABLE_RETRY_AFTER_SECONDS : RETRY_AFTER_SECONDS));
  }
  const safeMessage = status >= 500 && status !== 503 ? 'Internal error' : message;
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, safeMessage, details));
};
