/**
 * One webhook of `recon demo` as recon receives it: path, signed headers, exact body bytes, built
 * with @recon/simulators' payload builders and signed the way each provider signs.
 */
import { randomUUID } from 'node:crypto';
import {
  calendlyInviteePayload,
  ghlAppointmentPayload,
  signCalendlyBody,
  type CalendlyDemoBooking,
  type GhlDemoAppointment,
  type GhlSigner,
} from '@recon/simulators';
import { DEMO_CALENDLY } from './demo-credentials';

export interface DemoDelivery {
  readonly provider: 'calendly' | 'ghl';
  readonly path: (workspaceId: string) => string;
  readonly body: string;
  readonly headers: () => Record<string, string>;
}

export function calendlyDelivery(
  kind: 'invitee.created' | 'invitee.canceled' | 'invitee_no_show.created',
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

export function ghlDelivery(
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
