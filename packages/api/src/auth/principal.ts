/** Who is calling: the admin (RECON_ADMIN_TOKEN) or an operator key scoped to one workspace. */
export type Principal =
  | { readonly kind: 'admin' }
  | { readonly kind: 'operator'; readonly keyId: string; readonly workspaceId: string };

/**
 * How a route is guarded. Routes under `/v1/workspaces/:ws/` default to `workspace`; other `/v1`
 * routes to `admin`; everything else to `public`. A route opts out only by saying so.
 * - `admin`: the admin token only.
 * - `workspace`: the admin token, or an operator key of `:ws` (another workspace's key → 403).
 * - `workspace-admin`: scoped to `:ws` like `workspace`, but operator keys are refused (403).
 * - `webhook`: no bearer token; the route verifies the provider's signature itself.
 * - `public`: no check (health probes).
 */
export type RouteAuth = 'admin' | 'workspace' | 'workspace-admin' | 'webhook' | 'public';

export const WORKSPACE_ROUTE_PREFIX = '/v1/workspaces/:ws';

export function defaultRouteAuth(url: string): RouteAuth {
  if (url === WORKSPACE_ROUTE_PREFIX || url.startsWith(`${WORKSPACE_ROUTE_PREFIX}/`)) return 'workspace';
  if (url.startsWith('/v1/') || url === '/v1') return 'admin';
  return 'public';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
