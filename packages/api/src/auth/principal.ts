import type { RouteAuth } from '@recon/http';

/** Who is calling: the admin (RECON_ADMIN_TOKEN) or an operator key scoped to one workspace. */
export type Principal =
  | { readonly kind: 'admin' }
  | { readonly kind: 'operator'; readonly keyId: string; readonly workspaceId: string };

/** How a route is guarded (`config.auth`): declared with the route options in @recon/http. */
export type { RouteAuth };

export const WORKSPACE_ROUTE_PREFIX = '/v1/workspaces/:ws';

export function defaultRouteAuth(url: string): RouteAuth {
  if (url === WORKSPACE_ROUTE_PREFIX || url.startsWith(`${WORKSPACE_ROUTE_PREFIX}/`)) return 'workspace';
  if (url.startsWith('/v1/') || url === '/v1') return 'admin';
  return 'public';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
