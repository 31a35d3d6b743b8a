/**
 * `GET /healthz` (the process is up) and `GET /readyz` (database and event store reachable,
 * projections running where this process runs them), public like every probe. Registered by the
 * composition root only where @recon/api does not serve these routes itself, so either side can
 * own them without a duplicate-route crash.
 */
import type { EventStore } from '@recon/eventstore';
import type { ProjectionsHandle } from '@recon/projections';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';

export interface HealthDeps {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly store: EventStore;
  readonly projections: () => ProjectionsHandle | null;
  readonly roles: readonly string[];
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: HealthDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    if (!app.hasRoute({ method: 'GET', url: '/healthz' })) {
      app.get('/healthz', { config: { auth: 'public' } }, async () => ({ status: 'ok', roles: deps.roles }));
    }
    if (app.hasRoute({ method: 'GET', url: '/readyz' })) return;
    app.get('/readyz', { config: { auth: 'public' } }, async (_request, reply) => {
      const [database, eventStore] = await Promise.all([
        probe(() => sql`SELECT 1`.execute(deps.db), 2_000),
        probe(() => deps.store.headPosition(), 2_000),
      ]);
      const handle = deps.projections();
      let projections: { name: string; runningHere: boolean; caughtUp: boolean; lagEvents: number }[] | null = null;
      if (handle !== null && database) {
        const status = await handle.status().catch(() => null);
        projections = status?.map((s) => ({ name: s.name, runningHere: s.runningHere, caughtUp: s.caughtUp, lagEvents: s.lagEvents })) ?? null;
      }
      const ready = database && eventStore && (handle === null || projections !== null);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', database, eventStore, projections });
    });
  };
}
