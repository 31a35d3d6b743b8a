/** Appointments: a lead's bookings with their reschedule chain and history; unmatched bookings. */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { AppointmentHistoryTable, AppointmentsTable } from '../core/core-tables';
import { decodeCursor, encodeCursor, pageLimit, type PageResult } from './cursor';
import { chainOf, type MeetingChain, meetingChains } from './meeting-chain';
import type { ProjectionsDatabase } from './projections-database';

export interface AppointmentItem {
  readonly provider: string;
  readonly providerAppointmentId: string;
  readonly leadId: string | null;
  readonly matchedBy: string | null;
  readonly status: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly source: string;
  readonly calendlyEventUri: string | null;
  readonly rescheduledFrom: string | null;
  readonly rescheduledTo: string | null;
  readonly firstObservedAt: string;
  readonly lastObservedAt: string;
}

export interface AppointmentHistoryItem {
  readonly eventId: string;
  readonly eventType: string;
  readonly source: string;
  readonly observedAt: string;
  readonly providerUpdatedAt: string | null;
  readonly startAt: string;
  readonly endAt: string;
  readonly statusAfter: string;
}

export function toAppointmentItem(r: Selectable<AppointmentsTable>): AppointmentItem {
  return {
    provider: r.provider,
    providerAppointmentId: r.provider_appointment_id,
    leadId: r.lead_id,
    matchedBy: r.matched_by,
    status: r.status,
    startAt: r.start_at.toISOString(),
    endAt: r.end_at.toISOString(),
    source: r.source,
    calendlyEventUri: r.calendly_event_uri,
    rescheduledFrom: r.rescheduled_from,
    rescheduledTo: r.rescheduled_to,
    firstObservedAt: r.first_observed_at.toISOString(),
    lastObservedAt: r.last_observed_at.toISOString(),
  };
}

export function toHistoryItem(r: Selectable<AppointmentHistoryTable>): AppointmentHistoryItem {
  return {
    eventId: r.event_id,
    eventType: r.event_type,
    source: r.source,
    observedAt: r.observed_at.toISOString(),
    providerUpdatedAt: r.provider_updated_at?.toISOString() ?? null,
    startAt: r.start_at.toISOString(),
    endAt: r.end_at.toISOString(),
    statusAfter: r.status_after,
  };
}

/**
 * What is known about whether a meeting took place: the answer the appointment holds (`showed` /
 * `no_show`), who gave it (`manual`: an operator, otherwise the provider's channel) and when. Null
 * while no attendance signal exists (an ended booking then reads `completed` with `assumed: true`).
 */
export interface AttendanceItem {
  readonly attended: boolean;
  readonly source: string;
  readonly recordedAt: string;
}

function attendanceOf(status: string, history: readonly AppointmentHistoryItem[]): AttendanceItem | null {
  const type = status === 'showed' ? 'AppointmentAttended' : status === 'no_show' ? 'AppointmentNoShowMarked' : null;
  if (type === null) return null;
  const last = history.filter((h) => h.eventType === type).at(-1);
  return last === undefined
    ? null
    : { attended: status === 'showed', source: last.source, recordedAt: last.observedAt };
}

/**
 * Every appointment of a lead (by start), each with its history (by observation time), attendance and
 * reschedule chain (`meetingChainId`, `chainLength`, `rescheduledAfterStart`; see meeting-chain.ts),
 * the chain walked over the lead's own appointments.
 */
export async function getLeadAppointments(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadId: string,
): Promise<
  (AppointmentItem &
    MeetingChain & {
      readonly history: readonly AppointmentHistoryItem[];
      readonly attendance: AttendanceItem | null;
    })[]
> {
  const appts = await db
    .selectFrom('appointments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .orderBy('start_at')
    .orderBy('provider_appointment_id')
    .execute();
  if (appts.length === 0) return [];
  const history = await db
    .selectFrom('appointment_history')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or(
        appts.map((a) =>
          eb.and([eb('provider', '=', a.provider), eb('provider_appointment_id', '=', a.provider_appointment_id)]),
        ),
      ),
    )
    .orderBy('observed_at')
    .orderBy('event_id')
    .execute();
  const items = appts.map((a) => {
    const own = history
      .filter((h) => h.provider === a.provider && h.provider_appointment_id === a.provider_appointment_id)
      .map(toHistoryItem);
    return { ...toAppointmentItem(a), history: own, attendance: attendanceOf(a.status, own) };
  });
  const chains = meetingChains(items);
  return items.map((i) => ({ ...i, ...chainOf(chains, i.provider, i.providerAppointmentId) }));
}

const UnmatchedCursor = z.tuple([z.iso.datetime(), z.string(), z.string()]);

/** Bookings no lead matched yet, oldest first (keyset by first observation, provider, id). */
export async function listUnmatchedAppointments(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  query: { readonly limit?: number; readonly cursor?: string | null } = {},
): Promise<PageResult<AppointmentItem>> {
  const cursor = decodeCursor(query.cursor, UnmatchedCursor);
  if (!cursor.ok) return cursor;
  const limit = pageLimit(query.limit);
  let q = db
    .selectFrom('appointments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', 'is', null);
  if (cursor.value !== null) {
    const [at, provider, id] = cursor.value;
    q = q.where((eb) =>
      eb(
        eb.refTuple('first_observed_at', 'provider', 'provider_appointment_id'),
        '>',
        eb.tuple(new Date(at), provider, id),
      ),
    );
  }
  const rows = await q
    .orderBy('first_observed_at')
    .orderBy('provider')
    .orderBy('provider_appointment_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    ok: true,
    value: {
      items: page.map(toAppointmentItem),
      nextCursor:
        last === undefined
          ? null
          : encodeCursor([last.first_observed_at.toISOString(), last.provider, last.provider_appointment_id]),
    },
  };
}
