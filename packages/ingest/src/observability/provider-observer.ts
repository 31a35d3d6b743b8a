/** One provider's view of the ingest metrics, in the shape the provider HTTP path reports to. */
import type { Provider } from '@recon/domain';
import type { ProviderHttpObserver } from '../providers/provider-http';
import type { IngestMetrics } from './ingest-metrics';

/** The observer of `provider`'s calls, or undefined when nothing counts them. */
export function providerObserver(
  metrics: IngestMetrics | undefined,
  provider: Provider,
): ProviderHttpObserver | undefined {
  if (metrics === undefined) return undefined;
  return {
    exchange: (exchange) => metrics.providerExchange(provider, exchange),
    queued: (seconds) => metrics.providerQueued(provider, seconds),
    call: (result) => metrics.providerCall(provider, result),
  };
}
