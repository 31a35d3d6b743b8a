import { describe, expect, it } from 'vitest';
import { followUpTaskId } from '../event-ids';
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadLifecycle } from '../lead-lifecycle/evolve-lead-lifecycle';
import { initialLeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { DEFAULT_WORKSPACE_RULES } from '../mismatches/workspace-rules';
import { LEAD, WS, observation, observeAcrossStreams, registered, taskResolved } from '../testing/builders';
import { automationGate } from './automation-gate';
import { evolveLeadTasks, initialLeadTasks, openLeadTasks } from './lead-tasks';

const NOW = '2030-06-10T00:00:00.000Z';
const v = (day: number) => `2030-06-0${day}T00:00:00.000Z`;
const ghl = (overrides: Parameters<typeof observation>[0]) =>
  observation({ observedAt: overrides?.providerUpdatedAt ?? v(1), ...overrides });
const taskId = (kind: 'meeting-canceled' | 'meeting-rescheduled' | 'meeting-no-show', occurrence = 0) =>
  followUpTaskId({ workspaceId: WS, leadId: LEAD, provider: 'ghl', providerAppointmentId: 'appt-1', kind, occurrence });

/** Given these events (in store order), then the lead's open tasks and gate. */
function given(events: readonly ReconEvent[]) {
  let lead = initialLeadLifecycle();
  let tasks = initialLeadTasks();
  for (const e of events) {
    lead = evolveLeadLifecycle(lead, e);
    tasks = evolveLeadTasks(tasks, lead, e, 'observedAt' in e.data ? e.data.observedAt : NOW);
  }
  return {
    open: openLeadTasks(tasks).map((t) => [t.kind, t.id]),
    gate: automationGate(lead, DEFAULT_WORKSPACE_RULES, NOW),
    all: Object.keys(tasks.tasks),
  };
}

describe('review tasks per occurrence', () => {
  const booked = (day: number) => ghl({ providerUpdatedAt: v(day) });
  const canceled = (day: number) => ghl({ status: 'canceled', providerUpdatedAt: v(day) });

  it('given a cancellation resolved, when the same GHL appointment is rebooked and canceled again, then a new red task is open and the gate holds again', () => {
    const first = [registered(), ...observeAcrossStreams([booked(1), canceled(2)])];
    expect(given(first).open).toEqual([['meeting-canceled', taskId('meeting-canceled')]]);
    const resolved = [...first, taskResolved(taskId('meeting-canceled'))];
    expect(given(resolved)).toMatchObject({ open: [], gate: { mayEnroll: true, reason: 'canceled_reviewed' } });

    const again = [...resolved, ...observeAcrossStreams([booked(1), canceled(2), booked(3), canceled(4)]).slice(2)];
    const after = given(again);
    expect(after.open).toEqual([['meeting-canceled', taskId('meeting-canceled', 1)]]);
    expect(after.gate).toEqual({ mayEnroll: false, mustPause: true, reason: 'canceled_needs_review' });
  });

  it('given a cancellation not yet resolved, when it is canceled again, then it stays one task', () => {
    const events = [registered(), ...observeAcrossStreams([booked(1), canceled(2), booked(3), canceled(4)])];
    expect(given(events).all).toEqual([taskId('meeting-canceled')]);
  });

  it('given a reschedule resolved, when the appointment moves again, then a new red reschedule task', () => {
    const moved = (day: number, start: string) =>
      ghl({ providerUpdatedAt: v(day), startAt: start, endAt: start.replace(':00:00.000Z', ':30:00.000Z') });
    const obs = [booked(1), moved(2, '2030-06-19T15:00:00.000Z'), moved(3, '2030-06-20T15:00:00.000Z')];
    const all = observeAcrossStreams(obs);
    const firstMove = all.findIndex((e) => e.type === 'AppointmentRescheduled');
    const events = [
      registered(),
      ...all.slice(0, firstMove + 1),
      taskResolved(taskId('meeting-rescheduled')),
      ...all.slice(firstMove + 1),
    ];
    expect(given(events).open).toEqual([['meeting-rescheduled', taskId('meeting-rescheduled', 1)]]);
  });

  it('given a no-show, when the provider retracts it, then the amber task closes; when marked again, it is open again', () => {
    const noShow = (day: number) => ghl({ status: 'no_show', providerUpdatedAt: v(day) });
    const retracted = given([registered(), ...observeAcrossStreams([booked(1), noShow(2), booked(3)])]);
    expect(retracted).toMatchObject({ open: [], gate: { reason: 'booked' } });
    const again = given([registered(), ...observeAcrossStreams([booked(1), noShow(2), booked(3), noShow(4)])]);
    expect(again.open).toEqual([['meeting-no-show', taskId('meeting-no-show')]]);
    expect(again.gate.reason).toBe('no_show_needs_review');
  });

  it('given a no-show the operator resolved, when it is retracted and marked again, then a new amber task', () => {
    const noShow = (day: number) => ghl({ status: 'no_show', providerUpdatedAt: v(day) });
    const all = observeAcrossStreams([booked(1), noShow(2), booked(3), noShow(4)]);
    const after = given([registered(), ...all.slice(0, 2), taskResolved(taskId('meeting-no-show')), ...all.slice(2)]);
    expect(after.open).toEqual([['meeting-no-show', taskId('meeting-no-show', 1)]]);
  });

  it('given a resolution folded before its cancellation (a replay of an odd interleaving), then it still resolves the first occurrence', () => {
    const events = [
      registered(),
      taskResolved(taskId('meeting-canceled')),
      ...observeAcrossStreams([booked(1), canceled(2)]),
    ];
    expect(given(events)).toMatchObject({ open: [], gate: { reason: 'canceled_reviewed' } });
  });
});
