/** Provider modules (one folder per provider, one registry), and the generic client plumbing they share. */
export type { ProviderCallResult, ProviderFailure, ProviderFailureCode } from './provider-call-result';
export { isRetryableCode } from './provider-call-result';
export type { ProviderHttpOptions, RetryOptions } from './provider-http';
export { AccountRateLimiter, RateLimiterRegistry, type RateLimitOptions } from './provider-rate-limiter';
export {
  defineProvider,
  type ProviderModule,
  type ProviderConnection,
  type ProviderCredentialsSpec,
  type ProviderRateLimitSpec,
  type ProviderWebhookSpec,
  type ClientHttpOptions,
  type LeadFacts,
  type StoredCredentials,
  type WebhookRequest,
  type WindowScanInput,
  type WindowScanResult,
} from './provider-module';
export { providerModules, providerNames, providerModule, asProvider } from './registry';
export { loadProviderCredentials, configureProvider } from './provider-credentials';
export { GHL_RATE_LIMIT } from './ghl/ghl-rate-limit';
export { CALENDLY_RATE_LIMIT, CALENDLY_FREE_RATE_LIMIT } from './calendly/calendly-rate-limit';
export { GhlCredentialsInput, GhlWebhookVerification, GHL_API_BASE_URL, type GhlCredentials } from './ghl/ghl-credentials';
export { CalendlyCredentialsInput, CALENDLY_API_BASE_URL, type CalendlyCredentials } from './calendly/calendly-credentials';
export { createGhlClient, type GhlClient, type GhlClientOptions, type GhlCalendarEventsQuery } from './ghl/ghl-client';
export {
  createCalendlyClient,
  type CalendlyClient,
  type CalendlyClientOptions,
  type ScheduledEventsFilter,
  type Page,
} from './calendly/calendly-client';
export type { ObservationRead } from './observation-read';
export { readGhlContactObservations } from './ghl/read-ghl-observations';
export { readCalendlyObservationsByEmail, readCalendlyWindowObservations } from './calendly/read-calendly-observations';
