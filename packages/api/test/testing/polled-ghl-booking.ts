/**
 * Test support: what a poll that found a GHL booking appends when its webhook was dropped — an
 * unmatched `AppointmentBooked` with `source: "poller"` and the provider's update time — so the
 * delivery counters see a fact no webhook delivered.
 */
import { randomUUID } from 'node:crypto';
import { appointmentStreamName } from '@recon/domain';
import type { EventStore } from '@recon/eventstore';
import { expect } from 'vitest';

export async function appendPolledGhlBooking(
  store: EventStore,
  workspaceId: string,
  a: { readonly id: string; readonly startMs: number; readonly endMs: number; readonly updatedMs: number },
): Promise<void> {
  const r = await store.append(
    appointmentStreamName(workspaceId, 'ghl', a.id),
    [
      {
        id: randomUUID(),
        type: 'AppointmentBooked',
        data: {
          workspaceId,
          leadId: null,
          provider: 'ghl',
          providerAppointmentId: a.id,
          calendlyEventUri: null,
          startAt: new Date(a.startMs).toISOString(),
          endAt: new Date(a.endMs).toISOString(),
          source: 'poller',
          observedAt: new Date().toISOString(),
          providerUpdatedAt: new Date(a.updatedMs).toISOString(),
          rescheduledFrom: null,
        },
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  expect(r.ok).toBe(true);
}
