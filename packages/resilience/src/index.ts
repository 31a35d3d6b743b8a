/** @recon/resilience: how recon survives its connections failing. */
export { abortableDelay } from './abortable-delay';
export { backoffDelayMs, type BackoffPolicy } from './backoff';
export { describeFailure, isDatabaseUnavailable, unavailableDependency } from './connection-failure';
export {
  clientConfigFor,
  createDatabasePool,
  DEFAULT_CONNECTION_SETTINGS,
  type DatabaseConnectionSettings,
  type DatabasePoolOptions,
} from './database-pool';
export { createRateLimitedLog, type FailureLogSink, type RateLimitedLog } from './rate-limited-log';
