/**
 * Test support: reconciliation's HTTP (`reconcileRoutes` from @recon/ingest: cron, check-now,
 * backfills, unmatched appointments), registered through buildApp's `plugins` as `recon start`
 * does (packages/cli start-recon.ts), so the route-registry tests cover those routes too. The
 * ReconcileDeps are the app's own services (what the CLI's createReconcileDeps builds from the
 * same secret key and stores) plus one limiter registry; provider calls are refused, so no test
 * can reach a real provider.
 */
import { reconcileRoutes, RateLimiterRegistry } from '@recon/ingest';
import type { FastifyPluginAsync } from 'fastify';
import { sendError, type AppServices } from '../../src/index';

export const CRON_SECRET = 'cron-secret-for-tests-0123456789abcdef';

const offline: typeof fetch = async () => {
  throw new Error('api tests never call a real provider');
};

export const reconcileTestRoutes: FastifyPluginAsync<AppServices> = async (app, services) => {
  await app.register(
    reconcileRoutes({
      reconcile: { ...services, limiters: new RateLimiterRegistry(), providers: { fetch: offline } },
      sendError,
      cronSecret: CRON_SECRET,
    }),
  );
};
