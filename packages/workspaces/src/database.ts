/**
 * The configuration and PII tables of recon, in kysely's shape. These are not event-sourced read
 * models: credentials and PII never go into events, so they live only here (encrypted or erasable).
 */
import type { Provider } from '@recon/domain';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  label: string;
  /** sha256 hex of the key; the key itself is shown once and never stored. */
  key_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ProviderCredentialsTable {
  workspace_id: string;
  /** Any registered provider (no CHECK constraint since 2026-11-30-001-any-provider). */
  provider: Provider;
  /** Non-secret configuration (organizationUri, locationId, apiBaseUrl, …) as JSON. */
  public_config: ColumnType<Record<string, unknown>, string, string>;
  /** AES-256-GCM sealed JSON of the secrets (see secret-box.ts). */
  sealed_secrets: string;
  updated_at: Timestamp;
}

export interface WorkspaceSettingsTable {
  workspace_id: string;
  booked_sentiment_labels: ColumnType<string[], string, string>;
  auto_correct_sentiment: boolean;
  reconcile_interval_minutes: number;
  notify_url: string | null;
  sealed_notify_secret: string | null;
  updated_at: Timestamp;
  lost_delivery_grace_minutes: ColumnType<number, number | undefined, number>;
  attendance_review: ColumnType<boolean, boolean | undefined, boolean>;
  label_verification_sla_hours: ColumnType<number, number | undefined, number>;
  reschedule_grace_minutes: ColumnType<number, number | undefined, number>;
}

/** PII of a lead: erasable by DELETE …/contact. Events only ever carry keyed hashes. */
export interface LeadContactsTable {
  workspace_id: string;
  lead_id: string;
  email: string | null;
  alternate_emails: ColumnType<string[], string, string>;
  name: string | null;
  updated_at: Timestamp;
  seq: Generated<number>;
}

/** A stream's data key (crypto-shredding): sealed by the secret box; erasure deletes the row. */
export interface StreamKeysTable {
  stream_name: string;
  /** Random id of this key: a key created after an erasure never opens what the old one sealed. */
  key_id: string;
  sealed_key: string;
  created_at: Generated<Timestamp>;
}

export interface WorkspacesDatabase {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  provider_credentials: ProviderCredentialsTable;
  workspace_settings: WorkspaceSettingsTable;
  lead_contacts: LeadContactsTable;
  stream_keys: StreamKeysTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type NewWorkspaceRow = Insertable<WorkspacesTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKeyRow = Insertable<ApiKeysTable>;
export type ProviderCredentialsRow = Selectable<ProviderCredentialsTable>;
export type WorkspaceSettingsRow = Selectable<WorkspaceSettingsTable>;
export type LeadContactRow = Selectable<LeadContactsTable>;
