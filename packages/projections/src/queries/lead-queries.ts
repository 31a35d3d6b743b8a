/** Lead reads for the API: one lead with everything the lead page shows, and leads by state (keyset). */
import { sql, type Kysely, type Selectable } from 'kysely';
import { PROVIDER_NAMES, type LeadGrade } from '@recon/domain';
import { z } from 'zod';
import { LEAD_SUMMARY_COLUMNS } from '../core/core-rows';
import type { LeadLifecycleTable, LeadProviderChecksTable } from '../core/core-tables';
import { decodeCursor, encodeCursor, pageLimit, type PageResult } from './cursor';
import { effectiveGate, effectiveLeadState } from './effective-state';
import type { ProjectionsDatabase } from './projections-database';

type Db = Kysely<ProjectionsDatabase>;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export interface LeadSummary {
  readonly leadId: string;
  readonly state: string;
  readonly assumed: boolean;
  /** The verification grade (domain `leadGrade`) and the store event ids it rests on. */
  readonly grade: LeadGrade;
  readonly evidence: readonly string[];
  readonly sentiment: { readonly label: string; readonly classifiedAt: string } | null;
  readonly appointment: {
    readonly provider: string;
    readonly providerAppointmentId: string;
    readonly status: string;
    readonly startAt: string;
    readonly endAt: string;
  } | null;
  readonly checks: readonly { readonly provider: string; readonly checkedAt: string; readonly outcome: unknown }[];
  readonly counts: {
    readonly bookings: number;
    readonly cancellations: number;
    readonly reschedules: number;
    readonly noShows: number;
  };
  readonly lastInboundAt: string | null;
  readonly lastMessageDirection: string | null;
}

export interface LeadDetail extends LeadSummary {
  readonly mismatches: readonly { readonly kind: string; readonly since: string }[];
  readonly openTasks: readonly { readonly id: string; readonly kind: string; readonly severity: string }[];
  readonly gate: { readonly mayEnroll: boolean; readonly mustPause: boolean; readonly reason: string } | null;
}

type CheckRow = Pick<Selectable<LeadProviderChecksTable>, 'provider' | 'checked_at' | 'outcome'>;

/** Check rows → the API's `checks` list, in the registry's provider order (then by name for unknown ones). */
function toChecks(rows: readonly CheckRow[]): LeadSummary['checks'] {
  const rank = (p: string) => {
    const i = (PROVIDER_NAMES as readonly string[]).indexOf(p);
    return i === -1 ? PROVIDER_NAMES.length : i;
  };
  return [...rows]
    .sort(
      (a, b) => rank(a.provider) - rank(b.provider) || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0),
    )
    .map((c) => ({ provider: c.provider, checkedAt: c.checked_at.toISOString(), outcome: c.outcome }));
}

/** The check rows of some leads of one workspace, grouped by lead id (one query). */
export async function checksOf(
  db: Db,
  workspaceId: string,
  leadIds: readonly string[],
): Promise<Map<string, CheckRow[]>> {
  const out = new Map<string, CheckRow[]>();
  if (leadIds.length === 0) return out;
  const rows = await db
    .selectFrom('lead_provider_checks')
    .select(['lead_id', 'provider', 'checked_at', 'outcome'])
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', 'in', leadIds)
    .execute();
  for (const r of rows) {
    const list = out.get(r.lead_id) ?? [];
    list.push(r);
    out.set(r.lead_id, list);
  }
  return out;
}

/** Row and its provider check rows → API shape (state and assumed as of `now`). */
export function toLeadSummary(
  r: Selectable<LeadLifecycleTable>,
  checkRows: readonly CheckRow[],
  now: Date,
): LeadSummary {
  const eff = effectiveLeadState(r, now);
  const checks = toChecks(checkRows);
  return {
    leadId: r.lead_id,
    state: eff.state,
    assumed: eff.assumed,
    grade: r.grade as LeadGrade,
    evidence: r.grade_evidence,
    sentiment:
      r.sentiment_label === null || r.sentiment_at === null
        ? null
        : { label: r.sentiment_label, classifiedAt: r.sentiment_at.toISOString() },
    appointment:
      r.current_provider_appointment_id === null || r.current_start_at === null || r.current_end_at === null
        ? null
        : {
            provider: r.current_provider ?? '',
            providerAppointmentId: r.current_provider_appointment_id,
            status: r.current_status ?? '',
            startAt: r.current_start_at.toISOString(),
            endAt: r.current_end_at.toISOString(),
          },
    checks,
    counts: { bookings: r.bookings, cancellations: r.cancellations, reschedules: r.reschedules, noShows: r.no_shows },
    lastInboundAt: iso(r.last_inbound_at),
    lastMessageDirection: r.last_message_direction,
  };
}

/** One lead, or null when the projection has never seen it. */
export async function getLead(db: Db, workspaceId: string, leadId: string, now: Date): Promise<LeadDetail | null> {
  const row = await db
    .selectFrom('lead_lifecycle')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .executeTakeFirst();
  if (row === undefined) return null;
  const [mismatches, tasks, gate, checks] = await Promise.all([
    db
      .selectFrom('mismatches')
      .select(['kind', 'since'])
      .where('workspace_id', '=', workspaceId)
      .where('lead_id', '=', leadId)
      .where('status', '=', 'open')
      .orderBy('since')
      .execute(),
    db
      .selectFrom('follow_up_tasks')
      .select(['task_id', 'kind', 'severity'])
      .where('workspace_id', '=', workspaceId)
      .where('lead_id', '=', leadId)
      .where('status', '=', 'open')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('automation_gates')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('lead_id', '=', leadId)
      .executeTakeFirst(),
    checksOf(db, workspaceId, [leadId]),
  ]);
  return {
    ...toLeadSummary(row, checks.get(leadId) ?? [], now),
    mismatches: mismatches.map((m) => ({ kind: m.kind, since: m.since.toISOString() })),
    openTasks: tasks.map((t) => ({ id: t.task_id, kind: t.kind, severity: t.severity })),
    gate: gate === undefined ? null : effectiveGate(gate, now),
  };
}

const LeadCursor = z.tuple([z.string()]);

/** Leads in a booking state as of `now`, ordered by lead id (keyset; stable under concurrent writes). */
export async function listLeadsByState(
  db: Db,
  workspaceId: string,
  query: { readonly state: string; readonly limit?: number; readonly cursor?: string | null; readonly now: Date },
): Promise<PageResult<LeadSummary>> {
  const cursor = decodeCursor(query.cursor, LeadCursor);
  if (!cursor.ok) return cursor;
  const limit = pageLimit(query.limit);
  const ended = sql<boolean>`coalesce(booking_state = 'booked' AND current_status = 'scheduled' AND current_end_at <= ${query.now}, false)`;
  let q = db.selectFrom('lead_lifecycle').select(LEAD_SUMMARY_COLUMNS).where('workspace_id', '=', workspaceId);
  if (query.state === 'completed') q = q.where((eb) => eb.or([eb('booking_state', '=', 'completed'), ended]));
  else if (query.state === 'booked') q = q.where('booking_state', '=', 'booked').where(sql<boolean>`NOT ${ended}`);
  else q = q.where('booking_state', '=', query.state);
  if (cursor.value !== null) q = q.where('lead_id', '>', cursor.value[0]);
  const rows = await q
    .orderBy('lead_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const checks = await checksOf(
    db,
    workspaceId,
    page.map((r) => r.lead_id),
  );
  const items = page.map((r) =>
    toLeadSummary(
      { ...r, fold: null, memory: null } as Selectable<LeadLifecycleTable>,
      checks.get(r.lead_id) ?? [],
      query.now,
    ),
  );
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { ok: true, value: { items, nextCursor: last === undefined ? null : encodeCursor([last.lead_id]) } };
}
