/**
 * The lead's lifecycle as the domain folds it, read straight from the event store: the lead's own
 * stream plus the streams of the appointments known to be its own, merged in global order. Used to
 * answer "what is this lead's state now" right after a check, without waiting for projections.
 */
import {
  AppointmentEvent,
  LeadEvent,
  appointmentStreamName,
  evolveLeadLifecycle,
  leadLifecycleFromEvents,
  leadStreamName,
  type LeadLifecycle,
  type ReconEvent,
} from '@recon/domain';
import type { EventStore, RecordedEvent } from '@recon/eventstore';
import type { KnownAppointment } from './reconcile-tables';

export interface FoldedLead {
  readonly exists: boolean;
  readonly lifecycle: LeadLifecycle;
  /** Revision of the lead stream as read (null: no stream). */
  readonly leadRevision: bigint | null;
}

/** Continues a fold with events just appended (no re-read): appointment events of other leads are skipped. */
export function foldAppended(
  lifecycle: LeadLifecycle,
  leadId: string,
  appended: readonly { type: string; data: Record<string, unknown> }[],
): LeadLifecycle {
  let state = lifecycle;
  for (const e of appended) {
    const lead = LeadEvent.safeParse({ type: e.type, data: e.data });
    if (lead.success) {
      state = evolveLeadLifecycle(state, lead.data);
      continue;
    }
    const appt = AppointmentEvent.safeParse({ type: e.type, data: e.data });
    if (appt.success && appt.data.data.leadId === leadId) state = evolveLeadLifecycle(state, appt.data);
  }
  return state;
}

export async function foldLead(
  store: EventStore,
  workspaceId: string,
  leadId: string,
  appointments: readonly KnownAppointment[],
): Promise<FoldedLead> {
  const leadEvents = await store.readStream(leadStreamName(workspaceId, leadId));
  const recorded: RecordedEvent[] = [...leadEvents];
  const streams = [...new Set(appointments.map((a) => appointmentStreamName(workspaceId, a.provider, a.id)))];
  for (const events of await Promise.all(streams.map((s) => store.readStream(s)))) recorded.push(...events);
  recorded.sort((a, b) => store.comparePositions(a.position, b.position));
  const events: ReconEvent[] = [];
  for (const r of recorded) {
    const lead = LeadEvent.safeParse({ type: r.type, data: r.data });
    if (lead.success) {
      events.push(lead.data);
      continue;
    }
    const appt = AppointmentEvent.safeParse({ type: r.type, data: r.data });
    if (appt.success && appt.data.data.leadId === leadId) events.push(appt.data);
  }
  return {
    exists: leadEvents.length > 0,
    lifecycle: leadLifecycleFromEvents(events),
    leadRevision: leadEvents.at(-1)?.revision ?? null,
  };
}
