/**
 * GoHighLevel appointment webhooks as GHL would send them (for `recon demo`, fault runs and tests),
 * shaped like GHL's `AppointmentCreate` / `AppointmentUpdate` (as in ../shared/fixtures/ghl) and
 * signed with an Ed25519 key the caller generates and registers as the workspace's GHL
 * verification key (`x-ghl-signature`).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface GhlDemoAppointment {
  readonly id: string;
  readonly locationId: string;
  readonly contactId: string;
  readonly calendarId: string;
  readonly status: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly addedMs: number;
  readonly updatedMs: number;
}

/** ISO-8601 with an explicit offset (the demo location's zone is UTC), as GHL webhooks carry. */
const withOffset = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export function ghlAppointmentPayload(
  type: 'AppointmentCreate' | 'AppointmentUpdate',
  a: GhlDemoAppointment,
  webhookId: string,
): Record<string, unknown> {
  return {
    type,
    locationId: a.locationId,
    appointment: {
      id: a.id,
      address: 'https://meet.example.com/demo',
      title: 'Discovery call',
      calendarId: a.calendarId,
      contactId: a.contactId,
      groupId: 'SimGrp00000000000001',
      appointmentStatus: a.status,
      assignedUserId: 'SimUsr00000000000001',
      users: ['SimUsr00000000000001'],
      notes: '',
      source: 'booking_widget',
      startTime: withOffset(a.startMs),
      endTime: withOffset(a.endMs),
      dateAdded: withOffset(a.addedMs),
      dateUpdated: withOffset(a.updatedMs),
    },
    timestamp: new Date(a.updatedMs + 500).toISOString(),
    webhookId,
  };
}

export interface GhlSigner {
  readonly publicKeyPem: string;
  sign(body: string): string;
}

export function createGhlSigner(): GhlSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const key: KeyObject = privateKey;
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (body) => sign(null, Buffer.from(body), key).toString('base64'),
  };
}
