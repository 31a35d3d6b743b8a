/**
 * Webhook deliveries on /metrics, read at scrape time (ingest's getDeliveryCounts over every
 * workspace, each with its own grace period): facts by provider and outcome. No workspace ids:
 * label values are provider names and the four outcomes only.
 */
import { getDeliveryCounts } from '@recon/ingest';
import type { Kysely } from 'kysely';
import { within } from '../ops/readiness';
import type { MetricsRegistry } from './metrics-registry';

const OUTCOMES = ['received', 'lost', 'recovered', 'pending'] as const;

export function installDeliveryMetrics(registry: MetricsRegistry, db: Kysely<unknown>, clock: () => Date): void {
  const deliveries = registry.gauge(
    'recon_deliveries',
    'Provider facts (bookings, cancellations, reschedules) by how their webhook fared: received, lost, recovered (polled first), pending (within the grace period)',
    ['provider', 'outcome'],
  );
  registry.onCollect(async () => {
    const read = await within(getDeliveryCounts(db, { workspaceId: null, now: clock() }));
    deliveries.reset();
    if (!read.ok) return;
    for (const [provider, counts] of Object.entries(read.value))
      for (const outcome of OUTCOMES) deliveries.set({ provider, outcome }, counts[outcome]);
  });
}
