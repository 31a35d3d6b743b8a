/**
 * Test support for the operator page's browser test: ten days of history ending yesterday (so the
 * daily charts move: recon counts a fact on the day it happened, never after it was recorded),
 * decided by the domain's own deciders. Leads: a canceled meeting and a rescheduled one (red
 * tasks), a booked lead, four "sentiment says booked, no evidence" leads (mismatches opened on
 * four days), one such mismatch closed when its booking turned up, three bookings no lead
 * matched, and one booking for a GHL contact two leads share (ambiguous).
 */
import { Scenario, type ScenarioObservation } from '@recon/domain/testing';
import type { EventStore, Position } from '@recon/eventstore';
import { appendEvents, type FixtureEvent } from '@recon/testkit';

const DAY_MS = 86_400_000;

/** `n` days before `now`'s UTC day, at `hour`:00 UTC. */
export function daysAgo(now: Date, n: number, hour = 10): string {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight - n * DAY_MS + hour * 3_600_000).toISOString();
}

export const UNMATCHED_BOOKINGS = ['appt-unmatched-1', 'appt-unmatched-2', 'appt-unmatched-3'] as const;
export const AMBIGUOUS_BOOKING = 'appt-ambiguous';
const SHARED_CONTACT = 'C-shared-contact';
const sharedContactKeys = {
  inviteeEmailHash: null,
  guestEmailHashes: [],
  ghlContactId: SHARED_CONTACT,
  utmLeadIds: [],
  utmLeadIdsVerified: false,
};

export function operatorPageHistory(ws: string, now: Date): FixtureEvent[] {
  const at = (n: number, hour?: number) => daysAgo(now, n, hour);
  const s = new Scenario(ws, { now: () => at(1) });
  const events: FixtureEvent[] = [];
  const observed = (leadId: string | null, appointmentId: string, n: number, more: Partial<ScenarioObservation> = {}) =>
    events.push(
      ...s.observePlaced({
        leadId,
        providerAppointmentId: appointmentId,
        providerUpdatedAt: at(n),
        observedAt: at(n, 11),
        ...more,
      }),
    );

  events.push(s.registered('lead-canceled', {}, at(10)), s.sentiment('lead-canceled', 'Meeting Booked', at(9)));
  observed('lead-canceled', 'appt-lead-canceled', 9);
  observed('lead-canceled', 'appt-lead-canceled', 5, { status: 'canceled', canceledBy: 'invitee' });

  events.push(s.registered('lead-moved', {}, at(10)));
  observed('lead-moved', 'appt-lead-moved', 8);
  observed('lead-moved', 'appt-lead-moved', 4, {
    startAt: '2030-06-20T15:00:00.000Z',
    endAt: '2030-06-20T15:30:00.000Z',
  });

  events.push(s.registered('lead-booked', {}, at(9)), s.sentiment('lead-booked', 'Meeting Booked', at(7)));
  observed('lead-booked', 'appt-lead-booked', 7);

  for (let i = 0; i < 4; i++)
    events.push(
      s.registered(`lead-ne-${i}`, {}, at(9 - i)),
      s.sentiment(`lead-ne-${i}`, 'Meeting Booked', at(8 - i)),
      s.checked(`lead-ne-${i}`, 'ghl', { kind: 'none' }, at(7 - i)),
    );

  events.push(
    s.registered('lead-late', {}, at(9)),
    s.sentiment('lead-late', 'Meeting Booked', at(8)),
    s.checked('lead-late', 'ghl', { kind: 'none' }, at(6)),
  );
  observed('lead-late', 'appt-lead-late', 2);

  UNMATCHED_BOOKINGS.forEach((id, i) => observed(null, id, 3 - i));

  // Two leads share a GHL contact: a booking for that contact is ambiguous until an operator picks one.
  events.push(
    s.registered('lead-twin-a', { ghlContactId: SHARED_CONTACT }, at(6)),
    s.registered('lead-twin-b', { ghlContactId: SHARED_CONTACT }, at(6)),
  );
  for (const placed of s.observePlaced({
    leadId: null,
    providerAppointmentId: AMBIGUOUS_BOOKING,
    providerUpdatedAt: at(2),
    observedAt: at(2, 11),
  }))
    events.push({
      event:
        placed.event.type === 'AppointmentBooked'
          ? { ...placed.event, data: { ...placed.event.data, matchKeys: sharedContactKeys } }
          : placed.event,
      revision: placed.revision,
    });
  return events;
}

export function seedOperatorPageHistory(store: EventStore, ws: string, now: Date): Promise<Position> {
  return appendEvents(store, operatorPageHistory(ws, now));
}
