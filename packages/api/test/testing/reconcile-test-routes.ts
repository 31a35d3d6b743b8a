/**
 * Test support: the settings of buildApp's `reconcile` route group (`reconcileRoutes` and friends
 * from @recon/ingest: cron, check-now, backfills, unmatched appointments), as `recon start` turns
 * it on, so the route-registry tests cover those routes too. The ReconcileDeps are buildApp's
 * default (the app's own services plus one limiter registry); provider calls are refused, so no
 * test can reach a real provider.
 */
import type { ReconcileRoutesOptions } from '../../src/index';

export const CRON_SECRET = 'cron-secret-for-tests-0123456789abcdef';

const offline: typeof fetch = async () => {
  throw new Error('api tests never call a real provider');
};

export const reconcileTestOptions: ReconcileRoutesOptions = { cronSecret: CRON_SECRET, providers: { fetch: offline } };
