import { describe, expect, it } from 'vitest';
import { AppointmentEvent } from '../events/appointment-events';
import { observation, observeAll } from '../testing/builders';
import { evolveAppointment, initialAppointmentState, type AppointmentState } from './appointment-state';
import { decideAppointment } from './decide-appointment';
import { decideRecordAttendance } from './record-attendance';

const AFTER_END = '2030-06-18T16:00:00.000Z';
const answer = (attended: boolean, recordedAt = AFTER_END) =>
  ({ type: 'RecordAttendance', attended, recordedAt }) as const;

function apply(state: AppointmentState, events: readonly AppointmentEvent[]): AppointmentState {
  return events.reduce(evolveAppointment, state);
}

function decided(attended: boolean, state: AppointmentState): AppointmentEvent[] {
  const r = decideRecordAttendance(answer(attended), state);
  if (!r.ok) throw new Error(r.code);
  return r.value;
}

describe('decideRecordAttendance', () => {
  const booked = observeAll([observation()]).state;

  it('given an ended meeting, when the operator says attended, then AppointmentAttended is decided with source manual', () => {
    const events = decided(true, booked);
    expect(events).toMatchObject([{ type: 'AppointmentAttended', data: { source: 'manual', observedAt: AFTER_END } }]);
    for (const e of events) expect(AppointmentEvent.safeParse(e).success).toBe(true);
    expect(apply(booked, events)).toMatchObject({ status: 'showed', attendanceSource: 'manual' });
  });

  it('given the same answer twice, then the second decides nothing; a changed answer decides the change', () => {
    const attended = apply(booked, decided(true, booked));
    expect(decided(true, attended)).toEqual([]);
    const noShow = decided(false, attended);
    expect(noShow).toMatchObject([{ type: 'AppointmentNoShowMarked', data: { source: 'manual' } }]);
    const back = decided(true, apply(attended, noShow));
    expect(back.map((e) => e.type)).toEqual(['AppointmentNoShowRetracted', 'AppointmentAttended']);
  });

  it('refuses an unknown appointment, a meeting not ended yet, and a meeting that did not take place', () => {
    expect(decideRecordAttendance(answer(true), initialAppointmentState())).toEqual({
      ok: false,
      code: 'APPOINTMENT_NOT_FOUND',
    });
    expect(decideRecordAttendance(answer(true, '2030-06-18T15:10:00.000Z'), booked)).toEqual({
      ok: false,
      code: 'MEETING_NOT_ENDED',
    });
    const canceled = observeAll([
      observation(),
      observation({ status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
    ]).state;
    expect(decideRecordAttendance(answer(false), canceled)).toEqual({ ok: false, code: 'MEETING_NOT_HELD' });
  });

  it('given a manual answer, a provider still saying scheduled leaves it; a provider attendance report overrides it', () => {
    const noShow = apply(booked, decided(false, booked));
    // A later poll with a newer version but the same facts: no attendance reported.
    const poll = observation({
      source: 'poller',
      providerUpdatedAt: '2030-06-19T00:00:00.000Z',
      observedAt: '2030-06-19T00:00:01.000Z',
    });
    const afterPoll = apply(noShow, decideAppointment(poll, noShow));
    expect(afterPoll).toMatchObject({ status: 'no_show', attendanceSource: 'manual' });
    // Without versions on either side the same holds.
    const unversioned = decideAppointment(observation({ providerUpdatedAt: null }), noShow);
    expect(unversioned).toEqual([]);
    // The provider reports the meeting showed: latest attendance fact wins.
    const showed = observation({ status: 'showed', providerUpdatedAt: '2030-06-20T00:00:00.000Z' });
    const afterReport = apply(afterPoll, decideAppointment(showed, afterPoll));
    expect(afterReport).toMatchObject({ status: 'showed', attendanceSource: 'webhook' });
  });
});
