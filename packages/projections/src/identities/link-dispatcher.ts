/**
 * Delivers the identities process manager's link requests: for each pending request it reads the
 * appointment's stream, lets the domain decide (`decideLinkAppointment`: nothing if already linked
 * to that lead, refused if linked to another), and appends `AppointmentLinkedToLead` with its
 * id from the one event-id scheme (stream + revision read) and the exact expected revision (safe on
 * EventStoreDB too). A concurrent append to the stream is retried from a fresh read. A linked
 * appointment carries its lead down its reschedule chain (a Calendly invitee's successors recon
 * holds unmatched; a provider that moves meetings in place has no chain). Requests live in PostgreSQL, so none is lost when
 * the process dies between the projection commit and the append.
 */
import {
  appointmentStateFromEvents,
  appointmentStreamName,
  decideLinkAppointment,
  parseReconEvent,
  withEventIds,
  type AppointmentEvent,
  type MatchedBy,
  type Provider,
} from '@recon/domain';
import type { EventStore, Position } from '@recon/eventstore';
import { sql, type Kysely } from 'kysely';
import type { AnyKysely } from '../runtime/any-kysely';

export interface LinkRequest {
  readonly id: string;
  readonly workspace_id: string;
  readonly lead_id: string;
  readonly provider: string;
  readonly provider_appointment_id: string;
  readonly matched_by: string;
}

type Outcome = { status: 'done' } | { status: 'failed'; error: string } | { status: 'retry'; error: string };

/** What one link request came to: the positions of the appends, when any (read-your-writes). */
export type LinkAppointmentOutcome =
  | { readonly status: 'done'; readonly appended: boolean; readonly position: Position | null }
  | { readonly status: 'failed'; readonly error: 'APPOINTMENT_NOT_FOUND' | 'APPOINTMENT_LINKED_TO_OTHER_LEAD' }
  | { readonly status: 'retry'; readonly error: 'WRONG_EXPECTED_VERSION' };

/** The appointment and what to link it to (stream identity and the lead). */
export interface AppointmentLink {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly provider: Provider;
  readonly providerAppointmentId: string;
  readonly matchedBy: MatchedBy;
}

/**
 * Links one appointment to a lead (the domain decides) and carries the link down its reschedule
 * chain. The identities process manager's requests and the operator's link route both come here.
 */
export async function linkAppointmentToLead(
  store: EventStore,
  link: AppointmentLink,
  now: Date,
): Promise<LinkAppointmentOutcome> {
  const first = await linkStream(store, link, link.providerAppointmentId, link.matchedBy, now);
  if (first.status !== 'done') return first;
  let position = first.position;
  // A reschedule that creates a new appointment (Calendly's new invitee) keeps its lead: carry the
  // link down the chain recon already holds unmatched (a successor arriving later inherits at
  // ingest). Providers that move a meeting in place (GHL) never set `rescheduledTo`: no chain.
  const seen = new Set<string>([link.providerAppointmentId]);
  for (let next = first.rescheduledTo, hop = 0; next !== null && hop < 50 && !seen.has(next); hop += 1) {
    seen.add(next);
    const step = await linkStream(store, link, next, 'reschedule', now);
    if (step.status === 'failed') break;
    if (step.status === 'retry') return step;
    if (step.position !== null) position = step.position;
    next = step.rescheduledTo;
  }
  return { status: 'done', appended: first.position !== null, position };
}

async function linkOnce(store: EventStore, r: LinkRequest, now: Date): Promise<Outcome> {
  const outcome = await linkAppointmentToLead(
    store,
    {
      workspaceId: r.workspace_id,
      leadId: r.lead_id,
      provider: r.provider as Provider,
      providerAppointmentId: r.provider_appointment_id,
      matchedBy: r.matched_by as MatchedBy,
    },
    now,
  );
  return outcome.status === 'done' ? { status: 'done' } : outcome;
}

type StreamOutcome =
  | { status: 'done'; rescheduledTo: string | null; position: Position | null }
  | Exclude<LinkAppointmentOutcome, { status: 'done' }>;

async function linkStream(
  store: EventStore,
  link: AppointmentLink,
  providerAppointmentId: string,
  matchedBy: MatchedBy,
  now: Date,
): Promise<StreamOutcome> {
  const stream = appointmentStreamName(link.workspaceId, link.provider, providerAppointmentId);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const recorded = await store.readStream(stream);
    const events: AppointmentEvent[] = [];
    for (const e of recorded) {
      const parsed = parseReconEvent(e.type, e.data);
      if (parsed.ok && parsed.value.type.startsWith('Appointment')) events.push(parsed.value as AppointmentEvent);
    }
    const last = recorded[recorded.length - 1];
    const state = appointmentStateFromEvents(events);
    const decision = decideLinkAppointment(
      { type: 'LinkAppointmentToLead', leadId: link.leadId, matchedBy, linkedAt: now.toISOString() },
      state,
    );
    if (!decision.ok) return { status: 'failed', error: decision.code };
    const rescheduledTo = state.status === 'absent' ? null : state.rescheduledTo;
    if (decision.value.length === 0 || last === undefined) return { status: 'done', rescheduledTo, position: null };
    const toAppend = withEventIds(stream, last.revision, decision.value).map(({ id, event }) => ({
      id,
      type: event.type,
      data: event.data as Record<string, unknown>,
    }));
    const result = await store.append(stream, toAppend, { expectedRevision: last.revision });
    if (result.ok) return { status: 'done', rescheduledTo, position: result.position };
  }
  return { status: 'retry', error: 'WRONG_EXPECTED_VERSION' };
}

/** Processes up to `limit` pending requests; returns how many were settled (done or failed). */
export async function dispatchLinkRequests(
  db: AnyKysely,
  store: EventStore,
  clock: () => Date,
  limit = 100,
): Promise<number> {
  const { rows } = await sql<LinkRequest>`
    SELECT id, workspace_id, lead_id, provider, provider_appointment_id, matched_by
    FROM projection_link_requests WHERE status = 'pending' ORDER BY created_at LIMIT ${limit}`.execute(db);
  let settled = 0;
  for (const r of rows) {
    let outcome: Outcome;
    try {
      outcome = await linkOnce(store, r, clock());
    } catch (error) {
      outcome = { status: 'retry', error: error instanceof Error ? error.message.slice(0, 200) : 'ERROR' };
    }
    const status = outcome.status === 'retry' ? 'pending' : outcome.status;
    const error = outcome.status === 'done' ? null : outcome.error;
    await sql`
      UPDATE projection_link_requests SET status = CASE WHEN ${status} = 'pending' AND attempts + 1 >= 10 THEN 'failed' ELSE ${status} END,
        attempts = attempts + 1, last_error = ${error}, updated_at = now()
      WHERE id = ${r.id}`.execute(db);
    if (outcome.status !== 'retry') settled += 1;
  }
  return settled;
}

/** A background loop that dispatches whenever kicked (after identities batches) and on an interval. */
export function startLinkDispatcher(db: Kysely<unknown>, store: EventStore, clock: () => Date, intervalMs = 5_000) {
  let kicked = false;
  let wake: (() => void) | null = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      try {
        while ((await dispatchLinkRequests(db, store, clock)) > 0 && !stopped);
      } catch {
        // The next kick or interval retries; requests stay pending.
      }
      if (stopped || kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    kick() {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
