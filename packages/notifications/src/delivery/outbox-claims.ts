/**
 * The worker's SQL: claim due notifications, then record each attempt's outcome. Claims are safe
 * with several workers (`FOR UPDATE SKIP LOCKED`) and keep per-lead order: a row is due only when
 * no earlier row of the same lead is still pending (in flight or waiting for a retry). A claim is
 * a lease: `next_attempt_at` moves to the lease's end, so a worker that dies mid-delivery releases
 * the row when the lease runs out and another worker resends it with the same idempotency id.
 * Outcomes are fenced by `claim_id`: a late answer to an expired claim changes nothing.
 */
import { sql, type Kysely } from 'kysely';

export interface ClaimedNotification {
  readonly id: string;
  readonly workspaceId: string;
  readonly body: string;
  /** Attempts including this one. */
  readonly attempts: number;
  readonly claimId: string;
}

export async function claimDueNotifications(
  db: Kysely<unknown>,
  limit: number,
  leaseMs: number,
): Promise<ClaimedNotification[]> {
  const { rows } = await sql<{ id: string; workspace_id: string; body: string; attempts: number; claim_id: string }>`
    WITH due AS (
      SELECT o.id FROM notification_outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= now()
        AND NOT EXISTS (
          SELECT 1 FROM notification_outbox p
          WHERE p.workspace_id = o.workspace_id AND p.lead_id = o.lead_id AND p.status = 'pending' AND p.seq < o.seq)
      ORDER BY o.next_attempt_at, o.seq
      LIMIT ${limit}
      FOR UPDATE OF o SKIP LOCKED
    )
    UPDATE notification_outbox o
    SET claim_id = gen_random_uuid(), attempts = o.attempts + 1, last_attempt_at = now(),
        next_attempt_at = now() + ${leaseMs}::double precision * interval '1 millisecond'
    FROM due WHERE o.id = due.id
    RETURNING o.id, o.workspace_id, o.body, o.attempts, o.claim_id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    body: r.body,
    attempts: r.attempts,
    claimId: r.claim_id,
  }));
}

/** Records a 2xx. Returns false when the claim had expired (another worker owns the row now). */
export async function markDelivered(
  db: Kysely<unknown>,
  claim: ClaimedNotification,
  httpStatus: number,
): Promise<boolean> {
  const result = await sql`
    UPDATE notification_outbox
    SET status = 'delivered', delivered_at = now(), last_http_status = ${httpStatus}, last_error = NULL, claim_id = NULL
    WHERE id = ${claim.id} AND claim_id = ${claim.claimId}`.execute(db);
  return result.numAffectedRows === 1n;
}

/**
 * Records a failed attempt: the next attempt after `delayMs`, but never after the deadline; an
 * attempt at or past the deadline marks the row failed. Returns the row's new status (null when
 * the claim had expired).
 */
export async function markAttemptFailed(
  db: Kysely<unknown>,
  claim: ClaimedNotification,
  failure: { readonly code: string; readonly httpStatus: number | null; readonly delayMs: number },
): Promise<'pending' | 'failed' | null> {
  const { rows } = await sql<{ status: 'pending' | 'failed' }>`
    UPDATE notification_outbox
    SET status = CASE WHEN now() >= deadline_at THEN 'failed' ELSE 'pending' END,
        failed_at = CASE WHEN now() >= deadline_at THEN now() ELSE NULL END,
        next_attempt_at = LEAST(now() + ${failure.delayMs}::double precision * interval '1 millisecond', deadline_at),
        last_error = ${failure.code}, last_http_status = ${failure.httpStatus}, claim_id = NULL
    WHERE id = ${claim.id} AND claim_id = ${claim.claimId}
    RETURNING status`.execute(db);
  return rows[0]?.status ?? null;
}
