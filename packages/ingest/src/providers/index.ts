/** Read-only provider clients (GHL, Calendly) with per-account rate limiting, timeouts and retries. */
export type { ProviderCallResult, ProviderFailure, ProviderFailureCode } from './provider-call-result';
export { isRetryableCode } from './provider-call-result';
export type { ProviderHttpOptions, RetryOptions } from './provider-http';
export {
  AccountRateLimiter,
  RateLimiterRegistry,
  GHL_RATE_LIMIT,
  CALENDLY_RATE_LIMIT,
  CALENDLY_FREE_RATE_LIMIT,
  type RateLimitOptions,
} from './provider-rate-limiter';
export { createGhlClient, GHL_BASE_URL, type GhlClient, type GhlClientOptions, type GhlCalendarEventsQuery } from './ghl-client';
export {
  createCalendlyClient,
  CALENDLY_BASE_URL,
  type CalendlyClient,
  type CalendlyClientOptions,
  type ScheduledEventsFilter,
  type Page,
} from './calendly-client';
export {
  readGhlContactObservations,
  readCalendlyObservationsByEmail,
  readCalendlyWindowObservations,
  type ObservationRead,
} from './read-provider-observations';
