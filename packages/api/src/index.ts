/**
 * @recon/api: recon's HTTP surface. `buildApp(deps)` builds the Fastify app with every route
 * (tests inject into it); `recon start` (packages/cli) listens. Error codes map to statuses in
 * @recon/http, re-exported here.
 */
export { buildApp, type BuildAppDeps, type BuildAppConfig, type ReconApp } from './build-app';
export {
  ALL_ROUTE_GROUPS,
  type RouteGroup,
  type ReconcileRoutesOptions,
  type NotificationRoutesOptions,
} from './routes/route-groups';
export type { AppServices } from './app-services';
export { loadConfig, ConfigSchema, type ReconConfig, type LoadConfigResult } from './config/load-config';
// The error contract lives in @recon/http (shared with ingest's and notifications' routes); a
// route added through the api answers with the same sendError and body.
export { sendError, type ErrorCode, type ErrorBody } from '@recon/http';
export { createLogger, loggerOptions, REDACTED_KEYS } from './logging/create-logger';
export { routeRegistry, type RouteEntry } from './routes/route-registry';
export { defaultRouteAuth, WORKSPACE_ROUTE_PREFIX, type Principal, type RouteAuth } from './auth/principal';
export { createApiKeyCache, type ApiKeyCache, type ApiKeyCacheOptions } from './auth/api-key-cache';
export { POSITION_HEADER, withPosition } from './routes/position-header';
export { createReconMetrics, type ReconMetrics } from './read/metrics-recon';
