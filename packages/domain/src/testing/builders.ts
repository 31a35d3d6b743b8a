/**
 * Test support: hand-built observations and events with sensible defaults, so a test states only
 * what matters to it. Pure (no clock): every time is a fixed instant unless overridden.
 */
import type { AppointmentEvent } from '../events/appointment-events';
import type { LeadEvent, ProviderCheckOutcome } from '../events/lead-events';
import type { Provider } from '../events/primitives';
import type { ObserveProviderAppointment } from '../observation';
import {
  appointmentStateFromEvents,
  evolveAppointment,
  type AppointmentState,
} from '../appointments/appointment-state';
import { decideAppointment } from '../appointments/decide-appointment';

export const WS = 'ws-test';
export const LEAD = 'lead-1';

export function observation(overrides: Partial<ObserveProviderAppointment> = {}): ObserveProviderAppointment {
  return {
    type: 'ObserveProviderAppointment',
    workspaceId: WS,
    leadId: LEAD,
    provider: 'ghl',
    providerAppointmentId: 'appt-1',
    calendlyEventUri: null,
    status: 'scheduled',
    startAt: '2030-06-18T15:00:00.000Z',
    endAt: '2030-06-18T15:30:00.000Z',
    providerUpdatedAt: '2030-06-01T10:00:00.000Z',
    rescheduledFrom: null,
    rescheduledTo: null,
    canceledBy: null,
    deleted: false,
    source: 'webhook',
    observedAt: '2030-06-01T10:00:05.000Z',
    ...overrides,
  };
}

/** Decides and applies observations in order against one stream; returns every event and the state. */
export function observeAll(
  observations: readonly ObserveProviderAppointment[],
  start?: AppointmentState,
): { events: AppointmentEvent[]; state: AppointmentState } {
  const events: AppointmentEvent[] = [];
  let state = start ?? appointmentStateFromEvents([]);
  for (const o of observations) {
    const decided = decideAppointment(o, state);
    events.push(...decided);
    state = decided.reduce(evolveAppointment, state);
  }
  return { events, state };
}

/**
 * Routes observations to their appointment streams (by provider + id), decides each against its
 * own stream, and returns all appointment events in decision order: what a lead fold would see.
 */
export function observeAcrossStreams(observations: readonly ObserveProviderAppointment[]): AppointmentEvent[] {
  const streams = new Map<string, AppointmentEvent[]>();
  const all: AppointmentEvent[] = [];
  for (const o of observations) {
    const key = `${o.provider}|${o.providerAppointmentId}`;
    const stream = streams.get(key) ?? [];
    const decided = decideAppointment(o, appointmentStateFromEvents(stream));
    stream.push(...decided);
    streams.set(key, stream);
    all.push(...decided);
  }
  return all;
}

export function registered(at = '2030-05-01T00:00:00.000Z', leadId = LEAD): LeadEvent {
  return {
    type: 'LeadRegistered',
    data: {
      workspaceId: WS,
      leadId,
      emailHash: 'a'.repeat(64),
      alternateEmailHashes: [],
      ghlContactId: 'contact-1',
      registeredAt: at,
    },
  };
}

export function sentiment(label: string, classifiedAt = '2030-05-02T00:00:00.000Z', leadId = LEAD): LeadEvent {
  return { type: 'LeadSentimentClassified', data: { workspaceId: WS, leadId, label, classifiedAt } };
}

export function checked(
  provider: Provider,
  outcome: ProviderCheckOutcome,
  checkedAt = '2030-05-03T00:00:00.000Z',
  leadId = LEAD,
): LeadEvent {
  return { type: 'LeadProviderChecked', data: { workspaceId: WS, leadId, provider, outcome, checkedAt } };
}

export function taskResolved(taskId: string, resolvedAt = '2030-06-20T00:00:00.000Z', leadId = LEAD): LeadEvent {
  return {
    type: 'FollowUpTaskResolved',
    data: { workspaceId: WS, leadId, taskId, resolvedBy: 'key-1', note: null, resolvedAt },
  };
}
