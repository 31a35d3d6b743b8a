/**
 * Probes and metrics (public, no PII): /healthz (the process answers), /readyz (database and
 * event store reachable, every projection has a live generation and is not falling behind), and
 * /metrics (Prometheus text through prom-client: Node's default process metrics plus HTTP latency,
 * event-store head, projection lag and position, dead letters, refused booking tokens, backfills,
 * the notification outbox; webhooks and provider calls are counted as they happen, see
 * metrics-ingest.ts). Every metric is listed in docs/observability.md. A
 * projection counts as running when its runner holds its advisory lock and it is not falling behind.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ALL_PROJECTIONS, projectionStatus } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { oldestTransaction } from '../ops/oldest-transaction';
import { HealthResponse, MetricsText, NOT_READY_EXAMPLE, READY_EXAMPLE, ReadinessResponse } from '../ops/ops-schemas';
import { checkReadiness, within } from '../ops/readiness';
import { installBackfillMetrics } from './metrics-backfill';
import { installDeliveryMetrics } from './metrics-deliveries';
import { installOutboxMetrics } from './metrics-outbox';
import type { MetricsRegistry } from './metrics-registry';

/** Installs the global HTTP latency hook and the probe routes (call on the root instance). */
export async function installOps(app: FastifyInstance, services: AppServices): Promise<MetricsRegistry> {
  const registry = services.metrics.registry;
  const latency = registry.histogram(
    'recon_http_request_duration_seconds',
    'HTTP request latency by route, method and status class',
    ['method', 'route', 'status'],
  );
  const headPosition = registry.gauge(
    'recon_event_store_head_position',
    'Global position of the last appended event (PostgreSQL store: grows by one per appended event)',
  );
  const storeUp = registry.gauge('recon_event_store_up', '1 when the event store answered the last scrape');
  const lagEvents = registry.gauge('recon_projection_lag_events', 'Unapplied events per projection (capped scan)', [
    'projection',
  ]);
  const lagSeconds = registry.gauge(
    'recon_projection_lag_seconds',
    'Age of the oldest unapplied event per projection',
    ['projection'],
  );
  const position = registry.gauge(
    'recon_projection_position',
    "Checkpoint of each projection's live generation, as the event store's global position (compare with recon_event_store_head_position)",
    ['projection'],
  );
  const applied = registry.gauge(
    'recon_projection_events_applied',
    'Events applied by the live generation of each projection',
    ['projection'],
  );
  const deadLetters = registry.gauge(
    'recon_projection_dead_letters',
    'Dead-lettered events per projection and status',
    ['projection', 'status'],
  );
  const databaseUp = registry.gauge('recon_database_up', '1 when PostgreSQL answered the last scrape');
  const oldestTx = registry.gauge(
    'recon_oldest_transaction_age_seconds',
    'Age of the oldest open transaction holding a transaction id on the PostgreSQL server, by database (it holds back the event store fence)',
    ['database'],
  );
  const runnerFailing = registry.gauge(
    'recon_projection_runner_failing',
    '1 while a projection runner in this process retries a failure, by projection and code',
    ['projection', 'code'],
  );
  const runnerFailures = registry.gauge(
    'recon_projection_runner_consecutive_failures',
    'Failures since the projection runner in this process last made progress',
    ['projection'],
  );
  const tokensRefused = registry.counter(
    'recon_booking_tokens_refused_total',
    'Booking tokens (utm_content / utm_term) ignored for matching because unsigned or wrongly signed, by provider and reason',
    ['provider', 'reason'],
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe(
      { method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });

  const db = services.db as unknown as Kysely<unknown>;
  registry.onCollect(async () => {
    tokensRefused.reset();
    for (const r of services.bookingTokens.refusals())
      tokensRefused.inc({ provider: r.provider, reason: r.reason }, r.count);
    const up = await within(sql`SELECT 1`.execute(db));
    databaseUp.set(up.ok ? 1 : 0);
    const oldest = up.ok ? await within(oldestTransaction(db)) : { ok: false as const };
    oldestTx.reset();
    if (oldest.ok && oldest.value !== null) oldestTx.set({ database: oldest.value.database }, oldest.value.ageSeconds);
    runnerFailing.reset();
    runnerFailures.reset();
    for (const [projection, state] of services.runners()) {
      runnerFailures.set({ projection }, state.consecutiveFailures);
      if (state.failing !== null) runnerFailing.set({ projection, code: state.failing.code }, 1);
    }
    const head = await within(services.store.headPosition());
    storeUp.set(head.ok ? 1 : 0);
    const tail = head.ok ? /(\d+)$/.exec(head.value) : null;
    if (tail?.[1] !== undefined) headPosition.set(Number(tail[1]));
    const status = await within(projectionStatus(db, services.store, services.clock, ALL_PROJECTIONS));
    if (!status.ok) return;
    for (const s of status.value) {
      lagEvents.set({ projection: s.name }, s.lagEvents);
      lagSeconds.set({ projection: s.name }, s.lagSeconds);
      applied.set({ projection: s.name }, s.eventsApplied);
      const checkpoint = s.position === null ? null : /(\d+)$/.exec(s.position);
      if (checkpoint?.[1] !== undefined) position.set({ projection: s.name }, Number(checkpoint[1]));
      deadLetters.set({ projection: s.name, status: 'retrying' }, s.deadLetters.retrying);
      deadLetters.set({ projection: s.name, status: 'skipped' }, s.deadLetters.skipped);
    }
  });

  installBackfillMetrics(registry, db);
  installOutboxMetrics(registry, db);
  installDeliveryMetrics(registry, db, services.clock);

  const opsRoutes: FastifyPluginAsync = async (ops) => {
    ops.get(
      '/healthz',
      { schema: { summary: 'Liveness: the process answers', tags: ['ops'], response: { 200: HealthResponse } } },
      async () => ({ status: 'ok' }),
    );

    ops.get(
      '/readyz',
      {
        schema: {
          summary: 'Readiness: database, event store and projections, with the reasons when not ready',
          tags: ['ops'],
          response: {
            200: ReadinessResponse.meta({ examples: [READY_EXAMPLE] }),
            503: ReadinessResponse.meta({ examples: [NOT_READY_EXAMPLE] }),
          },
        },
      },
      async (_request, reply) => {
        const report = await checkReadiness(services);
        if (!report.ready) reply.header('retry-after', '5');
        return reply.code(report.ready ? 200 : 503).send(report.body);
      },
    );

    ops.get(
      '/metrics',
      {
        schema: {
          summary: 'Prometheus metrics (Bearer RECON_METRICS_TOKEN when set)',
          tags: ['ops'],
          produces: ['text/plain'],
          response: { 200: MetricsText },
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.render()),
    );
  };
  await app.register(opsRoutes);
  return registry;
}
