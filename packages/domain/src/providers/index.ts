/**
 * Providers, domain side: the names (declared once), the registry and its entry type, what every
 * provider's mapping takes and returns, and each provider folder's own curated front door (one
 * line per provider).
 */
export { PROVIDER_NAMES, Provider, isProvider } from './provider-name';
export type { DomainProvider, WebhookObservation } from './domain-provider';
export { DOMAIN_PROVIDERS, domainProvider, domainProviders } from './provider-registry';
export type { ProviderResult } from './provider-parse-result';
export { zoneOffsetMs } from './provider-time';
export type { MappedObservation, ObservationContext } from './observation-context';
export * from './ghl/index';
export * from './calendly/index';
export * from './calcom/index';
