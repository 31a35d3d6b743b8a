/**
 * The provider side of `recon demo`: local GHL and Calendly simulators (from @recon/simulators)
 * seeded with the world's bookings, plus the webhook deliveries those bookings would have caused,
 * minus the lost ones (and the bookings made directly in GHL, which never send one). Later, a
 * lead's late booking is added the same way (`bookLater`).
 */
import { CalendlySimulator, createGhlSigner, GhlSimulator } from '@recon/simulators';
import { DEMO_CALENDLY, DEMO_GHL } from './demo-credentials';
import type { DemoDelivery } from './demo-deliveries';
import type { DemoLateBooking, DemoWorld } from './demo-world-types';
import { seedCalendlyBooking } from './seed-calendly-booking';
import { seedGhlAppointment } from './seed-ghl-appointment';

export interface DemoProviders {
  readonly ghlUrl: string;
  readonly calendlyUrl: string;
  readonly ghlPublicKeyPem: string;
  /** Per booking, its deliveries in order (create, then changes); lost ones left out. */
  readonly deliveries: readonly (readonly DemoDelivery[])[];
  readonly lostWebhooks: { readonly calendly: number; readonly ghl: number };
  readonly directGhlBookings: number;
  /** A lead books after the first reconciliation (a Calendly booking made now): its deliveries. */
  bookLater(late: DemoLateBooking, nowMs: number): readonly DemoDelivery[];
  /** Requests the simulators answered, by method (recon only ever reads: GETs only). */
  requestsByMethod(): Record<string, number>;
  close(): Promise<void>;
}

export async function startDemoProviders(world: DemoWorld, seed: number): Promise<DemoProviders> {
  // Generous simulator limits: the demo shows reconciliation, not GHL's 100 / 10 s pace.
  const ghl = new GhlSimulator({ seed, rateLimit: { maxRequests: 5_000, windowMs: 10_000 } });
  const calendly = new CalendlySimulator({ seed, rateLimit: { maxRequests: 50_000, windowMs: 60_000 } });
  const [ghlUrl, calendlyUrl] = await Promise.all([ghl.start(), calendly.start()]);
  ghl.addLocation({ locationId: DEMO_GHL.locationId, accessToken: DEMO_GHL.accessToken, timeZone: 'UTC' });
  calendly.addUser({ accessToken: DEMO_CALENDLY.accessToken, organizationUri: DEMO_CALENDLY.organizationUri });
  const signer = createGhlSigner();
  const deliveries: (readonly DemoDelivery[])[] = [];
  const lost = { calendly: 0, ghl: 0 };
  let direct = 0;
  for (const plan of world.bookings) {
    const seeded =
      plan.provider === 'calendly' ? seedCalendlyBooking(calendly, plan) : seedGhlAppointment(ghl, plan, signer);
    lost[plan.provider] += seeded.lost;
    direct += seeded.direct;
    if (seeded.deliveries.length > 0) deliveries.push(seeded.deliveries);
  }

  return {
    ghlUrl,
    calendlyUrl,
    ghlPublicKeyPem: signer.publicKeyPem,
    deliveries,
    lostWebhooks: lost,
    directGhlBookings: direct,
    bookLater(late, nowMs) {
      const seeded = seedCalendlyBooking(calendly, {
        provider: 'calendly',
        person: late.lead,
        lead: late.lead,
        startMs: late.startMs,
        createdMs: nowMs,
        createWebhookLost: late.webhookLost,
        change: null,
      });
      lost.calendly += seeded.lost;
      return seeded.deliveries;
    },
    requestsByMethod() {
      const counts: Record<string, number> = {};
      for (const r of [...ghl.server.requests, ...calendly.server.requests])
        counts[r.method] = (counts[r.method] ?? 0) + 1;
      return counts;
    },
    close: async () => {
      await Promise.all([ghl.close(), calendly.close()]);
    },
  };
}
