/**
 * Test support for the projections' integration tests: a fresh database per file (event store and
 * projections migrated, cloned from a template), a PostgreSQL event store on it, a kysely handle,
 * and a small scenario builder that decides appointment events with the domain decider.
 */
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
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateProjections, type ProjectionsDatabase } from '../src/index';

export interface TestContext {
  readonly fresh: FreshDatabase;
  readonly db: Kysely<ProjectionsDatabase>;
  readonly store: EventStore;
  close(): Promise<void>;
}

export function kyselyFor(url: string, max = 10): Kysely<ProjectionsDatabase> {
  const pool = new pg.Pool({ connectionString: url, max });
  // The harness terminates leftover sessions of the template after migrating: not an error here.
  pool.on('error', () => undefined);
  return new Kysely<ProjectionsDatabase>({ dialect: new PostgresDialect({ pool }) });
}

async function migrateAll(url: string): Promise<void> {
  await migrateEventStore(url);
  const db = kyselyFor(url, 2);
  try {
    await migrateProjections(db as Kysely<unknown>);
  } finally {
    await db.destroy();
  }
}

export async function setupDatabase(name: string): Promise<TestContext> {
  const fresh = await freshDatabase({ name, migrate: migrateAll });
  const db = kyselyFor(fresh.url);
  const store = createPostgresEventStore({ connectionString: fresh.url, batchSize: 200, pollIntervalMs: 200 });
  return {
    fresh,
    db,
    store,
    async close() {
      await store.close();
      await db.destroy();
      await fresh.drop();
    },
  };
}

export function streamOf(event: ReconEvent): string {
  if (event.type.startsWith('Appointment')) {
    const d = (event as AppointmentEvent).data;
    return appointmentStreamName(d.workspaceId, d.provider, d.providerAppointmentId);
  }
  const d = (event as LeadEvent).data;
  return leadStreamName(d.workspaceId, d.leadId);
}

/** Appends events one by one in the given order (ids deterministic); returns the last position. */
export async function appendAll(store: EventStore, events: readonly (ReconEvent & { matchKeys?: unknown })[]): Promise<Position> {
  let last: Position | null = null;
  for (const e of events) {
    const data = { ...(e.data as Record<string, unknown>) };
    if (e.matchKeys !== undefined) data['matchKeys'] = e.matchKeys;
    const r = await store.append(streamOf(e), [{ id: reconEventId(e), type: e.type, data }], { expectedRevision: 'any' });
    if (!r.ok) throw new Error(`append failed: ${r.code}`);
    last = r.position;
  }
  return last ?? (await store.headPosition());
}

export const T0 = '2030-06-01T10:00:00.000Z';

export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

/** Decides observations per appointment stream, keeping each stream's state like ingest would. */
export class Scenario {
  private readonly states = new Map<string, AppointmentState>();
  constructor(readonly workspaceId: string) {}

  observe(o: Partial<ObserveProviderAppointment> & { providerAppointmentId: string }): AppointmentEvent[] {
    const cmd: ObserveProviderAppointment = {
      type: 'ObserveProviderAppointment',
      workspaceId: this.workspaceId,
      leadId: null,
      provider: 'ghl',
      calendlyEventUri: null,
      status: 'scheduled',
      startAt: '2030-06-18T15:00:00.000Z',
      endAt: '2030-06-18T15:30:00.000Z',
      providerUpdatedAt: null,
      rescheduledFrom: null,
      rescheduledTo: null,
      canceledBy: null,
      deleted: false,
      source: 'webhook',
      observedAt: T0,
      ...o,
    };
    const key = `${cmd.provider}|${cmd.providerAppointmentId}`;
    const state = this.states.get(key) ?? appointmentStateFromEvents([]);
    const events = decideAppointment(cmd, state);
    this.states.set(key, events.reduce(evolveAppointment, state));
    return events;
  }

  registered(leadId: string, contact: { emailHash?: string | null; alternateEmailHashes?: string[]; ghlContactId?: string | null } = {}, registeredAt = T0): LeadEvent {
    return {
      type: 'LeadRegistered',
      data: {
        workspaceId: this.workspaceId,
        leadId,
        emailHash: contact.emailHash ?? null,
        alternateEmailHashes: contact.alternateEmailHashes ?? [],
        ghlContactId: contact.ghlContactId ?? null,
        registeredAt,
      },
    };
  }

  sentiment(leadId: string, label: string, classifiedAt = T0): LeadEvent {
    return { type: 'LeadSentimentClassified', data: { workspaceId: this.workspaceId, leadId, label, classifiedAt } };
  }

  checked(leadId: string, provider: 'ghl' | 'calendly', outcome: { kind: 'none' } | { kind: 'found'; count: number } | { kind: 'failed'; code: string }, checkedAt = T0): LeadEvent {
    return { type: 'LeadProviderChecked', data: { workspaceId: this.workspaceId, leadId, provider, outcome, checkedAt } };
  }

  resolved(leadId: string, taskId: string, resolvedAt = T0, note: string | null = null): LeadEvent {
    return { type: 'FollowUpTaskResolved', data: { workspaceId: this.workspaceId, leadId, taskId, resolvedBy: 'admin', note, resolvedAt } };
  }
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);
