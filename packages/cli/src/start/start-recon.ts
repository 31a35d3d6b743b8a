/**
 * The composition root of `recon start`: storage (embedded or given PostgreSQL, migrations, event
 * store), then per role the projections, the scheduler and the HTTP app, and one `stop()` that
 * shuts them down in the safe order: stop accepting HTTP and finish in-flight requests, let the
 * scheduler finish its tick, let the projections finish their batch and save their checkpoint,
 * then close the event store and the database and stop the embedded cluster.
 */
import { buildApp, createReconMetrics, type ReconApp } from '@recon/api';
import {
  startScheduler,
  type ProviderTuning,
  type ReconcileDeps,
  type ReconcileRoutesDeps,
  type SchedulerHandle,
} from '@recon/ingest';
import { notificationOutbox, startNotificationWorker, type NotificationWorker } from '@recon/notifications';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { createRateLimitedLog, describeFailure } from '@recon/resilience';
import type { Logger } from 'pino';
import { createReconcileDeps } from '../runtime/create-reconcile-deps';
import { openRuntime, type Runtime } from '../runtime/open-runtime';
import type { CliConfig } from '../runtime/resolve-config';
import { routeGroupsFor, servesHttp, type Role } from '../runtime/roles';
import { startRetention, type RetentionHandle } from './retention-loop';
import { retentionTasksFor } from './retention-tasks';
import { startWorkspaceRulesCache, type WorkspaceRulesCache } from '../runtime/workspace-rules-cache';

export interface StartOptions {
  readonly roles: ReadonlySet<Role>;
  readonly clock?: () => Date;
  /** Scheduler tick interval override (ms); default the scheduler's own. */
  readonly schedulerIntervalMs?: number;
  /** Provider client tuning (rate limits, timeouts); default the providers' documented limits. */
  readonly providers?: ProviderTuning;
  /** Tick settings of the cron route (lead concurrency…); default the reconciler's. */
  readonly cronTick?: ReconcileRoutesDeps['tick'];
}

export interface RunningRecon {
  readonly runtime: Runtime;
  /** Base URL when this process serves HTTP, else null. */
  readonly url: string | null;
  readonly app: ReconApp | null;
  readonly projections: ProjectionsHandle | null;
  readonly reconcileDeps: ReconcileDeps;
  /** The retention loop of this process's roles (RECON_RETENTION_DAYS; null when off). */
  readonly retention: RetentionHandle | null;
  /** Graceful stop; idempotent. */
  stop(): Promise<void>;
}

export async function startRecon(config: CliConfig, log: Logger, options: StartOptions): Promise<RunningRecon> {
  const clock = options.clock ?? (() => new Date());
  const roles = [...options.roles];
  const runtime = await openRuntime(config, log);
  let rules: WorkspaceRulesCache | null = null;
  let projections: ProjectionsHandle | null = null;
  let scheduler: SchedulerHandle | null = null;
  let notifier: NotificationWorker | null = null;
  let app: ReconApp | null = null;
  let retention: RetentionHandle | null = null;

  // RECON_ALLOW_PRIVATE_URLS: one policy for provider clients, notification delivery and the save routes.
  const outboundPolicy = { allowPrivate: config.env.allowPrivateUrls };
  if (outboundPolicy.allowPrivate)
    log.warn(
      { allowPrivateUrls: true },
      'RECON_ALLOW_PRIVATE_URLS is on: provider and notify URLs may use http and private, loopback and metadata addresses (simulators, demo, tests only; never in production)',
    );
  // Why a provider call failed (ECONNREFUSED, TIMEOUT, OUTBOUND_ADDRESS_BLOCKED…): logged here, never an outcome.
  const providerFailures = createRateLimitedLog(log.child({ part: 'providers' }));
  // One registry for the process's /metrics: the scheduler's, cron's and backfills' provider calls count there too.
  const metrics = servesHttp(options.roles) ? createReconMetrics() : undefined;
  const reconcileDeps: ReconcileDeps = createReconcileDeps(
    runtime,
    config.secrets.secretKey,
    clock,
    {
      ...options.providers,
      onFailure: ({ code, detail }) =>
        providerFailures.failure(`${code}:${detail}`, { code, detail }, 'provider call failed', 'warn'),
    },
    config.env.previousSecretKey,
    outboundPolicy,
    metrics?.ingest,
  );

  const stopParts = async () => {
    if (app !== null) {
      await app.close();
      log.info('http stopped (in-flight requests finished)');
    }
    if (scheduler !== null) {
      await scheduler.stop();
      log.info('scheduler stopped');
    }
    if (notifier !== null) {
      await notifier.stop();
      log.info('notification worker stopped (deliveries in flight finished)');
    }
    if (projections !== null) {
      await projections.stop();
      log.info('projections stopped (checkpoints saved)');
    }
    await retention?.stop();
    rules?.stop();
    await runtime.close();
    log.info({ embedded: runtime.embedded !== null }, 'storage closed');
  };

  try {
    const failures = createRateLimitedLog(log);
    rules = await startWorkspaceRulesCache(runtime.db, {
      onError: (error) =>
        failures.failure(
          'WORKSPACE_RULES_REFRESH_FAILED',
          { cause: describeFailure(error) },
          'workspace rules refresh failed',
          'warn',
        ),
    });
    if (options.roles.has('projections')) {
      projections = startProjections({
        store: runtime.store,
        db: runtime.db,
        clock,
        log: log.child({ part: 'projections' }),
        rulesFor: rules.rulesFor,
        // The outbox rows are written in the same transaction as the read-model batch.
        sideEffects: [notificationOutbox()],
      });
      log.info('projections started');
    }
    if (options.roles.has('scheduler')) {
      const schedulerLog = log.child({ part: 'scheduler' });
      scheduler = startScheduler(reconcileDeps, {
        backfillLog: schedulerLog,
        ...(options.schedulerIntervalMs !== undefined ? { everyMs: options.schedulerIntervalMs } : {}),
        onTick: (s) => {
          failures.recovered('RECONCILE_TICK_FAILED', { part: 'scheduler' }, 'reconcile ticks work again');
          if (s.leadsChecked > 0 || s.failures > 0) schedulerLog.info({ ...s }, 'reconcile tick');
        },
        // A database outage fails every tick: logged once per interval with a count, never fatal.
        onError: (error) =>
          failures.failure(
            'RECONCILE_TICK_FAILED',
            { part: 'scheduler', cause: describeFailure(error) },
            'reconcile tick failed',
          ),
      });
      log.info('scheduler started');
      // Outbound notifications are background work like the ticks; several workers are safe.
      notifier = startNotificationWorker({
        db: runtime.db,
        secretKey: config.secrets.secretKey,
        previousSecretKey: config.env.previousSecretKey,
        outboundPolicy,
        clock,
        log: log.child({ part: 'notifications' }),
      });
      log.info('notification worker started');
    }
    const retentionTasks = retentionTasksFor(options.roles, runtime.db);
    if (config.env.retentionDays > 0 && retentionTasks.length > 0) {
      retention = startRetention({
        tasks: retentionTasks,
        days: config.env.retentionDays,
        clock,
        log: log.child({ part: 'retention' }),
      });
      log.info({ days: config.env.retentionDays, tasks: retentionTasks.map((t) => t.name) }, 'retention started');
    }
    let url: string | null = null;
    if (servesHttp(options.roles)) {
      app = await buildApp({
        db: runtime.db,
        store: runtime.store,
        streamKeys: runtime.streamKeys,
        log: log.child({ part: 'http' }),
        clock,
        leadLookup: reconcileDeps.leadLookup,
        runners: () => projections?.runners() ?? new Map(),
        longTransactionSeconds: config.env.longTransactionSeconds,
        ...(metrics !== undefined ? { metrics } : {}),
        config: {
          adminToken: config.secrets.adminToken,
          secretKey: config.secrets.secretKey,
          previousSecretKey: config.env.previousSecretKey,
          backfillMaxDays: config.env.backfillMaxDays,
          allowPrivateUrls: config.env.allowPrivateUrls,
          // Timeouts, rate limits, the /metrics token, trusted proxies (RECON_* variables, see the README).
          ...config.env.http,
        },
        routes: routeGroupsFor(options.roles),
        // One limiter registry with the scheduler: check-now, backfills and ticks pace a provider together.
        reconcile: {
          deps: reconcileDeps,
          cronSecret: config.secrets.cronSecret,
          ...(options.cronTick !== undefined ? { tick: options.cronTick } : {}),
        },
        notifications: { onRedeliver: () => notifier?.kick() },
      });
      url = await app.listen({ port: config.env.port, host: config.env.host });
      log.info({ url, roles }, 'http listening');
    }
    let stopping: Promise<void> | undefined;
    return {
      runtime,
      url,
      app,
      projections,
      reconcileDeps,
      retention,
      stop: () => (stopping ??= stopParts()),
    };
  } catch (error) {
    await stopParts().catch(() => undefined);
    throw error;
  }
}
