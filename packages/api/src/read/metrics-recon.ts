/**
 * One process's recon metrics before there is an app: the registry /metrics renders and the
 * IngestMetrics that count webhooks and provider calls into it. `recon start` makes it first, hands
 * `ingest` to the ReconcileDeps its scheduler, cron and backfills share, and the whole of it to
 * buildApp (BuildAppDeps.metrics), so every provider call of the process shows on its /metrics.
 * buildApp makes its own when none is given (tests). The scrape-time families (HTTP, store,
 * projections, backfills, outbox) are added by installOps.
 */
import type { IngestMetrics } from '@recon/ingest';
import { createIngestMetrics } from './metrics-ingest';
import { MetricsRegistry, type MetricsRegistryOptions } from './metrics-registry';

export interface ReconMetrics {
  readonly registry: MetricsRegistry;
  readonly ingest: IngestMetrics;
}

export function createReconMetrics(options: MetricsRegistryOptions = {}): ReconMetrics {
  const registry = new MetricsRegistry(options);
  return { registry, ingest: createIngestMetrics(registry) };
}
