/**
 * @recon/api: recon's HTTP surface. `buildApp(deps)` builds the Fastify app (tests inject into
 * it); `startServer` in server.ts listens. Error codes map to statuses only here.
 */
export { buildApp, type BuildAppDeps, type BuildAppConfig, type ReconApp } from './build-app';
export type { AppServices } from './app-services';
export { loadConfig, ConfigSchema, type ReconConfig, type LoadConfigResult } from './config/load-config';
export { ERROR_STATUS, statusOf, isErrorCode, type ErrorCode } from './errors/error-codes';
export { sendError, errorBody, RETRY_AFTER_SECONDS, type SendError, type ErrorBody, type ErrorDetail } from './errors/send-error';
export { createLogger, loggerOptions, REDACTED_KEYS } from './logging/create-logger';
export { routeRegistry, type RouteEntry } from './routes/route-registry';
export { defaultRouteAuth, WORKSPACE_ROUTE_PREFIX, type Principal, type RouteAuth } from './auth/principal';
export { createApiKeyCache, type ApiKeyCache, type ApiKeyCacheOptions } from './auth/api-key-cache';
export { POSITION_HEADER, withPosition } from './routes/position-header';
export { startServer, type RunningServer, type StartServerResult } from './server';
