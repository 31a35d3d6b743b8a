/**
 * Tables of the `core` projection (lead lifecycle, appointments and everything derived from the
 * lead fold), as kysely types and as DDL. The DDL takes the versioned schema it builds in: the
 * live generation and a rebuild's next generation are created by the same function. Readers see
 * each table through a view of the same name in `public`.
 */
import { sql, type ColumnType, type Insertable, type RawBuilder, type Selectable } from 'kysely';

type Ts = ColumnType<Date, string | Date, string | Date>;
type Json<T> = ColumnType<T, string, string>;

export interface LeadLifecycleTable {
  workspace_id: string;
  lead_id: string;
  /** Clock-free state (the domain fold's): `booked` also covers a booking whose end passed; readers
   *  turn that into completed + assumed with their clock (see `effectiveLeadState`). */
  booking_state: string;
  booking_state_since: Ts | null;
  current_provider: string | null;
  current_provider_appointment_id: string | null;
  current_status: string | null;
  current_start_at: Ts | null;
  current_end_at: Ts | null;
  bookings: number;
  cancellations: number;
  reschedules: number;
  no_shows: number;
  sentiment_label: string | null;
  sentiment_at: Ts | null;
  last_inbound_at: Ts | null;
  last_message_direction: string | null;
  registered: boolean;
  /** The verification grade (domain `leadGrade`) under the workspace rules in force. */
  grade: string;
  /** Store event ids the grade rests on (a handful). */
  grade_evidence: Json<string[]>;
  /** The domain's LeadLifecycle fold state, continued incrementally by each batch. */
  fold: Json<unknown>;
  /** The projection's own memory: tasks, resolutions, open/closed mismatches. */
  memory: Json<unknown>;
  position: string;
}

/** The last provider check of a lead, one row per provider checked (a new provider adds rows, not columns). */
export interface LeadProviderChecksTable {
  workspace_id: string;
  lead_id: string;
  provider: string;
  checked_at: Ts;
  /** The domain's `ProviderCheckOutcome` (found with a count, none, or failed with a code). */
  outcome: Json<unknown>;
  position: string;
}

export interface AppointmentsTable {
  workspace_id: string;
  provider: string;
  provider_appointment_id: string;
  lead_id: string | null;
  matched_by: string | null;
  status: string;
  start_at: Ts;
  end_at: Ts;
  source: string;
  calendly_event_uri: string | null;
  rescheduled_from: string | null;
  rescheduled_to: string | null;
  deleted: boolean;
  provider_updated_at: Ts | null;
  first_observed_at: Ts;
  last_observed_at: Ts;
  version: number;
  reschedules: number;
  cancellations: number;
  no_shows: number;
  position: string;
}

export interface AppointmentHistoryTable {
  event_id: string;
  workspace_id: string;
  provider: string;
  provider_appointment_id: string;
  lead_id: string | null;
  event_type: string;
  source: string;
  observed_at: Ts;
  provider_updated_at: Ts | null;
  start_at: Ts;
  end_at: Ts;
  status_after: string;
  position: string;
}

export interface MismatchesTable {
  workspace_id: string;
  lead_id: string;
  kind: string;
  since: Ts;
  status: string;
  resolved_at: Ts | null;
  resolution: string | null;
  auto_corrected: boolean;
  evidence: Json<unknown>;
  sentiment_label: string | null;
  sentiment_at: Ts | null;
  last_inbound_at: Ts | null;
  last_message_direction: string | null;
  position: string;
}

export interface FollowUpTasksTable {
  task_id: string;
  workspace_id: string;
  lead_id: string;
  kind: string;
  severity: string;
  provider: string;
  provider_appointment_id: string;
  created_at: Ts;
  status: string;
  resolved_at: Ts | null;
  resolved_by: string | null;
  note: string | null;
  position: string;
}

export interface AutomationGatesTable {
  workspace_id: string;
  lead_id: string;
  may_enroll: boolean;
  must_pause: boolean;
  /** Clock-free reason; a booked lead whose meeting ended reads as `completed` (see effectiveGate). */
  reason: string;
  booking_state: string;
  current_status: string | null;
  current_end_at: Ts | null;
  position: string;
}

export interface WorkspaceStatsTable {
  workspace_id: string;
  /** `state:<booking_state>`, `mismatch:<kind>`, `tasks_open`, `tasks_open:severity:<s>`, `tasks_open:kind:<k>`, `unmatched_bookings`. */
  metric: string;
  value: ColumnType<string, number, number>;
}

/** The workspace rules as folded from the workspace stream (`WorkspaceRulesChanged`). */
export interface WorkspaceRulesTable {
  workspace_id: string;
  booked_sentiment_labels: Json<string[]>;
  auto_correct_sentiment: boolean;
  position: string;
}

export type LeadLifecycleRow = Selectable<LeadLifecycleTable>;
export type NewLeadLifecycleRow = Insertable<LeadLifecycleTable>;
export type LeadProviderCheckRow = Selectable<LeadProviderChecksTable>;
export type NewLeadProviderCheckRow = Insertable<LeadProviderChecksTable>;
export type AppointmentRow = Selectable<AppointmentsTable>;
export type NewAppointmentRow = Insertable<AppointmentsTable>;
export type AppointmentHistoryRow = Selectable<AppointmentHistoryTable>;
export type NewAppointmentHistoryRow = Insertable<AppointmentHistoryTable>;
export type MismatchRow = Selectable<MismatchesTable>;
export type NewMismatchRow = Insertable<MismatchesTable>;
export type FollowUpTaskRow = Selectable<FollowUpTasksTable>;
export type NewFollowUpTaskRow = Insertable<FollowUpTasksTable>;
export type AutomationGateRow = Selectable<AutomationGatesTable>;
export type NewAutomationGateRow = Insertable<AutomationGatesTable>;
/** Daily lead-state counters (core/lead-state-days.ts): their running sum is the leads per state at a day's end. */
export interface LeadStateDaysTable {
  workspace_id: string;
  day: ColumnType<string, string, string>;
  state: string;
  value: ColumnType<string, number, number>;
}

export type WorkspaceStatsRow = Selectable<WorkspaceStatsTable>;
export type NewWorkspaceStatsRow = Insertable<WorkspaceStatsTable>;

export const CORE_TABLES = [
  'lead_lifecycle',
  'lead_provider_checks',
  'appointments',
  'appointment_history',
  'mismatches',
  'follow_up_tasks',
  'automation_gates',
  'workspace_stats',
  'workspace_rules',
  'lead_state_days',
] as const;

/**
 * The DDL of the core tables and their indexes in `schema` (which must exist). Keys and indexes
 * are statements of their own after the CREATE TABLEs, so a rebuild can load bare tables and build
 * them afterwards (see runtime/ddl.ts); a live generation runs the whole script.
 */
export function coreTablesDdl(schema: string): RawBuilder<unknown> {
  const s = sql.id(schema);
  return sql`
    CREATE TABLE ${s}.lead_lifecycle (
      workspace_id text NOT NULL, lead_id text NOT NULL, booking_state text NOT NULL, booking_state_since timestamptz,
      current_provider text, current_provider_appointment_id text, current_status text,
      current_start_at timestamptz, current_end_at timestamptz,
      bookings integer NOT NULL, cancellations integer NOT NULL, reschedules integer NOT NULL, no_shows integer NOT NULL,
      sentiment_label text, sentiment_at timestamptz, last_inbound_at timestamptz, last_message_direction text,
      registered boolean NOT NULL, grade text NOT NULL, grade_evidence jsonb NOT NULL,
      fold jsonb NOT NULL, memory jsonb NOT NULL, position text NOT NULL);
    ALTER TABLE ${s}.lead_lifecycle ADD PRIMARY KEY (workspace_id, lead_id);
    CREATE INDEX ON ${s}.lead_lifecycle (workspace_id, booking_state, lead_id);
    -- the stats' booked leads as of now: scheduled ones by end, and those without a scheduled end (predicates inlined there)
    CREATE INDEX ON ${s}.lead_lifecycle (workspace_id, current_end_at) WHERE booking_state = 'booked' AND current_status = 'scheduled';
    CREATE INDEX ON ${s}.lead_lifecycle (workspace_id)
      WHERE booking_state = 'booked' AND (current_status IS DISTINCT FROM 'scheduled' OR current_end_at IS NULL);
    -- the scheduler's label-only leads past the workspace's verification SLA, oldest label first
    CREATE INDEX ON ${s}.lead_lifecycle (workspace_id, sentiment_at, lead_id) WHERE grade = 'label_only';
    CREATE TABLE ${s}.lead_provider_checks (
      workspace_id text NOT NULL, lead_id text NOT NULL, provider text NOT NULL, checked_at timestamptz NOT NULL,
      outcome jsonb NOT NULL, position text NOT NULL);
    ALTER TABLE ${s}.lead_provider_checks ADD PRIMARY KEY (workspace_id, lead_id, provider);
    CREATE INDEX ON ${s}.lead_provider_checks (workspace_id, checked_at);
    CREATE TABLE ${s}.appointments (
      workspace_id text NOT NULL, provider text NOT NULL, provider_appointment_id text NOT NULL,
      lead_id text, matched_by text, status text NOT NULL, start_at timestamptz NOT NULL, end_at timestamptz NOT NULL,
      source text NOT NULL, calendly_event_uri text, rescheduled_from text, rescheduled_to text,
      deleted boolean NOT NULL, provider_updated_at timestamptz, first_observed_at timestamptz NOT NULL,
      last_observed_at timestamptz NOT NULL, version integer NOT NULL, reschedules integer NOT NULL, cancellations integer NOT NULL,
      no_shows integer NOT NULL, position text NOT NULL);
    ALTER TABLE ${s}.appointments ADD PRIMARY KEY (workspace_id, provider, provider_appointment_id);
    CREATE INDEX ON ${s}.appointments (workspace_id, lead_id);
    CREATE INDEX ON ${s}.appointments (workspace_id, first_observed_at, provider, provider_appointment_id) WHERE lead_id IS NULL;
    CREATE TABLE ${s}.appointment_history (
      event_id text NOT NULL, workspace_id text NOT NULL, provider text NOT NULL, provider_appointment_id text NOT NULL,
      lead_id text, event_type text NOT NULL, source text NOT NULL, observed_at timestamptz NOT NULL,
      provider_updated_at timestamptz, start_at timestamptz NOT NULL, end_at timestamptz NOT NULL,
      status_after text NOT NULL, position text NOT NULL);
    ALTER TABLE ${s}.appointment_history ADD PRIMARY KEY (event_id);
    CREATE INDEX ON ${s}.appointment_history (workspace_id, provider, provider_appointment_id, observed_at);
    CREATE TABLE ${s}.mismatches (
      workspace_id text NOT NULL, lead_id text NOT NULL, kind text NOT NULL, since timestamptz NOT NULL,
      status text NOT NULL, resolved_at timestamptz, resolution text, auto_corrected boolean NOT NULL, evidence jsonb NOT NULL,
      sentiment_label text, sentiment_at timestamptz, last_inbound_at timestamptz, last_message_direction text,
      position text NOT NULL);
    ALTER TABLE ${s}.mismatches ADD PRIMARY KEY (workspace_id, lead_id, kind, since);
    CREATE INDEX ON ${s}.mismatches (workspace_id, kind, since, lead_id) WHERE status = 'open';
    CREATE INDEX ON ${s}.mismatches (workspace_id, since, lead_id, kind) WHERE status = 'open';
    CREATE TABLE ${s}.follow_up_tasks (
      task_id text NOT NULL, workspace_id text NOT NULL, lead_id text NOT NULL, kind text NOT NULL,
      severity text NOT NULL, provider text NOT NULL, provider_appointment_id text NOT NULL,
      created_at timestamptz NOT NULL, status text NOT NULL, resolved_at timestamptz, resolved_by text, note text,
      position text NOT NULL);
    ALTER TABLE ${s}.follow_up_tasks ADD PRIMARY KEY (task_id);
    CREATE UNIQUE INDEX ON ${s}.follow_up_tasks (workspace_id, lead_id, provider, provider_appointment_id, kind) WHERE status = 'open';
    CREATE INDEX ON ${s}.follow_up_tasks (workspace_id, status, created_at, task_id);
    CREATE INDEX ON ${s}.follow_up_tasks (workspace_id, lead_id);
    CREATE TABLE ${s}.automation_gates (
      workspace_id text NOT NULL, lead_id text NOT NULL, may_enroll boolean NOT NULL, must_pause boolean NOT NULL,
      reason text NOT NULL, booking_state text NOT NULL, current_status text, current_end_at timestamptz, position text NOT NULL);
    ALTER TABLE ${s}.automation_gates ADD PRIMARY KEY (workspace_id, lead_id);
    CREATE TABLE ${s}.workspace_stats (
      workspace_id text NOT NULL, metric text NOT NULL, value bigint NOT NULL);
    ALTER TABLE ${s}.workspace_stats ADD PRIMARY KEY (workspace_id, metric);
    CREATE TABLE ${s}.workspace_rules (
      workspace_id text NOT NULL, booked_sentiment_labels jsonb NOT NULL, auto_correct_sentiment boolean NOT NULL,
      position text NOT NULL);
    ALTER TABLE ${s}.workspace_rules ADD PRIMARY KEY (workspace_id);
    CREATE TABLE ${s}.lead_state_days (
      workspace_id text NOT NULL, day date NOT NULL, state text NOT NULL, value bigint NOT NULL);
    ALTER TABLE ${s}.lead_state_days ADD PRIMARY KEY (workspace_id, day, state);
    -- the daily series: mismatches opened and closed per day (open and closed rows alike)
    CREATE INDEX ON ${s}.mismatches (workspace_id, since);
    CREATE INDEX ON ${s}.mismatches (workspace_id, resolved_at) WHERE resolved_at IS NOT NULL;
  `;
}
