/**
 * How a background backfill's end is logged, wherever it ran (the route's process, the scheduler
 * resuming an orphaned job): job id, workspace id and a code — never an email or a message.
 */
import { BACKFILL_CRASHED, type RunBackfillResult } from './run-backfill';

/** The part of a pino logger backfills use. */
export interface BackfillLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A thrown error as `Name` or `Name:CODE` (never its message: it may hold values). */
export function causeOf(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? `${name}:${code}` : name;
}

export function logBackfillResult(
  log: BackfillLog,
  ids: { readonly backfill: string; readonly workspaceId: string },
  result: RunBackfillResult,
): void {
  if (!result.ok) log.warn({ ...ids, code: result.code }, 'backfill not run');
  else if (result.view.status === 'failed') log.error({ ...ids, code: result.view.errorCode }, 'backfill failed');
  else log.info({ ...ids, status: result.view.status, paused: result.paused }, 'backfill ended');
}

export function logBackfillCrash(
  log: BackfillLog,
  ids: { readonly backfill: string; readonly workspaceId: string },
  error: unknown,
): void {
  log.error({ ...ids, code: BACKFILL_CRASHED, cause: causeOf(error) }, 'backfill failed');
}
