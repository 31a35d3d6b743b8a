/**
 * Properties of the lead lifecycle fold. fast-check prints `{ seed, path }` on failure; pass them
 * back in the assert options to replay. FC_RUNS raises the run count locally.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendlyRescheduleArb, ghlHistoryArb, reconEventArb } from '../testing/arbitraries';
import { checked, observeAcrossStreams, registered } from '../testing/builders';
import { bookingStateAt } from './booking-state';
import { evolveLeadLifecycle, leadLifecycleFromEvents } from './evolve-lead-lifecycle';
import type { LeadLifecycle } from './lead-lifecycle-state';
import { currentAppointment, forProvider } from './lead-lifecycle-state';
import { PROVIDER_NAMES } from '../providers/provider-name';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 200) };

/** The order-independent part of a lead: what the provider facts say (not when recon saw them). */
function facts(s: LeadLifecycle) {
  const appointments = Object.fromEntries(
    Object.entries(s.appointments).map(([id, a]) => [
      id,
      {
        status: a.status,
        startAt: a.startAt,
        endAt: a.endAt,
        rescheduledTo: a.rescheduledTo,
        providerUpdatedAt: a.providerUpdatedAt,
      },
    ]),
  );
  return { bookingState: s.bookingState, current: currentAppointment(s)?.providerAppointmentId ?? null, appointments };
}

const historiesArb = fc
  .tuple(
    fc.array(ghlHistoryArb('a'), { maxLength: 1 }),
    fc.array(ghlHistoryArb('b'), { maxLength: 1 }),
    fc.array(calendlyRescheduleArb, { maxLength: 1 }),
  )
  .map(([a, b, c]) => [...a.flat(), ...b.flat(), ...c.flat()])
  .filter((all) => all.length > 0);

describe('lead lifecycle properties', () => {
  it('(b) given provider histories with updatedAt, when delivered in any order, then the final lead state is the same', () => {
    fc.assert(
      fc.property(
        historiesArb.chain((all) => fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length }))),
        ([inOrder, shuffled]) => {
          const a = leadLifecycleFromEvents([registered(), ...observeAcrossStreams(inOrder)]);
          const b = leadLifecycleFromEvents([registered(), ...observeAcrossStreams(shuffled)]);
          expect(facts(b)).toEqual(facts(a));
          expect(bookingStateAt(b, '2030-06-25T00:00:00.000Z')).toEqual(bookingStateAt(a, '2030-06-25T00:00:00.000Z'));
        },
      ),
      RUNS,
    );
  });

  it('(b) given a Calendly reschedule in any delivery order, then the lead never passes through canceled before the new invitee is canceled', () => {
    fc.assert(
      fc.property(
        calendlyRescheduleArb.chain((all) => fc.shuffledSubarray(all.slice(0, 3), { minLength: 3 })),
        (shuffled) => {
          let s = leadLifecycleFromEvents([registered()]);
          for (const e of observeAcrossStreams(shuffled)) {
            s = evolveLeadLifecycle(s, e);
            expect(s.bookingState).not.toBe('canceled');
          }
        },
      ),
      RUNS,
    );
  });

  it('(c) given any event sequence, then booked only with an appointment event behind it', () => {
    fc.assert(
      fc.property(
        fc.array(reconEventArb(), { maxLength: 25 }),
        fc.constantFrom('2030-06-10T00:00:00.000Z', '2030-08-01T00:00:00.000Z'),
        (events, now) => {
          const s = leadLifecycleFromEvents(events);
          const at = bookingStateAt(s, now);
          if (at.bookingState === 'booked' || at.bookingState === 'completed') {
            expect(events.some((e) => e.type.startsWith('Appointment'))).toBe(true);
            const current = currentAppointment(s);
            expect(current).not.toBeNull();
            expect(
              events.some(
                (e) =>
                  e.type.startsWith('Appointment') &&
                  'providerAppointmentId' in e.data &&
                  e.data.providerAppointmentId === current?.providerAppointmentId,
              ),
            ).toBe(true);
          }
          // lead events alone never verify a booking, whatever the sentiment or the checks say
          const leadOnly = leadLifecycleFromEvents(events.filter((e) => !e.type.startsWith('Appointment')));
          expect(['unknown', 'not_booked']).toContain(leadOnly.bookingState);
        },
      ),
      RUNS,
    );
  });

  it('(d) given any event sequence, when folded in pieces through JSON (as the projection does), then the state equals the full fold', () => {
    fc.assert(
      fc.property(fc.array(reconEventArb(), { maxLength: 25 }), fc.nat(), (events, cutSeed) => {
        const full = leadLifecycleFromEvents(events);
        const cut = events.length === 0 ? 0 : cutSeed % (events.length + 1);
        const stored = JSON.parse(JSON.stringify(leadLifecycleFromEvents(events.slice(0, cut)))) as LeadLifecycle;
        const resumed = events.slice(cut).reduce(evolveLeadLifecycle, stored);
        expect(resumed).toEqual(full);
        expect(JSON.parse(JSON.stringify(full))).toEqual(full);
      }),
      RUNS,
    );
  });

  it('a failed check never proves anything (booked never becomes not_booked; not_booked is unlearnt only by a provider that never answered)', () => {
    fc.assert(
      fc.property(
        fc.array(reconEventArb(), { maxLength: 20 }),
        fc.constantFrom(...PROVIDER_NAMES),
        (events, provider) => {
          const s = leadLifecycleFromEvents(events);
          const after = evolveLeadLifecycle(
            s,
            checked(provider, { kind: 'failed', code: 'PROVIDER_DOWN' }, '2030-12-01T00:00:00.000Z'),
          );
          const answeredBefore = forProvider(s.lastSuccessfulChecks, provider) !== null;
          if (s.bookingState === 'not_booked' && !answeredBefore) expect(after.bookingState).toBe('unknown');
          else expect(after.bookingState).toBe(s.bookingState);
        },
      ),
      RUNS,
    );
  });
});
