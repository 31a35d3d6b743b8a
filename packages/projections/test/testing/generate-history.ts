/**
 * A deterministic generator of realistic recon histories (tests, crash test, benchmark): leads
 * registering, sentiment labels, provider checks, GHL bookings that get moved, canceled, rebooked,
 * attended or no-showed, Calendly reschedule pairs, unmatched bookings with match keys and the
 * occasional resolved task. Events are decided by the domain decider, so they are what ingest
 * would append. Returns one list per stream (its order is the stream's) for interleaving.
 */
import { followUpTaskId, type ReconEvent } from '@recon/domain';
import { Scenario, seededRandom } from '@recon/domain/testing';

export type GeneratedEvent = ReconEvent & { readonly matchKeys?: unknown };

/** The toolkit's replayable randomness (mulberry32), under the name these tests use. */
export const prng: (seed: number) => () => number = seededRandom;

const LABELS = ['Meeting Booked', 'Interested', 'Not Interested', 'Follow Up', 'meeting booked'];
const BASE = Date.parse('2030-03-01T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function hash(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/** Streams of one lead (its lead stream first, then its appointments), in their own order. */
export function leadStreams(
  workspaceId: string,
  leadIndex: number,
  random: () => number,
  allowUnmatched = true,
): GeneratedEvent[][] {
  const s = new Scenario(workspaceId);
  const lead = `lead-${leadIndex}`;
  const t0 = BASE + Math.floor(random() * 60) * 86_400_000 + leadIndex * 1000;
  const minute = (m: number) => iso(t0 + m * 60_000);
  const leadEvents: GeneratedEvent[] = [
    s.registered(lead, { emailHash: hash(leadIndex * 2 + 1), ghlContactId: `c${leadIndex}` }, minute(0)),
  ];
  // The CRM re-labels leads as conversations go on; recon sees each label with its time.
  const labels = 1 + Math.floor(random() * 6);
  for (let k = 0; k < labels; k += 1) {
    if (random() < 0.85)
      leadEvents.push(
        s.sentiment(lead, LABELS[Math.floor(random() * LABELS.length)] ?? 'Interested', minute(1 + k * 200)),
      );
  }
  // Messages come and go (activity watermark).
  const messages = Math.floor(random() * 6);
  for (let k = 0; k < messages; k += 1) {
    leadEvents.push({
      type: 'LeadInboundActivityRecorded',
      data: {
        workspaceId,
        leadId: lead,
        lastInboundAt: minute(150 + k * 300),
        lastMessageDirection: random() < 0.7 ? 'inbound' : 'outbound',
        recordedAt: minute(151 + k * 300),
      },
    });
  }
  const streams: GeneratedEvent[][] = [];
  const start = t0 + (3 + Math.floor(random() * 40)) * 86_400_000;
  const slot = (dayShift: number) => ({
    startAt: iso(start + dayShift * 86_400_000),
    endAt: iso(start + dayShift * 86_400_000 + 1_800_000),
  });
  const r = random();
  if (r < 0.25) {
    leadEvents.push(s.checked(lead, 'ghl', { kind: 'none' }, minute(5)));
  } else if (r < 0.7) {
    const id = `g-${leadIndex}`;
    const events: GeneratedEvent[] = [
      ...s.observe({
        providerAppointmentId: id,
        leadId: lead,
        ...slot(0),
        providerUpdatedAt: minute(2),
        observedAt: minute(2),
      }),
    ];
    const fate = random();
    if (fate < 0.2)
      events.push(
        ...s.observe({
          providerAppointmentId: id,
          leadId: lead,
          ...slot(2),
          providerUpdatedAt: minute(30),
          observedAt: minute(30),
        }),
      );
    if (fate >= 0.2 && fate < 0.4) {
      events.push(
        ...s.observe({
          providerAppointmentId: id,
          leadId: lead,
          ...slot(0),
          status: 'canceled',
          providerUpdatedAt: minute(40),
          observedAt: minute(40),
        }),
      );
      const after = random();
      if (after < 0.5) {
        streams.push([
          ...s.observe({
            providerAppointmentId: `${id}-b`,
            leadId: lead,
            ...slot(5),
            providerUpdatedAt: minute(60),
            observedAt: minute(60),
          }),
        ]);
      } else if (after < 0.75) {
        const taskId = followUpTaskId({
          workspaceId,
          leadId: lead,
          provider: 'ghl',
          providerAppointmentId: id,
          kind: 'meeting-canceled',
        });
        leadEvents.push(s.resolved(lead, taskId, minute(90), null));
      }
    }
    if (fate >= 0.4 && fate < 0.5)
      events.push(
        ...s.observe({
          providerAppointmentId: id,
          leadId: lead,
          ...slot(0),
          status: 'no_show',
          providerUpdatedAt: minute(70),
          observedAt: minute(70),
        }),
      );
    if (fate >= 0.5 && fate < 0.6)
      events.push(
        ...s.observe({
          providerAppointmentId: id,
          leadId: lead,
          ...slot(0),
          status: 'showed',
          providerUpdatedAt: minute(70),
          observedAt: minute(70),
        }),
      );
    streams.unshift(events);
    leadEvents.push(s.checked(lead, 'ghl', { kind: 'found', count: 1 }, minute(80)));
  } else if (r < 0.9) {
    const OLD = `https://api.calendly.com/scheduled_events/E${leadIndex}/invitees/OLD${leadIndex}`;
    const NEW = `https://api.calendly.com/scheduled_events/F${leadIndex}/invitees/NEW${leadIndex}`;
    const old = [
      ...s.observe({
        provider: 'calendly',
        providerAppointmentId: OLD,
        leadId: lead,
        ...slot(0),
        providerUpdatedAt: minute(2),
        observedAt: minute(2),
      }),
    ];
    if (random() < 0.5) {
      old.push(
        ...s.observe({
          provider: 'calendly',
          providerAppointmentId: OLD,
          leadId: lead,
          ...slot(0),
          status: 'canceled',
          rescheduledTo: NEW,
          providerUpdatedAt: minute(20),
          observedAt: minute(20),
        }),
      );
      streams.push(old, [
        ...s.observe({
          provider: 'calendly',
          providerAppointmentId: NEW,
          leadId: lead,
          rescheduledFrom: OLD,
          ...slot(1),
          providerUpdatedAt: minute(20),
          observedAt: minute(21),
        }),
      ]);
    } else streams.push(old);
  } else if (!allowUnmatched) {
    leadEvents.push(s.checked(lead, 'calendly', { kind: 'failed', code: 'PROVIDER_TIMEOUT' }, minute(5)));
  } else {
    // A booking made with the lead's email that arrived before anyone knew whose it was.
    const id = `u-${leadIndex}`;
    streams.push(
      s
        .observe({
          providerAppointmentId: id,
          leadId: null,
          ...slot(0),
          providerUpdatedAt: minute(2),
          observedAt: minute(2),
        })
        .map((e) => ({ ...e, matchKeys: { inviteeEmailHash: hash(leadIndex * 2 + 1) } })),
    );
  }
  // The reconciler re-checks each provider now and then (the watermark moves on).
  if (random() < 0.6)
    leadEvents.push(
      s.checked(
        lead,
        'calendly',
        random() < 0.9 ? { kind: 'none' } : { kind: 'failed', code: 'PROVIDER_TIMEOUT' },
        minute(1000),
      ),
    );
  if (random() < 0.4)
    leadEvents.push(
      s.checked(lead, 'ghl', streams.length > 0 ? { kind: 'found', count: 1 } : { kind: 'none' }, minute(1500)),
    );
  return [leadEvents, ...streams];
}

/** A whole history in a simple global order (each lead's streams one after the other). */
export function generateHistory(options: {
  readonly leads: number;
  readonly workspaces?: number;
  readonly seed?: number;
  readonly firstLead?: number;
}): GeneratedEvent[] {
  const random = prng(options.seed ?? 42);
  const out: GeneratedEvent[] = [];
  const first = options.firstLead ?? 0;
  for (let i = first; i < first + options.leads; i += 1) {
    const ws = `ws-${i % (options.workspaces ?? 10)}`;
    for (const stream of leadStreams(ws, i, random)) out.push(...stream);
  }
  return out;
}
