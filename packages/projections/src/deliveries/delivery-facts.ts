/**
 * `delivery_facts`: one row per provider fact a webhook should deliver (a booking, a cancellation,
 * a reschedule), with how recon first learnt it (`source`: webhook, poller, backfill) and the
 * provider's own update time of the fact. Append-only, keyed by the event's id: the first row of a
 * key wins, so live batches and rebuilds give the same rows. Kept by the identities projection
 * (it reads the appointment streams already); ingest's delivery counts read it together with its
 * webhook receipts (a webhook arriving after the poll decides no event, so only a receipt shows it).
 */
import type { AppointmentEvent } from '@recon/domain';
import type { RecordedEvent } from '@recon/eventstore';
import { sql, type RawBuilder, type Selectable } from 'kysely';

export interface DeliveryFactsTable {
  event_id: string;
  workspace_id: string;
  provider: string;
  provider_appointment_id: string;
  /** `booked`, `canceled` or `rescheduled`. */
  fact: string;
  /** `webhook`, `poller` or `backfill` (manual facts are not deliveries and have no row). */
  source: string;
  provider_updated_at: string | null;
  observed_at: string;
}
export type DeliveryFactRow = Selectable<DeliveryFactsTable>;

export const DELIVERY_FACTS_TABLE = 'delivery_facts';
export const DELIVERY_FACT_COLUMNS = [
  'event_id',
  'workspace_id',
  'provider',
  'provider_appointment_id',
  'fact',
  'source',
  'provider_updated_at',
  'observed_at',
] as const;

const FACT_OF: Readonly<Record<string, string>> = {
  AppointmentBooked: 'booked',
  AppointmentCanceled: 'canceled',
  AppointmentRescheduled: 'rescheduled',
};

/** The fact row an event records, or null when it is no provider-delivered fact. */
export function deliveryFactRow(recorded: RecordedEvent, event: { readonly type: string }): DeliveryFactRow | null {
  const fact = FACT_OF[event.type];
  if (fact === undefined) return null;
  const d = (event as AppointmentEvent).data;
  if (d.source === 'manual') return null;
  return {
    event_id: recorded.id,
    workspace_id: d.workspaceId,
    provider: d.provider,
    provider_appointment_id: d.providerAppointmentId,
    fact,
    source: d.source,
    provider_updated_at: d.providerUpdatedAt,
    observed_at: d.observedAt,
  };
}

export function deliveryFactsDdl(schema: string): RawBuilder<unknown> {
  const s = sql.id(schema);
  return sql`
    CREATE TABLE ${s}.delivery_facts (
      event_id text NOT NULL, workspace_id text NOT NULL, provider text NOT NULL,
      provider_appointment_id text NOT NULL, fact text NOT NULL, source text NOT NULL,
      provider_updated_at timestamptz, observed_at timestamptz NOT NULL);
    ALTER TABLE ${s}.delivery_facts ADD PRIMARY KEY (event_id);
    CREATE INDEX ON ${s}.delivery_facts (workspace_id, provider, source);
  `;
}
