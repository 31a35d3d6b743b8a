/**
 * `recon demo [--leads N] [--seed N] [--exit]`: recon plus local provider simulators, a generated
 * workspace, message activity, webhook traffic (reschedules on both providers, cancellations,
 * no-shows, attended meetings, bookings by people who are no lead, lost deliveries), a
 * reconciliation and the afternoon after; prints the operator page URL, the keys and a summary
 * (ids and counts only: never a demo person's address or name), then keeps running for a look
 * around until SIGINT/SIGTERM (or stops at once with `--exit`). Its data lives in RECON_DATA_DIR
 * when given, else `./.recon-demo`, so a demo never mixes with a real installation's data. The
 * keys printed are the demo's own.
 */
import { createLogger } from '@recon/api';
import { DEMO_PROVIDER_TUNING } from '../demo/demo-credentials';
import { MIN_DEMO_LEADS } from '../demo/demo-showcase';
import { runDemo, type DemoSummary } from '../demo/run-demo';
import { createProgressReporter } from '../progress/progress-reporter';
import { resolveConfig } from '../runtime/resolve-config';
import { startRecon } from '../start/start-recon';

export interface DemoArgs {
  readonly leads: string | undefined;
  readonly seed: string | undefined;
  readonly exit: boolean;
}

function boundedInt(text: string | undefined, fallback: number, min: number, max: number): number | null {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function formatDemoSummary(s: DemoSummary, url: string, adminToken: string): string {
  const kinds = Object.entries(s.after.openMismatchesByKind);
  const states = counts(s.after.leadsByState);
  const st = s.stories;
  const examples = Object.entries(s.examples).filter(([, id]) => id !== null);
  return [
    '',
    `recon demo is running at ${url}`,
    `  operator page:  ${url}/   (sign in with the operator key)`,
    `  API reference:  ${url}/docs`,
    `  admin token:    ${adminToken}`,
    `  operator key:   ${s.operatorKey}   (workspace ${s.workspaceId})`,
    '',
    `  ${s.leads} leads; ${s.webhooks.posted} signed webhooks posted (${s.webhooks.accepted} accepted), ${s.webhooks.lost.calendly + s.webhooks.lost.ghl} lost in transit, ${s.webhooks.directGhlBookings} bookings made directly in GHL`,
    `  reconciliation: ${s.reconciliation.leadsChecked} leads checked in ${s.reconciliation.seconds.toFixed(1)} s (${s.reconciliation.ticks} ticks), ${s.reconciliation.eventsAppended} events appended, ${s.reconciliation.failures} failures`,
    `  at the providers: ${st.bookings.calendly} Calendly bookings, ${st.bookings.ghl} GHL; reschedules Calendly ${st.reschedules.calendly}, GHL ${st.reschedules.ghl}; ${st.cancellations} canceled, ${st.noShows} no-shows, ${st.attended} attended, ${st.unmatchedBookings} by people who are no lead`,
    `  messages: ${st.messages.inbound} inbound, ${st.messages.outbound} outbound`,
    `  unknown leads: ${s.before.unknownLeads} before → ${s.after.unknownLeads} after: ${s.unknownBecameVerified} became verified`,
    `  later: ${s.later.lateBookings} late bookings (${s.later.foundByCheckNow.length} found by check-now), ${s.later.sentimentRelabelled} leads relabelled "Meeting Booked" by the CRM, ${s.later.tasksResolved} task resolved`,
    `  leads by state: ${states}`,
    `  open mismatches: ${kinds.length === 0 ? 'none' : counts(s.after.openMismatchesByKind)}; ${s.closedMismatches} closed`,
    `  red review tasks (canceled/rescheduled meetings): ${s.redTasks}; unmatched bookings: ${s.after.unmatchedBookings}`,
    `  provider requests (read-only): ${counts(s.providerRequests) || 'none'}`,
    '',
    '  leads to open on the page (#/leads/<id>):',
    ...examples.map(([story, id]) => `    ${story}: ${id}`),
    '',
  ].join('\n');
}

export async function demoCommand(args: DemoArgs): Promise<number> {
  const leads = boundedInt(args.leads, 2_000, MIN_DEMO_LEADS, 100_000);
  const seed = boundedInt(args.seed, 42, 1, 2 ** 31);
  if (leads === null || seed === null) {
    process.stderr.write(`Usage: recon demo [--leads ${MIN_DEMO_LEADS}..100000] [--seed N] [--exit]\n`);
    return 2;
  }
  const env = {
    ...process.env,
    RECON_DATA_DIR: process.env['RECON_DATA_DIR'] ?? './.recon-demo',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    // The demo's provider simulators and receiver listen on http://127.0.0.1 (recon logs a warning).
    RECON_ALLOW_PRIVATE_URLS: '1',
    // The demo's CRM replays two weeks of leads and messages within a minute: past the default
    // 3,000 requests per minute of one key at 2,000 leads (0 = off, unless given).
    RECON_RATE_LIMIT_API_MAX: process.env['RECON_RATE_LIMIT_API_MAX'] ?? '0',
  };
  const config = await resolveConfig(env);
  if (!config.ok) {
    process.stderr.write(`${config.message}\n`);
    return 2;
  }
  const log = createLogger({ level: config.value.env.logLevel });
  const say = (line: string) => process.stderr.write(`demo: ${line}\n`);
  say(`starting recon (data in ${config.value.dataDir}) …`);
  const recon = await startRecon(config.value, log, {
    roles: new Set(['api', 'ingest', 'projections']),
    providers: DEMO_PROVIDER_TUNING,
    cronTick: { leadConcurrency: 16 },
  });
  let closeProviders: (() => Promise<void>) | null = null;
  try {
    if (recon.url === null || recon.projections === null) throw new Error('demo needs the api and projections roles');
    const run = await runDemo(
      {
        url: recon.url,
        adminToken: config.value.secrets.adminToken,
        cronSecret: config.value.secrets.cronSecret,
        db: recon.runtime.db,
        projections: recon.projections,
      },
      {
        leads,
        seed,
        onStep: say,
        progress: (label) => createProgressReporter({ label, unit: label === 'webhooks' ? 'webhooks' : 'leads' }),
      },
    );
    closeProviders = run.close;
    process.stdout.write(formatDemoSummary(run.summary, recon.url, config.value.secrets.adminToken));
    if (!args.exit) {
      say('press Ctrl-C to stop');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
    return 0;
  } catch (error) {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await closeProviders?.();
    await recon.stop();
  }
}
