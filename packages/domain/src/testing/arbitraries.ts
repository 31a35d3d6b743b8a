/**
 * fast-check arbitraries for domain properties: provider histories (versions of appointments as
 * a provider would report them) and arbitrary event sequences. Test support only.
 */
import fc from 'fast-check';
import type { AppointmentEvent, AppointmentStatus } from '../events/appointment-events';
import type { LeadEvent } from '../events/lead-events';
import type { ReconEvent } from '../events/recon-event';
import type { ObserveProviderAppointment } from '../observation';
import { LEAD, WS, observation } from './builders';

const STARTS = [
  '2030-06-18T15:00:00.000Z',
  '2030-06-19T15:00:00.000Z',
  '2030-06-20T09:00:00.000Z',
  '2030-07-01T12:00:00.000Z',
];
const plus30 = (iso: string) => new Date(Date.parse(iso) + 30 * 60_000).toISOString();
const at = (dayOffset: number, minute = 0) => new Date(Date.UTC(2030, 5, 1 + dayOffset, 0, minute)).toISOString();

export const statusArb: fc.Arbitrary<AppointmentStatus> = fc.constantFrom('scheduled', 'canceled', 'showed', 'no_show');

/** Any single observation of appointment `id` (times, status, version and lead all vary). */
export function observationArb(id = 'appt-1'): fc.Arbitrary<ObserveProviderAppointment> {
  return fc
    .record({
      status: statusArb,
      start: fc.constantFrom(...STARTS),
      updated: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
      lead: fc.constantFrom<string | null>(null, LEAD),
      observedMinute: fc.integer({ min: 0, max: 500 }),
    })
    .chain((r) => fc.boolean().map((del) => ({ ...r, deleted: del && r.status === 'canceled' })))
    .map((r) =>
      observation({
        providerAppointmentId: id,
        status: r.status,
        startAt: r.start,
        endAt: plus30(r.start),
        providerUpdatedAt: r.updated === null ? null : at(r.updated),
        leadId: r.lead,
        deleted: r.deleted,
        observedAt: at(25, r.observedMinute),
      }),
    );
}

/**
 * The full version history a provider holds for one GHL appointment: strictly increasing
 * updatedAt and a distinct fact per version (a fact never returns to an earlier value; see the
 * decider's documented limit), optionally ending in a hard delete.
 */
export function ghlHistoryArb(id: string): fc.Arbitrary<ObserveProviderAppointment[]> {
  return fc
    .record({
      facts: fc.uniqueArray(fc.record({ status: statusArb, start: fc.constantFrom(...STARTS) }), {
        minLength: 1,
        maxLength: 5,
        selector: (f) => `${f.status}|${f.start}`,
      }),
      endsDeleted: fc.boolean(),
    })
    .map(({ facts, endsDeleted }) => {
      const versions = facts.map((f, i) =>
        observation({
          providerAppointmentId: id,
          status: f.status,
          startAt: f.start,
          endAt: plus30(f.start),
          providerUpdatedAt: at(i + 1),
        }),
      );
      const last = versions[versions.length - 1];
      if (endsDeleted && last) versions.push({ ...last, deleted: true, providerUpdatedAt: at(versions.length + 1) });
      return versions;
    });
}

const OLD = 'https://api.calendly.com/scheduled_events/e508f4b2/invitees/d4b75211';
const NEW = 'https://api.calendly.com/scheduled_events/6f9d3ee4/invitees/f655d9f4';

/** A Calendly reschedule: old invitee booked then canceled-by-reschedule, new invitee booked (maybe canceled later). */
export const calendlyRescheduleArb: fc.Arbitrary<ObserveProviderAppointment[]> = fc
  .boolean()
  .map((newCanceledLater) => {
    const cal = { provider: 'calendly' as const };
    const old = observation({ ...cal, providerAppointmentId: OLD, providerUpdatedAt: at(1) });
    const versions = [
      old,
      {
        ...old,
        status: 'canceled' as const,
        rescheduledTo: NEW,
        canceledBy: 'invitee' as const,
        providerUpdatedAt: at(3),
      },
      observation({
        ...cal,
        providerAppointmentId: NEW,
        rescheduledFrom: OLD,
        startAt: STARTS[3] ?? '',
        endAt: plus30(STARTS[3] ?? ''),
        providerUpdatedAt: at(3),
      }),
    ];
    const created = versions[2];
    if (newCanceledLater && created) versions.push({ ...created, status: 'canceled', providerUpdatedAt: at(6) });
    return versions;
  });

/** Random well-formed recon events for one lead (lead events and appointment events mixed). */
export function reconEventArb(): fc.Arbitrary<ReconEvent> {
  const time = fc.integer({ min: 0, max: 40 }).map((d) => at(d));
  const ref = { workspaceId: WS, leadId: LEAD };
  const lead: fc.Arbitrary<LeadEvent> = fc.oneof(
    time.map(
      (t): LeadEvent => ({
        type: 'LeadRegistered',
        data: { ...ref, emailHash: null, alternateEmailHashes: [], ghlContactId: null, registeredAt: t },
      }),
    ),
    fc
      .tuple(fc.constantFrom('Meeting Booked', 'Interested', 'meeting booked '), time)
      .map(([label, t]): LeadEvent => ({ type: 'LeadSentimentClassified', data: { ...ref, label, classifiedAt: t } })),
    fc
      .tuple(
        fc.constantFrom('ghl' as const, 'calendly' as const),
        fc.constantFrom(
          { kind: 'none' as const },
          { kind: 'found' as const, count: 1 },
          { kind: 'failed' as const, code: 'GHL_TIMEOUT' },
        ),
        time,
      )
      .map(
        ([provider, outcome, t]): LeadEvent => ({
          type: 'LeadProviderChecked',
          data: { ...ref, provider, outcome, checkedAt: t },
        }),
      ),
    time.map(
      (t): LeadEvent => ({
        type: 'LeadInboundActivityRecorded',
        data: { ...ref, lastInboundAt: t, lastMessageDirection: 'inbound', recordedAt: t },
      }),
    ),
  );
  const facts = fc
    .record({ id: fc.constantFrom('a1', 'a2', 'a3'), start: fc.constantFrom(...STARTS), t: time })
    .map(({ id, start, t }) => ({
      ...ref,
      provider: 'ghl' as const,
      providerAppointmentId: id,
      calendlyEventUri: null,
      startAt: start,
      endAt: plus30(start),
      source: 'poller' as const,
      observedAt: t,
      providerUpdatedAt: t,
    }));
  const appointment: fc.Arbitrary<AppointmentEvent> = fc.oneof(
    fc
      .tuple(facts, fc.constantFrom<string | null>(null, 'a1'))
      .map(([f, from]): AppointmentEvent => ({ type: 'AppointmentBooked', data: { ...f, rescheduledFrom: from } })),
    fc.tuple(facts, fc.constantFrom<string | null>(null, 'a2', 'a3')).map(
      ([f, to]): AppointmentEvent => ({
        type: 'AppointmentRescheduled',
        data: { ...f, previousStartAt: f.startAt, previousEndAt: f.endAt, rescheduledTo: to },
      }),
    ),
    facts.map(
      (f): AppointmentEvent => ({ type: 'AppointmentCanceled', data: { ...f, canceledBy: null, deleted: false } }),
    ),
    facts.map((f): AppointmentEvent => ({ type: 'AppointmentAttended', data: f })),
    facts.map((f): AppointmentEvent => ({ type: 'AppointmentNoShowMarked', data: f })),
    facts.map((f): AppointmentEvent => ({ type: 'AppointmentNoShowRetracted', data: f })),
    fc.tuple(facts, statusArb).map(
      ([f, status]): AppointmentEvent => ({
        type: 'AppointmentLinkedToLead',
        data: {
          ...f,
          matchedBy: 'email',
          linkedAt: f.observedAt,
          current: { status, rescheduledFrom: null, rescheduledTo: null },
        },
      }),
    ),
  );
  return fc.oneof({ arbitrary: lead, weight: 1 }, { arbitrary: appointment, weight: 2 });
}
