/**
 * Seeds realistic histories for read tests: events decided by the domain's own deciders and
 * appended to the store (as ingest would), so the projections build the read models under test.
 */
import {
  appointmentStateFromEvents,
  appointmentStreamName,
  decideAppointment,
  evolveAppointment,
  leadStreamName,
  reconEventId,
  type AppointmentEvent,
  type AppointmentState,
  type LeadEvent,
  type ObserveProviderAppointment,
  type ReconEvent,
} from '@recon/domain';
import type { EventStore, Position } from '@recon/eventstore';

export const MEETING_START = '2030-06-18T15:00:00.000Z';
export const MEETING_END = '2030-06-18T15:30:00.000Z';
const OBSERVED = '2030-06-01T10:00:00.000Z';

function streamOf(event: ReconEvent): string {
  if (event.type.startsWith('Appointment')) {
    const d = (event as AppointmentEvent).data;
    return appointmentStreamName(d.workspaceId, d.provider, d.providerAppointmentId);
  }
  const d = (event as LeadEvent).data;
  return leadStreamName(d.workspaceId, d.leadId);
}

export class Seeder {
  private readonly states = new Map<string, AppointmentState>();
  private readonly pending: { event: ReconEvent; revision?: number }[] = [];
  constructor(readonly ws: string) {}

  registered(leadId: string): this {
    this.pending.push({ event: { type: 'LeadRegistered', data: { workspaceId: this.ws, leadId, emailHash: null, alternateEmailHashes: [], ghlContactId: null, registeredAt: '2030-05-01T00:00:00.000Z' } } });
    return this;
  }

  sentiment(leadId: string, label = 'Meeting Booked', classifiedAt = '2030-05-20T00:00:00.000Z'): this {
    this.pending.push({ event: { type: 'LeadSentimentClassified', data: { workspaceId: this.ws, leadId, label, classifiedAt } } });
    return this;
  }

  checkedNone(leadId: string, provider: 'ghl' | 'calendly' = 'ghl', checkedAt = '2030-05-21T00:00:00.000Z'): this {
    this.pending.push({ event: { type: 'LeadProviderChecked', data: { workspaceId: this.ws, leadId, provider, outcome: { kind: 'none' }, checkedAt } } });
    return this;
  }

  observe(o: Partial<ObserveProviderAppointment> & { providerAppointmentId: string; leadId: string }): this {
    const cmd: ObserveProviderAppointment = {
      type: 'ObserveProviderAppointment',
      workspaceId: this.ws,
      provider: 'ghl',
      calendlyEventUri: null,
      status: 'scheduled',
      startAt: MEETING_START,
      endAt: MEETING_END,
      providerUpdatedAt: null,
      rescheduledFrom: null,
      rescheduledTo: null,
      canceledBy: null,
      deleted: false,
      source: 'webhook',
      observedAt: OBSERVED,
      ...o,
    };
    const key = `${cmd.provider}|${cmd.providerAppointmentId}`;
    let state = this.states.get(key) ?? appointmentStateFromEvents([]);
    const revision = state.version;
    for (const event of decideAppointment(cmd, state)) {
      this.pending.push({ event, revision });
      state = evolveAppointment(state, event);
    }
    this.states.set(key, state);
    return this;
  }

  /** A booked GHL meeting later canceled: a red `meeting-canceled` task. */
  canceledMeeting(leadId: string, appointmentId = `appt-${leadId}`): this {
    return this.registered(leadId)
      .sentiment(leadId)
      .observe({ leadId, providerAppointmentId: appointmentId, providerUpdatedAt: '2030-06-01T10:00:00.000Z' })
      .observe({ leadId, providerAppointmentId: appointmentId, status: 'canceled', canceledBy: 'invitee', providerUpdatedAt: '2030-06-02T10:00:00.000Z', observedAt: '2030-06-02T10:00:05.000Z' });
  }

  /** A GHL meeting moved to a new time: a red `meeting-rescheduled` task. */
  rescheduledMeeting(leadId: string, appointmentId = `appt-${leadId}`): this {
    return this.registered(leadId)
      .observe({ leadId, providerAppointmentId: appointmentId, providerUpdatedAt: '2030-06-01T10:00:00.000Z' })
      .observe({ leadId, providerAppointmentId: appointmentId, startAt: '2030-06-20T15:00:00.000Z', endAt: '2030-06-20T15:30:00.000Z', providerUpdatedAt: '2030-06-03T10:00:00.000Z', observedAt: '2030-06-03T10:00:05.000Z' });
  }

  /** Sentiment says booked, a successful check found nothing: `sentiment_booked_no_evidence`. */
  noEvidence(leadId: string, checkedAt?: string): this {
    return this.registered(leadId).sentiment(leadId).checkedNone(leadId, 'ghl', checkedAt);
  }

  booked(leadId: string, appointmentId = `appt-${leadId}`): this {
    return this.registered(leadId).observe({ leadId, providerAppointmentId: appointmentId, providerUpdatedAt: '2030-06-01T10:00:00.000Z' });
  }

  /** Appends everything queued, in order; returns the position of the last event. */
  async flush(store: EventStore): Promise<Position> {
    let last: Position | null = null;
    for (const { event, revision } of this.pending.splice(0)) {
      const r = await store.append(streamOf(event), [{ id: reconEventId(event, revision), type: event.type, data: { ...(event.data as Record<string, unknown>) } }], { expectedRevision: 'any' });
      if (!r.ok) throw new Error(`append failed: ${r.code}`);
      last = r.position;
    }
    return last ?? (await store.headPosition());
  }
}
