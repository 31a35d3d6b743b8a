/**
 * `recon backfill --workspace <id> [--provider <name>]… [--from ISO] [--to ISO] [--new]` (provider names from
 * ingest's registry):
 * runs the reconciliation package's resumable backfill for one workspace in this process, with a
 * progress bar (leads done/total, rate, ETA). Without `--new` it resumes the workspace's latest
 * unfinished job (a killed run continues where it stopped); Ctrl-C pauses after the current page,
 * keeping the job resumable. A finished range re-run appends nothing new.
 */
import { createLogger } from '@recon/api';
import {
  asProvider,
  findUnfinishedBackfillJob,
  providerNames,
  runBackfill,
  startBackfillJob,
  type BackfillProvider,
  type BackfillView,
} from '@recon/ingest';
import { getWorkspace } from '@recon/workspaces';
import { createProgressReporter } from '../progress/progress-reporter';
import { createReconcileDeps } from '../runtime/create-reconcile-deps';
import { openRuntime } from '../runtime/open-runtime';
import { resolveConfig } from '../runtime/resolve-config';

export interface BackfillArgs {
  readonly workspace: string | undefined;
  readonly providers: readonly string[];
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly fresh: boolean;
}

const USAGE = `Usage: recon backfill --workspace <id> [--provider ${providerNames.join('|')}]… [--from ISO] [--to ISO] [--new]\n`;

function validInstant(text: string | undefined): string | null | false {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? false : new Date(ms).toISOString();
}

function describe(view: BackfillView): string {
  const failures = Object.entries(view.failures)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `backfill ${view.id}: ${view.status}, ${view.leadsDone}/${view.leadsTotal} leads, ${view.eventsAppended} events appended${failures === '' ? '' : `, failures: ${failures}`}`;
}

export async function backfillCommand(args: BackfillArgs): Promise<number> {
  const providers = args.providers.length === 0 ? providerNames : args.providers;
  const from = validInstant(args.from);
  const to = validInstant(args.to);
  if (
    args.workspace === undefined ||
    args.workspace === '' ||
    providers.some((p) => asProvider(p) === null) ||
    from === false ||
    to === false
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = await resolveConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${config.message}\n`);
    return 2;
  }
  const log = createLogger({ level: process.env['LOG_LEVEL'] ?? 'warn' });
  const runtime = await openRuntime(config.value, log, { longRunning: true });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if ((await getWorkspace(runtime.db, args.workspace)) === null) {
      process.stderr.write(`No workspace ${args.workspace}.\n`);
      return 2;
    }
    const deps = createReconcileDeps(
      runtime,
      config.value.secrets.secretKey,
      () => new Date(),
      undefined,
      config.value.env.previousSecretKey,
      { allowPrivate: config.value.env.allowPrivateUrls },
    );
    const resumed = args.fresh ? null : await findUnfinishedBackfillJob(runtime.db, args.workspace);
    let jobId = resumed;
    if (jobId === null) {
      // One unfinished backfill per workspace (the database enforces it): --new does not start a second.
      const started = await startBackfillJob(runtime.db, {
        workspaceId: args.workspace,
        providers: providers as BackfillProvider[],
        from,
        to,
        now: new Date(),
      });
      if (!started.ok) {
        process.stderr.write(
          `backfill ${started.runningId ?? '(another)'} is still unfinished in this workspace: run without --new to resume it, or cancel it first\n`,
        );
        return 1;
      }
      jobId = started.job.id;
    }
    process.stderr.write(resumed !== null ? `resuming backfill ${jobId}\n` : `backfill ${jobId} created\n`);
    const progress = createProgressReporter({ label: 'backfill', unit: 'leads' });
    const result = await runBackfill(deps, {
      jobId,
      signal: stop.signal,
      onProgress: (v) =>
        progress.update({
          done: v.leadsDone,
          total: v.leadsTotal,
          ...(v.ratePerMinute !== null ? { perSecond: v.ratePerMinute / 60 } : {}),
          etaSeconds: v.etaSeconds,
        }),
    });
    if (!result.ok) {
      progress.finish();
      const why =
        result.code === 'BACKFILL_BUSY'
          ? 'another runner holds it (its lease expires if that runner died)'
          : result.code;
      process.stderr.write(`backfill ${jobId} not run: ${why}\n`);
      return 1;
    }
    progress.finish(
      result.paused ? `${describe(result.view)} (paused; run the same command again to resume)` : describe(result.view),
    );
    return result.view.status === 'completed' || result.paused ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await runtime.close();
  }
}
