/**
 * Records that a webhook delivered a fact version (appointment id + provider update time), whether
 * or not it decided new events: a webhook arriving after polling found the fact is still a
 * received delivery, never a lost one. Idempotent (first arrival kept).
 */
import type { ObserveProviderAppointment } from '@recon/domain';
import { sql, type Kysely } from 'kysely';

export type ReceiptResult = { readonly ok: true } | { readonly ok: false; readonly code: 'EVENT_STORE_UNAVAILABLE' };

const UNDEFINED_TABLE = '42P01';

export async function recordWebhookReceipt<DB>(
  db: Kysely<DB> | undefined,
  observation: Pick<
    ObserveProviderAppointment,
    'workspaceId' | 'provider' | 'providerAppointmentId' | 'providerUpdatedAt'
  >,
  receivedAt: Date,
): Promise<ReceiptResult> {
  if (db === undefined) return { ok: true };
  try {
    await sql`
      INSERT INTO webhook_receipts (workspace_id, provider, provider_appointment_id, provider_updated_at, received_at)
      VALUES (${observation.workspaceId}, ${observation.provider}, ${observation.providerAppointmentId},
        ${observation.providerUpdatedAt}, ${receivedAt.toISOString()})
      ON CONFLICT DO NOTHING`.execute(db);
    return { ok: true };
  } catch (e) {
    // A database without ingest's migrations (some test apps) records no receipts.
    if ((e as { code?: unknown }).code === UNDEFINED_TABLE) return { ok: true };
    // Same database as the store: the provider redelivers (the events are already idempotent).
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
}
