/**
 * Test support for the fault tests: the traffic a customer's systems send recon (lead-feed PUTs,
 * signed Calendly and GHL booking webhooks, each for a distinct lead and appointment), a client
 * that retries a refused delivery until it is accepted (as Calendly and GHL do), a record of every
 * attempt, and the event-store check "every accepted delivery is stored exactly once".
 */
import { randomUUID } from 'node:crypto';
import { appointmentStreamName, leadStreamName } from '@recon/domain';
import { waitFor } from '@recon/testkit';
import {
  calendlyInviteePayload,
  createGhlSigner,
  ghlAppointmentPayload,
  signCalendlyBody,
  type GhlSigner,
} from '@recon/simulators';
import { FAULT_GHL_LOCATION, errorCode, http, type FaultWorld, type HttpResult } from './faults-harness';

export const CALENDLY_SIGNING_KEY = 'fault-calendly-signing-key-0123456789';

export type DeliveryKind = 'lead' | 'calendly' | 'ghl';

export interface Delivery {
  readonly kind: DeliveryKind;
  readonly leadId: string;
  /** The stream its event lands in, and the event type that must be there exactly once. */
  readonly stream: string;
  readonly eventType: 'LeadRegistered' | 'AppointmentBooked';
  send(baseUrl: string): Promise<HttpResult>;
}

export interface Attempt {
  readonly delivery: Delivery;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: HttpResult;
}

export const isAccepted = (r: HttpResult) => r.status >= 200 && r.status < 300;

/** Builds the deliveries of one workspace: lead i's PUT, then its Calendly (even i) or GHL (odd i) booking. */
export class Traffic {
  readonly signer: GhlSigner = createGhlSigner();
  readonly attempts: Attempt[] = [];
  private ws = '';
  private key = '';

  constructor(private readonly tag: string) {}

  bind(ws: string, key: string): void {
    this.ws = ws;
    this.key = key;
  }

  email(i: number): string {
    return `fault.${this.tag}.${i}@faults.example`;
  }

  contactId(i: number): string {
    return `FaultCt${this.tag}${String(i).padStart(8, '0')}`.slice(0, 40);
  }

  leadId(i: number): string {
    return `lead-${this.tag}-${i}`;
  }

  /** PUT lead i (email and GHL contact id). */
  lead(i: number): Delivery {
    const leadId = this.leadId(i);
    const body = { email: this.email(i), ghlContactId: this.contactId(i) };
    return {
      kind: 'lead',
      leadId,
      stream: leadStreamName(this.ws, leadId),
      eventType: 'LeadRegistered',
      send: (url) => http(url, 'PUT', `/v1/workspaces/${this.ws}/leads/${leadId}`, { token: this.key, body }),
    };
  }

  /** Lead i's booking: Calendly `invitee.created` for even i, GHL `AppointmentCreate` for odd i. */
  booking(i: number, startMs = Date.now() + 86_400_000 * 3): Delivery {
    const nowMs = Date.now();
    if (i % 2 === 0) {
      const inviteeUri = `https://api.calendly.com/scheduled_events/${randomUUID()}/invitees/${randomUUID()}`;
      const raw = JSON.stringify(
        calendlyInviteePayload(
          'invitee.created',
          {
            eventUri: inviteeUri.replace(/\/invitees\/.*$/, ''),
            inviteeUri,
            email: this.email(i),
            startMs,
            endMs: startMs + 1_800_000,
            createdMs: nowMs,
          },
          nowMs,
        ),
      );
      return {
        kind: 'calendly',
        leadId: this.leadId(i),
        stream: appointmentStreamName(this.ws, 'calendly', inviteeUri),
        eventType: 'AppointmentBooked',
        // Signed at each attempt, as Calendly signs each retry with its own timestamp.
        send: (url) =>
          http(url, 'POST', `/webhooks/calendly/${this.ws}`, {
            raw,
            headers: {
              'calendly-webhook-signature': signCalendlyBody(raw, CALENDLY_SIGNING_KEY, Math.floor(Date.now() / 1000)),
            },
          }),
      };
    }
    const id = `FaultAp${randomUUID().replace(/-/g, '').slice(0, 13)}`;
    const raw = JSON.stringify(
      ghlAppointmentPayload(
        'AppointmentCreate',
        {
          id,
          locationId: FAULT_GHL_LOCATION,
          contactId: this.contactId(i),
          calendarId: 'FaultCal000000000001',
          status: 'confirmed',
          startMs,
          endMs: startMs + 1_800_000,
          addedMs: nowMs,
          updatedMs: nowMs,
        },
        randomUUID(),
      ),
    );
    const signature = this.signer.sign(raw);
    return {
      kind: 'ghl',
      leadId: this.leadId(i),
      stream: appointmentStreamName(this.ws, 'ghl', id),
      eventType: 'AppointmentBooked',
      send: (url) => http(url, 'POST', `/webhooks/ghl/${this.ws}`, { raw, headers: { 'x-ghl-signature': signature } }),
    };
  }

  /** GET lead i through the read API, with `?minPosition=` when given (409 STALE_READ until projected). */
  readLead(baseUrl: string, i: number, minPosition?: string): Promise<HttpResult> {
    const query = minPosition !== undefined ? `?minPosition=${encodeURIComponent(minPosition)}` : '';
    return http(baseUrl, 'GET', `/v1/workspaces/${this.ws}/leads/${this.leadId(i)}${query}`, { token: this.key });
  }

  /** Waits until lead i reads as booked through `baseUrl`'s read API. */
  async waitBooked(baseUrl: string, i: number, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const r = await this.readLead(baseUrl, i);
        return r.status === 200 && r.body['state'] === 'booked';
      },
      { timeoutMs, intervalMs: 200, description: `lead ${this.leadId(i)} booked in the read API` },
    );
  }

  /** Sends `d` once, recording the attempt. */
  async attempt(baseUrl: string, d: Delivery): Promise<HttpResult> {
    const startedAt = Date.now();
    const result = await d.send(baseUrl);
    this.attempts.push({ delivery: d, startedAt, endedAt: Date.now(), result });
    return result;
  }

  /** Sends `d` until it is accepted (2xx), `retryMs` apart, within `timeoutMs`; `baseUrls` rotate per attempt. */
  async untilAccepted(
    baseUrls: () => readonly string[],
    d: Delivery,
    options: { timeoutMs: number; retryMs?: number },
  ): Promise<HttpResult> {
    let n = 0;
    return waitFor(
      async () => {
        const urls = baseUrls();
        const r = await this.attempt(urls[n++ % urls.length]!, d);
        return isAccepted(r) ? r : null;
      },
      {
        timeoutMs: options.timeoutMs,
        intervalMs: options.retryMs ?? 250,
        description: `${d.kind} delivery for ${d.leadId} accepted`,
      },
    );
  }

  /** Deliveries with at least one accepted attempt. */
  accepted(): Delivery[] {
    return [...new Set(this.attempts.filter((a) => isAccepted(a.result)).map((a) => a.delivery))];
  }

  /** Attempts whose answer is neither 2xx nor the honest "retry later" of their kind, counted by `kind status code retry-after`. */
  dishonest(within: (a: Attempt) => boolean = () => true): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of this.attempts) {
      if (!within(a) || isAccepted(a.result) || isRetryLater(a)) continue;
      const key = `${a.delivery.kind} ${a.result.status} ${errorCode(a.result) ?? '-'} retry-after=${a.result.retryAfter ?? 'none'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }
}

/** 503 + Retry-After (429 + Retry-After + WEBHOOK_RETRY_LATER for GHL, which retries only on 429). */
export function isRetryLater(a: Attempt): boolean {
  const r = a.result;
  if (r.retryAfter === null) return false;
  if (a.delivery.kind === 'ghl') return r.status === 429 && errorCode(r) === 'WEBHOOK_RETRY_LATER';
  return r.status === 503 && ['DATABASE_UNAVAILABLE', 'EVENT_STORE_UNAVAILABLE'].includes(errorCode(r) ?? '');
}

/** For each delivery, how many of its events of its type the store holds (PostgreSQL event store). */
export async function storedCounts(world: FaultWorld, deliveries: readonly Delivery[]): Promise<Map<Delivery, number>> {
  const rows = await world.query<{ stream_name: string; event_type: string; n: string }>(
    'SELECT stream_name, event_type, count(*) AS n FROM eventstore.events WHERE stream_name = ANY($1::text[]) GROUP BY stream_name, event_type',
    [deliveries.map((d) => d.stream)],
  );
  const by = new Map(rows.map((r) => [`${r.stream_name}\u0000${r.event_type}`, Number(r.n)]));
  return new Map(deliveries.map((d) => [d, by.get(`${d.stream}\u0000${d.eventType}`) ?? 0]));
}

/** The deliveries that are not stored exactly once, as `kind lead: count` lines (empty when all are). */
export async function notStoredOnce(world: FaultWorld, deliveries: readonly Delivery[]): Promise<string[]> {
  const counts = await storedCounts(world, deliveries);
  return [...counts].filter(([, n]) => n !== 1).map(([d, n]) => `${d.kind} ${d.leadId}: ${n}`);
}
