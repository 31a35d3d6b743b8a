/**
 * Bench support: unique signed Calendly `invitee.created` deliveries made from the shared fixture
 * (fresh invitee/event UUIDs and invitee email per delivery), and the very events the ingest path
 * appends for them, for the raw-append baseline.
 */
import { randomUUID } from 'node:crypto';
import {
  appointmentEventId,
  appointmentStreamName,
  decideAppointment,
  initialAppointmentState,
  mapCalendlyDelivery,
  parseCalendlyWebhook,
} from '@recon/domain';
import type { EventToAppend } from '@recon/eventstore';
import { fixtureBytes, signCalendly } from '../test/testing/fixtures';

const TEMPLATE = fixtureBytes('calendly/invitee-created.json').toString('utf8');
const EVENT_UUID = 'aa8e0af6-f793-4ddc-867e-7cf6ccf167f3';
const INVITEE_UUID = '5d421669-731d-4542-b1ac-da029ae56aa5';
const EMAIL = 'jordan.lead@example.com';

export interface Delivery {
  readonly body: string;
  readonly signature: string;
}

export function deliveryBody(tag: string): string {
  return TEMPLATE.replaceAll(EVENT_UUID, randomUUID())
    .replaceAll(INVITEE_UUID, randomUUID())
    .replaceAll(EMAIL, `bench-${tag}@example.com`);
}

export function signedDelivery(tag: string, key: string, tSeconds: number): Delivery {
  const body = deliveryBody(tag);
  return { body, signature: signCalendly(body, key, tSeconds) };
}

/** The stream and events the webhook path appends for this body (first sight, unmatched). */
export function eventsFor(
  body: string,
  workspaceId: string,
  observedAt: string,
): { stream: string; events: EventToAppend[] } {
  const parsed = parseCalendlyWebhook(JSON.parse(body));
  if (!parsed.ok || parsed.value.kind !== 'invitee') throw new Error('bench fixture does not parse');
  const mapped = mapCalendlyDelivery(parsed.value.delivery, { workspaceId, source: 'webhook', observedAt });
  if (!mapped.ok) throw new Error('bench fixture does not map');
  const o = mapped.value.observation;
  const events = decideAppointment(o, initialAppointmentState()).map((e) => ({
    id: appointmentEventId(e),
    type: e.type,
    data: e.data as Record<string, unknown>,
  }));
  return { stream: appointmentStreamName(workspaceId, o.provider, o.providerAppointmentId), events };
}
