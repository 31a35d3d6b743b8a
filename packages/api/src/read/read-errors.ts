/**
 * Error codes the read API adds to the app's contract, with their statuses. They use the app's
 * uniform body (`errorBody`); codes already in ERROR_STATUS go through the app's `sendError`.
 * (To be merged into errors/error-codes.ts + docs/errors.md by the API owner.)
 */
import type { FastifyReply } from 'fastify';
import { statusOf, isErrorCode } from '../errors/error-codes';
import { errorBody, sendError, type ErrorDetail } from '../errors/send-error';

export const READ_ERROR_STATUS = {
  CURSOR_INVALID: 400,
  POSITION_INVALID: 400,
  TASK_NOT_FOUND: 404,
  GATE_NOT_FOUND: 404,
  STALE_READ: 409,
  NOT_READY: 503,
} as const satisfies Record<string, number>;

export type ReadErrorCode = keyof typeof READ_ERROR_STATUS;

export function sendReadError(reply: FastifyReply, code: ReadErrorCode | 'LEAD_NOT_FOUND' | 'VALIDATION_FAILED' | 'EVENT_STORE_UNAVAILABLE' | 'CONCURRENCY_CONFLICT', message: string, details?: readonly ErrorDetail[]): FastifyReply {
  // Once the API owner merges these codes into ERROR_STATUS, sendError takes over unchanged.
  if (isErrorCode(code) && statusOf(code) !== 500) return sendError(reply, code, message, details);
  const status = (READ_ERROR_STATUS as Record<string, number>)[code] ?? 500;
  if (status === 409) reply.header('retry-after', '1');
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message, details));
}
