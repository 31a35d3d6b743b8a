/**
 * The generated world of `recon demo`, replayable by seed: leads (synthetic `@demo.example`
 * addresses, some with a GHL contact id, a sentiment mix), and what happened at the providers:
 * Calendly bookings and GHL appointments, some canceled, some in the past, and which of their
 * webhooks were lost (or, for bookings made directly in GHL, never sent).
 */
import { SeededRandom } from '@recon/simulators';

export interface DemoLead {
  readonly leadId: string;
  readonly email: string;
  readonly ghlContactId: string | null;
  readonly sentiment: string | null;
}

export interface DemoBookingPlan {
  readonly provider: 'calendly' | 'ghl';
  readonly lead: DemoLead;
  readonly startMs: number;
  readonly createdMs: number;
  /** The create webhook was lost (Calendly) or never sent (booked directly in GHL). */
  readonly createWebhookLost: boolean;
  /** Canceled later (null = not canceled), and whether that webhook was lost. */
  readonly cancel: { readonly atMs: number; readonly webhookLost: boolean } | null;
}

export interface DemoWorld {
  readonly leads: readonly DemoLead[];
  readonly bookings: readonly DemoBookingPlan[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function generateDemoWorld(input: {
  readonly leads: number;
  readonly seed: number;
  readonly nowMs: number;
}): DemoWorld {
  const random = new SeededRandom(input.seed);
  const leads: DemoLead[] = [];
  const bookings: DemoBookingPlan[] = [];
  for (let i = 1; i <= input.leads; i += 1) {
    const n = String(i).padStart(5, '0');
    const ghlContactId = random.next() < 0.35 ? `DemoCon${n.padStart(13, '0')}` : null;
    const roll = random.next();
    const books: 'calendly' | 'ghl' | null =
      ghlContactId !== null && roll < 0.3 ? 'ghl' : roll < 0.18 ? 'calendly' : null;
    const sentimentRoll = random.next();
    const sentiment =
      books !== null
        ? sentimentRoll < 0.6
          ? 'Meeting Booked'
          : 'Interested'
        : sentimentRoll < 0.12
          ? 'Meeting Booked'
          : sentimentRoll < 0.5
            ? 'Interested'
            : sentimentRoll < 0.7
              ? 'Not Interested'
              : null;
    const lead: DemoLead = { leadId: `demo-lead-${n}`, email: `lead${n}@demo.example`, ghlContactId, sentiment };
    leads.push(lead);
    if (books === null) continue;
    const past = random.next() < 0.2;
    const startMs =
      Math.floor((input.nowMs + (past ? -random.int(1, 10) : random.int(1, 14)) * DAY) / (30 * 60_000)) * 30 * 60_000;
    const createdMs = Math.min(startMs, input.nowMs) - random.int(2, 72) * HOUR;
    const canceled = !past && random.next() < 0.15;
    bookings.push({
      provider: books,
      lead,
      startMs,
      createdMs,
      createWebhookLost: random.next() < (books === 'ghl' ? 0.4 : 0.2),
      cancel: canceled ? { atMs: createdMs + random.int(1, 24) * HOUR, webhookLost: random.next() < 0.3 } : null,
    });
  }
  return { leads, bookings };
}
