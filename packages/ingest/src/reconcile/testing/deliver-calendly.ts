/**
 * Test support: one Calendly webhook delivery over real HTTP to `POST /webhooks/calendly/:ws`,
 * shaped and signed as Calendly does (the harness's signing key), expecting 200.
 */
import { calendlyInviteePayload, signCalendlyBody, type CalendlyDemoBooking } from '@recon/simulators';
import { expect } from 'vitest';

export async function deliverCalendly(
  baseUrl: string,
  workspaceId: string,
  kind: 'invitee.created' | 'invitee.canceled',
  booking: CalendlyDemoBooking,
  atMs: number,
): Promise<void> {
  const body = JSON.stringify(calendlyInviteePayload(kind, booking, atMs));
  const res = await fetch(`${baseUrl}/webhooks/calendly/${workspaceId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'calendly-webhook-signature': signCalendlyBody(body, 'whsec-harness', Math.floor(Date.now() / 1000)),
    },
    body,
  });
  expect(res.status).toBe(200);
}
