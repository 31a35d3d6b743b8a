/**
 * recon's Prometheus registry, on prom-client: recon's own counters, gauges and histograms in one
 * registry per app (never prom-client's global one, so tests that build several apps do not clash),
 * rendered after Node's default process metrics (`process_cpu_user_seconds_total`, heap, event-loop
 * lag, GC…). Those describe the process, not an app, and registering them starts an event-loop
 * monitor and a GC observer that are never stopped, so they live in one registry per process.
 * Collectors run one after the other before each scrape (gauges read from the database, the store,
 * the projections), then the registries render the text format.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const DEFAULT_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsRegistryOptions {
  /** Include Node's default process metrics (default true). */
  readonly defaultMetrics?: boolean;
}

let processMetrics: Registry | undefined;

/** Node's default process metrics, registered once per process on first use. */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly collectors: (() => Promise<void>)[] = [];
  private readonly process: Registry | null;

  constructor(options: MetricsRegistryOptions = {}) {
    this.process = (options.defaultMetrics ?? true) ? processRegistry() : null;
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
    const own = await this.registry.metrics();
    return this.process === null ? own : `${await this.process.metrics()}${own}`;
  }
}
