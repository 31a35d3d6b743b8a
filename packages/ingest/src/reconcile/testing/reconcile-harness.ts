/**
 * Test and bench support for reconciliation: a fresh database with every schema ingest touches,
 * the PostgreSQL event store, the GHL and Calendly simulators on real ports, and helpers to make
 * a workspace with both providers pointed at the simulators and to register leads through the
 * real lead feed. Provider limits are small and configurable so rate-limit behaviour is fast.
 */
import { createPostgresEventStore, type EventStore, type Position, type RecordedEvent } from '@recon/eventstore';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import {
  createEmailHasher,
  createSecretBox,
  createWorkspace,
  putWorkspaceSettings,
  type WorkspaceSettingsInput,
  type WorkspacesDatabase,
} from '@recon/workspaces';
import type { Lookup, OutboundPolicy } from '@recon/outbound';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { applyLeadUpdate } from '../../leads/apply-lead-update';
import type { LeadInput } from '../../leads/lead-input';
import { configureProvider } from '../../providers/provider-credentials';
import { RateLimiterRegistry, type RateLimitOptions } from '../../providers/provider-rate-limiter';
import { CalendlySimulator } from '@recon/simulators';
import { GhlSimulator } from '@recon/simulators';
import type { GhlSimulatorProcess, SimRateLimit } from '@recon/simulators';
import type { ReconcileDeps } from '../reconcile-deps';
import { testSchemas } from '../../testing/test-schemas';
import { createBookingTokenGate } from '../../webhooks/booking-token-gate';
import { scanLeadLookup } from './scan-lead-lookup';
import { projectionsLeadLookup } from '../../webhooks/projections-lead-lookup';
import type { ProjectionsDatabase } from '@recon/projections';

export const HARNESS_SECRET_KEY = 'reconcile-harness-secret-key-0123456789abcdef';

export interface HarnessOptions {
  readonly name: string;
  /** Use this database instead of a fresh one (bench, child processes). */
  readonly databaseUrl?: string;
  readonly ghlSimLimit?: Partial<SimRateLimit>;
  readonly calendlySimLimit?: Partial<SimRateLimit>;
  /** The clients' own pacing; default: exactly the simulators' limits. */
  readonly ghlClientLimit?: RateLimitOptions;
  readonly calendlyClientLimit?: RateLimitOptions;
  readonly clock?: () => Date;
  readonly poolSize?: number;
  /** Provider request timeout (default 5 s). */
  readonly requestTimeoutMs?: number;
  /** Start no simulators (a child process pointed at a parent's simulators). */
  readonly simulators?: boolean;
  /**
   * GHL answered by a simulator in its own process (benches): workspaces' locations are added
   * there and their GHL base URL is its URL; the in-process GHL simulator is not started.
   */
  readonly ghlProcess?: GhlSimulatorProcess;
  /**
   * Where linked appointments and email matches are looked up: `scan` (default) folds them from the
   * event store (exact without projections); `projections` is the production lookup over the
   * projections' tables (benches: its cost is one indexed query; nothing projects into them here).
   */
  readonly leadLookup?: 'scan' | 'projections';
  /**
   * The provider clients' outbound policy. Default: private addresses allowed, explicitly — the
   * simulators listen on http://127.0.0.1 (RECON_ALLOW_PRIVATE_URLS=1's meaning).
   */
  readonly outboundPolicy?: OutboundPolicy;
  /** Name resolution of the guarded fetch (a test resolver). */
  readonly lookup?: Lookup;
  /** Largest provider response read, bytes. */
  readonly maxResponseBytes?: number;
}

export interface Harness {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly deps: ReconcileDeps;
  readonly ghl: GhlSimulator;
  readonly calendly: CalendlySimulator;
  readonly url: string;
  createWorkspace(input: {
    name: string;
    ghl?: boolean;
    calendly?: boolean;
    settings?: WorkspaceSettingsInput;
    ghlBaseUrl?: string;
    calendlyBaseUrl?: string;
  }): Promise<{ id: string; locationId: string; organizationUri: string }>;
  putLead(workspaceId: string, leadId: string, input: LeadInput): Promise<void>;
  events(filter?: (e: RecordedEvent) => boolean): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

/**
 * Every committed event, straight from the PostgreSQL table. The store's `readAll` shows only what
 * is older than every transaction still running in the whole cluster (its gap-free guarantee), so
 * on a busy shared server it can trail what a test has just appended; assertions want what is
 * committed. Global order as the store's (transaction id, position).
 */
async function committedEvents(pool: pg.Pool): Promise<RecordedEvent[]> {
  const { rows } = await pool.query<{
    transaction_id: string;
    position: string;
    stream_name: string;
    revision: string;
    event_id: string;
    event_type: string;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    recorded_at: Date;
  }>(
    'SELECT transaction_id::text, position::text, stream_name, revision::text, event_id::text, event_type, data, metadata, recorded_at FROM eventstore.events ORDER BY transaction_id, position',
  );
  return rows.map((r) => ({
    id: r.event_id,
    type: r.event_type,
    streamName: r.stream_name,
    revision: BigInt(r.revision),
    position: `${r.transaction_id}:${r.position}` as Position,
    data: r.data,
    metadata: r.metadata,
    recordedAt: r.recorded_at,
  }));
}

async function configured(result: ReturnType<typeof configureProvider>): Promise<void> {
  const r = await result;
  if (!r.ok) throw new Error(`provider not configured: ${r.issues.join(', ')}`);
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  let database: FreshDatabase | null = null;
  let url = options.databaseUrl;
  if (url === undefined) {
    database = await freshDatabase({ name: options.name, schemas: testSchemas });
    url = database.url;
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // The test database is dropped WITH FORCE at teardown: idle clients then emit 'error'.
  pool.on('error', () => undefined);
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool }) });
  const store = createPostgresEventStore({ pool });
  const ghlLimit = { maxRequests: 100, windowMs: 10_000, ...options.ghlSimLimit };
  const calLimit = { maxRequests: 500, windowMs: 60_000, ...options.calendlySimLimit };
  const ghl = new GhlSimulator({ rateLimit: ghlLimit });
  const calendly = new CalendlySimulator({ rateLimit: calLimit });
  if (options.simulators !== false)
    await Promise.all([options.ghlProcess === undefined ? ghl.start() : null, calendly.start()]);
  const clock = options.clock ?? (() => new Date());
  const secretBox = createSecretBox(HARNESS_SECRET_KEY);
  const hashEmail = createEmailHasher(HARNESS_SECRET_KEY);
  const limiters = new RateLimiterRegistry();
  const deps: ReconcileDeps = {
    db,
    store,
    secretBox,
    hashEmail,
    clock,
    limiters,
    leadLookup:
      options.leadLookup === 'projections'
        ? projectionsLeadLookup(db as unknown as Kysely<ProjectionsDatabase>, store)
        : scanLeadLookup(store),
    outboundPolicy: options.outboundPolicy ?? { allowPrivate: true },
    bookingTokens: createBookingTokenGate(HARNESS_SECRET_KEY),
    providers: {
      rateLimits: {
        ghl: options.ghlClientLimit ?? { maxRequests: ghlLimit.maxRequests, intervalMs: ghlLimit.windowMs },
        calendly: options.calendlyClientLimit ?? { maxRequests: calLimit.maxRequests, intervalMs: calLimit.windowMs },
      },
      timeoutMs: options.requestTimeoutMs ?? 5_000,
      retry: { baseDelayMs: 20, maxDelayMs: 500 },
      ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
      ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    },
  };
  let counter = 0;
  return {
    db,
    pool,
    store,
    deps,
    ghl,
    calendly,
    url,
    async createWorkspace(input) {
      const ws = await createWorkspace(db, { name: input.name, now: clock() });
      const n = ++counter;
      const locationId = `loc-${ws.id.slice(0, 8)}-${n}`;
      const organizationUri = `https://api.calendly.com/organizations/org-${ws.id.slice(0, 8)}-${n}`;
      if (input.ghl !== false) {
        const accessToken = `ghl-token-${ws.id}`;
        const location = { locationId, accessToken, timeZone: 'America/Chicago' };
        if (options.ghlProcess) await options.ghlProcess.addLocations([location]);
        else ghl.addLocation(location);
        await configured(
          configureProvider(db, secretBox, {
            workspaceId: ws.id,
            provider: 'ghl',
            now: clock(),
            credentials: {
              accessToken,
              locationId,
              apiBaseUrl: input.ghlBaseUrl ?? options.ghlProcess?.url ?? ghl.server.url,
            },
          }),
        );
      }
      if (input.calendly !== false) {
        const accessToken = `cal-token-${ws.id}`;
        calendly.addUser({ accessToken, organizationUri });
        await configured(
          configureProvider(db, secretBox, {
            workspaceId: ws.id,
            provider: 'calendly',
            now: clock(),
            credentials: {
              accessToken,
              organizationUri,
              webhookSigningKey: 'whsec-harness',
              apiBaseUrl: input.calendlyBaseUrl ?? calendly.server.url,
            },
          }),
        );
      }
      if (input.settings)
        await putWorkspaceSettings(db, secretBox, { workspaceId: ws.id, settings: input.settings, now: clock() });
      return { id: ws.id, locationId, organizationUri };
    },
    async putLead(workspaceId, leadId, input) {
      const r = await applyLeadUpdate({ db, store, hashEmail, clock }, { workspaceId, leadId }, input);
      if (!r.ok) throw new Error(`lead not written: ${r.code}`);
    },
    async events(filter) {
      const all = await committedEvents(pool);
      return filter ? all.filter(filter) : all;
    },
    async close() {
      await limiters.stopAll();
      await Promise.all([ghl.close(), calendly.close()]);
      await store.close();
      await db.destroy();
      await database?.drop();
    },
  };
}
