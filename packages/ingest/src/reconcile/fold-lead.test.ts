/**
 * Snapshot + newer events = the full fold (fold-lead.ts), as a property: random lead and
 * appointment events in a random global order; the snapshot saw a per-stream prefix of them (not
 * necessarily a global prefix: a late commit can land behind what the snapshot saw). fast-check
 * prints `{ seed, path }` on failure; pass them back to replay. FC_RUNS raises the run count.
 */
import { appointmentStreamName, leadStreamName, type ReconEvent } from '@recon/domain';
import { LEAD, WS, reconEventArb } from '@recon/domain/testing';
import type { EventStore, Position, RecordedEvent } from '@recon/eventstore';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldLead } from './fold-lead';
import type { KnownAppointment } from './reconcile-tables';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 300) };

function streamOf(e: ReconEvent): string {
  return 'providerAppointmentId' in e.data
    ? appointmentStreamName(WS, 'ghl', e.data.providerAppointmentId)
    : leadStreamName(WS, LEAD);
}

/** Events recorded in the given global order, revisions per stream. */
function record(events: readonly ReconEvent[]): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  return events.map((e, i) => {
    const streamName = streamOf(e);
    const revision = (revisions.get(streamName) ?? -1n) + 1n;
    revisions.set(streamName, revision);
    return {
      id: `e${i}`,
      type: e.type,
      streamName,
      revision,
      position: String(i).padStart(8, '0') as Position,
      data: e.data as unknown as Record<string, unknown>,
      metadata: {},
      recordedAt: new Date(0),
    };
  });
}

/** The two methods a fold uses, over the visible events only. */
function memoryStore(visible: readonly RecordedEvent[]): EventStore {
  return {
    async readStream(name: string, options?: { fromRevision?: bigint }) {
      const from = options?.fromRevision ?? 0n;
      return visible.filter((e) => e.streamName === name && e.revision >= from);
    },
    comparePositions: (a: Position, b: Position) => (a < b ? -1 : a > b ? 1 : 0),
  } as unknown as EventStore;
}

function appointmentsOf(events: readonly ReconEvent[]): KnownAppointment[] {
  const ids = new Set(events.flatMap((e) => ('providerAppointmentId' in e.data ? [e.data.providerAppointmentId] : [])));
  return [...ids].map((id) => ({ provider: 'ghl', id }));
}

describe('foldLead from a snapshot', () => {
  it('given a snapshot of any per-stream prefix, then snapshot + newer events equal the full fold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reconEventArb(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat({ max: 30 }), { minLength: 4, maxLength: 4 }),
        async (events, cuts) => {
          const all = record(events);
          const streams = [...new Set(all.map((e) => e.streamName))];
          const cutOf = (s: string) => cuts[streams.indexOf(s) % cuts.length] ?? 0;
          const seen = all.filter((e) => e.revision < BigInt(cutOf(e.streamName)));
          const known = appointmentsOf(events);
          const earlier = await foldLead(memoryStore(seen), WS, LEAD, known);
          const full = await foldLead(memoryStore(all), WS, LEAD, known);
          const continued = await foldLead(memoryStore(all), WS, LEAD, known, earlier.snapshot);
          expect(continued.lifecycle).toEqual(full.lifecycle);
          expect(continued.exists).toBe(full.exists);
          expect(continued.leadRevision).toBe(full.leadRevision);
        },
      ),
      RUNS,
    );
  });

  it('given a snapshot over a global prefix, then the continued fold reads only the newer events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reconEventArb(), { minLength: 1, maxLength: 30 }), fc.nat(), async (events, k) => {
        const all = record(events);
        const cut = k % (all.length + 1);
        const known = appointmentsOf(events);
        const earlier = await foldLead(memoryStore(all.slice(0, cut)), WS, LEAD, known);
        const continued = await foldLead(memoryStore(all), WS, LEAD, known, earlier.snapshot);
        expect(continued.eventsRead).toBe(all.length - cut);
      }),
      RUNS,
    );
  });

  it('given a snapshot that folded an appointment no longer asked for, then it folds from nothing', async () => {
    const events: ReconEvent[] = [
      {
        type: 'AppointmentBooked',
        data: {
          workspaceId: WS,
          leadId: LEAD,
          provider: 'ghl',
          providerAppointmentId: 'a1',
          calendlyEventUri: null,
          startAt: '2030-06-01T10:00:00.000Z',
          endAt: '2030-06-01T10:30:00.000Z',
          source: 'poller',
          observedAt: '2030-05-02T00:00:00.000Z',
          providerUpdatedAt: null,
          rescheduledFrom: null,
        },
      },
    ];
    const all = record(events);
    const earlier = await foldLead(memoryStore(all), WS, LEAD, appointmentsOf(events));
    const without = await foldLead(memoryStore(all), WS, LEAD, [], earlier.snapshot);
    expect(without.lifecycle).toEqual((await foldLead(memoryStore(all), WS, LEAD, [])).lifecycle);
  });
});
