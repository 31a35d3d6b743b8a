/**
 * Properties of the appointment decider. Seeds are printed by fast-check on failure; replay with
 * `{ seed, path }` in the assert options.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppointmentEvent } from '../events/appointment-events';
import { ghlHistoryArb, observationArb } from '../testing/arbitraries';
import { observeAll } from '../testing/builders';
import { appointmentStateFromEvents, evolveAppointment, initialAppointmentState } from './appointment-state';
import { decideAppointment } from './decide-appointment';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 300) };

describe('appointment decider properties', () => {
  it('(a) given any history, when any observation is applied twice, then the second adds no events', () => {
    fc.assert(
      fc.property(fc.array(observationArb(), { maxLength: 8 }), observationArb(), (history, o) => {
        const { events, state } = observeAll(history);
        const first = decideAppointment(o, state);
        const after = first.reduce(evolveAppointment, state);
        expect(decideAppointment(o, after)).toEqual([]);
        // and whatever was decided is a valid stored event
        for (const e of [...events, ...first]) expect(AppointmentEvent.safeParse(e).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('(d) given any history, when its events are replayed (also through JSON), then evolve reproduces the state exactly', () => {
    fc.assert(
      fc.property(fc.array(observationArb(), { maxLength: 10 }), (history) => {
        let incremental = initialAppointmentState();
        const all: AppointmentEvent[] = [];
        for (const o of history) {
          const decided = decideAppointment(o, incremental);
          all.push(...decided);
          incremental = decided.reduce(evolveAppointment, incremental);
        }
        const stored = JSON.parse(JSON.stringify(all)) as unknown[];
        const replayed = appointmentStateFromEvents(stored.map((e) => AppointmentEvent.parse(e)));
        expect(replayed).toEqual(incremental);
        expect(JSON.parse(JSON.stringify(incremental))).toEqual(incremental);
      }),
      RUNS,
    );
  });

  it('given a provider history (versions with updatedAt, no fact revisited), when delivered in any order, then the stream ends at the newest version', () => {
    fc.assert(
      fc.property(
        ghlHistoryArb('appt-1').chain((versions) =>
          fc.tuple(fc.constant(versions), fc.shuffledSubarray(versions, { minLength: versions.length })),
        ),
        ([versions, shuffled]) => {
          const newest = versions[versions.length - 1];
          const inOrder = observeAll(versions).state;
          const { state } = observeAll(shuffled);
          if (!newest || state.status === 'absent' || inOrder.status === 'absent') throw new Error('expected a stream');
          expect(state.startAt).toBe(newest.startAt);
          expect(state.status).toBe(inOrder.status);
          expect(state.providerUpdatedAt).toBe(newest.providerUpdatedAt);
          // showed → scheduled has no event (attendance is never retracted); every other status is followed
          const expected = newest.deleted ? 'canceled' : newest.status;
          if (!(state.status === 'showed' && expected === 'scheduled')) expect(state.status).toBe(expected);
        },
      ),
      RUNS,
    );
  });
});
