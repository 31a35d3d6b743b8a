/**
 * `recon demo` against a running recon: generates the world, starts the provider simulators,
 * creates a workspace with a key and provider credentials pointed at the simulators, feeds the
 * leads and their message activity, posts the webhook traffic (signed, minus the lost
 * deliveries), runs a reconciliation over the cron route until nothing is due, then plays the
 * afternoon after (late bookings, a check-now, the CRM relabelling leads, a resolved task) and
 * summarises. Everything goes through recon's HTTP API; only the summary reads the read models
 * directly. The summary holds ids and counts only.
 */
import { countOpenTasks, getStats, type ProjectionsHandle, type WorkspaceStats } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import type { ProgressReporter } from '../progress/progress-reporter';
import { feedLeads, feedMessages } from './demo-crm-feed';
import { demoExamples, type DemoExamples } from './demo-examples';
import { runDemoLater, type LaterSummary } from './demo-later';
import { startDemoProviders, type DemoProviders } from './demo-providers';
import { generateDemoWorld } from './demo-world';
import type { DemoWorld } from './demo-world-types';
import { createDemoWorkspace } from './demo-workspace';
import { postDeliveries } from './post-deliveries';
import { runReconciliation, type ReconciliationTotals } from './run-reconciliation';

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

/** What the world holds, by story (counts). */
export interface DemoStoryCounts {
  readonly bookings: { readonly calendly: number; readonly ghl: number };
  readonly reschedules: { readonly calendly: number; readonly ghl: number };
  readonly cancellations: number;
  readonly noShows: number;
  readonly attended: number;
  readonly unmatchedBookings: number;
  readonly messages: { readonly inbound: number; readonly outbound: number };
}

export interface DemoSummary {
  readonly workspaceId: string;
  readonly operatorKey: string;
  readonly leads: number;
  readonly stories: DemoStoryCounts;
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
  readonly reconciliation: ReconciliationTotals;
  readonly later: LaterSummary;
  readonly closedMismatches: number;
  readonly redTasks: number;
  readonly examples: DemoExamples;
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

function storyCounts(world: DemoWorld, messages: DemoStoryCounts['messages']): DemoStoryCounts {
  const count = (test: (b: DemoWorld['bookings'][number]) => boolean) => world.bookings.filter(test).length;
  return {
    bookings: { calendly: count((b) => b.provider === 'calendly'), ghl: count((b) => b.provider === 'ghl') },
    reschedules: {
      calendly: count((b) => b.provider === 'calendly' && b.change?.kind === 'reschedule'),
      ghl: count((b) => b.provider === 'ghl' && b.change?.kind === 'reschedule'),
    },
    cancellations: count((b) => b.change?.kind === 'cancel'),
    noShows: count((b) => b.change?.kind === 'no_show'),
    attended: count((b) => b.change?.kind === 'showed'),
    unmatchedBookings: count((b) => b.lead === null),
    messages,
  };
}

async function countClosedMismatches(db: Kysely<unknown>, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM mismatches WHERE workspace_id = ${workspaceId} AND status <> 'open'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export async function runDemo(target: DemoTarget, options: DemoOptions): Promise<DemoRun> {
  const step = options.onStep ?? (() => undefined);
  const world = generateDemoWorld({ leads: options.leads, seed: options.seed, nowMs: Date.now() });
  let providers: DemoProviders | null = null;
  try {
    providers = await startDemoProviders(world, options.seed);
    step(`provider simulators: GHL ${providers.ghlUrl}, Calendly ${providers.calendlyUrl}`);
    const { workspaceId, operatorKey } = await createDemoWorkspace(target.url, target.adminToken, providers);
    step(`workspace ${workspaceId} with an operator key and both providers configured`);
    const crm = { url: target.url, workspaceId, operatorKey };

    await feedLeads(crm, world.leads);
    const messages = await feedMessages(crm, world.leads);
    await caughtUp(target.projections); // webhooks match leads through the identities read model
    step(
      `${world.leads.length} leads fed through POST /leads:batch, ${messages.inbound} inbound and ${messages.outbound} outbound messages through POST /leads/:leadId/messages`,
    );

    const { posted, accepted } = await postDeliveries(
      target.url,
      workspaceId,
      providers.deliveries,
      options.progress?.('webhooks'),
    );
    step(
      `${posted} signed webhooks posted (${accepted} accepted); ${providers.lostWebhooks.calendly + providers.lostWebhooks.ghl} lost, ${providers.directGhlBookings} GHL bookings made directly in GHL`,
    );
    await caughtUp(target.projections);
    const before = await getStats(target.db, workspaceId, new Date());

    const reconciliation = await runReconciliation(target.url, target.cronSecret, options.progress?.('reconcile'));
    await caughtUp(target.projections);
    step(`reconciliation: ${reconciliation.leadsChecked} leads checked in ${reconciliation.ticks} ticks`);

    const later = await runDemoLater(crm, providers, world.later);
    await caughtUp(target.projections);
    step(
      `later: ${later.lateBookings} late bookings (${later.foundByCheckNow.length} found by check-now), ${later.sentimentRelabelled} leads relabelled by the CRM, ${later.tasksResolved} task resolved`,
    );

    const after = await getStats(target.db, workspaceId, new Date());
    const summary: DemoSummary = {
      workspaceId,
      operatorKey,
      leads: world.leads.length,
      stories: storyCounts(world, messages),
      webhooks: { posted, accepted, lost: providers.lostWebhooks, directGhlBookings: providers.directGhlBookings },
      before,
      after,
      unknownBecameVerified: before.unknownLeads - after.unknownLeads,
      reconciliation,
      later,
      closedMismatches: await countClosedMismatches(target.db, workspaceId),
      redTasks: await countOpenTasks(target.db, workspaceId, { severity: 'red' }),
      examples: demoExamples(world),
      providerRequests: providers.requestsByMethod(),
    };
    const running = providers;
    return { summary, close: () => running.close() };
  } catch (error) {
    await providers?.close();
    throw error;
  }
}
