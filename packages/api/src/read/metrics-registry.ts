/**
 * recon's Prometheus registry, on prom-client: one registry per app (never prom-client's global
 * one, so tests that build several apps do not clash), Node's default process metrics
 * (`process_cpu_user_seconds_total`, heap, event-loop lag, GC…) and recon's own counters, gauges
 * and histograms. Collectors run one after the other before each scrape (gauges read from the
 * database, the store, the projections), then the registry renders the text format.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const DEFAULT_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsRegistryOptions {
  /** Register Node's default process metrics (default true). */
  readonly defaultMetrics?: boolean;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly collectors: (() => Promise<void>)[] = [];

  constructor(options: MetricsRegistryOptions = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: readonly number[] = DEFAULT_LATENCY_BUCKETS,
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
  }

  /** Runs before each scrape, in registration order. */
  onCollect(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  /** The Prometheus text format's content type (`text/plain; version=0.0.4; charset=utf-8`). */
  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    for (const collect of this.collectors) await collect();
    return this.registry.metrics();
  }
}
