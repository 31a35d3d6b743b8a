/**
 * Dead letters of live projections: an event whose handler fails is recorded (outside the failed
 * batch's transaction, so the record survives its rollback) with its attempts; after the allowed
 * attempts it is skipped and stays listed, so the projection's status shows it.
 */
import { sql, type Kysely } from 'kysely';
import type { PoisonEventError } from './projection';
import type { AnyKysely } from './any-kysely';

export interface DeadLetter {
  readonly projection: string;
  readonly eventId: string;
  readonly position: string;
  readonly streamName: string;
  readonly eventType: string;
  readonly errorCode: string;
  readonly errorDetail: string;
  readonly attempts: number;
  readonly status: 'retrying' | 'skipped';
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
}

/** Records one more failed attempt; returns the attempts so far and whether the event is now skipped. */
export async function recordFailure(
  db: Kysely<unknown>,
  projection: string,
  error: PoisonEventError,
  maxAttempts: number,
  now: Date,
): Promise<{ attempts: number; skipped: boolean }> {
  const e = error.recorded;
  const { rows } = await sql<{ attempts: number; status: string }>`
    INSERT INTO projection_dead_letters
      (projection, event_id, position, stream_name, event_type, error_code, error_detail, attempts, status, first_seen_at, last_seen_at)
    VALUES (${projection}, ${e.id}, ${e.position}, ${e.streamName}, ${e.type}, ${error.code}, ${error.detail.slice(0, 500)}, 1,
      ${maxAttempts <= 1 ? 'skipped' : 'retrying'}, ${now}, ${now})
    ON CONFLICT (projection, event_id) DO UPDATE SET
      attempts = projection_dead_letters.attempts + 1,
      error_code = excluded.error_code, error_detail = excluded.error_detail, last_seen_at = excluded.last_seen_at,
      status = CASE WHEN projection_dead_letters.attempts + 1 >= ${maxAttempts} THEN 'skipped' ELSE 'retrying' END
    RETURNING attempts, status`.execute(db);
  const r = rows[0];
  return { attempts: r?.attempts ?? 1, skipped: r?.status === 'skipped' };
}

export async function skippedEventIds(db: Kysely<unknown>, projection: string): Promise<Set<string>> {
  const { rows } = await sql<{ event_id: string }>`
    SELECT event_id FROM projection_dead_letters WHERE projection = ${projection} AND status = 'skipped'`.execute(db);
  return new Set(rows.map((r) => r.event_id));
}

export async function listDeadLetters(db: AnyKysely, projection?: string): Promise<DeadLetter[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM projection_dead_letters WHERE (${projection ?? null}::text IS NULL OR projection = ${projection ?? null}::text)
    ORDER BY first_seen_at`.execute(db);
  return rows.map((r) => ({
    projection: r['projection'] as string,
    eventId: r['event_id'] as string,
    position: r['position'] as string,
    streamName: r['stream_name'] as string,
    eventType: r['event_type'] as string,
    errorCode: r['error_code'] as string,
    errorDetail: r['error_detail'] as string,
    attempts: r['attempts'] as number,
    status: r['status'] as 'retrying' | 'skipped',
    firstSeenAt: r['first_seen_at'] as Date,
    lastSeenAt: r['last_seen_at'] as Date,
  }));
}
