/**
 * Sends the read API's expected failures through the app's one error contract (codes and statuses
 * in @recon/http's error-codes.ts, documented in docs/errors.md). A stale read says when to retry.
 */
import type { FastifyReply } from 'fastify';
import { sendError, type ErrorCode, type ErrorDetail } from '@recon/http';

export type ReadErrorCode = Extract<
  ErrorCode,
  | 'CURSOR_INVALID'
  | 'POSITION_INVALID'
  | 'TASK_NOT_FOUND'
  | 'STALE_READ'
  | 'LEAD_NOT_FOUND'
  | 'EVENT_STORE_UNAVAILABLE'
  | 'EVENT_STORE_APPEND_TOO_LARGE'
  | 'EVENT_STORE_STREAM_DELETED'
  | 'EVENT_STORE_ACCESS_DENIED'
  | 'CONCURRENCY_CONFLICT'
>;

export function sendReadError(
  reply: FastifyReply,
  code: ReadErrorCode,
  message: string,
  details?: readonly ErrorDetail[],
): FastifyReply {
  if (code === 'STALE_READ') reply.header('retry-after', '1');
  return sendError(reply, code, message, details);
}
