/**
 * Route options every app that uses this contract understands, declared once so route plugins of
 * any package (api, ingest, notifications) are checked against them:
 * - `config.auth`: how the app's auth hook guards the route (see RouteAuth);
 * - `config.unavailableCode`: the error code a route answers while a dependency (database, event
 *   store) is unavailable, instead of the default 503 codes (GHL webhooks: 429
 *   WEBHOOK_RETRY_LATER, the only status GHL retries). An `ErrorCode`: a route cannot name a code
 *   missing from the table.
 */
import type { ErrorCode } from './error-codes';

/**
 * How a route is guarded. Routes under `/v1/workspaces/:ws/` default to `workspace`; other `/v1`
 * routes to `admin`; everything else to `public`. A route opts out only by saying so.
 * - `admin`: the admin token only.
 * - `workspace`: the admin token, or an operator key of `:ws` (another workspace's key → 403).
 * - `workspace-admin`: scoped to `:ws` like `workspace`, but operator keys are refused (403).
 * - `authenticated`: any valid bearer credential (the admin token or any operator key); the route
 *   reads `request.principal` itself (`GET /v1/me`).
 * - `webhook`: no bearer token; the route verifies the provider's signature itself.
 * - `public`: no check (health probes).
 */
export type RouteAuth = 'admin' | 'workspace' | 'workspace-admin' | 'authenticated' | 'webhook' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** The error code this route answers while a dependency is unavailable (default: the 503 codes). */
    unavailableCode?: ErrorCode;
  }
}
