/** Defect 8: GHL `invalid` is neither evidence of a meeting nor a cancellation. */
import { describe, expect, it } from 'vitest';
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadLifecycle } from '../lead-lifecycle/evolve-lead-lifecycle';
import { initialLeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { detectMismatches } from '../mismatches/detect-mismatches';
import { DEFAULT_WORKSPACE_RULES } from '../mismatches/workspace-rules';
import { mapGhlAppointmentStatus } from '../providers/ghl/map-ghl-status';
import { checked, observation, observeAcrossStreams, observeAll, registered, sentiment } from '../testing/builders';
import { automationGate } from './automation-gate';
import { evolveLeadTasks, initialLeadTasks, openLeadTasks } from './lead-tasks';

const NOW = '2030-06-10T00:00:00.000Z';

function given(events: readonly ReconEvent[]) {
  let lead = initialLeadLifecycle();
  let tasks = initialLeadTasks();
  for (const e of events) {
    lead = evolveLeadLifecycle(lead, e);
    tasks = evolveLeadTasks(tasks, lead, e, NOW);
  }
  return {
    lead,
    open: openLeadTasks(tasks),
    mismatches: detectMismatches(lead, DEFAULT_WORKSPACE_RULES, NOW).map((m) => m.kind),
    gate: automationGate(lead, DEFAULT_WORKSPACE_RULES, NOW),
  };
}

describe('GHL invalid', () => {
  it('maps to its own status, not canceled', () => {
    expect(mapGhlAppointmentStatus('invalid')).toEqual({ ok: true, value: 'invalid' });
  });

  it('given a booked appointment marked invalid, then the appointment shows invalid, no red task, no canceled_but_booked_status, and it is not a booking', () => {
    const obs = [observation(), observation({ status: 'invalid', providerUpdatedAt: '2030-06-02T00:00:00.000Z' })];
    expect(observeAll(obs).state).toMatchObject({ status: 'invalid' });
    const after = given([registered(), sentiment('Meeting Booked'), ...observeAcrossStreams(obs)]);
    expect(after.lead.appointments['appt-1']?.status).toBe('invalid');
    expect(after.open).toEqual([]);
    expect(after.mismatches).not.toContain('canceled_but_booked_status');
    expect(after.lead.bookingState).toBe('unknown');
    expect(after.lead.counts.cancellations).toBe(0);
  });

  it('given an appointment first seen invalid, then no booking is recorded; with a successful check the lead is not booked', () => {
    const events = observeAcrossStreams([observation({ status: 'invalid' })]);
    expect(events.map((e) => e.type)).toEqual(['AppointmentMarkedInvalid']);
    const after = given([
      registered(),
      checked('ghl', { kind: 'found', count: 1 }),
      checked('calendly', { kind: 'none' }),
      ...events,
    ]);
    expect(after.lead.bookingState).toBe('not_booked');
    expect(after.lead.counts.bookings).toBe(0);
    expect(after.open).toEqual([]);
  });

  it('given an invalid appointment made valid again, then it is booked', () => {
    const after = given([
      registered(),
      ...observeAcrossStreams([
        observation({ status: 'invalid' }),
        observation({ providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
      ]),
    ]);
    expect(after.lead.bookingState).toBe('booked');
    expect(after.gate.reason).toBe('booked');
  });
});
