/**
 * Test support for the notifications package: a fresh database (event store, projections,
 * workspaces and outbox migrated, cloned from a template), a workspace whose notifyUrl points at
 * a local receiver, a scenario builder that decides appointment events with the domain decider,
 * and the receiver itself (node:http on 127.0.0.1) that verifies signatures independently and
 * dedupes by idempotency id, as a CRM would.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  appointmentStateFromEvents,
  appointmentStreamName,
  decideAppointment,
  evolveAppointment,
  leadStreamName,
  reconEventId,
  type AppointmentEvent,
  type AppointmentState,
  type LeadEvent,
  type ObserveProviderAppointment,
  type ReconEvent,
} from '@recon/domain';
import { createPostgresEventStore, migrateEventStore, type EventStore, type Position } from '@recon/eventstore';
import { migrateProjections } from '@recon/projections';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { createSecretBox, createWorkspace, migrateWorkspaces, putWorkspaceSettings, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateNotifications, type NotificationsDatabase } from '../src/index';

export const SECRET_KEY = 'secret-key-for-notification-tests-0123456789';
export const NOTIFY_SECRET = 'notify-secret-for-tests-0123456789';

export function kyselyFor(url: string, max = 10): Kysely<WorkspacesDatabase> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool }) });
}

export async function migrateAll(url: string): Promise<void> {
  await migrateEventStore(url);
  const db = kyselyFor(url, 2) as unknown as Kysely<unknown>;
  try {
    await migrateProjections(db);
    await migrateWorkspaces(db);
    await migrateNotifications(db);
  } finally {
    await db.destroy();
  }
}

export interface TestContext {
  readonly fresh: FreshDatabase;
  readonly db: Kysely<WorkspacesDatabase>;
  /** The same connection pool, typed for the outbox. */
  readonly outbox: Kysely<NotificationsDatabase>;
  readonly store: EventStore;
  close(): Promise<void>;
}

export async function setupDatabase(name: string): Promise<TestContext> {
  const fresh = await freshDatabase({ name, migrate: migrateAll, templateKey: 'eventstore+projections+workspaces+notifications-v1' });
  const db = kyselyFor(fresh.url);
  const store = createPostgresEventStore({ connectionString: fresh.url, batchSize: 200, pollIntervalMs: 100 });
  return {
    fresh,
    db,
    outbox: db as unknown as Kysely<NotificationsDatabase>,
    store,
    async close() {
      await store.close();
      await db.destroy();
      await fresh.drop();
    },
  };
}

/** A workspace whose notifications go to `notifyUrl` (null: notifications not configured). */
export async function workspaceNotifyingTo(db: Kysely<WorkspacesDatabase>, notifyUrl: string | null): Promise<string> {
  const ws = await createWorkspace(db, { name: 'notifications test', now: new Date() });
  if (notifyUrl !== null) {
    await putWorkspaceSettings(db, createSecretBox(SECRET_KEY), { workspaceId: ws.id, settings: { notifyUrl, notifySecret: NOTIFY_SECRET }, now: new Date() });
  }
  return ws.id;
}

function streamOf(event: ReconEvent): string {
  if (event.type.startsWith('Appointment')) {
    const d = (event as AppointmentEvent).data;
    return appointmentStreamName(d.workspaceId, d.provider, d.providerAppointmentId);
  }
  const d = (event as LeadEvent).data;
  return leadStreamName(d.workspaceId, d.leadId);
}

export async function appendAll(store: EventStore, events: readonly ReconEvent[]): Promise<Position> {
  let last: Position | null = null;
  for (const e of events) {
    const r = await store.append(streamOf(e), [{ id: reconEventId(e), type: e.type, data: { ...(e.data as Record<string, unknown>) } }], { expectedRevision: 'any' });
    if (!r.ok) throw new Error(`append failed: ${r.code}`);
    last = r.position;
  }
  return last ?? (await store.headPosition());
}

/** Recent times, so cancellations open review tasks (they only do for recent meetings). */
export function at(minutesFromNow: number): string {
  return new Date(Date.now() + minutesFromNow * 60_000).toISOString();
}

export class Scenario {
  private readonly states = new Map<string, AppointmentState>();
  /** Default times per appointment, fixed at its first observation: a later one moves nothing unless it says so. */
  private readonly times = new Map<string, { startAt: string; endAt: string }>();
  constructor(readonly workspaceId: string) {}

  registered(leadId: string): LeadEvent {
    return { type: 'LeadRegistered', data: { workspaceId: this.workspaceId, leadId, emailHash: null, alternateEmailHashes: [], ghlContactId: null, registeredAt: at(-60) } };
  }

  observe(o: Partial<ObserveProviderAppointment> & { providerAppointmentId: string; leadId: string }): AppointmentEvent[] {
    const timesKey = `${o.provider ?? 'ghl'}|${o.providerAppointmentId}`;
    const times = this.times.get(timesKey) ?? { startAt: at(24 * 60), endAt: at(24 * 60 + 30) };
    this.times.set(timesKey, times);
    const cmd: ObserveProviderAppointment = {
      type: 'ObserveProviderAppointment',
      workspaceId: this.workspaceId,
      provider: 'ghl',
      calendlyEventUri: null,
      status: 'scheduled',
      ...times,
      providerUpdatedAt: null,
      rescheduledFrom: null,
      rescheduledTo: null,
      canceledBy: null,
      deleted: false,
      source: 'webhook',
      observedAt: at(0),
      ...o,
    };
    const key = `${cmd.provider}|${cmd.providerAppointmentId}`;
    const state = this.states.get(key) ?? appointmentStateFromEvents([]);
    const events = decideAppointment(cmd, state);
    this.states.set(key, events.reduce(evolveAppointment, state));
    return events;
  }

  /** Booked, then canceled: booking-state, gate and task notifications. */
  bookThenCancel(leadId: string, appointmentId: string, minute: number): ReconEvent[] {
    return [
      ...this.observe({ providerAppointmentId: appointmentId, leadId, providerUpdatedAt: at(minute) }),
      ...this.observe({ providerAppointmentId: appointmentId, leadId, status: 'canceled', providerUpdatedAt: at(minute + 1), observedAt: at(minute + 1) }),
    ];
  }
}

export interface ReceivedRequest {
  readonly id: string;
  readonly body: string;
  readonly signatureValid: boolean;
  readonly status: number;
  readonly leadId: string;
  readonly type: string;
}

/** A status to answer; `hang`: never answer; `accept-then-hang`: take it (as a CRM that stored it) but never answer. */
export type ReceiverBehaviour = (request: { id: string; attempt: number; leadId: string }) => number | 'hang' | 'accept-then-hang';

export interface Receiver {
  readonly url: string;
  /** Every request in arrival order (failed answers included). */
  readonly requests: ReceivedRequest[];
  /** Notifications accepted, deduped by idempotency id, in acceptance order. */
  readonly accepted: Map<string, ReceivedRequest>;
  /** How many times an already accepted id came again (a redelivery the receiver dropped). */
  duplicates: number;
  behaviour: ReceiverBehaviour;
  close(): Promise<void>;
}

function signatureValid(header: string | undefined, body: string, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (m === null) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2] ?? '', 'hex')) && Math.abs(Date.now() / 1000 - Number(m[1])) <= 180;
}

export async function startReceiver(secret = NOTIFY_SECRET, behaviour: ReceiverBehaviour = () => 200): Promise<Receiver> {
  const attempts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = { url: '', requests: [], accepted: new Map(), duplicates: 0, behaviour, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['recon-idempotency-id'] ?? '');
      const parsed = JSON.parse(body) as { leadId: string; type: string; id: string };
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const valid = signatureValid(req.headers['recon-signature'] as string | undefined, body, secret) && parsed.id === id;
      const decided = valid ? receiver.behaviour({ id, attempt, leadId: parsed.leadId }) : 401;
      const status = decided === 'hang' ? 0 : decided === 'accept-then-hang' ? 200 : decided;
      const entry = { id, body, signatureValid: valid, status, leadId: parsed.leadId, type: parsed.type };
      receiver.requests.push(entry);
      if (status >= 200 && status < 300) {
        if (receiver.accepted.has(id)) receiver.duplicates += 1;
        else receiver.accepted.set(id, entry);
      }
      if (decided === 'hang' || decided === 'accept-then-hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks/recon`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
