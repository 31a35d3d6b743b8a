/**
 * `meeting-reschedule-unconfirmed` (issue 18 §2): a Calendly invitee replaced by a reschedule whose
 * successor never arrives is fetched after the grace period; when the fetch finds nothing the old
 * booking records one event per successor, a red task opens, the lead stays booked (grade
 * `provider_pending`, never a silent cancellation), and the successor seen later closes the task.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESCHEDULE_GRACE_MINUTES,
  decideRescheduleUnconfirmed,
  isRescheduleConfirmationDue,
} from '../appointments/decide-reschedule-unconfirmed';
import { evolveAppointment, type AppointmentState } from '../appointments/appointment-state';
import type { AppointmentEvent } from '../events/appointment-events';
import type { ReconEvent } from '../events/recon-event';
import { leadGrade } from '../grade/lead-grade';
import { foldLeadWithTasks, observedAtOr } from '../testing/fold-lead-tasks';
import { observation, observeAcrossStreams, observeAll, registered } from '../testing/builders';
import { RESCHEDULE_REVIEW_ENDED, taskResolution } from './lead-tasks';

const RULES = { bookedSentimentLabels: ['Meeting Booked'] };
const OLD = 'https://api.calendly.com/scheduled_events/E1/invitees/I1';
const NEW = 'https://api.calendly.com/scheduled_events/E2/invitees/I2';
const REPLACED_AT = '2030-06-02T10:00:00.000Z';
const GRACE = DEFAULT_RESCHEDULE_GRACE_MINUTES;
const AFTER_GRACE = '2030-06-02T10:31:00.000Z';

const booked = observation({ provider: 'calendly', providerAppointmentId: OLD });
const replacedBy = observation({
  provider: 'calendly',
  providerAppointmentId: OLD,
  status: 'canceled',
  rescheduledTo: NEW,
  providerUpdatedAt: REPLACED_AT,
  observedAt: '2030-06-02T10:00:02.000Z',
});
const successor = observation({
  provider: 'calendly',
  providerAppointmentId: NEW,
  rescheduledFrom: OLD,
  startAt: '2030-06-20T15:00:00.000Z',
  endAt: '2030-06-20T15:30:00.000Z',
  providerUpdatedAt: REPLACED_AT,
  observedAt: '2030-06-03T09:00:00.000Z',
});

const fold = (events: readonly ReconEvent[]) => foldLeadWithTasks(events, observedAtOr(AFTER_GRACE));

const apply = (s: AppointmentState, es: readonly AppointmentEvent[]) => es.reduce(evolveAppointment, s);

describe('meeting-reschedule-unconfirmed', () => {
  const { events: oldEvents, state: replaced } = observeAll([booked, replacedBy]);

  it('is due only after the grace period, for a replaced and linked booking, once per successor', () => {
    expect(replaced.status).toBe('replaced');
    expect(isRescheduleConfirmationDue(replaced, '2030-06-02T10:29:59.000Z', GRACE)).toBe(false);
    expect(isRescheduleConfirmationDue(replaced, AFTER_GRACE, GRACE)).toBe(true);
    expect(isRescheduleConfirmationDue(replaced, '2030-06-02T10:00:00.000Z', 0)).toBe(true);
    const decided = decideRescheduleUnconfirmed(replaced, AFTER_GRACE, GRACE, 'PROVIDER_NOT_FOUND');
    expect(decided).toMatchObject([
      { type: 'AppointmentRescheduleUnconfirmed', data: { rescheduledTo: NEW, failureCode: 'PROVIDER_NOT_FOUND' } },
    ]);
    const after = apply(replaced, decided);
    expect(after.status).toBe('replaced');
    expect(isRescheduleConfirmationDue(after, '2030-06-03T00:00:00.000Z', GRACE)).toBe(false);
    expect(decideRescheduleUnconfirmed(after, '2030-06-03T00:00:00.000Z', GRACE, 'PROVIDER_NOT_FOUND')).toEqual([]);
  });

  it('is never due for a plain cancellation, a live booking, an unmatched one or one from beyond the review window', () => {
    const canceled = observeAll([booked, { ...replacedBy, rescheduledTo: null }]).state;
    expect(canceled.status).toBe('canceled');
    expect(isRescheduleConfirmationDue(canceled, AFTER_GRACE, GRACE)).toBe(false);
    expect(isRescheduleConfirmationDue(observeAll([booked]).state, AFTER_GRACE, GRACE)).toBe(false);
    const unmatched = observeAll([
      { ...booked, leadId: null },
      { ...replacedBy, leadId: null },
    ]).state;
    expect(isRescheduleConfirmationDue(unmatched, AFTER_GRACE, GRACE)).toBe(false);
    expect(isRescheduleConfirmationDue(replaced, '2030-08-01T00:00:00.000Z', GRACE)).toBe(false);
  });

  it('opens one red task while the lead stays booked and provider_pending; the late successor closes it (by recon)', () => {
    const unconfirmed = decideRescheduleUnconfirmed(replaced, AFTER_GRACE, GRACE, 'PROVIDER_NOT_FOUND');
    const opened = fold([registered(), ...oldEvents, ...unconfirmed]);
    const red = opened.open.filter((t) => t.kind === 'meeting-reschedule-unconfirmed');
    expect(red).toMatchObject([{ severity: 'red', provider: 'calendly', providerAppointmentId: OLD }]);
    expect(opened.lead.bookingState).toBe('booked');
    expect(leadGrade(opened.lead, RULES)).toBe('provider_pending');

    const late = observeAcrossStreams([successor]);
    const closed = fold([registered(), ...oldEvents, ...unconfirmed, ...late]);
    expect(closed.open.filter((t) => t.kind === 'meeting-reschedule-unconfirmed')).toEqual([]);
    expect(taskResolution(closed.tasks, red[0]?.id ?? '')).toMatchObject({
      resolvedBy: 'recon',
      note: RESCHEDULE_REVIEW_ENDED,
    });
    expect(leadGrade(closed.lead, RULES)).toBe('provider_confirmed');
  });

  it('a successor seen before the sweep leaves nothing to open, in either delivery order', () => {
    for (const order of [
      [booked, replacedBy, successor],
      [booked, successor, replacedBy],
    ]) {
      const events = observeAcrossStreams(order);
      const r = fold([registered(), ...events]);
      expect(r.open.map((t) => t.kind)).toEqual(['meeting-rescheduled']);
    }
  });
});
