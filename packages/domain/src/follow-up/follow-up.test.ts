import { describe, expect, it } from 'vitest';
import { followUpTaskId } from '../event-ids';
import type { ReconEvent } from '../events/recon-event';
import { leadLifecycleFromEvents } from '../lead-lifecycle/evolve-lead-lifecycle';
import { DEFAULT_WORKSPACE_RULES } from '../mismatches/workspace-rules';
import {
  LEAD,
  WS,
  checked,
  observation,
  observeAcrossStreams,
  registered,
  sentiment,
  taskResolved,
} from '../testing/builders';
import { automationGate } from './automation-gate';
import { tasksForEvent } from './tasks-for-event';

const NOW = '2030-06-10T00:00:00.000Z';
const rules = DEFAULT_WORKSPACE_RULES;
const OLD = 'https://api.calendly.com/scheduled_events/e508f4b2/invitees/d4b75211';
const NEW = 'https://api.calendly.com/scheduled_events/6f9d3ee4/invitees/f655d9f4';
const canceled = () =>
  observeAcrossStreams([
    observation(),
    observation({
      status: 'canceled',
      providerUpdatedAt: '2030-06-02T00:00:00.000Z',
      observedAt: '2030-06-02T00:00:01.000Z',
    }),
  ]);
const tasksOf = (events: readonly ReconEvent[]) => events.flatMap((e) => tasksForEvent(e));

describe('tasksForEvent', () => {
  it('given a cancellation, then one red meeting-canceled task with a deterministic id', () => {
    const tasks = tasksOf(canceled());
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: 'meeting-canceled',
      severity: 'red',
      leadId: LEAD,
      providerAppointmentId: 'appt-1',
      createdAt: '2030-06-02T00:00:01.000Z',
    });
    expect(tasks[0]?.taskId).toBe(
      followUpTaskId({
        workspaceId: WS,
        leadId: LEAD,
        provider: 'ghl',
        providerAppointmentId: 'appt-1',
        kind: 'meeting-canceled',
      }),
    );
    expect(tasksOf(canceled())[0]?.taskId).toBe(tasks[0]?.taskId);
  });

  it('given a GHL reschedule, then a red meeting-rescheduled task; given a no-show, an amber meeting-no-show task', () => {
    const moved = observeAcrossStreams([
      observation(),
      observation({
        startAt: '2030-06-19T15:00:00.000Z',
        endAt: '2030-06-19T15:30:00.000Z',
        providerUpdatedAt: '2030-06-02T00:00:00.000Z',
      }),
    ]);
    expect(tasksOf(moved).map((t) => [t.kind, t.severity])).toEqual([['meeting-rescheduled', 'red']]);
    const noShow = observeAcrossStreams([
      observation(),
      observation({
        status: 'no_show',
        providerUpdatedAt: '2030-06-19T00:00:00.000Z',
        observedAt: '2030-06-19T00:00:00.000Z',
      }),
    ]);
    expect(tasksOf(noShow).map((t) => [t.kind, t.severity])).toEqual([['meeting-no-show', 'amber']]);
  });

  it('given a Calendly reschedule pair in either order, then both deliveries name the same single reschedule task (on the old invitee), never a cancel task', () => {
    const cal = { provider: 'calendly' as const };
    const oldCanceled = observation({
      ...cal,
      providerAppointmentId: OLD,
      status: 'canceled',
      rescheduledTo: NEW,
      providerUpdatedAt: '2030-06-02T00:00:00.000Z',
    });
    const newBooked = observation({
      ...cal,
      providerAppointmentId: NEW,
      rescheduledFrom: OLD,
      providerUpdatedAt: '2030-06-02T00:00:00.000Z',
    });
    for (const order of [
      [oldCanceled, newBooked],
      [newBooked, oldCanceled],
    ]) {
      const tasks = tasksOf(observeAcrossStreams(order));
      expect(new Set(tasks.map((t) => t.taskId)).size).toBe(1);
      expect(tasks.every((t) => t.kind === 'meeting-rescheduled' && t.providerAppointmentId === OLD)).toBe(true);
    }
  });

  it('given old history (a cancellation observed long after the meeting) or an unmatched appointment, then no task', () => {
    const history = observeAcrossStreams([
      observation({ status: 'canceled', source: 'backfill', observedAt: '2031-01-01T00:00:00.000Z' }),
    ]);
    expect(tasksOf(history)).toEqual([]);
    expect(tasksOf(observeAcrossStreams([observation({ leadId: null, status: 'canceled' })]))).toEqual([]);
  });
});

describe('automationGate', () => {
  const gate = (events: readonly ReconEvent[], now = NOW, r = rules) =>
    automationGate(leadLifecycleFromEvents(events), r, now);

  it('never enrolls a booked or completed lead, and pauses running sequences', () => {
    const booked = [registered(), ...observeAcrossStreams([observation()])];
    expect(gate(booked)).toEqual({ mayEnroll: false, mustPause: true, reason: 'booked' });
    expect(gate(booked, '2030-07-01T00:00:00.000Z')).toEqual({
      mayEnroll: false,
      mustPause: true,
      reason: 'completed',
    });
  });

  it('given a cancellation, then automation waits for the review; once the task is resolved, the lead may be enrolled', () => {
    const events = [registered(), ...canceled()];
    expect(gate(events)).toEqual({ mayEnroll: false, mustPause: true, reason: 'canceled_needs_review' });
    const taskId = tasksOf(canceled())[0]?.taskId ?? '';
    expect(gate([...events, taskResolved(taskId)])).toEqual({
      mayEnroll: true,
      mustPause: false,
      reason: 'canceled_reviewed',
    });
  });

  it('given a lead never checked, then not enrolled (unverified); pause only if the sentiment claims a booking', () => {
    expect(gate([registered()])).toEqual({ mayEnroll: false, mustPause: false, reason: 'unverified' });
    expect(gate([registered(), sentiment('Meeting Booked')])).toEqual({
      mayEnroll: false,
      mustPause: true,
      reason: 'unverified',
    });
  });

  it('given a check that found nothing, then the lead may be enrolled; with autoCorrect off a booked sentiment still holds it', () => {
    const none = [registered(), sentiment('Meeting Booked'), checked('ghl', { kind: 'none' })];
    expect(gate(none)).toEqual({ mayEnroll: true, mustPause: false, reason: 'not_booked' });
    expect(gate(none, NOW, { ...rules, autoCorrectSentiment: false })).toEqual({
      mayEnroll: false,
      mustPause: true,
      reason: 'sentiment_booked_no_evidence',
    });
  });
});
