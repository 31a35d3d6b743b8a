/**
 * Probes and metrics (public, no PII): /healthz (the process answers), /readyz (database and
 * event store reachable, every projection has a live generation and is not falling behind), and
 * /metrics (Prometheus text: HTTP latency, event-store head, projection lag, dead letters). A
 * projection counts as running when its runner holds its advisory lock and it is not falling behind.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ALL_PROJECTIONS, projectionStatus, type ProjectionStatus } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { MetricsRegistry } from './metrics-registry';

/** A projection whose oldest unapplied event is older than this is reported as not running. */
export const READY_MAX_LAG_SECONDS = 60;
const PROBE_TIMEOUT_MS = 2_000;

async function within<T>(work: Promise<T>, ms = PROBE_TIMEOUT_MS): Promise<{ ok: true; value: T } | { ok: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ ok: true as const, value })), timeout]);
  } catch {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Which projections have a live runner somewhere in the cluster: each runner holds the session
 * advisory lock (hashtext('recon.projection'), hashtext(name)) on this database while it runs.
 */
async function runnerLocksHeld(db: Kysely<unknown>): Promise<Set<string>> {
  const names = ALL_PROJECTIONS.map((p) => p.name);
  const { rows } = await sql<{ name: string }>`
    SELECT n.name FROM unnest(${names}::text[]) AS n(name)
    WHERE EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = hashtext('recon.projection')::oid AND l.objid = hashtext(n.name)::oid)`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/** Installs the global HTTP latency hook and the probe routes (call on the root instance). */
export async function installOps(app: FastifyInstance, services: AppServices): Promise<MetricsRegistry> {
  const registry = new MetricsRegistry();
  const latency = registry.histogram('recon_http_request_duration_seconds', 'HTTP request latency by route, method and status class');
  const headPosition = registry.gauge('recon_event_store_head_position', 'Global position of the last appended event (PostgreSQL store: grows by one per appended event)');
  const storeUp = registry.gauge('recon_event_store_up', '1 when the event store answered the last scrape');
  const lagEvents = registry.gauge('recon_projection_lag_events', 'Unapplied events per projection (capped scan)');
  const lagSeconds = registry.gauge('recon_projection_lag_seconds', 'Age of the oldest unapplied event per projection');
  const applied = registry.gauge('recon_projection_events_applied', 'Events applied by the live generation of each projection');
  const deadLetters = registry.gauge('recon_projection_dead_letters', 'Dead-lettered events per projection and status');

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });

  const db = services.db as unknown as Kysely<unknown>;
  registry.onCollect(async () => {
    const head = await within(services.store.headPosition());
    storeUp.set({}, head.ok ? 1 : 0);
    const tail = head.ok ? /(\d+)$/.exec(head.value) : null;
    if (tail?.[1] !== undefined) headPosition.set({}, Number(tail[1]));
    const status = await within(projectionStatus(db, services.store, services.clock, ALL_PROJECTIONS));
    if (!status.ok) return;
    for (const s of status.value) {
      lagEvents.set({ projection: s.name }, s.lagEvents);
      lagSeconds.set({ projection: s.name }, s.lagSeconds);
      applied.set({ projection: s.name }, s.eventsApplied);
      deadLetters.set({ projection: s.name, status: 'retrying' }, s.deadLetters.retrying);
      deadLetters.set({ projection: s.name, status: 'skipped' }, s.deadLetters.skipped);
    }
  });

  const opsRoutes: FastifyPluginAsync = async (ops) => {
    ops.get('/healthz', { schema: { summary: 'Liveness: the process answers', tags: ['ops'] } }, async () => ({ status: 'ok' }));

    ops.get('/readyz', { schema: { summary: 'Readiness: database, event store and projections', tags: ['ops'] } }, async (_request, reply) => {
      const [database, store, status] = await Promise.all([
        within(sql`SELECT 1`.execute(db)),
        within(services.store.headPosition()),
        within(projectionStatus(db, services.store, services.clock, ALL_PROJECTIONS)),
      ]);
      const held = await within(runnerLocksHeld(db));
      const projections = status.ok
        ? status.value.map((s: ProjectionStatus) => ({
            name: s.name,
            live: s.generation !== null,
            runner: held.ok && held.value.has(s.name),
            lagSeconds: s.lagSeconds,
            running: s.generation !== null && held.ok && held.value.has(s.name) && s.lagSeconds <= READY_MAX_LAG_SECONDS,
          }))
        : [];
      const ready = database.ok && store.ok && status.ok && projections.every((p) => p.running);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database: database.ok, eventStore: store.ok, projections } });
    });

    ops.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['ops'] } }, async (_request, reply) =>
      reply.type('text/plain; version=0.0.4; charset=utf-8').send(await registry.render()),
    );
  };
  await app.register(opsRoutes);
  return registry;
}
