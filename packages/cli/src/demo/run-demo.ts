/**
 * `recon demo` against a running recon: generates the world, starts the provider simulators,
 * creates a workspace with a key and provider credentials pointed at the simulators, feeds the
 * leads, posts the webhook traffic (signed, minus the lost deliveries), runs a reconciliation over
 * the cron route until nothing is due, and summarises what reconciliation changed. Everything goes
 * through recon's HTTP API; only the summary reads the read models directly.
 */
import { countOpenTasks, getStats, type ProjectionsHandle, type WorkspaceStats } from '@recon/projections';
import type { Kysely } from 'kysely';
import type { ProgressReporter } from '../progress/progress-reporter';
import { demoCall, demoRequest, inParallel } from './demo-http';
import { DEMO_CALENDLY, DEMO_GHL, startDemoProviders, type DemoProviders } from './demo-providers';
import { generateDemoWorld } from './demo-world';

export interface DemoTarget {
  readonly url: string;
  readonly adminToken: string;
  readonly cronSecret: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly projections: ProjectionsHandle;
}

export interface DemoOptions {
  readonly leads: number;
  readonly seed: number;
  readonly onStep?: (step: string) => void;
  readonly progress?: (label: string) => ProgressReporter;
}

export interface DemoSummary {
  readonly workspaceId: string;
  readonly operatorKey: string;
  readonly leads: number;
  readonly webhooks: {
    readonly posted: number;
    readonly accepted: number;
    readonly lost: { readonly calendly: number; readonly ghl: number };
    readonly directGhlBookings: number;
  };
  readonly before: WorkspaceStats;
  readonly after: WorkspaceStats;
  /** Unknown leads before reconciliation minus after: leads that now have verified evidence. */
  readonly unknownBecameVerified: number;
  readonly reconciliation: {
    readonly leadsChecked: number;
    readonly eventsAppended: number;
    readonly failures: number;
    readonly ticks: number;
    readonly seconds: number;
  };
  readonly redTasks: number;
  readonly providerRequests: Record<string, number>;
}

export interface DemoRun {
  readonly summary: DemoSummary;
  /** Stops the simulators. */
  close(): Promise<void>;
}

async function caughtUp(projections: ProjectionsHandle): Promise<void> {
  const r = await projections.waitUntilCaughtUp(undefined, { timeoutMs: 120_000 });
  if (!r.ok) throw new Error(`projections did not catch up: ${r.code}`);
}

export async function runDemo(target: DemoTarget, options: DemoOptions): Promise<DemoRun> {
  const step = options.onStep ?? (() => undefined);
  const world = generateDemoWorld({ leads: options.leads, seed: options.seed, nowMs: Date.now() });
  let providers: DemoProviders | null = null;
  try {
    providers = await startDemoProviders(world, options.seed);
    step(`provider simulators: GHL ${providers.ghlUrl}, Calendly ${providers.calendlyUrl}`);
    const admin = { token: target.adminToken };
    const ws = await demoCall(`${target.url}/v1/workspaces`, 'POST', [201], {
      ...admin,
      body: { name: `Demo ${new Date().toISOString().slice(0, 16)}` },
    });
    const workspaceId = String(ws['id']);
    const key = await demoCall(`${target.url}/v1/workspaces/${workspaceId}/api-keys`, 'POST', [201], {
      ...admin,
      body: { label: 'demo operator' },
    });
    const operatorKey = String(key['key']);
    const op = { token: operatorKey };
    await demoCall(`${target.url}/v1/workspaces/${workspaceId}/providers/ghl`, 'PUT', [200, 201], {
      ...admin,
      body: {
        accessToken: DEMO_GHL.accessToken,
        locationId: DEMO_GHL.locationId,
        apiBaseUrl: providers.ghlUrl,
        webhookVerification: { ed25519PublicKey: providers.ghlPublicKeyPem },
      },
    });
    await demoCall(`${target.url}/v1/workspaces/${workspaceId}/providers/calendly`, 'PUT', [200, 201], {
      ...admin,
      body: {
        accessToken: DEMO_CALENDLY.accessToken,
        organizationUri: DEMO_CALENDLY.organizationUri,
        webhookSigningKey: DEMO_CALENDLY.webhookSigningKey,
        apiBaseUrl: providers.calendlyUrl,
      },
    });
    step(`workspace ${workspaceId} with an operator key and both providers configured`);

    const classifiedAt = new Date(Date.now() - 3_600_000).toISOString();
    for (let i = 0; i < world.leads.length; i += 1000) {
      const leads = world.leads.slice(i, i + 1000).map((l) => ({
        leadId: l.leadId,
        email: l.email,
        ...(l.ghlContactId !== null ? { ghlContactId: l.ghlContactId } : {}),
        ...(l.sentiment !== null ? { sentiment: { label: l.sentiment, classifiedAt } } : {}),
      }));
      await demoCall(`${target.url}/v1/workspaces/${workspaceId}/leads:batch`, 'POST', [200, 207], {
        ...op,
        body: { leads },
      });
    }
    await caughtUp(target.projections); // webhooks match leads through the identities read model
    step(`${world.leads.length} leads fed through POST /leads:batch`);

    let posted = 0;
    let accepted = 0;
    const webhookBar = options.progress?.('webhooks');
    const total = providers.deliveries.reduce((n, d) => n + d.length, 0);
    await inParallel(providers.deliveries, 8, async (sequence) => {
      for (const d of sequence) {
        const r = await demoRequest(`${target.url}${d.path(workspaceId)}`, 'POST', {
          raw: d.body,
          headers: d.headers(),
        });
        posted += 1;
        if (r.status >= 200 && r.status < 300) accepted += 1;
        webhookBar?.update({ done: posted, total });
      }
    });
    webhookBar?.finish();
    step(
      `${posted} signed webhooks posted (${accepted} accepted); ${providers.lostWebhooks.calendly + providers.lostWebhooks.ghl} lost, ${providers.directGhlBookings} GHL bookings made directly in GHL`,
    );
    await caughtUp(target.projections);
    const before = await getStats(target.db, workspaceId, new Date());

    const started = Date.now();
    const totals = { leadsChecked: 0, eventsAppended: 0, failures: 0, ticks: 0 };
    const reconcileBar = options.progress?.('reconcile');
    for (;;) {
      const tick = await demoCall(`${target.url}/v1/cron/reconcile`, 'POST', [200], {
        token: target.cronSecret,
        body: { maxLeads: 1000, timeBudgetMs: 60_000 },
      });
      totals.ticks += 1;
      totals.leadsChecked += Number(tick['leadsChecked'] ?? 0);
      totals.eventsAppended += Number(tick['eventsAppended'] ?? 0);
      totals.failures += Number(tick['failures'] ?? 0);
      const remaining = Number(tick['remaining'] ?? 0);
      reconcileBar?.update({ done: totals.leadsChecked, total: totals.leadsChecked + remaining });
      if (remaining === 0 || totals.ticks >= 100 || Number(tick['leadsChecked'] ?? 0) === 0) break;
    }
    reconcileBar?.finish();
    await caughtUp(target.projections);
    const after = await getStats(target.db, workspaceId, new Date());
    const summary: DemoSummary = {
      workspaceId,
      operatorKey,
      leads: world.leads.length,
      webhooks: { posted, accepted, lost: providers.lostWebhooks, directGhlBookings: providers.directGhlBookings },
      before,
      after,
      unknownBecameVerified: before.unknownLeads - after.unknownLeads,
      reconciliation: { ...totals, seconds: (Date.now() - started) / 1000 },
      redTasks: await countOpenTasks(target.db, workspaceId, { severity: 'red' }),
      providerRequests: providers.requestsByMethod(),
    };
    const running = providers;
    return { summary, close: () => running.close() };
  } catch (error) {
    await providers?.close();
    throw error;
  }
}
