/**
 * The provider side of `recon demo`: local GHL and Calendly simulators (from @recon/simulators)
 * seeded with the world's bookings, plus the webhook deliveries those bookings would have caused,
 * minus the lost ones (and the bookings made directly in GHL, which never send one).
 */
import { randomUUID } from 'node:crypto';
import type { ProviderTuning } from '@recon/ingest';
import {
  CalendlySimulator,
  calendlyInviteePayload,
  createGhlSigner,
  GhlSimulator,
  ghlAppointmentPayload,
  signCalendlyBody,
  type CalendlyDemoBooking,
  type GhlDemoAppointment,
  type GhlSigner,
} from '@recon/simulators';
import type { DemoWorld } from './demo-world';

export const DEMO_GHL = {
  locationId: 'DemoLoc0000000000001',
  accessToken: 'demo-ghl-access-token',
  calendarId: 'DemoCal0000000000001',
} as const;
export const DEMO_CALENDLY = {
  accessToken: 'demo-calendly-access-token',
  organizationUri: 'https://api.calendly.com/organizations/00000000-0000-4000-8000-0000000000de',
  webhookSigningKey: 'demo-calendly-webhook-signing-key',
} as const;

/** recon's client limits for the demo, matching the simulators' generous limits below. */
export const DEMO_PROVIDER_TUNING: ProviderTuning = {
  rateLimits: {
    ghl: { maxRequests: 4_000, intervalMs: 10_000 },
    calendly: { maxRequests: 40_000, intervalMs: 60_000 },
  },
};

/** One webhook as recon would receive it: path, signed headers, exact body bytes. */
export interface DemoDelivery {
  readonly provider: 'calendly' | 'ghl';
  readonly path: (workspaceId: string) => string;
  readonly body: string;
  readonly headers: () => Record<string, string>;
}

export interface DemoProviders {
  readonly ghlUrl: string;
  readonly calendlyUrl: string;
  readonly ghlPublicKeyPem: string;
  /** Per booking, its deliveries in order (create, then cancel); lost ones left out. */
  readonly deliveries: readonly (readonly DemoDelivery[])[];
  readonly lostWebhooks: { readonly calendly: number; readonly ghl: number };
  readonly directGhlBookings: number;
  /** Requests the simulators answered, by method (recon only ever reads: GETs only). */
  requestsByMethod(): Record<string, number>;
  close(): Promise<void>;
}

function calendlyDelivery(
  kind: 'invitee.created' | 'invitee.canceled',
  booking: CalendlyDemoBooking,
  atMs: number,
): DemoDelivery {
  const body = JSON.stringify(calendlyInviteePayload(kind, booking, atMs));
  return {
    provider: 'calendly',
    path: (ws) => `/webhooks/calendly/${ws}`,
    body,
    // Signed at send time: Calendly's signature carries the delivery time (180 s tolerance).
    headers: () => ({
      'calendly-webhook-signature': signCalendlyBody(
        body,
        DEMO_CALENDLY.webhookSigningKey,
        Math.floor(Date.now() / 1000),
      ),
    }),
  };
}

function ghlDelivery(
  type: 'AppointmentCreate' | 'AppointmentUpdate',
  appointment: GhlDemoAppointment,
  signer: GhlSigner,
): DemoDelivery {
  const body = JSON.stringify(ghlAppointmentPayload(type, appointment, randomUUID()));
  const signature = signer.sign(body);
  return {
    provider: 'ghl',
    path: (ws) => `/webhooks/ghl/${ws}`,
    body,
    headers: () => ({ 'x-ghl-signature': signature }),
  };
}

export async function startDemoProviders(world: DemoWorld, seed: number): Promise<DemoProviders> {
  // Generous simulator limits: the demo shows reconciliation, not GHL's 100 / 10 s pace.
  const ghl = new GhlSimulator({ seed, rateLimit: { maxRequests: 5_000, windowMs: 10_000 } });
  const calendly = new CalendlySimulator({ seed, rateLimit: { maxRequests: 50_000, windowMs: 60_000 } });
  const [ghlUrl, calendlyUrl] = await Promise.all([ghl.start(), calendly.start()]);
  ghl.addLocation({ locationId: DEMO_GHL.locationId, accessToken: DEMO_GHL.accessToken, timeZone: 'UTC' });
  calendly.addUser({ accessToken: DEMO_CALENDLY.accessToken, organizationUri: DEMO_CALENDLY.organizationUri });
  const signer = createGhlSigner();
  const deliveries: DemoDelivery[][] = [];
  const lost = { calendly: 0, ghl: 0 };
  let direct = 0;

  for (const plan of world.bookings) {
    const endMs = plan.startMs + 30 * 60_000;
    const sequence: DemoDelivery[] = [];
    if (plan.provider === 'calendly') {
      const sim = calendly.addBooking({
        organizationUri: DEMO_CALENDLY.organizationUri,
        email: plan.lead.email,
        startTime: plan.startMs,
        at: plan.createdMs,
      });
      const booking: CalendlyDemoBooking = {
        ...sim,
        email: plan.lead.email,
        startMs: plan.startMs,
        endMs,
        createdMs: plan.createdMs,
      };
      if (plan.createWebhookLost) lost.calendly += 1;
      else sequence.push(calendlyDelivery('invitee.created', booking, plan.createdMs));
      if (plan.cancel !== null) {
        calendly.cancelInvitee(sim.inviteeUri, { at: plan.cancel.atMs });
        if (plan.cancel.webhookLost) lost.calendly += 1;
        else sequence.push(calendlyDelivery('invitee.canceled', booking, plan.cancel.atMs));
      }
    } else if (plan.lead.ghlContactId !== null) {
      const appt = ghl.addAppointment({
        locationId: DEMO_GHL.locationId,
        contactId: plan.lead.ghlContactId,
        calendarId: DEMO_GHL.calendarId,
        startTime: plan.startMs,
        endTime: endMs,
        dateAdded: plan.createdMs,
      });
      const base: GhlDemoAppointment = {
        id: appt.id,
        locationId: DEMO_GHL.locationId,
        contactId: plan.lead.ghlContactId,
        calendarId: DEMO_GHL.calendarId,
        status: 'confirmed',
        startMs: plan.startMs,
        endMs,
        addedMs: plan.createdMs,
        updatedMs: plan.createdMs,
      };
      if (plan.createWebhookLost) direct += 1;
      else sequence.push(ghlDelivery('AppointmentCreate', base, signer));
      if (plan.cancel !== null) {
        ghl.updateAppointment(appt.id, { appointmentStatus: 'cancelled', at: plan.cancel.atMs });
        if (plan.cancel.webhookLost) lost.ghl += 1;
        else
          sequence.push(
            ghlDelivery('AppointmentUpdate', { ...base, status: 'cancelled', updatedMs: plan.cancel.atMs }, signer),
          );
      }
    }
    if (sequence.length > 0) deliveries.push(sequence);
  }

  return {
    ghlUrl,
    calendlyUrl,
    ghlPublicKeyPem: signer.publicKeyPem,
    deliveries,
    lostWebhooks: lost,
    directGhlBookings: direct,
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
