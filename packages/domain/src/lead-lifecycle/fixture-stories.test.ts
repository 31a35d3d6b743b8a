/**
 * The shared provider fixtures, end to end through the pure core: payload → observation (the
 * providers mapping) → appointment decider → lead lifecycle, mismatches, tasks and gate.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tasksForEvent } from '../follow-up/tasks-for-event';
import { automationGate } from '../follow-up/automation-gate';
import { DEFAULT_WORKSPACE_RULES } from '../mismatches/workspace-rules';
import { detectMismatches } from '../mismatches/detect-mismatches';
import type { ObserveProviderAppointment } from '../observation';
import { mapCalendlyDelivery, mapGhlWebhook, parseCalendlyWebhook, parseGhlWebhook } from '../providers/index';
import { observeAcrossStreams, registered, sentiment } from '../testing/builders';
import { evolveLeadLifecycle, leadLifecycleFromEvents } from './evolve-lead-lifecycle';
import { currentAppointment } from './lead-lifecycle-state';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (provider: string, name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/fixtures', provider, name), 'utf8'));
const ctx = {
  workspaceId: 'ws-test',
  leadId: 'lead-1',
  source: 'webhook',
  observedAt: '2026-03-20T00:00:00.000Z',
} as const;

function calendly(name: string): ObserveProviderAppointment {
  const parsed = parseCalendlyWebhook(fixture('calendly', name));
  if (!parsed.ok || parsed.value.kind !== 'invitee') throw new Error(`${name} did not parse`);
  const mapped = mapCalendlyDelivery(parsed.value.delivery, ctx);
  if (!mapped.ok) throw new Error(`${name} did not map`);
  return mapped.value.observation;
}

function ghl(name: string): ObserveProviderAppointment {
  const parsed = parseGhlWebhook(fixture('ghl', name));
  if (!parsed.ok || parsed.value.kind !== 'appointment') throw new Error(`${name} did not parse`);
  const mapped = mapGhlWebhook(parsed.value.webhook, {
    ...ctx,
    observedAt: '2026-05-28T00:00:00.000Z',
    timeZone: null,
  });
  if (!mapped.ok) throw new Error(`${name} did not map`);
  return mapped.value.observation;
}

describe('Calendly fixture story: book, cancel, reschedule, no-show', () => {
  const booked = calendly('invitee-created.json');
  const canceled = calendly('invitee-canceled.json');
  const oldRescheduled = calendly('invitee-canceled-rescheduled.json');
  const newBooked = calendly('invitee-created-after-reschedule.json');
  const noShow = calendly('invitee-no-show-created.json');

  it.each([
    ['cancel-with-reschedule first', [booked, canceled, oldRescheduled, newBooked]],
    ['new invitee first', [booked, canceled, newBooked, oldRescheduled]],
  ])('given %s, then the reschedule never shows as canceled and ends booked on the new invitee', (_n, observations) => {
    let lead = leadLifecycleFromEvents([registered(), sentiment('Meeting Booked', '2026-03-01T00:00:00.000Z')]);
    const states: string[] = [];
    for (const e of observeAcrossStreams(observations)) {
      lead = evolveLeadLifecycle(lead, e);
      states.push(lead.bookingState);
    }
    // booked (A), canceled (A canceled), then booked through the whole reschedule
    expect(states[0]).toBe('booked');
    expect(states.slice(states.indexOf('canceled') + 1).every((s) => s === 'booked')).toBe(true);
    expect(currentAppointment(lead)?.providerAppointmentId).toBe(newBooked.providerAppointmentId);
    expect(lead.counts).toMatchObject({ cancellations: 1, reschedules: 1 });
  });

  it('given the whole story, then a red cancel task (A), one red reschedule task (B) and an amber no-show task (C); state no_show', () => {
    const events = observeAcrossStreams([booked, canceled, newBooked, oldRescheduled, noShow]);
    const tasks = events.flatMap((e) => tasksForEvent(e));
    const unique = new Map(tasks.map((t) => [t.taskId, t]));
    expect([...unique.values()].map((t) => [t.kind, t.severity, t.providerAppointmentId])).toEqual([
      ['meeting-canceled', 'red', booked.providerAppointmentId],
      ['meeting-rescheduled', 'red', oldRescheduled.providerAppointmentId],
      ['meeting-no-show', 'amber', newBooked.providerAppointmentId],
    ]);
    const lead = leadLifecycleFromEvents([
      registered(),
      sentiment('Meeting Booked', '2026-03-01T00:00:00.000Z'),
      ...events,
    ]);
    expect(lead.bookingState).toBe('no_show');
    expect(detectMismatches(lead, DEFAULT_WORKSPACE_RULES, '2026-03-21T00:00:00.000Z')).toEqual([]);
    expect(automationGate(lead, DEFAULT_WORKSPACE_RULES, '2026-03-21T00:00:00.000Z').reason).toBe(
      'no_show_needs_review',
    );
  });
});

describe('GHL fixture story: create and reschedule one appointment; another canceled, a third deleted', () => {
  it('given the webhooks, then the lead stays booked on the moved appointment, with red tasks, and a replay adds nothing', () => {
    const observations = [
      'webhook-appointment-create.json',
      'webhook-appointment-update-rescheduled.json',
      'webhook-appointment-update-cancelled.json',
      'webhook-appointment-delete.json',
    ].map(ghl);
    const events = observeAcrossStreams(observations);
    expect(events.map((e) => e.type)).toEqual([
      'AppointmentBooked',
      'AppointmentRescheduled',
      'AppointmentBooked',
      'AppointmentCanceled',
      'AppointmentBooked',
      'AppointmentCanceled',
    ]);
    expect(events.at(-1)?.type === 'AppointmentCanceled' && events.at(-1)?.data).toMatchObject({ deleted: true });
    expect(observeAcrossStreams([...observations, ...observations])).toEqual(events);
    const lead = leadLifecycleFromEvents([registered(), sentiment('Meeting Booked'), ...events]);
    expect(lead).toMatchObject({
      bookingState: 'booked',
      currentAppointmentId: 'FakeApt0000000000001',
      counts: { bookings: 3, reschedules: 1, cancellations: 2 },
    });
    expect(currentAppointment(lead)?.startAt).toBe('2030-06-18T15:00:00.000Z');
    expect(detectMismatches(lead, DEFAULT_WORKSPACE_RULES, '2026-05-28T00:00:00.000Z')).toEqual([]);
    expect(events.flatMap((e) => tasksForEvent(e)).map((t) => [t.kind, t.severity, t.providerAppointmentId])).toEqual([
      ['meeting-rescheduled', 'red', 'FakeApt0000000000001'],
      ['meeting-canceled', 'red', 'FakeApt0000000000002'],
      ['meeting-canceled', 'red', 'FakeApt0000000000004'],
    ]);
  });
});
