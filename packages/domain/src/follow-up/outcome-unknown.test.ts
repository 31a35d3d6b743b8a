/** `meeting-outcome-unknown`: opened by the sweep's event for an ended meeting, closed once attendance is known. */
import { describe, expect, it } from 'vitest';
import { decideOutcomeUnknown } from '../appointments/decide-outcome-unknown';
import { decideRecordAttendance } from '../appointments/record-attendance';
import { evolveAppointment, type AppointmentState } from '../appointments/appointment-state';
import { decideAppointment } from '../appointments/decide-appointment';
import type { AppointmentEvent } from '../events/appointment-events';
import type { ReconEvent } from '../events/recon-event';
import { foldLeadWithTasks, observedAtOr } from '../testing/fold-lead-tasks';
import { observation, observeAll, registered } from '../testing/builders';
import { taskResolution, OUTCOME_REVIEW_ENDED } from './lead-tasks';

const ENDED = '2030-06-18T16:00:00.000Z'; // the builder's meeting ends 15:30

const fold = (events: readonly ReconEvent[]) => foldLeadWithTasks(events, observedAtOr(ENDED));

const apply = (s: AppointmentState, es: readonly AppointmentEvent[]) => es.reduce(evolveAppointment, s);

describe('meeting-outcome-unknown', () => {
  const { events: bookedEvents, state: booked } = observeAll([observation()]);

  it('is decided once per ended meeting, never before its end, never for a canceled one', () => {
    expect(decideOutcomeUnknown(booked, '2030-06-18T15:10:00.000Z')).toEqual([]);
    const first = decideOutcomeUnknown(booked, ENDED);
    expect(first.map((e) => e.type)).toEqual(['AppointmentOutcomeUnknown']);
    expect(decideOutcomeUnknown(apply(booked, first), '2030-06-19T00:00:00.000Z')).toEqual([]);
    const canceled = observeAll([
      observation(),
      observation({ status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
    ]).state;
    expect(decideOutcomeUnknown(canceled, ENDED)).toEqual([]);
  });

  it('opens an amber task that closes (by recon) when the operator answers', () => {
    const unknown = decideOutcomeUnknown(booked, ENDED);
    const opened = fold([registered(), ...bookedEvents, ...unknown]);
    expect(opened.open).toMatchObject([
      { kind: 'meeting-outcome-unknown', severity: 'amber', providerAppointmentId: 'appt-1' },
    ]);
    const state = apply(booked, unknown);
    const answer = decideRecordAttendance(
      { type: 'RecordAttendance', attended: true, recordedAt: '2030-06-19T09:00:00.000Z' },
      state,
    );
    if (!answer.ok) throw new Error(answer.code);
    const closed = fold([registered(), ...bookedEvents, ...unknown, ...answer.value]);
    expect(closed.open).toEqual([]);
    const id = opened.open[0]?.id ?? '';
    expect(taskResolution(closed.tasks, id)).toMatchObject({ resolvedBy: 'recon', note: OUTCOME_REVIEW_ENDED });
  });

  it('after an operator resolved it, the same meeting moved and ended again opens a new task', () => {
    const unknown = decideOutcomeUnknown(booked, ENDED);
    const first = fold([registered(), ...bookedEvents, ...unknown]).open[0];
    const resolved: ReconEvent = {
      type: 'FollowUpTaskResolved',
      data: {
        workspaceId: booked.status === 'absent' ? '' : booked.workspaceId,
        leadId: booked.status === 'absent' ? '' : (booked.leadId ?? ''),
        taskId: first?.id ?? '',
        resolvedBy: 'key-1',
        note: null,
        resolvedAt: '2030-06-18T17:00:00.000Z',
      },
    } as ReconEvent;
    const state = apply(booked, unknown);
    const moved = decideAppointment(
      observation({
        startAt: '2030-06-19T15:00:00.000Z',
        endAt: '2030-06-19T15:30:00.000Z',
        providerUpdatedAt: '2030-06-18T18:00:00.000Z',
        observedAt: '2030-06-18T18:00:05.000Z',
      }),
      state,
    );
    const again = decideOutcomeUnknown(apply(state, moved), '2030-06-19T16:00:00.000Z');
    expect(again.map((e) => e.type)).toEqual(['AppointmentOutcomeUnknown']);
    const after = fold([registered(), ...bookedEvents, ...unknown, resolved, ...moved, ...again]);
    const outcome = after.open.filter((t) => t.kind === 'meeting-outcome-unknown');
    expect(outcome).toHaveLength(1);
    expect(outcome[0]?.id).not.toBe(first?.id);
  });

  it('closes when the meeting is moved to a later time', () => {
    const unknown = decideOutcomeUnknown(booked, ENDED);
    const moved = decideAppointment(
      observation({
        startAt: '2030-06-25T15:00:00.000Z',
        endAt: '2030-06-25T15:30:00.000Z',
        providerUpdatedAt: '2030-06-19T00:00:00.000Z',
        observedAt: '2030-06-19T00:00:05.000Z',
      }),
      apply(booked, unknown),
    );
    const after = fold([registered(), ...bookedEvents, ...unknown, ...moved]);
    expect(after.open.map((t) => t.kind)).toEqual(['meeting-rescheduled']);
  });
});
