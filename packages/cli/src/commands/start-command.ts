/**
 * `recon start [--role api,ingest,projections,scheduler]`: resolves the configuration, starts
 * everything, and stops gracefully on SIGTERM/SIGINT (exit code 0 once every part has stopped; a
 * second signal, or a stop that overruns RECON_SHUTDOWN_TIMEOUT_MS (default 30 s), exits 1).
 */
import { createLogger } from '@recon/api';
import { parseRoles } from '../runtime/roles';
import { resolveConfig } from '../runtime/resolve-config';
import { startRecon } from '../start/start-recon';
import { announceSecrets } from './announce-secrets';

export async function startCommand(args: { readonly role?: string | undefined }): Promise<number> {
  const roles = parseRoles(args.role);
  if (!roles.ok) {
    process.stderr.write(
      `Unknown role "${roles.role}"; roles are api, ingest, projections, scheduler (comma-separated).\n`,
    );
    return 2;
  }
  const config = await resolveConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${config.message}\n`);
    return 2;
  }
  const log = createLogger({ level: config.value.env.logLevel });
  announceSecrets(config.value.secrets, log);
  let recon;
  try {
    recon = await startRecon(config.value, log, { roles: roles.value });
  } catch (error) {
    log.fatal({ err: error }, 'recon failed to start');
    return 1;
  }
  log.info({ url: recon.url, roles: [...roles.value], eventStore: recon.runtime.eventStoreKind }, 'recon started');
  const timeoutMs = Number(process.env['RECON_SHUTDOWN_TIMEOUT_MS'] ?? 30_000);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting without waiting');
        resolve(1);
        return;
      }
      stopping = true;
      log.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        log.error({ timeoutMs }, 'shutdown overran its deadline');
        resolve(1);
      }, timeoutMs);
      timer.unref();
      recon.stop().then(
        () => {
          clearTimeout(timer);
          log.info('recon stopped');
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          log.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
