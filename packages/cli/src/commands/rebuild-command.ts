/**
 * `recon rebuild [projection…]`: rebuilds the named projections (default all) blue/green by
 * replaying the event store, with a progress bar on a TTY and plain lines otherwise. The live
 * read models keep serving until the switch. With the embedded database, run it while
 * `recon start` is stopped (the cluster's data directory has one owner at a time) or point
 * DATABASE_URL at the running server.
 */
import { createLogger } from '@recon/api';
import { rebuildProjections } from '@recon/projections';
import { openRuntime } from '../runtime/open-runtime';
import { resolveConfig } from '../runtime/resolve-config';
import { startWorkspaceRulesCache } from '../runtime/workspace-rules-cache';
import { createProgressReporter } from '../progress/progress-reporter';

export async function rebuildCommand(names: readonly string[]): Promise<number> {
  const config = await resolveConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${config.message}\n`);
    return 2;
  }
  const log = createLogger({ level: process.env['LOG_LEVEL'] ?? 'warn' });
  const runtime = await openRuntime(config.value, log, { longRunning: true });
  const rules = await startWorkspaceRulesCache(runtime.db);
  const progress = createProgressReporter({ label: 'rebuild', unit: 'events' });
  try {
    const result = await rebuildProjections(
      { store: runtime.store, db: runtime.db, pool: runtime.pool, rulesFor: rules.rulesFor },
      names,
      {
        onProgress: (p) =>
          progress.update({
            done: p.eventsDone,
            total: p.eventsTotal,
            perSecond: p.eventsPerSecond,
            etaSeconds: p.etaSeconds,
          }),
      },
    );
    if (result.ok) {
      const list = result.value.projections.map((p) => `${p.name} (generation ${p.generation})`).join(', ');
      progress.finish(`rebuilt ${list}: ${result.value.events} events in ${result.value.seconds.toFixed(1)} s`);
      return 0;
    }
    progress.finish();
    switch (result.code) {
      case 'PROJECTION_UNKNOWN':
        process.stderr.write(`Unknown projection "${result.projection}".\n`);
        return 2;
      case 'REBUILD_IN_PROGRESS':
        process.stderr.write(`A rebuild of ${result.projection} is already running elsewhere.\n`);
        return 1;
      case 'REBUILD_POISON_EVENT':
        process.stderr.write(
          `Rebuild of ${result.projection} failed at event ${result.eventId} (${result.eventType} in ${result.streamName}, position ${result.position}): ${result.errorCode}. The live read model is unchanged.\n`,
        );
        return 1;
      default: {
        const never: never = result;
        return never;
      }
    }
  } finally {
    rules.stop();
    await runtime.close();
  }
}
