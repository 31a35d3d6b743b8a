/**
 * Seeds realistic histories for read tests: events decided by the domain's own deciders (the
 * shared scenario builder of `@recon/domain/testing`) queued with their stream revisions and
 * appended to the store as ingest would, so the projections build the read models under test.
 */
import type { Provider } from '@recon/domain';
import { Scenario, SCENARIO_MEETING, type ScenarioObservation } from '@recon/domain/testing';
import type { EventStore, Position } from '@recon/eventstore';
import { appendEvents, type FixtureEvent } from '@recon/testkit';

export const MEETING_START = SCENARIO_MEETING.startAt;
export const MEETING_END = SCENARIO_MEETING.endAt;

export class Seeder {
  private readonly scenario: Scenario;
  private readonly pending: FixtureEvent[] = [];
  constructor(readonly ws: string) {
    this.scenario = new Scenario(ws);
  }

  registered(leadId: string): this {
    this.pending.push(this.scenario.registered(leadId, {}, '2030-05-01T00:00:00.000Z'));
    return this;
  }

  sentiment(leadId: string, label = 'Meeting Booked', classifiedAt = '2030-05-20T00:00:00.000Z'): this {
    this.pending.push(this.scenario.sentiment(leadId, label, classifiedAt));
    return this;
  }

  checkedNone(leadId: string, provider: Provider = 'ghl', checkedAt = '2030-05-21T00:00:00.000Z'): this {
    this.pending.push(this.scenario.checked(leadId, provider, { kind: 'none' }, checkedAt));
    return this;
  }

  observe(o: ScenarioObservation & { leadId: string }): this {
    this.pending.push(...this.scenario.observePlaced(o));
    return this;
  }

  /** A booked GHL meeting later canceled: a red `meeting-canceled` task. */
  canceledMeeting(leadId: string, appointmentId = `appt-${leadId}`): this {
    return this.registered(leadId)
      .sentiment(leadId)
      .observe({ leadId, providerAppointmentId: appointmentId, providerUpdatedAt: '2030-06-01T10:00:00.000Z' })
      .observe({
        leadId,
        providerAppointmentId: appointmentId,
        status: 'canceled',
        canceledBy: 'invitee',
        providerUpdatedAt: '2030-06-02T10:00:00.000Z',
        observedAt: '2030-06-02T10:00:05.000Z',
      });
  }

  /** A GHL meeting moved to a new time: a red `meeting-rescheduled` task. */
  rescheduledMeeting(leadId: string, appointmentId = `appt-${leadId}`): this {
    return this.registered(leadId)
      .observe({ leadId, providerAppointmentId: appointmentId, providerUpdatedAt: '2030-06-01T10:00:00.000Z' })
      .observe({
        leadId,
        providerAppointmentId: appointmentId,
        startAt: '2030-06-20T15:00:00.000Z',
        endAt: '2030-06-20T15:30:00.000Z',
        providerUpdatedAt: '2030-06-03T10:00:00.000Z',
        observedAt: '2030-06-03T10:00:05.000Z',
      });
  }

  /** Sentiment says booked, a successful check found nothing: `sentiment_booked_no_evidence`. */
  noEvidence(leadId: string, checkedAt?: string): this {
    return this.registered(leadId).sentiment(leadId).checkedNone(leadId, 'ghl', checkedAt);
  }

  booked(leadId: string, appointmentId = `appt-${leadId}`): this {
    return this.registered(leadId).observe({
      leadId,
      providerAppointmentId: appointmentId,
      providerUpdatedAt: '2030-06-01T10:00:00.000Z',
    });
  }

  /** A GHL booking no lead matched (no lead id, no match keys): listed by `GET …/appointments?unmatched=true`. */
  unmatchedBooking(appointmentId: string, providerUpdatedAt = '2030-06-01T10:00:00.000Z'): this {
    this.pending.push(...this.scenario.observePlaced({ providerAppointmentId: appointmentId, providerUpdatedAt }));
    return this;
  }

  /** Appends everything queued, in order; returns the position of the last event. */
  flush(store: EventStore): Promise<Position> {
    return appendEvents(store, this.pending.splice(0));
  }
}
