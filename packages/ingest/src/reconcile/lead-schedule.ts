/**
 * The scheduler's memory of one lead (`reconcile_leads`): read before a check, written after. A
 * tick reads the inputs of its whole due batch in one query, and the writes of checks that finish
 * together are coalesced into one multi-row upsert (one statement, one commit), each check still
 * awaiting its own row.
 */
import { sql } from 'kysely';
import type { KnownAppointment, ReconcileDb, ReconcileLeadRow } from './reconcile-tables';

export interface LeadInputs {
  readonly contact: { readonly email: string | null; readonly alternateEmails: readonly string[] } | null;
  readonly schedule: { readonly bookingState: string; readonly knownAppointments: readonly KnownAppointment[] } | null;
}

/** The lead's contact (emails) and the scheduler's memory of it, in one round trip. */
export async function getLeadInputs(db: ReconcileDb, workspaceId: string, leadId: string): Promise<LeadInputs> {
  return (await getLeadInputsBatch(db, workspaceId, [leadId])).get(leadId) ?? toInputs(undefined);
}

interface InputRow {
  lead_id: string;
  email: string | null;
  alternate_emails: string[] | null;
  has_contact: boolean;
  booking_state: string | null;
  known_appointments: KnownAppointment[] | null;
}

function toInputs(row: InputRow | undefined): LeadInputs {
  return {
    contact: row?.has_contact ? { email: row.email, alternateEmails: row.alternate_emails ?? [] } : null,
    schedule:
      row?.booking_state != null
        ? { bookingState: row.booking_state, knownAppointments: row.known_appointments ?? [] }
        : null,
  };
}

/** The inputs of many leads of one workspace in one round trip (a tick's due batch). */
export async function getLeadInputsBatch(
  db: ReconcileDb,
  workspaceId: string,
  leadIds: readonly string[],
): Promise<Map<string, LeadInputs>> {
  const out = new Map<string, LeadInputs>();
  if (leadIds.length === 0) return out;
  const { rows } = await sql<InputRow>`
    SELECT ids.lead_id, c.email, c.alternate_emails, (c.lead_id IS NOT NULL) AS has_contact, r.booking_state, r.known_appointments
    FROM unnest(${sql.val([...leadIds])}::text[]) AS ids(lead_id)
    LEFT JOIN lead_contacts c ON c.workspace_id = ${workspaceId} AND c.lead_id = ids.lead_id
    LEFT JOIN reconcile_leads r ON r.workspace_id = ${workspaceId} AND r.lead_id = ids.lead_id`.execute(db);
  for (const row of rows) out.set(row.lead_id, toInputs(row));
  for (const id of leadIds) if (!out.has(id)) out.set(id, toInputs(undefined));
  return out;
}

export async function getLeadSchedule(
  db: ReconcileDb,
  workspaceId: string,
  leadId: string,
): Promise<ReconcileLeadRow | null> {
  const row = await db
    .selectFrom('reconcile_leads')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .executeTakeFirst();
  return row ?? null;
}

export interface LeadScheduleWrite {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly at: Date;
  readonly success: boolean;
  readonly bookingState: string;
  readonly currentEndAt: string | null;
  readonly knownAppointments: readonly KnownAppointment[];
}

/**
 * Upserts many leads' rows in one statement. A lead twice in `writes` keeps its last write (one
 * statement cannot touch a row twice). A failed check keeps the last success and counts a failure.
 */
export async function recordLeadSchedules(db: ReconcileDb, writes: readonly LeadScheduleWrite[]): Promise<void> {
  const byLead = new Map<string, LeadScheduleWrite>();
  for (const w of writes) byLead.set(`${w.workspaceId}\u0000${w.leadId}`, w);
  if (byLead.size === 0) return;
  const rows = [...byLead.values()];
  // One statement with one array per column (unnest): its text and plan do not grow with the batch.
  await sql`
    INSERT INTO reconcile_leads AS r
      (workspace_id, lead_id, last_attempt_at, last_success_at, booking_state, current_end_at, known_appointments, failures)
    SELECT * FROM unnest(
      ${sql.val(rows.map((w) => w.workspaceId))}::text[],
      ${sql.val(rows.map((w) => w.leadId))}::text[],
      ${sql.val(rows.map((w) => w.at.toISOString()))}::timestamptz[],
      ${sql.val(rows.map((w) => (w.success ? w.at.toISOString() : null)))}::timestamptz[],
      ${sql.val(rows.map((w) => w.bookingState))}::text[],
      ${sql.val(rows.map((w) => w.currentEndAt))}::timestamptz[],
      ${sql.val(rows.map((w) => JSON.stringify(w.knownAppointments)))}::jsonb[],
      ${sql.val(rows.map((w) => (w.success ? 0 : 1)))}::int[])
    ON CONFLICT (workspace_id, lead_id) DO UPDATE SET
      last_attempt_at = excluded.last_attempt_at,
      last_success_at = coalesce(excluded.last_success_at, r.last_success_at),
      booking_state = excluded.booking_state,
      current_end_at = excluded.current_end_at,
      known_appointments = excluded.known_appointments,
      failures = CASE WHEN excluded.failures = 0 THEN 0 ELSE r.failures + 1 END`.execute(db);
}

export async function recordLeadSchedule(db: ReconcileDb, input: LeadScheduleWrite): Promise<void> {
  await recordLeadSchedules(db, [input]);
}

interface Pending {
  readonly write: LeadScheduleWrite;
  readonly resolve: () => void;
  readonly reject: (cause: unknown) => void;
}

export interface LeadScheduleWriter {
  /** Resolves once the row is committed (with the others written together), rejects if that statement failed. */
  write(input: LeadScheduleWrite): Promise<void>;
}

export interface LeadScheduleWriterOptions {
  /** Rows per statement at most (default 500). */
  readonly maxBatch?: number;
  /**
   * How long the first queued row waits for others before the statement goes out (default 0: at
   * once). A tick, whose leads finish a few ms apart, lingers so many rows share one commit.
   */
  readonly lingerMs?: number;
}

/**
 * Coalesces the writes of checks that finish together: while one upsert runs, the next rows wait
 * and go out together in the next one (at most `maxBatch` rows a statement). Like a group commit:
 * without `lingerMs` nobody waits for a timer, a lone write goes out at once.
 */
export function createLeadScheduleWriter(db: ReconcileDb, options: LeadScheduleWriterOptions = {}): LeadScheduleWriter {
  const maxBatch = options.maxBatch ?? 500;
  const lingerMs = options.lingerMs ?? 0;
  const queue: Pending[] = [];
  let flushing = false;
  let timer: NodeJS.Timeout | null = null;
  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await recordLeadSchedules(
            db,
            batch.map((p) => p.write),
          );
          for (const p of batch) p.resolve();
        } catch (cause) {
          for (const p of batch) p.reject(cause);
        }
      }
    } finally {
      flushing = false;
    }
  }
  const start = () => {
    timer = null;
    if (!flushing) void flush();
  };
  return {
    write(input) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ write: input, resolve, reject });
        if (flushing || timer !== null) return;
        if (lingerMs <= 0 || queue.length >= maxBatch) start();
        else timer = setTimeout(start, lingerMs);
      });
    },
  };
}

const writers = new WeakMap<object, LeadScheduleWriter>();

/** The process-wide coalescing writer of this database handle. */
export function leadScheduleWriter(db: ReconcileDb): LeadScheduleWriter {
  let writer = writers.get(db);
  if (writer === undefined) {
    writer = createLeadScheduleWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
