/**
 * Tables of the `identities` projection: who a lead is for matching (keyed email hashes and the
 * GHL contact id, per workspace) and which bookings are still unmatched together with their match
 * keys, so a lead registered later can be linked to them.
 */
import { sql, type ColumnType, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import { deliveryFactsDdl } from '../deliveries/delivery-facts';

export interface LeadIdentitiesTable {
  workspace_id: string;
  lead_id: string;
  email_hash: string | null;
  alternate_email_hashes: ColumnType<string[], string[], string[]>;
  ghl_contact_id: string | null;
  position: string;
}

export interface UnmatchedAppointmentKeysTable {
  workspace_id: string;
  provider: string;
  provider_appointment_id: string;
  invitee_email_hash: string | null;
  guest_email_hashes: ColumnType<string[], string[], string[]>;
  ghl_contact_id: string | null;
  utm_lead_ids: ColumnType<string[], string[], string[]>;
  /** Null while unmatched; the lead once any event of the booking names one (rows stay, as a guard). */
  linked_lead_id: string | null;
  position: string;
}

export type LeadIdentityRow = Selectable<LeadIdentitiesTable>;
export type NewLeadIdentityRow = Insertable<LeadIdentitiesTable>;
export type UnmatchedAppointmentKeysRow = Selectable<UnmatchedAppointmentKeysTable>;
export type NewUnmatchedAppointmentKeysRow = Insertable<UnmatchedAppointmentKeysTable>;

export const IDENTITY_TABLES = ['lead_identities', 'unmatched_appointment_keys', 'delivery_facts'] as const;

/** The DDL of the identity tables and their indexes in `schema` (keys as statements of their own, see runtime/ddl.ts). */
export function identityTablesDdl(schema: string): RawBuilder<unknown> {
  const s = sql.id(schema);
  return sql`
    CREATE TABLE ${s}.lead_identities (
      workspace_id text NOT NULL, lead_id text NOT NULL, email_hash text,
      alternate_email_hashes text[] NOT NULL, ghl_contact_id text, position text NOT NULL);
    ALTER TABLE ${s}.lead_identities ADD PRIMARY KEY (workspace_id, lead_id);
    CREATE INDEX ON ${s}.lead_identities (workspace_id, email_hash);
    CREATE INDEX ON ${s}.lead_identities (workspace_id, ghl_contact_id);
    CREATE INDEX ON ${s}.lead_identities USING gin (alternate_email_hashes);
    CREATE TABLE ${s}.unmatched_appointment_keys (
      workspace_id text NOT NULL, provider text NOT NULL, provider_appointment_id text NOT NULL,
      invitee_email_hash text, guest_email_hashes text[] NOT NULL, ghl_contact_id text,
      utm_lead_ids text[] NOT NULL, linked_lead_id text, position text NOT NULL);
    ALTER TABLE ${s}.unmatched_appointment_keys ADD PRIMARY KEY (workspace_id, provider, provider_appointment_id);
    CREATE INDEX ON ${s}.unmatched_appointment_keys (workspace_id, invitee_email_hash) WHERE linked_lead_id IS NULL;
    CREATE INDEX ON ${s}.unmatched_appointment_keys (workspace_id, ghl_contact_id) WHERE linked_lead_id IS NULL;
    CREATE INDEX ON ${s}.unmatched_appointment_keys USING gin (guest_email_hashes) WHERE linked_lead_id IS NULL;
    CREATE INDEX ON ${s}.unmatched_appointment_keys USING gin (utm_lead_ids) WHERE linked_lead_id IS NULL;
    ${deliveryFactsDdl(schema)}
  `;
}
